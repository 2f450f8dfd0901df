import type { allowanceReasons } from "../../schema/db.ts";
import type { LocalText, Policy } from "../../schema/policy.ts";
import type { Money } from "./billing.ts";
import type { Account, IssueType } from "./policy.ts";
import { fromLocal, getZone, toLocal } from "./zone.ts";

/** Whether support is given at all, and why not. */
export interface Eligibility {
  readonly eligible: boolean;
  /** The policy's own words when refused. */
  readonly reason?: LocalText;
  /** Requirements not yet verified for an anonymous customer. */
  readonly unverified?: readonly LocalText[];
}

/** Refuses support when the issue type is refused or a required account flag is false. */
export function eligibilityOf(policy: Policy, issueType: IssueType | undefined, account: Account | undefined): Eligibility {
  if (issueType?.refused !== undefined) return { eligible: false, reason: issueType.refused };
  const unverified: LocalText[] = [];
  for (const req of policy.eligibility?.requires ?? []) {
    const value = account?.flags?.[req.flag];
    if (value === false) return { eligible: false, reason: req.message };
    if (value !== true) unverified.push(req.message);
  }
  return unverified.length ? { eligible: true, unverified } : { eligible: true };
}

/** The allowance period containing `at` in the policy's zone: [start, end) as real instants. */
export function allowancePeriod(policy: Policy, at: number): { start: number; end: number } {
  const zone = getZone(policy.timeZone);
  const d = new Date(toLocal(zone, at));
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const yearly = policy.allowances?.period === "year";
  const start = yearly ? Date.UTC(y, 0, 1) : Date.UTC(y, m, 1);
  const end = yearly ? Date.UTC(y + 1, 0, 1) : Date.UTC(y, m + 1, 1);
  return { start: fromLocal(zone, start), end: fromLocal(zone, end) };
}

/** The same local time `months` calendar months later (clamped to the month's last day). */
export function addMonths(timeZone: string, at: number, months: number): number {
  const zone = getZone(timeZone);
  const d = new Date(toLocal(zone, at));
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  const time = d.getTime() - Date.UTC(y, d.getUTCMonth(), d.getUTCDate());
  return fromLocal(zone, Date.UTC(y, m, day) + time);
}

/** Why a case is free or chargeable against the allowance. */
export type AllowanceReason = (typeof allowanceReasons)[number];

/** Free cases used and included, whether the next case is chargeable, and why. */
export interface Allowance {
  readonly reason: AllowanceReason;
  readonly used?: number;
  readonly included?: number;
  readonly chargeable: boolean;
  readonly unit: "cases" | "hours";
  readonly extraCase?: Money;
  /** Setup assistance: free until this instant. */
  readonly freeUntil?: number;
}

/**
 * The allowance notice for a new case: setup assistance first (free hours within a window
 * after subscribing), then free cases per plan and period. Undefined when nothing applies.
 */
export function allowanceOf(policy: Policy, issueType: IssueType, account: Account | undefined, at: number): Allowance | undefined {
  const rules = policy.allowances;
  const extra = rules?.extraCase ? { extraCase: rules.extraCase } : {};
  if (!issueType.covered) {
    const counts = account?.plan !== undefined && rules ? { used: account.casesUsed ?? 0, included: rules.plans[account.plan] ?? 0 } : {};
    return { reason: "not-covered", ...counts, chargeable: true, unit: "cases", ...extra };
  }
  const setup = policy.setupAssistance;
  if (setup && setup.issueType === issueType.id && account?.plan !== undefined && account.subscribedAt !== undefined) {
    const hours = setup.hours[account.plan] ?? 0;
    const usedHours = (account.setupMinutesUsed ?? 0) / 60;
    const freeUntil = addMonths(policy.timeZone, account.subscribedAt, setup.withinMonths);
    if (usedHours < hours && at < freeUntil) {
      return { reason: "setup-assistance", used: usedHours, included: hours, chargeable: false, unit: "hours", freeUntil };
    }
  }
  if (!rules || !issueType.countsTowardAllowance) return undefined;
  if (account?.plan === undefined) return undefined;
  const used = account.casesUsed ?? 0;
  const included = rules.plans[account.plan] ?? 0;
  const chargeable = used >= included;
  return { reason: chargeable ? "allowance-used" : "allowance-left", used, included, chargeable, unit: "cases", ...extra };
}
