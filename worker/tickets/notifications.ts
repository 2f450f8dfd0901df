import type { WindowResult } from "../../schema/api.ts";
import type { eventTypes } from "../../schema/db.ts";
import type { Policy } from "../../schema/policy.ts";
import type { EmailTemplate } from "../email/templates.ts";
import { clockOf, runsAt } from "../engine/clock.ts";
import { iso } from "../engine/window.ts";
import type { OutboxMessage } from "../outbox/outbox.ts";
import { subscribed, type WebhookSubscription } from "../outbox/webhook-subscription.ts";
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

/** The email each ticket event sends the customer (events not listed send none). */
export const customerEmailFor = {
  created: "received",
  reply: "reply",
  "info-requested": "info-requested",
  "quote-sent": "quote-sent",
  "quote-planned": "quote-planned",
  "quote-delivered": "quote-delivered",
  resolved: "resolved",
} as const satisfies Partial<Record<EventType, EmailTemplate>>;

/**
 * The on-call alert an event sends the merchant's `alerts.to` addresses: a new ticket of a priority
 * the policy lists (always, or only while `alerts.hours` is closed), and any breach.
 */
function alertFor(e: Happened, t: TicketRow, policy: Policy, now: number): "alert-new" | "alert-breach" | undefined {
  const alerts = policy.alerts;
  if (!alerts) return undefined;
  if (e.type === "breached") return "alert-breach";
  if (e.type !== "created") return undefined;
  const rule = alerts.priorities.find((a) => a.priority === t.priority);
  if (!rule) return undefined;
  if (rule.when === "always" || alerts.hours === undefined) return "alert-new";
  return runsAt(clockOf(policy, alerts.hours), now) ? undefined : "alert-new";
}

/** What the ticket's notifications are about: the event and the ticket as it is after it. */
export interface Happened {
  readonly type: EventType;
  readonly body?: string | undefined;
  /** `autoReply: false` (mail that must not be answered automatically: auto-replies, lists) sends the customer nothing. */
  readonly data?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The notifications one event causes: the merchant's webhook when one is configured for the event, and the
 * customer's email. Every transition's batch writes exactly these, so no channel can forget one;
 * delivery renders an email from the ticket as it is then, so the payload holds only what the
 * event said (a reply's text, a quote's figures) — never a secret.
 */
export function notificationsFor(
  e: Happened,
  t: TicketRow,
  opts: {
    readonly webhook: WebhookSubscription;
    readonly now: number;
    readonly policy: Policy;
    readonly window?: WindowResult | undefined;
  },
): OutboxMessage[] {
  const out: OutboxMessage[] = [];
  const alert = alertFor(e, t, opts.policy, opts.now);
  for (const to of alert ? (opts.policy.alerts?.to ?? []) : []) {
    out.push({ channel: "email", event: alert as EmailTemplate, merchantId: t.merchantId, ticketId: t.id, recipient: to, payload: {} });
  }
  const template = (customerEmailFor as Partial<Record<EventType, EmailTemplate>>)[e.type];
  if (template && e.data?.autoReply !== false) {
    out.push({
      channel: "email",
      event: template,
      merchantId: t.merchantId,
      ticketId: t.id,
      recipient: t.email,
      payload: {
        ...(e.type === "created" ? {} : (e.data ?? {})),
        ...(e.body !== undefined && e.type !== "created" ? { body: e.body } : {}),
        ...(opts.window ? { explanation: opts.window.explanation, quote: opts.window.workflow === "quote" } : {}),
      },
    });
  }
  const topic = (webhookFor as Partial<Record<EventType, string>>)[e.type];
  if (topic && subscribed(opts.webhook, topic)) {
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
