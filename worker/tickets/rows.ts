import { and, asc, eq } from "drizzle-orm";
import type { TicketView } from "../../schema/api.ts";
import { quotes, ticketEvents, tickets } from "../../schema/db.ts";
import type { Policy } from "../../schema/policy.ts";
import { type TicketProgress, ticketSchedule } from "../engine/schedule.ts";
import { iso } from "../engine/window.ts";
import { ApiError } from "../errors.ts";
import { sha256Hex, timingSafeEqual } from "../infra/crypto.ts";
import type { Database } from "../infra/db.ts";

/** A ticket row. */
export type TicketRow = typeof tickets.$inferSelect;
/** A ticket event row. */
export type EventRow = typeof ticketEvents.$inferSelect;
/** A quote row. */
export type QuoteRow = typeof quotes.$inferSelect;

const REF_PATTERN = /^RB-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

function phaseOf(status: TicketRow["status"]): TicketProgress["phase"] {
  if (status === "waiting-on-customer") return "waiting";
  return status === "resolved" || status === "closed" ? "done" : "open";
}

/** The stored time fields of a ticket, recomputed from its policy and progress at `now`. */
export function scheduleOf(
  policy: Policy,
  t: Pick<TicketRow, "priority" | "issueType" | "receivedAt" | "pauses" | "restartedAt" | "firstRespondedAt" | "status">,
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

/**
 * The ticket a customer's bearer token opens. A malformed reference, an unknown one and a
 * wrong token are the same 404, so references cannot be probed.
 */
export async function ticketForCustomer(db: Database, ref: string, authorization: string | undefined): Promise<TicketRow> {
  const token = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(authorization ?? "")?.[1];
  if (!token)
    throw new ApiError("unauthorized", "Send the ticket's access token as Authorization: Bearer <token>", {
      headers: { "WWW-Authenticate": "Bearer" },
    });
  if (!REF_PATTERN.test(ref)) throw new ApiError("not-found", "No such ticket");
  const row = await db.query.tickets.findFirst({ where: eq(tickets.ref, ref) });
  const hash = await sha256Hex(token);
  if (!row || !timingSafeEqual(row.accessTokenHash, hash)) throw new ApiError("not-found", "No such ticket");
  return row;
}

/** The ticket's public events and quote. */
export async function customerParts(db: Database, ticketId: string): Promise<{ events: EventRow[]; quote: QuoteRow | undefined }> {
  const [events, quote] = await Promise.all([
    db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.public, true)))
      .orderBy(asc(ticketEvents.at), asc(ticketEvents.id)),
    db.query.quotes.findFirst({ where: eq(quotes.ticketId, ticketId) }),
  ]);
  return { events, quote };
}

const opt = <K extends string, V>(key: K, value: V | null | undefined, map: (v: V) => unknown = (v) => v) =>
  (value === null || value === undefined ? {} : { [key]: map(value) }) as Partial<Record<K, never>>;

/** What the customer sees of a ticket. */
export function ticketView(row: TicketRow, events: readonly EventRow[], quote: QuoteRow | undefined): TicketView {
  return {
    reference: row.ref,
    status: row.status,
    priority: row.priority,
    issueType: row.issueType,
    severity: row.severity,
    receivedAt: iso(row.receivedAt),
    ...opt("firstResponseDueAt", row.firstRespondedAt === null ? row.firstResponseDueAt : null, iso),
    ...opt("firstRespondedAt", row.firstRespondedAt, iso),
    ...opt("resolutionDueAt", row.resolutionDueAt, iso),
    ...opt("resolutionEarliestAt", row.resolutionEarliestAt, iso),
    slaState: row.slaState,
    awaitingCustomer: row.status === "waiting-on-customer",
    ...opt("outcome", row.outcome),
    events: events.map((e) => ({ at: iso(e.at), type: e.type, author: e.actor, ...(e.body !== null ? { body: e.body } : {}) })),
    ...(quote
      ? {
          quote: {
            status: quote.status,
            revision: quote.revision,
            ...opt("amount", quote.amount),
            ...opt("currency", quote.currency),
            ...opt("validUntil", quote.validUntil, iso),
            ...opt("plannedFor", quote.plannedFor, iso),
          },
        }
      : {}),
  } as TicketView;
}
