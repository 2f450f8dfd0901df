/**
 * The SLA rule, defined once. A ticket that owes a deadline stores two instants: `nextDueAt` (the
 * earliest deadline still owed) and `atRiskAt` (when the policy's share of that target's clock time
 * has passed). Where it stands at `now` follows from those two alone, so the same rule runs here,
 * in the cron's flips and in the queue's filters: `slaSql` renders these very conditions as SQL.
 */

/** Where a ticket stands against its next deadline. */
export type SlaState = "on-track" | "at-risk" | "breached" | "paused";

/** The two stored instants the rule reads. */
export interface SlaInstants {
  readonly nextDueAt: number | null;
  readonly atRiskAt: number | null;
}

/** One comparison of a stored instant with `now`. */
export type SlaCondition =
  | { readonly field: keyof SlaInstants; readonly is: "reached" } // not null and <= now
  | { readonly field: keyof SlaInstants; readonly is: "ahead" } // not null and > now
  | { readonly field: keyof SlaInstants; readonly is: "ahead-or-none" }; // null or > now

/** The states a ticket owing a deadline can be in, each as the conditions that define it (all must hold). */
export const slaRule = {
  breached: [{ field: "nextDueAt", is: "reached" }],
  "at-risk": [
    { field: "nextDueAt", is: "ahead" },
    { field: "atRiskAt", is: "reached" },
  ],
  "on-track": [
    { field: "nextDueAt", is: "ahead" },
    { field: "atRiskAt", is: "ahead-or-none" },
  ],
} as const satisfies Record<Exclude<SlaState, "paused">, readonly SlaCondition[]>;

/** A state the rule decides by instants (paused is decided by the ticket's status). */
export type TimedSlaState = keyof typeof slaRule;

function holds(c: SlaCondition, t: SlaInstants, now: number): boolean {
  const v = t[c.field];
  if (c.is === "reached") return v !== null && v <= now;
  if (c.is === "ahead") return v !== null && v > now;
  return v === null || v > now;
}

/** Where a ticket that owes deadlines stands at `now`; with no deadline owed it is on track. */
export function slaAt(t: SlaInstants, now: number): TimedSlaState {
  if (t.nextDueAt === null) return "on-track";
  for (const state of ["breached", "at-risk", "on-track"] as const) {
    if (slaRule[state].every((c: SlaCondition) => holds(c, t, now))) return state;
  }
  // The three states partition every pair of instants with a due time; this is unreachable.
  return "on-track";
}
