import { and, asc, eq } from "drizzle-orm";
import type { TicketView } from "../../schema/api.ts";
import { quotes, ticketEvents } from "../../schema/db.ts";
import type { Policy } from "../../schema/policy.ts";
import { filesOf } from "../attachments/store.ts";
import { priorityOf } from "../engine/policy.ts";
import { coverageAt, iso } from "../engine/window.ts";
import type { Database } from "../infra/db.ts";
import { reopenable } from "./lifecycle.ts";
import type { EventRow, QuoteRow, TicketRow } from "./rows.ts";

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

const at = (ms: number | null | undefined) => (ms === null || ms === undefined ? undefined : iso(ms));

/** Drops the members whose value is undefined, so the JSON omits what does not apply. */
function present<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** What the customer sees of a ticket (the API's Ticket schema: every channel shows the same). */
export function ticketView(
  row: TicketRow,
  events: readonly EventRow[],
  quote: QuoteRow | undefined,
  policy: Policy,
  now: number,
): TicketView {
  const coverageClock = priorityOf(policy, row.priority).coverage;
  return present({
    reference: row.ref,
    status: row.status,
    priority: row.priority,
    issueType: row.issueType,
    severity: row.severity,
    receivedAt: iso(row.receivedAt),
    firstResponseDueAt: row.firstRespondedAt === null ? at(row.firstResponseDueAt) : undefined,
    firstRespondedAt: at(row.firstRespondedAt),
    resolutionDueAt: at(row.resolutionDueAt),
    resolutionEarliestAt: at(row.resolutionEarliestAt),
    slaState: row.slaState,
    coverage: coverageClock !== undefined ? coverageAt(policy, coverageClock, now) : undefined,
    awaitingCustomer: row.status === "waiting-on-customer",
    reopenUntil: reopenable(row, now) ? at(row.reopenUntil) : undefined,
    follows: row.followsRef ?? undefined,
    outcome: row.outcome ?? undefined,
    events: events.map((e) => {
      const files = filesOf(e.data);
      return present({
        at: iso(e.at),
        type: e.type,
        author: e.actor,
        body: e.body || undefined,
        attachments: files.length ? files.map((f) => ({ id: f.id, name: f.name, size: f.size, contentType: f.contentType })) : undefined,
      });
    }),
    quote: quote
      ? present({
          status: quote.status,
          revision: quote.revision,
          amount: quote.amount ?? undefined,
          currency: quote.currency ?? undefined,
          validUntil: at(quote.validUntil),
          plannedFor: at(quote.plannedFor),
          scope: quote.note ?? undefined,
        })
      : undefined,
  });
}
