import type { WindowResult } from "../../schema/api.ts";
import { ALWAYS, type Policy, type Target } from "../../schema/policy.ts";
import { type Allowance, allowanceOf, type Eligibility, eligibilityOf } from "./account.ts";
import { type AfterHoursChoice, type BillingNotice, billingNotice, type Money } from "./billing.ts";
import { nextOpening } from "./calendar.ts";
import { clockOf, runsAt } from "./clock.ts";
import { parseDuration } from "./duration.ts";
import { formatInstant, formatMoney, type Locale, localeOf, pick } from "./format.ts";
import { type Messages, messages, type TargetKind } from "./messages.ts";
import { type Account, classify, type IssueType, priorityOf } from "./policy.ts";
import { firstResponseTarget } from "./schedule.ts";
import { type CutoffFacts, type Due, evaluate } from "./targets.ts";
import { checkInstant } from "./zone.ts";

/** What the window is asked for: an issue type and severity (classified) or a priority directly. */
export interface WindowRequest {
  readonly issueType?: string;
  readonly severity?: string;
  readonly priority?: string;
  readonly at: number;
  readonly locale?: string;
  readonly account?: Account;
  /** Out of hours, for paid-or-wait work: wait for support hours (the default) or have it addressed now. */
  readonly afterHoursChoice?: AfterHoursChoice | undefined;
}

/** An ISO-8601 UTC instant ("…Z"), without milliseconds when they are zero. */
export function iso(at: number): string {
  const s = new Date(at).toISOString();
  return s.endsWith(".000Z") ? `${s.slice(0, -5)}Z` : s;
}

/**
 * Coverage on a clock at an instant, as the API reports it: around the clock on "24/7", else open
 * now or closed until the next opening.
 */
export function coverageAt(policy: Policy, clockName: string, at: number): NonNullable<WindowResult["coverage"]> {
  const clock = clockOf(policy, clockName);
  if (clock.kind !== "calendar") return { openNow: true, aroundTheClock: true };
  return runsAt(clock, at) ? { openNow: true } : { openNow: false, nextOpenAt: iso(nextOpening(clock.cal, at)) };
}

// A cut-off at midnight: no receipt is before it, so the target is the next business day's close.
const MIDNIGHT = "00:00";

/** The explanation of a cut-off target's due time: by that day's or the next business day's close, and why. */
function cutoffLine(m: Messages, kind: TargetKind, c: CutoffFacts, due: string): string {
  if (c.cutoff === MIDNIGHT) return c.sameDay ? m.byEndOfBusinessDay(kind, due) : m.byEndOfNextBusinessDay(kind, due);
  if (c.sameDay) return m.cutoffSameDay(kind, c.cutoff, due);
  return c.receivedOnBusinessDate ? m.cutoffNextDay(kind, c.cutoff, due) : m.cutoffClosedDay(kind, due);
}

/** Describes a target in words ("4 business hours", "3 to 5 business days"). */
export function describeTarget(target: Target, m: Messages): string {
  const business = target.clock !== ALWAYS;
  if (target.within !== undefined) return m.duration(parseDuration(target.within), business);
  if (target.between !== undefined) return m.range(parseDuration(target.between[0]), parseDuration(target.between[1]), business);
  return target.sameDayIfBefore === MIDNIGHT ? m.nextBusinessDay() : m.sameDay(target.sameDayIfBefore as string);
}

function span(due: Due): { dueAt: string; earliestAt?: string; latestAt?: string } {
  return {
    dueAt: iso(due.dueAt as number),
    ...(due.earliestAt != null ? { earliestAt: iso(due.earliestAt) } : {}),
    ...(due.latestAt != null ? { latestAt: iso(due.latestAt) } : {}),
  };
}

/**
 * Computes when a customer will hear back, and on what terms, for a request at instant `at`:
 * due times per the priority's targets, coverage now, billing and allowance notices,
 * eligibility, and an explanation a person can read.
 */
export function computeWindow(policy: Policy, req: WindowRequest): WindowResult {
  checkInstant(req.at, "time");
  const locale: Locale = localeOf(req.locale);
  const m = messages(locale);
  const when = (at: number) => formatInstant(at, policy.timeZone, locale);
  const issueType: IssueType | undefined = req.issueType !== undefined ? policy.issueTypes.find((t) => t.id === req.issueType) : undefined;
  const priorityId = req.priority ?? classify(policy, req.issueType ?? "", req.severity ?? "");
  const priority = priorityOf(policy, priorityId);
  const label = pick(priority.label, locale);
  const explanation = [m.received(when(req.at))];

  const eligibility: Eligibility = eligibilityOf(policy, issueType, req.account);
  if (!eligibility.eligible) {
    const reason = pick(eligibility.reason, locale);
    return ordered({ priority: priorityId, eligibility: { eligible: false, reason }, explanation: [...explanation, reason] });
  }
  const result: WindowResult = { priority: priorityId, eligibility: { eligible: true }, explanation };
  if (priority.workflow === "quote") result.workflow = "quote";

  // Out of hours, the customer's choice (wait or now) decides both the terms and the first response.
  const category = issueType?.category ?? policy.billing?.defaultCategory;
  const notice: BillingNotice | undefined =
    category !== undefined ? billingNotice(policy, category, req.at, req.afterHoursChoice) : undefined;
  const firstResponse = firstResponseTarget(policy, priority, notice?.choice);

  if (firstResponse) {
    const target = firstResponse;
    const due = evaluate(policy, target, req.at);
    const text = describeTarget(target, m);
    result.firstResponse = { ...span(due), target: text };
    const dueText = when(due.dueAt as number);
    if (due.cutoff) explanation.push(cutoffLine(m, "firstResponse", due.cutoff, dueText));
    else {
      if (target.clock === ALWAYS && priority.coverage === ALWAYS) explanation.push(m.aroundTheClock(label));
      explanation.push(m.firstResponse(text, dueText));
      if (due.clock.kind === "calendar" && !runsAt(due.clock, req.at)) {
        explanation.push(m.businessTimeOnly(when(nextOpening(due.clock.cal, req.at))));
      }
    }
    if (priority.restartOnReply) explanation.push(m.restartOnReply());
  }

  if (priority.resolution) {
    const target = priority.resolution;
    const extra = issueType?.extraResolution !== undefined ? parseDuration(issueType.extraResolution) : undefined;
    const due = evaluate(policy, target, req.at, [], extra);
    const text = describeTarget(target, m);
    result.resolution = { ...span(due), target: text };
    explanation.push(
      due.cutoff
        ? cutoffLine(m, "resolution", due.cutoff, when(due.dueAt as number))
        : due.earliestAt != null
          ? m.resolutionRange(text, when(due.earliestAt), when(due.latestAt as number))
          : m.resolution(text, when(due.dueAt as number)),
    );
    if (extra && issueType) explanation.push(m.extraResolution(pick(issueType.label, locale), m.duration(extra, target.clock !== ALWAYS)));
  }

  if (priority.downgrade) {
    const { target, to } = priority.downgrade;
    const due = evaluate(policy, target, req.at);
    const latest = (due.latestAt ?? due.dueAt) as number;
    const earliest = due.earliestAt ?? latest;
    result.downgrade = { ...(due.earliestAt != null ? { earliestAt: iso(due.earliestAt) } : {}), latestAt: iso(latest), to };
    explanation.push(m.downgrade(to, describeTarget(target, m), when(earliest), when(latest)));
  }

  if (priority.workflow === "quote") explanation.push(m.quoteWorkflow());

  if (priority.coverage) {
    const coverage = coverageAt(policy, priority.coverage, req.at);
    result.coverage = coverage;
    if (coverage.nextOpenAt !== undefined) explanation.push(m.closedNow(when(Date.parse(coverage.nextOpenAt))));
    else if (!coverage.aroundTheClock) explanation.push(m.openNow());
  }

  if (notice && policy.billing) {
    const money = (a: Money) => formatMoney(a.amount, a.currency, locale);
    const categoryLabel =
      pick(policy.billing.categories[notice.category]?.label, locale) || pick(issueType?.label, locale) || notice.category;
    // Each option's reply-by: waiting keeps the priority's target, now has the out-of-hours one.
    const dueFor = (choice: AfterHoursChoice) => {
      const target = firstResponseTarget(policy, priority, choice);
      return target ? (evaluate(policy, target, req.at).dueAt as number) : undefined;
    };
    const options = notice.options?.map((o) => {
      const due = dueFor(o.choice);
      return {
        choice: o.choice,
        billable: o.billable,
        rateClass: o.rateClass,
        ...(o.ratePerHour ? { ratePerHour: o.ratePerHour } : {}),
        ...(due !== undefined ? { firstResponseDueAt: iso(due) } : {}),
      };
    });
    result.billing = {
      billable: notice.billable,
      reason: notice.reason,
      category: { id: notice.category, label: categoryLabel },
      rateClass: notice.rateClass,
      ...(notice.ratePerHour ? { ratePerHour: notice.ratePerHour } : {}),
      increment: notice.increment,
      ...(notice.resumesAt !== undefined ? { resumesAt: iso(notice.resumesAt) } : {}),
      ...(notice.choice ? { choice: notice.choice } : {}),
      ...(options ? { options } : {}),
    };
    const [wait, now] = notice.options ?? [];
    if ((now ?? notice).rateClass === "holiday" && (now ?? notice).billable) explanation.push(m.holidayRate());
    const waitDue = wait ? dueFor("wait") : undefined;
    const nowDue = now ? dueFor("now") : undefined;
    explanation.push(
      m.billing[notice.reason]({
        category: categoryLabel,
        rate: (now ?? notice).ratePerHour ? money((now ?? notice).ratePerHour as Money) : "",
        increment: m.increment(parseDuration(notice.increment)),
        waitDue: waitDue !== undefined ? when(waitDue) : "",
        nowDue: nowDue !== undefined ? when(nowDue) : "",
        waitTerms: wait?.ratePerHour ? m.atRate(money(wait.ratePerHour)) : m.free(),
      }),
    );
  }

  const allowance: Allowance | undefined = issueType ? allowanceOf(policy, issueType, req.account, req.at) : undefined;
  if (allowance) {
    result.allowance = {
      reason: allowance.reason,
      ...(allowance.used !== undefined ? { used: allowance.used } : {}),
      ...(allowance.included !== undefined ? { included: allowance.included } : {}),
      chargeable: allowance.chargeable,
      unit: allowance.unit,
      ...(allowance.extraCase ? { extraCase: allowance.extraCase } : {}),
      ...(allowance.freeUntil !== undefined ? { freeUntil: iso(allowance.freeUntil) } : {}),
    };
    const left = Math.max(0, (allowance.included ?? 0) - (allowance.used ?? 0));
    explanation.push(
      m.allowance[allowance.reason]({
        used: allowance.used ?? 0,
        included: allowance.included ?? 0,
        period: m.period(policy.allowances?.period ?? "year"),
        price: allowance.extraCase ? formatMoney(allowance.extraCase.amount, allowance.extraCase.currency, locale) : "",
        left: allowance.unit === "hours" ? m.duration({ days: 0, ms: Math.round(left * 3_600_000) }, false) : String(left),
        until: allowance.freeUntil !== undefined ? when(allowance.freeUntil) : "",
      }),
    );
  } else if (issueType?.countsTowardAllowance && policy.allowances && req.account?.plan === undefined) {
    explanation.push(m.allowanceUnknown());
  }

  for (const note of eligibility.unverified ?? []) explanation.push(m.requirement(pick(note, locale)));

  for (const g of policy.guidance) {
    if (g.issueTypes && !(req.issueType !== undefined && g.issueTypes.includes(req.issueType))) continue;
    if (g.severities && !(req.severity !== undefined && g.severities.includes(req.severity))) continue;
    if (g.whenClosed !== undefined && runsAt(clockOf(policy, g.whenClosed), req.at)) continue;
    explanation.push(pick(g.text, locale));
  }
  return ordered(result);
}

const memberOrder = [
  "priority",
  "workflow",
  "firstResponse",
  "resolution",
  "downgrade",
  "coverage",
  "billing",
  "allowance",
  "eligibility",
  "explanation",
] as const;

// The documented member order, so API and CLI output read the same way every time.
function ordered(result: WindowResult): WindowResult {
  const out: Record<string, unknown> = {};
  for (const key of memberOrder) if (result[key] !== undefined) out[key] = result[key];
  return out as unknown as WindowResult;
}
