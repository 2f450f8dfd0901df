import type { Policy, Target } from "../../schema/policy.ts";
import type { AfterHoursChoice } from "./billing.ts";
import { addTime, clockOf, timeWithin } from "./clock.ts";
import { parseDuration } from "./duration.ts";
import { issueTypeOf, type Priority, priorityOf } from "./policy.ts";
import { type SlaState, slaAt } from "./sla.ts";
import { evaluate, type Pause } from "./targets.ts";

/** The facts about a ticket that its due times depend on. */
export interface TicketFacts {
  readonly priority: string;
  readonly issueType?: string;
  /** The original contact: staff overrides of priority recompute from here. */
  readonly receivedAt: number;
  readonly pauses?: readonly Pause[];
  /** Where the policy restarts the first-response clock at the customer's reply. */
  readonly restartedAt?: number | null;
  /** Out of hours, the customer's choice: addressed now has the policy's out-of-hours response target. */
  readonly afterHoursChoice?: AfterHoursChoice | null;
}

/**
 * The first-response target in force: the policy's out-of-hours response when the customer chose to
 * have the work addressed now, else the priority's own.
 */
export function firstResponseTarget(policy: Policy, priority: Priority, choice: AfterHoursChoice | null | undefined): Target | undefined {
  return (choice === "now" ? policy.billing?.outOfHoursResponse : undefined) ?? priority.firstResponse;
}

/** A ticket's due instants (epoch ms); null while paused, undefined when the priority has no such target. */
export interface TicketDue {
  readonly firstResponseAt?: number | null;
  readonly firstResponseClock?: string;
  readonly resolutionAt?: number | null;
  readonly resolutionEarliestAt?: number | null;
  readonly resolutionClock?: string;
  readonly downgradeAt?: number | null;
  readonly downgradeTo?: string;
}

/** Due times of a ticket under its policy, honouring pauses and first-response restarts. */
export function ticketDue(policy: Policy, t: TicketFacts): TicketDue {
  const priority = priorityOf(policy, t.priority);
  const pauses = t.pauses ?? [];
  const out: {
    -readonly [K in keyof TicketDue]: TicketDue[K];
  } = {};
  const firstResponse = firstResponseTarget(policy, priority, t.afterHoursChoice);
  if (firstResponse) {
    const start = t.restartedAt ?? t.receivedAt;
    out.firstResponseAt = evaluate(
      policy,
      firstResponse,
      start,
      pauses.filter((p) => p.to === null || p.to > start),
    ).dueAt;
    out.firstResponseClock = firstResponse.clock;
  }
  if (priority.resolution) {
    const type = t.issueType !== undefined ? issueTypeOf(policy, t.issueType) : undefined;
    const extra = type?.extraResolution !== undefined ? parseDuration(type.extraResolution) : undefined;
    const due = evaluate(policy, priority.resolution, t.receivedAt, pauses, extra);
    out.resolutionAt = due.dueAt;
    if (due.earliestAt !== undefined) out.resolutionEarliestAt = due.earliestAt;
    out.resolutionClock = priority.resolution.clock;
  }
  if (priority.downgrade) {
    const due = evaluate(policy, priority.downgrade.target, t.receivedAt, pauses);
    out.downgradeAt = due.latestAt ?? due.dueAt;
    out.downgradeTo = priority.downgrade.to;
  }
  return out;
}

/** A ticket's progress, beyond the facts its due times depend on. */
export interface TicketProgress extends TicketFacts {
  readonly firstRespondedAt?: number | null;
  /** Open tickets owe deadlines; waiting (paused), resolved and closed ones owe none now. */
  readonly phase: "open" | "waiting" | "done";
}

/** Everything time-related a ticket row stores: due instants, the next deadline and its state. */
export interface TicketSchedule extends TicketDue {
  readonly nextDueAt: number | null;
  readonly atRiskAt: number | null;
  readonly slaState: SlaState;
}

/**
 * The ticket's schedule at `now`: the earliest deadline still owed (first response until
 * answered, the downgrade while the priority has one, resolution), when it turns at-risk
 * (after the policy's share of that target's clock time) and the state against it (the one SLA rule,
 * engine/sla.ts).
 */
export function ticketSchedule(policy: Policy, t: TicketProgress, now: number): TicketSchedule {
  const due = ticketDue(policy, t);
  if (t.phase !== "open") return { ...due, nextDueAt: null, atRiskAt: null, slaState: t.phase === "waiting" ? "paused" : "on-track" };
  const owed: { at: number; clock: string; start: number }[] = [];
  if (due.firstResponseAt != null && t.firstRespondedAt == null) {
    owed.push({ at: due.firstResponseAt, clock: due.firstResponseClock as string, start: t.restartedAt ?? t.receivedAt });
  }
  const priority = priorityOf(policy, t.priority);
  if (due.downgradeAt != null && priority.downgrade)
    owed.push({ at: due.downgradeAt, clock: priority.downgrade.target.clock, start: t.receivedAt });
  if (due.resolutionAt != null) owed.push({ at: due.resolutionAt, clock: due.resolutionClock as string, start: t.receivedAt });
  const next = owed.sort((a, b) => a.at - b.at)[0];
  if (!next) return { ...due, nextDueAt: null, atRiskAt: null, slaState: "on-track" };
  const clock = clockOf(policy, next.clock);
  const total = timeWithin(clock, next.start, next.at);
  const atRiskAt = total > 0 ? addTime(clock, next.start, Math.ceil(total * policy.atRiskShare)) : next.at;
  return { ...due, nextDueAt: next.at, atRiskAt, slaState: slaAt({ nextDueAt: next.at, atRiskAt }, now) };
}
