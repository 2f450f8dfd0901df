import type { meetings, quotes, ticketEvents, tickets } from "../../schema/db.ts";
import type { Policy } from "../../schema/policy.ts";
import { type TicketProgress, ticketSchedule } from "../engine/schedule.ts";

/** A ticket row. */
export type TicketRow = typeof tickets.$inferSelect;
/** A ticket event row. */
export type EventRow = typeof ticketEvents.$inferSelect;
/** A quote row. */
export type QuoteRow = typeof quotes.$inferSelect;
/** A meeting row. */
export type MeetingRow = typeof meetings.$inferSelect;

function phaseOf(status: TicketRow["status"]): TicketProgress["phase"] {
  if (status === "waiting-on-customer") return "waiting";
  return status === "resolved" || status === "closed" ? "done" : "open";
}

/** The stored time fields of a ticket, recomputed from its policy and progress at `now`. */
export function scheduleOf(
  policy: Policy,
  t: Pick<
    TicketRow,
    "priority" | "issueType" | "receivedAt" | "pauses" | "restartedAt" | "firstRespondedAt" | "status" | "afterHoursChoice"
  >,
  now: number,
) {
  const s = ticketSchedule(
    policy,
    {
      priority: t.priority,
      issueType: t.issueType,
      receivedAt: t.receivedAt,
      pauses: t.pauses.map(([from, to]) => ({ from, to })),
      restartedAt: t.restartedAt,
      afterHoursChoice: t.afterHoursChoice,
      firstRespondedAt: t.firstRespondedAt,
      phase: phaseOf(t.status),
    },
    now,
  );
  return {
    firstResponseDueAt: s.firstResponseAt ?? null,
    resolutionDueAt: s.resolutionAt ?? null,
    resolutionEarliestAt: s.resolutionEarliestAt ?? null,
    downgradeDueAt: s.downgradeAt ?? null,
    nextDueAt: s.nextDueAt,
    atRiskAt: s.atRiskAt,
    slaState: s.slaState,
  };
}
