import { IANAZone } from "luxon";
import { z } from "zod";
import { hasOpenTime, intervalSeconds, weekdays } from "./hours.ts";

export { weekdays } from "./hours.ts";
/** The rate classes billing knows, decided by when the work is done. */
export const rateClasses = ["standard", "after-hours", "holiday"] as const;
/** What out-of-hours work means for a billing category. */
export const afterHoursModes = ["included", "paid-or-wait"] as const;
/**
 * Why work on a request is charged or not, as the notice shown before sending says: the category is
 * included, included even out of hours, billable in its own right, or out of hours work that is
 * charged now (or waits for the next business day).
 */
export const billingReasons = ["included", "included-out-of-hours", "billable-category", "out-of-hours"] as const;
/** Periods an allowance of free cases renews over, in the policy's time zone. */
export const allowancePeriods = ["month", "year"] as const;

/** The reserved clock name for elapsed (around the clock) time. */
export const ALWAYS = "24/7";

const timePattern = /^(?:(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?|24:00(?::00)?)$/;
const hhmm = z.string().regex(timePattern, 'Use "HH:MM" or "HH:MM:SS" between 00:00 and 24:00');

const isoDate = z
  .string()
  // abort: a malformed date gets one message, not a second "Not a real calendar date".
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Use a date "YYYY-MM-DD"', abort: true })
  .refine((s) => isRealDate(s), "Not a real calendar date");

const interval = z.tuple([hhmm, hhmm], { error: 'An interval is two times, such as ["09:00", "17:00"]' });
const intervals = z.array(interval).max(12, "At most 12 intervals per day");

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, "Use 1–40 letters, digits, - or _, starting with a letter or digit");

/** ISO-8601 duration in weeks, days, hours, minutes and seconds (years and months are ambiguous). */
export const durationPattern = /^P(?!$)(?:(\d{1,4})W)?(?:(\d{1,5})D)?(?:T(?=\d)(?:(\d{1,6})H)?(?:(\d{1,7})M)?(?:(\d{1,9})S)?)?$/;
const duration = z.string().regex(durationPattern, 'Use an ISO-8601 duration such as "PT4H", "P1D" or "P1DT4H"');

/** Text a merchant writes: one string, or one per locale (`{ "en": "…", "es": "…" }`). */
function localText(max: number) {
  return z.union([
    z.string().min(1).max(max),
    z.record(z.string().regex(/^[a-z]{2}(?:-[A-Z]{2})?$/, "Use a locale such as en or es"), z.string().min(1).max(max)),
  ]);
}
const text = localText(500);

/**
 * A phone number: E.164 (`+17079429700`), the digits dialled after it answers (a menu option or
 * extension: `1`), and the text shown, as the merchant writes it ("707-942-9700 Opt. 1"). Dialled as
 * `tel:+17079429700,1`. A bare string (policies written before numbers were stored this way) is only
 * text: shown as written, with nothing to dial.
 */
const phone = z.union([
  z.strictObject({
    number: z.string().regex(/^\+[1-9]\d{6,14}$/, 'Use E.164: "+", the country code and the number, digits only, such as "+17079429700"'),
    option: z
      .string()
      .regex(/^[0-9*#]{1,10}$/, 'Use the digits dialled once the call is answered, such as "1"')
      .optional(),
    /** Shown instead of the number when given; per locale where the wording differs ("Opt. 1", "opción 1"). */
    text: localText(60).optional(),
  }),
  z
    .string()
    .min(1)
    .max(60)
    .transform((text) => ({ text })),
]);

/** A phone as validated: the number to dial (absent for text-only phones) and the text to show. */
export type Phone = z.output<typeof phone>;

/** What a phone shows in a locale: the merchant's text, else the number. */
export function phoneText(p: Phone, locale: string): string {
  return (p.text !== undefined ? pickText(p.text, locale) : "") || ("number" in p ? p.number : "");
}

/** Picks a merchant's text for a locale: that locale, then English, then any. */
export function pickText(text: LocalText | undefined, locale: string): string {
  if (text === undefined) return "";
  if (typeof text === "string") return text;
  return text[locale] ?? text.en ?? Object.values(text)[0] ?? "";
}

function isRealDate(s: string): boolean {
  const [y, m, d] = s.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d && y >= 1971 && y < 2200;
}

/** The one calendar format: business hours, coverage hours and 24/7 alike. */
export const calendarSchema = z
  .strictObject({
    timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), "Unknown IANA time zone"),
    hours: z.partialRecord(z.enum(weekdays), intervals),
    holidays: z.array(isoDate).max(2000).default([]),
    overrides: z.record(isoDate, intervals).default({}),
    breaks: z.record(isoDate, intervals).default({}),
  })
  .superRefine((cal, ctx) => {
    // The week is a ring: Sunday's overnight interval runs into Monday.
    const week: { s: number; e: number; path: (string | number)[] }[] = [];
    weekdays.forEach((day, d) => {
      (cal.hours[day] ?? []).forEach((iv, i) => {
        const [s, e] = intervalSeconds(iv);
        week.push({ s: d * 86_400 + s, e: d * 86_400 + e, path: ["hours", day, i] });
      });
    });
    week.sort((a, b) => a.s - b.s);
    let reach = Number.NEGATIVE_INFINITY;
    for (const w of week) {
      if (w.s < reach) ctx.addIssue({ code: "custom", path: w.path, message: "Overlaps another interval" });
      reach = Math.max(reach, w.e);
    }
    const first = week[0];
    if (first && reach - 604_800 > first.s) {
      ctx.addIssue({ code: "custom", path: first.path, message: "Overlaps the previous Sunday's overnight interval" });
    }
    for (const key of ["overrides", "breaks"] as const) {
      for (const [date, list] of Object.entries(cal[key])) {
        const spans = list.map(intervalSeconds).sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < spans.length; i++) {
          if ((spans[i] as [number, number])[0] < (spans[i - 1] as [number, number])[1]) {
            ctx.addIssue({ code: "custom", path: [key, date], message: "Intervals overlap" });
          }
        }
      }
    }
    // Every target on such a calendar could only fail. A malformed time already has its own
    // error, and the open time it would give is unknown.
    const lists = [...Object.values(cal.hours), ...Object.values(cal.overrides), ...Object.values(cal.breaks)];
    const wellFormed = lists.every((list) => (list ?? []).every((iv) => iv.every((t) => timePattern.test(t))));
    if (wellFormed && !hasOpenTime(cal)) {
      ctx.addIssue({
        code: "custom",
        path: ["hours"],
        message: "No open time at all: give weekly hours or an override with open intervals",
      });
    }
  });

/** A calendar as written by a merchant. */
export type CalendarInput = z.input<typeof calendarSchema>;
/** A validated calendar. */
export type Calendar = z.output<typeof calendarSchema>;

/** A due-time rule: exactly one of `within`, `between` or `sameDayIfBefore`, on a named clock. */
export const targetSchema = z
  .strictObject({
    within: duration.optional(),
    between: z.tuple([duration, duration]).optional(),
    sameDayIfBefore: hhmm.optional(),
    clock: z.string().min(1),
  })
  .superRefine((t, ctx) => {
    const kinds = [t.within, t.between, t.sameDayIfBefore].filter((v) => v !== undefined).length;
    if (kinds !== 1) {
      ctx.addIssue({ code: "custom", path: [], message: "Give exactly one of within, between or sameDayIfBefore" });
    }
  });

/** A due-time rule. */
export type Target = z.output<typeof targetSchema>;

const prioritySchema = z.strictObject({
  id,
  label: text,
  description: text.optional(),
  firstResponse: targetSchema.optional(),
  resolution: targetSchema.optional(),
  downgrade: z.strictObject({ to: id, target: targetSchema }).optional(),
  /** The clock whose open hours say whether someone is working this priority now. */
  coverage: z.string().min(1).optional(),
  /** Feature requests: the work waits on a priced quote the customer accepts. */
  workflow: z.enum(["support", "quote"]).default("support"),
  /** When the customer answers an info request the first-response clock starts again. */
  restartOnReply: z.boolean().default(false),
  /** Outcomes staff may record after analysis (e.g. Level 1 "no bug"). */
  outcomes: z.array(z.strictObject({ id, label: text, description: text.optional() })).default([]),
});

const oneOrMany = z.union([id, z.array(id).min(1)]);

const ruleSchema = z.strictObject({
  issueType: oneOrMany.optional(),
  severity: oneOrMany.optional(),
  priority: id,
});

const issueTypeSchema = z.strictObject({
  id,
  label: text,
  description: text.optional(),
  /** Billing category (a key of billing.categories); omitted means the default category. */
  category: id.optional(),
  /** Not covered by product support: every case of this type is chargeable. */
  covered: z.boolean().default(true),
  /** Counts against the plan's free cases. */
  countsTowardAllowance: z.boolean().default(true),
  /** Support refuses this type outright, with this message. */
  refused: text.optional(),
  /** Extra time on the resolution target for this type (e.g. app submission +3 business days). */
  extraResolution: duration.optional(),
});

const money = z.strictObject({
  amount: z.number().int().min(0).max(1e12),
  currency: z.string().regex(/^[A-Z]{3}$/, "Use an ISO 4217 code such as USD"),
});

const billingSchema = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, "Use an ISO 4217 code such as USD"),
  /** Hourly rates in minor units by rate class; a missing class falls back to standard. */
  rates: z.strictObject({
    standard: z.number().int().min(0).max(1e9),
    "after-hours": z.number().int().min(0).max(1e9).optional(),
    holiday: z.number().int().min(0).max(1e9).optional(),
  }),
  increment: duration,
  /** The calendar whose open hours are standard time; its holidays are holiday time. */
  hoursCalendar: z.string().min(1),
  /**
   * The first-response target when a customer out of hours chooses to have paid-or-wait work
   * addressed now, at the out-of-hours rate (else they wait for the priority's own target).
   */
  outOfHoursResponse: targetSchema.optional(),
  defaultCategory: id,
  categories: z.record(
    id,
    z.strictObject({
      label: text.optional(),
      billable: z.boolean(),
      afterHours: z.enum(afterHoursModes).default("paid-or-wait"),
    }),
  ),
});

const allowanceSchema = z.strictObject({
  period: z.enum(allowancePeriods),
  /** Free cases per plan and period; a plan not listed has none. */
  plans: z.record(id, z.number().int().min(0).max(100000)),
  /** Price of a case beyond the allowance, when the policy states one. */
  extraCase: money.optional(),
  note: text.optional(),
});

const setupSchema = z.strictObject({
  /** Free setup-assistance hours per plan. */
  hours: z.record(id, z.number().min(0).max(1000)),
  /** Setup assistance must be used within this many calendar months of subscribing. */
  withinMonths: z.number().int().min(1).max(24),
  issueType: id,
});

const eligibilitySchema = z.strictObject({
  /** Account flags that must be true, each with the message shown when it is false. */
  requires: z.array(z.strictObject({ flag: id, message: text })).max(10),
});

const meetingsSchema = z.strictObject({
  /** Cancellations (or reschedulings) allowed before a late one is charged. */
  freeCancellations: z.number().int().min(0).max(100),
  /** Notice that makes a cancellation free. */
  notice: duration,
  /** The time billed, at the standard rate, for a late cancellation. */
  lateCancellationCharge: duration,
  /** The billing category the fee is logged under (a key of billing.categories); else the default category. */
  category: id.optional(),
});

const guidanceSchema = z.strictObject({
  text,
  issueTypes: z.array(id).optional(),
  severities: z.array(id).optional(),
  /** Shown only while this calendar is closed (e.g. out-of-hours advice). */
  whenClosed: z.string().min(1).optional(),
});

/**
 * How mail to the support address becomes a ticket: the issue type and severity a new ticket gets,
 * and subject rules. A rule matches when one of its words (or phrases, e.g. "System Down") stands
 * as whole words in the subject, case-insensitively; words are plain text, never patterns. The
 * first matching rule sets what it names; rules apply only when a ticket is created.
 */
const emailSchema = z.strictObject({
  defaultIssueType: id,
  defaultSeverity: id,
  subjectRules: z
    .array(
      z.strictObject({
        words: z
          .array(
            z
              .string()
              .trim()
              .min(1)
              .max(60)
              .regex(/[\p{L}\p{N}]/u, "A word needs a letter or digit"),
          )
          .min(1)
          .max(20),
        priority: id.optional(),
        issueType: id.optional(),
        severity: id.optional(),
      }),
    )
    .max(50)
    .default([]),
});

/** Who hears at once of a new ticket of a priority: always, or only while its coverage is closed. */
export const alertWhen = ["always", "outside-hours"] as const;

/**
 * On-call alerts: the addresses told of a new ticket whose priority is listed, always or only
 * outside the `hours` calendar's open hours (e.g. CommerceUp's C1 after hours).
 */
const alertsSchema = z.strictObject({
  to: z.array(z.email("Use an email address").max(254)).min(1).max(10),
  hours: z.string().min(1).optional(),
  priorities: z
    .array(z.strictObject({ priority: id, when: z.enum(alertWhen) }))
    .min(1)
    .max(20),
});

/** A merchant's whole support policy. */
export const policySchema = z
  .strictObject({
    $schema: z.string().optional(),
    id,
    name: z.string().min(1).max(120),
    /** The zone explanations are written in. */
    timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), "Unknown IANA time zone"),
    locales: z
      .array(z.string().regex(/^[a-z]{2}$/, "Use a language code such as en"))
      .min(1)
      .default(["en"]),
    calendars: z.record(id, calendarSchema),
    issueTypes: z.array(issueTypeSchema).min(1).max(50),
    severities: z
      .array(z.strictObject({ id, label: text, description: text.optional() }))
      .min(1)
      .max(10),
    priorities: z.array(prioritySchema).min(1).max(20),
    classification: z.array(ruleSchema).min(1).max(200),
    billing: billingSchema.optional(),
    allowances: allowanceSchema.optional(),
    setupAssistance: setupSchema.optional(),
    eligibility: eligibilitySchema.optional(),
    meetings: meetingsSchema.optional(),
    quotes: z
      .strictObject({
        validFor: duration,
        currency: z.string().regex(/^[A-Z]{3}$/),
        /**
         * Staff may quote any ticket (extra cost "informed in advance"), not only tickets whose
         * priority follows the quote workflow.
         */
        anyTicket: z.boolean().default(false),
      })
      .optional(),
    /** Share of a target's time after which an open ticket is "at risk". */
    atRiskShare: z.number().gt(0).lt(1).default(0.75),
    /**
     * How long after resolution the customer may reopen a ticket ("not fixed"); after it, the
     * ticket closes and a new request is suggested. Elapsed time.
     */
    reopenWindow: duration.default("P7D"),
    contact: z
      .strictObject({
        email: z.string().max(200).optional(),
        phone: phone.optional(),
        afterHoursPhone: phone.optional(),
        /** A line shown with the contact details, such as what to put in an email's subject. */
        note: text.optional(),
      })
      .optional(),
    guidance: z.array(guidanceSchema).max(30).default([]),
    email: emailSchema.optional(),
    alerts: alertsSchema.optional(),
  })
  .superRefine((p, ctx) => {
    const clocks = new Set([ALWAYS, ...Object.keys(p.calendars)]);
    const issueIds = new Set(p.issueTypes.map((t) => t.id));
    const severityIds = new Set(p.severities.map((s) => s.id));
    const priorityIds = new Set(p.priorities.map((t) => t.id));
    const unique = (list: { id: string }[], path: string) => {
      const seen = new Set<string>();
      list.forEach((item, i) => {
        if (seen.has(item.id)) ctx.addIssue({ code: "custom", path: [path, i, "id"], message: `Duplicate id "${item.id}"` });
        seen.add(item.id);
      });
    };
    unique(p.issueTypes, "issueTypes");
    unique(p.severities, "severities");
    unique(p.priorities, "priorities");
    const clock = (value: string | undefined, path: (string | number)[]) => {
      if (value !== undefined && !clocks.has(value)) {
        ctx.addIssue({ code: "custom", path, message: `Unknown clock "${value}": use "24/7" or a calendar name` });
      }
    };
    p.priorities.forEach((pr, i) => {
      clock(pr.firstResponse?.clock, ["priorities", i, "firstResponse", "clock"]);
      clock(pr.resolution?.clock, ["priorities", i, "resolution", "clock"]);
      clock(pr.downgrade?.target.clock, ["priorities", i, "downgrade", "target", "clock"]);
      clock(pr.coverage, ["priorities", i, "coverage"]);
      if (pr.downgrade && !priorityIds.has(pr.downgrade.to)) {
        ctx.addIssue({ code: "custom", path: ["priorities", i, "downgrade", "to"], message: `Unknown priority "${pr.downgrade.to}"` });
      }
      for (const key of ["firstResponse", "resolution"] as const) {
        const t = pr[key];
        if (t?.sameDayIfBefore !== undefined && t.clock === ALWAYS) {
          ctx.addIssue({ code: "custom", path: ["priorities", i, key, "clock"], message: "A cut-off needs a business calendar, not 24/7" });
        }
      }
    });
    const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
    p.classification.forEach((rule, i) => {
      for (const t of list(rule.issueType) ?? []) {
        if (!issueIds.has(t))
          ctx.addIssue({ code: "custom", path: ["classification", i, "issueType"], message: `Unknown issue type "${t}"` });
      }
      for (const s of list(rule.severity) ?? []) {
        if (!severityIds.has(s))
          ctx.addIssue({ code: "custom", path: ["classification", i, "severity"], message: `Unknown severity "${s}"` });
      }
      if (!priorityIds.has(rule.priority)) {
        ctx.addIssue({ code: "custom", path: ["classification", i, "priority"], message: `Unknown priority "${rule.priority}"` });
      }
    });
    // Every pair must classify, so no customer ever meets "no rule matched".
    for (const t of p.issueTypes) {
      for (const s of p.severities) {
        const hit = p.classification.some((r) => (list(r.issueType)?.includes(t.id) ?? true) && (list(r.severity)?.includes(s.id) ?? true));
        if (!hit) {
          ctx.addIssue({
            code: "custom",
            path: ["classification"],
            message: `No rule classifies issue type "${t.id}" with severity "${s.id}"`,
          });
        }
      }
    }
    if (p.billing) {
      clock(p.billing.hoursCalendar, ["billing", "hoursCalendar"]);
      clock(p.billing.outOfHoursResponse?.clock, ["billing", "outOfHoursResponse", "clock"]);
      if (p.billing.hoursCalendar === ALWAYS) {
        ctx.addIssue({ code: "custom", path: ["billing", "hoursCalendar"], message: "Billing hours need a calendar, not 24/7" });
      }
      if (!p.billing.categories[p.billing.defaultCategory]) {
        ctx.addIssue({ code: "custom", path: ["billing", "defaultCategory"], message: `Unknown category "${p.billing.defaultCategory}"` });
      }
    }
    p.issueTypes.forEach((t, i) => {
      if (t.category !== undefined && !p.billing?.categories[t.category]) {
        ctx.addIssue({ code: "custom", path: ["issueTypes", i, "category"], message: `Unknown billing category "${t.category}"` });
      }
    });
    if (p.meetings?.category !== undefined && !p.billing?.categories[p.meetings.category]) {
      ctx.addIssue({ code: "custom", path: ["meetings", "category"], message: `Unknown billing category "${p.meetings.category}"` });
    }
    if (p.setupAssistance && !issueIds.has(p.setupAssistance.issueType)) {
      ctx.addIssue({
        code: "custom",
        path: ["setupAssistance", "issueType"],
        message: `Unknown issue type "${p.setupAssistance.issueType}"`,
      });
    }
    if (p.email) {
      const e = p.email;
      if (!issueIds.has(e.defaultIssueType)) {
        ctx.addIssue({ code: "custom", path: ["email", "defaultIssueType"], message: `Unknown issue type "${e.defaultIssueType}"` });
      }
      if (!severityIds.has(e.defaultSeverity)) {
        ctx.addIssue({ code: "custom", path: ["email", "defaultSeverity"], message: `Unknown severity "${e.defaultSeverity}"` });
      }
      e.subjectRules.forEach((r, i) => {
        const at = ["email", "subjectRules", i];
        if (r.priority === undefined && r.issueType === undefined && r.severity === undefined) {
          ctx.addIssue({ code: "custom", path: at, message: "Give a priority, an issue type or a severity" });
        }
        if (r.priority !== undefined && !priorityIds.has(r.priority)) {
          ctx.addIssue({ code: "custom", path: [...at, "priority"], message: `Unknown priority "${r.priority}"` });
        }
        if (r.issueType !== undefined && !issueIds.has(r.issueType)) {
          ctx.addIssue({ code: "custom", path: [...at, "issueType"], message: `Unknown issue type "${r.issueType}"` });
        }
        if (r.severity !== undefined && !severityIds.has(r.severity)) {
          ctx.addIssue({ code: "custom", path: [...at, "severity"], message: `Unknown severity "${r.severity}"` });
        }
      });
    }
    if (p.alerts) {
      const hours = p.alerts.hours;
      if (hours !== undefined && !p.calendars[hours]) {
        ctx.addIssue({ code: "custom", path: ["alerts", "hours"], message: `Unknown calendar "${hours}"` });
      }
      p.alerts.priorities.forEach((a, i) => {
        if (!priorityIds.has(a.priority)) {
          ctx.addIssue({ code: "custom", path: ["alerts", "priorities", i, "priority"], message: `Unknown priority "${a.priority}"` });
        }
        if (a.when === "outside-hours" && hours === undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["alerts", "priorities", i, "when"],
            message: 'Name the calendar in alerts.hours for "outside-hours"',
          });
        }
      });
    }
    p.guidance.forEach((g, i) => {
      if (g.whenClosed !== undefined && !p.calendars[g.whenClosed]) {
        ctx.addIssue({ code: "custom", path: ["guidance", i, "whenClosed"], message: `Unknown calendar "${g.whenClosed}"` });
      }
      for (const t of g.issueTypes ?? []) {
        if (!issueIds.has(t)) ctx.addIssue({ code: "custom", path: ["guidance", i, "issueTypes"], message: `Unknown issue type "${t}"` });
      }
    });
  });

/** A policy as written by a merchant. */
export type PolicyInput = z.input<typeof policySchema>;
/** A validated policy: defaults filled in, references checked. */
export type Policy = z.output<typeof policySchema>;
/** Localisable text: one string, or one per locale. */
export type LocalText = z.output<typeof text>;

/** One field-level problem in a policy or calendar. */
export interface FieldError {
  path: string;
  message: string;
}

/** Renders a zod path as `a.b[0].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || "(root)";
}

/** Field-level errors from a zod failure. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const path = [...issue.path];
    if (issue.code === "unrecognized_keys") path.push(...issue.keys.slice(0, 1));
    // A bad record key (an override or break date) says what is wrong with it, as the same
    // date in `holidays` does, rather than zod's generic "Invalid key in record".
    const message = issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    return { path: formatPath(path), message };
  });
}

/** Validates a policy: the parsed policy, or field-level errors. */
export function parsePolicy(input: unknown): { ok: true; policy: Policy } | { ok: false; errors: FieldError[] } {
  const r = policySchema.safeParse(input);
  return r.success ? { ok: true, policy: r.data } : { ok: false, errors: fieldErrors(r.error) };
}

/** Validates a calendar: the parsed calendar, or field-level errors. */
export function parseCalendar(input: unknown): { ok: true; calendar: Calendar } | { ok: false; errors: FieldError[] } {
  const r = calendarSchema.safeParse(input);
  return r.success ? { ok: true, calendar: r.data } : { ok: false, errors: fieldErrors(r.error) };
}
