import type { Policy } from "../../schema/policy.ts";
import { type Clock, clockOf, timeWithin } from "./clock.ts";
import { parseDuration } from "./duration.ts";
import { issueTypeOf, priorityOf } from "./policy.ts";
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
  if (priority.firstResponse) {
    const start = t.restartedAt ?? t.receivedAt;
    out.firstResponseAt = evaluate(
      policy,
      priority.firstResponse,
      start,
      pauses.filter((p) => p.to === null || p.to > start),
    ).dueAt;
    out.firstResponseClock = priority.firstResponse.clock;
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

/** Where a ticket stands against one target. */
export type SlaState = "on-track" | "at-risk" | "breached" | "paused";

/** on-track until `share` of the target's clock time has elapsed, then at-risk, breached at the due instant. */
export function slaState(clock: Clock, start: number, due: number | null, now: number, share: number): SlaState {
  if (due === null) return "paused";
  if (now >= due) return "breached";
  const total = timeWithin(clock, start, due);
  return total > 0 && timeWithin(clock, start, now) >= share * total ? "at-risk" : "on-track";
}

/** slaState with the clock looked up by name. */
export function slaStateOn(policy: Policy, clockName: string, start: number, due: number | null, now: number): SlaState {
  return slaState(clockOf(policy, clockName), start, due, now, policy.atRiskShare);
}
