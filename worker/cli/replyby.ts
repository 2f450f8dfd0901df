import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseInstant } from "../../schema/instant.ts";
import { type FieldError, type Policy, parseCalendar, parsePolicy } from "../../schema/policy.ts";
import { bill } from "../engine/billing.ts";
import { add, addBusinessDays, compileCalendar, isOpen, subtractBusinessDays, subtractTime, within } from "../engine/calendar.ts";
import { EngineError } from "../engine/errors.ts";
import type { Account } from "../engine/policy.ts";
import { computeWindow, iso } from "../engine/window.ts";
import { isPresetId, preset, presetIds, presetInputs } from "../presets/index.ts";

const usage = `usage: replyby <command> [options]
  check    --policy FILE
  preset   NAME                       (${presetIds.join(", ")})
  window   (--policy FILE | --preset NAME) (--issue-type T --severity S | --priority P) --at ISO [--locale L] [--account JSON]
  bill     (--policy FILE | --preset NAME) --at ISO --minutes N [--category C]
  calendar add|subtract --calendar FILE --from ISO --amount N --unit seconds|minutes|hours|days
  calendar within --calendar FILE --from ISO --to ISO
  calendar open   --calendar FILE --at ISO`;

/** A refusal of the command line itself: printed to stderr, exit 1. */
class CliError extends Error {
  readonly details?: unknown;

  constructor(message: string, details?: unknown) {
    super(message);
    this.details = details;
  }
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new CliError(`Cannot read ${what} file "${file}"`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`The ${what} file "${file}" is not valid JSON: ${(e as Error).message}`);
  }
}

function invalid(what: string, errors: FieldError[]): never {
  throw new CliError(`Invalid ${what}`, { errors });
}

function need(value: string | undefined, flag: string): string {
  if (value === undefined || value === "") throw new CliError(`Missing --${flag}`);
  return value;
}

function instant(value: string | undefined, flag: string): number {
  const at = parseInstant(need(value, flag));
  if (at === null) throw new CliError(`--${flag} must be an ISO-8601 instant with a zone, e.g. 2026-11-20T16:05:00-08:00`);
  return at;
}

function wholeNumber(value: string | undefined, flag: string): number {
  const text = need(value, flag);
  if (!/^\d{1,9}$/.test(text)) throw new CliError(`--${flag} must be a whole number from 0`);
  return Number(text);
}

function policyFrom(values: { policy?: string; preset?: string }): Policy {
  if (values.policy !== undefined && values.preset !== undefined) throw new CliError("Give --policy or --preset, not both");
  if (values.preset !== undefined) {
    if (!isPresetId(values.preset)) throw new CliError(`Unknown preset "${values.preset}": use one of ${presetIds.join(", ")}`);
    return preset(values.preset);
  }
  const r = parsePolicy(readJson(need(values.policy, "policy"), "policy"));
  if (!r.ok) invalid("policy", r.errors);
  return r.policy;
}

const policyOptions = { policy: { type: "string" }, preset: { type: "string" } } as const;

/** parseArgs options that each take a string, by name. */
function stringOptions<const N extends string>(...names: N[]): Record<N, { type: "string" }> {
  return Object.fromEntries(names.map((name) => [name, { type: "string" }])) as Record<N, { type: "string" }>;
}

function run(argv: string[]): unknown {
  const [command, ...rest] = argv;
  switch (command) {
    case "check": {
      const { values } = parseArgs({ args: rest, options: { policy: { type: "string" } }, strict: true });
      const r = parsePolicy(readJson(need(values.policy, "policy"), "policy"));
      if (!r.ok) invalid("policy", r.errors);
      return { valid: true, id: r.policy.id, priorities: r.policy.priorities.map((p) => p.id) };
    }
    case "preset": {
      const { positionals } = parseArgs({ args: rest, options: {}, allowPositionals: true, strict: true });
      const name = need(positionals[0], "NAME");
      if (!isPresetId(name)) throw new CliError(`Unknown preset "${name}": use one of ${presetIds.join(", ")}`);
      return presetInputs[name];
    }
    case "window": {
      const { values } = parseArgs({
        args: rest,
        options: { ...policyOptions, ...stringOptions("issue-type", "severity", "priority", "at", "locale", "account") },
        strict: true,
      });
      const policy = policyFrom(values);
      const byType = values["issue-type"] !== undefined || values.severity !== undefined;
      if (byType === (values.priority !== undefined)) throw new CliError("Give --issue-type and --severity, or --priority");
      let account: Account | undefined;
      if (values.account !== undefined) {
        try {
          account = JSON.parse(values.account) as Account;
        } catch {
          throw new CliError('--account must be JSON, e.g. \'{"plan":"standard","casesUsed":2}\'');
        }
      }
      return computeWindow(policy, {
        ...(byType
          ? { issueType: need(values["issue-type"], "issue-type"), severity: need(values.severity, "severity") }
          : { priority: values.priority }),
        at: instant(values.at, "at"),
        ...(values.locale !== undefined ? { locale: values.locale } : {}),
        ...(account ? { account } : {}),
      });
    }
    case "bill": {
      const { values } = parseArgs({
        args: rest,
        options: { ...policyOptions, at: { type: "string" }, minutes: { type: "string" }, category: { type: "string" } },
        strict: true,
      });
      const policy = policyFrom(values);
      const b = bill(policy, instant(values.at, "at"), wholeNumber(values.minutes, "minutes"), values.category);
      return {
        billedMinutes: b.billedMinutes,
        rateClass: b.rateClass,
        ratePerHour: b.ratePerHour,
        amount: b.amount,
        billable: b.billable,
        category: b.category,
      };
    }
    case "calendar":
      return calendar(rest);
    default:
      throw new CliError(command === undefined ? "Missing command" : `Unknown command "${command}"`);
  }
}

const unitMs = { seconds: 1000, minutes: 60_000, hours: 3_600_000 } as const;

function calendar(argv: string[]): unknown {
  const [verb, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: stringOptions("calendar", "from", "to", "at", "amount", "unit"),
    strict: true,
  });
  const r = parseCalendar(readJson(need(values.calendar, "calendar"), "calendar"));
  if (!r.ok) invalid("calendar", r.errors);
  const cal = compileCalendar(r.calendar);
  switch (verb) {
    case "add":
    case "subtract": {
      const from = instant(values.from, "from");
      const amountText = need(values.amount, "amount");
      if (amountText.startsWith("-")) throw new CliError("--amount must not be negative");
      const amount = wholeNumber(amountText, "amount");
      const unit = need(values.unit, "unit");
      if (unit === "days") return iso(verb === "add" ? addBusinessDays(cal, from, amount) : subtractBusinessDays(cal, from, amount));
      if (!(unit in unitMs)) throw new CliError("--unit must be seconds, minutes, hours or days");
      const ms = amount * unitMs[unit as keyof typeof unitMs];
      return iso(verb === "add" ? add(cal, from, ms) : subtractTime(cal, from, ms));
    }
    case "within":
      return Math.floor(within(cal, instant(values.from, "from"), instant(values.to, "to")) / 1000);
    case "open":
      return isOpen(cal, instant(values.at, "at"));
    default:
      throw new CliError(
        verb === undefined ? "Missing calendar verb" : `Unknown calendar verb "${verb}": use add, subtract, within or open`,
      );
  }
}

try {
  process.stdout.write(`${JSON.stringify(run(process.argv.slice(2)), null, 2)}\n`);
} catch (e) {
  if (e instanceof CliError || e instanceof EngineError) {
    const details = e instanceof CliError ? e.details : undefined;
    process.stderr.write(`${JSON.stringify({ error: e.message, ...(details ?? {}) }, null, 2)}\n`);
    if (e instanceof CliError && e.message.startsWith("Missing command")) process.stderr.write(`${usage}\n`);
  } else if (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS")) {
    process.stderr.write(`${JSON.stringify({ error: e.message })}\n${usage}\n`);
  } else {
    process.stderr.write(`${JSON.stringify({ error: "Unexpected failure", detail: String(e) })}\n`);
  }
  process.exitCode = 1;
}
