import type { afterHoursChoices, cancellationReasons } from "../../schema/db.ts";
import type { billingReasons, Policy, rateClasses } from "../../schema/policy.ts";
import { type CompiledCalendar, isOpen, localDateTime, nextOpening } from "./calendar.ts";
import { clockOf } from "./clock.ts";
import { durationMs, parseDuration } from "./duration.ts";
import { EngineError } from "./errors.ts";
import { checkInstant, MINUTE } from "./zone.ts";

/** standard, after-hours or holiday. */
export type RateClass = (typeof rateClasses)[number];

/** Out of hours: wait for support hours, or have the work addressed now at the out-of-hours rate. */
export type AfterHoursChoice = (typeof afterHoursChoices)[number];

/** Why work is charged or included, as the notice before sending says. */
export type BillingReason = (typeof billingReasons)[number];

/** Money in integer minor units. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

type Billing = NonNullable<Policy["billing"]>;

function hoursCalendar(policy: Policy, billing: Billing): CompiledCalendar {
  const clock = clockOf(policy, billing.hoursCalendar);
  if (clock.kind !== "calendar") throw new EngineError("invalid-policy", "Billing hours need a calendar");
  return clock.cal;
}

/** The rate class of work done at an instant: holiday on a holiday, standard in hours, else after-hours. */
export function rateClassAt(policy: Policy, billing: Billing, at: number): RateClass {
  const cal = hoursCalendar(policy, billing);
  if (cal.holidays.has(localDateTime(cal.zone, at).day)) return "holiday";
  return isOpen(cal, at) ? "standard" : "after-hours";
}

/** The hourly rate (minor units) of a class; a class without its own rate uses standard. */
export function rateOf(billing: Billing, cls: RateClass): number {
  return billing.rates[cls] ?? billing.rates.standard;
}

/** Whether work in a category done in a rate class is charged. */
export function chargedIn(billing: Billing, category: string, cls: RateClass): boolean {
  const cat = billing.categories[category];
  if (!cat) throw new EngineError("unknown-category", `Unknown billing category "${category}"`);
  // Out of hours, "paid-or-wait" work is done now only because the customer chose to pay for it.
  return cls === "standard" ? cat.billable : cat.afterHours === "paid-or-wait";
}

/** Result of billing a span of work. */
export interface Bill {
  readonly billable: boolean;
  readonly category: string;
  readonly billedMinutes: number;
  readonly rateClass: RateClass;
  readonly ratePerHour: Money;
  readonly amount: Money;
}

/**
 * Bills `minutes` of work started at `at`: rounded up to the increment, priced by rate class. The
 * rate class is the one of the time the work is done, unless the customer chose to wait for support
 * hours (`choice: "wait"`): then the work is billed on standard terms whenever it is done.
 */
export function bill(policy: Policy, at: number, minutes: number, category?: string, choice?: AfterHoursChoice): Bill {
  const billing = policy.billing;
  if (!billing) throw new EngineError("unknown-category", "This policy has no billing rules");
  checkInstant(at);
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 100_000) {
    throw new EngineError("invalid-amount", "Minutes must be a whole number from 0 to 100000");
  }
  const cat = category ?? billing.defaultCategory;
  const rateClass = choice === "wait" ? "standard" : rateClassAt(policy, billing, at);
  const billable = chargedIn(billing, cat, rateClass);
  const increment = durationMs(parseDuration(billing.increment)) / MINUTE;
  const billedMinutes = increment > 0 ? Math.ceil(minutes / increment) * increment : minutes;
  const rate = rateOf(billing, rateClass);
  const currency = billing.currency;
  return {
    billable,
    category: cat,
    billedMinutes,
    rateClass,
    ratePerHour: { amount: rate, currency },
    amount: { amount: billable ? Math.round((rate * billedMinutes) / 60) : 0, currency },
  };
}

/** The terms of one way to have the work done: its rate class, whether it is charged and at what rate. */
export interface BillingTerms {
  readonly billable: boolean;
  readonly rateClass: RateClass;
  readonly ratePerHour?: Money;
}

/** One of the customer's options out of hours: wait for support hours, or have it addressed now. */
export interface BillingOption extends BillingTerms {
  readonly choice: AfterHoursChoice;
}

/** What a customer is told about charges before sending, for a category at an instant. */
export interface BillingNotice extends BillingTerms {
  readonly reason: BillingReason;
  readonly category: string;
  readonly increment: string;
  /**
   * Out of hours, for work done then only if paid for: both options (wait, now), the one in force,
   * and when support hours resume for a customer who waits.
   */
  readonly options?: readonly [BillingOption, BillingOption];
  readonly choice?: AfterHoursChoice;
  readonly resumesAt?: number;
}

/**
 * The billing notice for a category at an instant. Out of hours, work the policy does then only if
 * paid for offers the customer a choice; the terms given are those of `choice` (waiting, unless the
 * customer chose to pay to have it addressed now).
 */
export function billingNotice(policy: Policy, category: string, at: number, choice?: AfterHoursChoice): BillingNotice | undefined {
  const billing = policy.billing;
  if (!billing) return undefined;
  const rateClass = rateClassAt(policy, billing, at);
  const cat = billing.categories[category];
  const terms = (cls: RateClass, billable: boolean): BillingTerms => ({
    billable,
    rateClass: cls,
    ...(billable ? { ratePerHour: { amount: rateOf(billing, cls), currency: billing.currency } } : {}),
  });
  const base = { category, increment: billing.increment };
  if (rateClass !== "standard" && cat?.afterHours === "paid-or-wait") {
    const wait: BillingOption = { choice: "wait", ...terms("standard", cat.billable) };
    const now: BillingOption = { choice: "now", ...terms(rateClass, true) };
    const chosen = choice === "now" ? now : wait;
    const { choice: _, ...inForce } = chosen;
    return {
      ...base,
      ...inForce,
      reason: "out-of-hours",
      options: [wait, now],
      choice: chosen.choice,
      resumesAt: nextOpening(hoursCalendar(policy, billing), at),
    };
  }
  const billable = chargedIn(billing, category, rateClass);
  const reason: BillingReason = billable
    ? "billable-category"
    : rateClass !== "standard" && cat?.afterHours === "included"
      ? "included-out-of-hours"
      : "included";
  return { ...base, ...terms(rateClass, billable), reason };
}

/** Why calling a meeting off is or is not charged. */
export type CancellationReason = (typeof cancellationReasons)[number];

/**
 * The charge for cancelling (or rescheduling) a meeting, under a policy's meeting rules: free within
 * the allowed cancellations or with enough notice, else the policy's time at the standard rate.
 */
export function cancellationCharge(
  policy: Policy,
  input: { priorCancellations: number; meetingAt: number; cancelledAt: number },
): { reason: CancellationReason; chargeable: boolean; billedMinutes: number; amount: Money | null } {
  const rules = policy.meetings;
  const billing = policy.billing;
  if (!rules || !billing) return { reason: "free-cancellation", chargeable: false, billedMinutes: 0, amount: null };
  const late = input.meetingAt - input.cancelledAt < durationMs(parseDuration(rules.notice));
  const reason: CancellationReason =
    input.priorCancellations < rules.freeCancellations ? "free-cancellation" : late ? "late-cancellation" : "enough-notice";
  const chargeable = reason === "late-cancellation";
  const billedMinutes = chargeable ? durationMs(parseDuration(rules.lateCancellationCharge)) / MINUTE : 0;
  return {
    reason,
    chargeable,
    billedMinutes,
    amount: { amount: Math.round((billing.rates.standard * billedMinutes) / 60), currency: billing.currency },
  };
}
