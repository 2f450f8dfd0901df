import { and, asc, eq, isNull, lte } from "drizzle-orm";
import { merchants, outbox } from "../schema/db.ts";
import { hmacHex } from "./infra/crypto.ts";
import { database } from "./infra/db.ts";

const DAY = 86_400_000;
const MAX_ATTEMPTS = 10;
const NEVER = 8_000_000_000_000;

// Each flip is one batch: the events and notifications are selected by the same condition the
// update then clears, inside one transaction. A second run for the same time finds nothing left
// to flip, so it writes nothing: the cron is idempotent.
function flip(d1: D1Database, now: number, state: "breached" | "at-risk", condition: string): D1PreparedStatement[] {
  const event = state === "breached" ? "ticket.breached" : "ticket.at_risk";
  return [
    d1
      .prepare(
        `INSERT INTO ticket_events (ticket_id, merchant_id, at, type, actor, public, data)
         SELECT id, merchant_id, ?1, ?2, 'system', 0, json_object('dueAt', next_due_at, 'priority', priority)
         FROM tickets WHERE ${condition}`,
      )
      .bind(now, state),
    d1
      .prepare(
        `INSERT INTO outbox (id, merchant_id, event, payload, attempts, next_attempt_at, created_at)
         SELECT 'evt_' || lower(hex(randomblob(12))), t.merchant_id, ?2,
                json_object('reference', t.ref, 'priority', t.priority, 'dueAt', t.next_due_at, 'at', ?1), 0, ?1, ?1
         FROM tickets t JOIN merchants m ON m.id = t.merchant_id
         WHERE m.webhook_url IS NOT NULL AND ${condition.replaceAll("sla_state", "t.sla_state").replaceAll("next_due_at", "t.next_due_at").replaceAll("at_risk_at", "t.at_risk_at")}`,
      )
      .bind(now, event),
    d1.prepare(`UPDATE tickets SET sla_state = ?2, updated_at = max(updated_at + 1, ?1) WHERE ${condition}`).bind(now, state),
  ];
}

/** One cron run at `now` (the scheduled time): SLA states, quote expiry, purges, webhooks. */
export async function runScheduled(env: Env, now: number): Promise<void> {
  const d1 = env.DB;
  // Conditions use only ?1 (now), so every statement binds now first.
  const breached = "sla_state IN ('on-track', 'at-risk') AND next_due_at IS NOT NULL AND next_due_at <= ?1";
  const atRisk = "sla_state = 'on-track' AND at_risk_at IS NOT NULL AND at_risk_at <= ?1 AND next_due_at > ?1";
  const quoteExpired = "status = 'quoted' AND valid_until <= ?1";
  await d1.batch([
    ...flip(d1, now, "breached", breached),
    ...flip(d1, now, "at-risk", atRisk),
    d1
      .prepare(
        `INSERT INTO ticket_events (ticket_id, merchant_id, at, type, actor, public, data)
         SELECT ticket_id, merchant_id, ?1, 'quote-expired', 'system', 1, json_object('revision', revision)
         FROM quotes WHERE ${quoteExpired}`,
      )
      .bind(now),
    d1.prepare(`UPDATE quotes SET status = 'expired', updated_at = ?1 WHERE ${quoteExpired}`).bind(now),
    d1.prepare("DELETE FROM idempotency_keys WHERE created_at < ?1").bind(now - DAY),
    d1.prepare("DELETE FROM sessions WHERE expires_at < ?1").bind(now),
    d1.prepare("DELETE FROM rate_counters WHERE expires_at < ?1").bind(now),
  ]);
  await deliverWebhooks(env, now);
}

/**
 * Posts due notifications to merchant webhooks, signed `Replyby-Signature: t=<ms>,v1=<hex>`
 * (HMAC-SHA256 of `<t>.<body>` with the merchant's secret); failures retry with exponential
 * backoff up to MAX_ATTEMPTS.
 */
export async function deliverWebhooks(env: Env, now: number): Promise<number> {
  const db = database(env.DB);
  const due = await db
    .select({ row: outbox, url: merchants.webhookUrl, secret: merchants.webhookSecret })
    .from(outbox)
    .innerJoin(merchants, eq(merchants.id, outbox.merchantId))
    .where(and(isNull(outbox.deliveredAt), lte(outbox.nextAttemptAt, now)))
    .orderBy(asc(outbox.nextAttemptAt))
    .limit(50);
  let delivered = 0;
  for (const { row, url, secret } of due) {
    const body = JSON.stringify({ id: row.id, event: row.event, data: JSON.parse(row.payload) as unknown });
    let error: string | null = null;
    if (!url || !secret) error = "No webhook configured";
    else {
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json", "Replyby-Signature": `t=${now},v1=${await hmacHex(secret, `${now}.${body}`)}` },
          body,
          signal: AbortSignal.timeout(5000),
        });
        if (!res.ok) error = `HTTP ${res.status}`;
      } catch (e) {
        error = String((e as Error).message ?? e).slice(0, 200);
      }
    }
    const attempts = row.attempts + 1;
    if (error === null) delivered += 1;
    await db
      .update(outbox)
      .set(
        error === null
          ? { deliveredAt: now, attempts, lastError: null }
          : {
              attempts,
              lastError: error,
              nextAttemptAt: attempts >= MAX_ATTEMPTS ? NEVER : now + Math.min(2 ** attempts * 60_000, 6 * 3_600_000),
            },
      )
      .where(eq(outbox.id, row.id));
  }
  return delivered;
}
