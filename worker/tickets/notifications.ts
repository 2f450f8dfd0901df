import type { eventTypes } from "../../schema/db.ts";
import { iso } from "../engine/window.ts";
import type { OutboxMessage } from "../outbox/outbox.ts";
import type { TicketRow } from "./rows.ts";

type EventType = (typeof eventTypes)[number];

/** The webhook each ticket event sends the merchant (events not listed send none). */
export const webhookFor = {
  created: "ticket.created",
  reply: "ticket.replied",
  "info-requested": "ticket.info_requested",
  "customer-reply": "ticket.customer_replied",
  resolved: "ticket.resolved",
  reopened: "ticket.reopened",
  closed: "ticket.closed",
  "at-risk": "ticket.at_risk",
  breached: "ticket.breached",
  "quote-sent": "quote.quoted",
  "quote-accepted": "quote.accepted",
  "quote-declined": "quote.declined",
  "quote-expired": "quote.expired",
  "quote-planned": "quote.planned",
  "quote-delivered": "quote.delivered",
} as const satisfies Partial<Record<EventType, string>>;

/** Every webhook event name a merchant can receive. */
export const webhookEvents = Object.values(webhookFor);

/** What the ticket's notifications are about: the event and the ticket as it is after it. */
export interface Happened {
  readonly type: EventType;
  readonly data?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The notifications one event causes: today the merchant's webhook, when one is configured.
 * Every transition's batch writes exactly these, so no channel can forget one.
 */
export function notificationsFor(e: Happened, t: TicketRow, opts: { readonly webhook: boolean; readonly now: number }): OutboxMessage[] {
  const out: OutboxMessage[] = [];
  const topic = (webhookFor as Partial<Record<EventType, string>>)[e.type];
  if (topic && opts.webhook) {
    out.push({
      channel: "webhook",
      event: topic,
      merchantId: t.merchantId,
      ticketId: t.id,
      payload: {
        reference: t.ref,
        ...e.data,
        priority: t.priority,
        status: t.status,
        firstResponseDueAt: t.firstRespondedAt === null && t.firstResponseDueAt !== null ? iso(t.firstResponseDueAt) : null,
        resolutionDueAt: t.resolutionDueAt !== null ? iso(t.resolutionDueAt) : null,
        at: iso(opts.now),
      },
    });
  }
  return out;
}
