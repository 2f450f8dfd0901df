import { outbox, type outboxChannels } from "../../schema/db.ts";
import { randomId } from "../infra/crypto.ts";
import { insertRow } from "../infra/statements.ts";
import { deliverSoon, LEASE_MS, type OutboxRow } from "./delivery.ts";

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
 * row as written. `leasedUntil` writes it already leased, for the prompt delivery of its batch.
 */
export function outboxInsert(
  d1: D1Database,
  m: OutboxMessage,
  now: number,
  leasedUntil: number | null = null,
): { id: string; statement: D1PreparedStatement; row: OutboxRow } {
  const id = randomId(m.channel === "email" ? "eml" : "evt");
  const row: OutboxRow = {
    id,
    merchantId: m.merchantId,
    channel: m.channel,
    event: m.event,
    ticketId: m.ticketId ?? null,
    recipient: m.recipient ?? null,
    payload: JSON.stringify(m.payload),
    status: "queued",
    attempts: 0,
    nextAttemptAt: now,
    leasedUntil,
    deliveredAt: null,
    messageId: null,
    lastError: null,
    createdAt: now,
  };
  return { id, statement: insertRow(d1, outbox, row), row };
}

/** Messages queued in one batch: its statements, and what to do once the batch has committed. */
export interface Queued {
  readonly statements: D1PreparedStatement[];
  /** Call after the batch committed: its emails are sent at once (webhooks wait for the cron). */
  committed(env: Env): void;
}

/**
 * Queues messages in the caller's batch. Emails are delivered right after the commit (never
 * before: a batch that aborts leaves nothing to send), so they are written leased to that
 * delivery (real clock: a lease is about this run, not the ticket's time); webhooks by the cron,
 * at most 2 in flight per merchant, so a burst of tickets never floods a merchant's endpoint.
 */
export function outboxInserts(d1: D1Database, messages: readonly OutboxMessage[], now: number): Queued {
  const leasedUntil = Date.now() + LEASE_MS;
  const rows = messages.map((m) => outboxInsert(d1, m, now, m.channel === "email" ? leasedUntil : null));
  return {
    statements: rows.map((r) => r.statement),
    committed: (env) =>
      deliverSoon(
        env,
        rows.flatMap((r) => (r.row.channel === "email" ? [r.row] : [])),
      ),
  };
}
