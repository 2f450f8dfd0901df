import { outbox, type outboxChannels } from "../../schema/db.ts";
import { randomId } from "../infra/crypto.ts";
import { insertRow } from "../infra/statements.ts";
import { deliverSoon } from "./delivery.ts";

/** A notification to deliver: a webhook to the merchant, or an email. */
export interface OutboxMessage {
  readonly channel: (typeof outboxChannels)[number];
  /** The webhook event name ("ticket.created") or the email's template. */
  readonly event: string;
  readonly merchantId: string;
  readonly ticketId?: string;
  /** An email's address. */
  readonly recipient?: string;
  /** What delivery needs to build the request or the email: plain data, never a secret. */
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * The one writer of the outbox: the statement that queues a message, to run in the same D1 batch
 * as the change that causes it (so a notification exists exactly when its event does), and the
 * row's id for prompt delivery once the batch has committed.
 */
export function outboxInsert(d1: D1Database, m: OutboxMessage, now: number): { id: string; statement: D1PreparedStatement } {
  const id = randomId(m.channel === "email" ? "eml" : "evt");
  const statement = insertRow(d1, outbox, {
    id,
    merchantId: m.merchantId,
    channel: m.channel,
    event: m.event,
    ticketId: m.ticketId ?? null,
    recipient: m.recipient ?? null,
    payload: JSON.stringify(m.payload),
    nextAttemptAt: now,
    createdAt: now,
  });
  return { id, statement };
}

/** Messages queued in one batch: its statements, and what to do once the batch has committed. */
export interface Queued {
  readonly statements: D1PreparedStatement[];
  /** Call after the batch committed: its emails are sent at once (webhooks wait for the cron). */
  committed(env: Env): void;
}

/**
 * Queues messages in the caller's batch. Emails are delivered right after the commit (never
 * before: a batch that aborts leaves nothing to send); webhooks by the cron, at most 2 in flight
 * per merchant, so a burst of tickets never floods a merchant's endpoint.
 */
export function outboxInserts(d1: D1Database, messages: readonly OutboxMessage[], now: number): Queued {
  const rows = messages.map((m) => ({ channel: m.channel, ...outboxInsert(d1, m, now) }));
  return {
    statements: rows.map((r) => r.statement),
    committed: (env) =>
      deliverSoon(
        env,
        rows.filter((r) => r.channel === "email").map((r) => r.id),
      ),
  };
}
