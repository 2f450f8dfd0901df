import { and, asc, eq, inArray, isNull, lte, or } from "drizzle-orm";
import { merchants, outbox } from "../../schema/db.ts";
import { database } from "../infra/db.ts";
import { deliverEmail } from "./email.ts";
import { postWebhook } from "./webhooks.ts";

/** An outbox row. */
export type OutboxRow = typeof outbox.$inferSelect;

/** Attempts before a message is given up as failed. */
export const MAX_ATTEMPTS = 10;
/** How long a delivery holds the rows it took: longer than any one attempt may take. */
const LEASE_MS = 60_000;
/** Rows one delivery run takes. */
const PER_RUN = 50;
/** Deliveries in flight per merchant: one slow endpoint delays only its own merchant. */
const PER_MERCHANT = 2;

/**
 * The outcome of one attempt: delivered (an email with the service's Message-ID), or an error to
 * retry — or to stop on, when `final`; `suppressed` when we chose not to send (bounced address, caps).
 */
export type Attempt = { ok: true; messageId?: string } | { ok: false; error: string; final?: boolean; suppressed?: boolean };

/** When the next attempt after `attempts` failures is due: exponential backoff, 2 minutes to 6 hours. */
export function retryAt(attempts: number, now: number): number {
  return now + Math.min(2 ** attempts * 60_000, 6 * 3_600_000);
}

/**
 * Takes up to PER_RUN due rows (or the given ones, if due) for this run alone, in one statement: two
 * overlapping runs — a cron tick and a queue message, or two cron ticks — never hold the same row, so
 * nothing is delivered twice by them. A run that dies leaves its rows to be taken again when the lease
 * ends, so nothing is lost.
 */
async function lease(d1: D1Database, now: number, ids?: readonly string[]): Promise<OutboxRow[]> {
  const db = database(d1);
  const due = and(eq(outbox.status, "queued"), lte(outbox.nextAttemptAt, now));
  const pick = ids
    ? inArray(outbox.id, ids.slice(0, PER_RUN))
    : inArray(outbox.id, db.select({ id: outbox.id }).from(outbox).where(due).orderBy(asc(outbox.nextAttemptAt)).limit(PER_RUN));
  return db
    .update(outbox)
    .set({ leasedUntil: now + LEASE_MS })
    .where(and(pick, due, or(isNull(outbox.leasedUntil), lte(outbox.leasedUntil, now))))
    .returning();
}

async function attempt(env: Env, row: OutboxRow, now: number): Promise<Attempt> {
  if (row.channel === "webhook") {
    const merchant = await database(env.DB)
      .select({ url: merchants.webhookUrl, secret: merchants.webhookSecret })
      .from(merchants)
      .where(eq(merchants.id, row.merchantId))
      .get();
    return postWebhook(merchant?.url ?? null, merchant?.secret ?? null, row, now);
  }
  return deliverEmail(env, row, now);
}

async function settle(env: Env, row: OutboxRow, result: Attempt, now: number): Promise<void> {
  const attempts = row.attempts + 1;
  const db = database(env.DB);
  const done = result.ok
    ? { status: "sent" as const, deliveredAt: now, attempts, lastError: null, leasedUntil: null, messageId: result.messageId ?? null }
    : result.final || attempts >= MAX_ATTEMPTS
      ? { status: result.suppressed ? ("suppressed" as const) : ("failed" as const), attempts, lastError: result.error, leasedUntil: null }
      : { attempts, lastError: result.error, nextAttemptAt: retryAt(attempts, now), leasedUntil: null };
  await db.update(outbox).set(done).where(eq(outbox.id, row.id));
}

/**
 * Delivers due outbox rows: leased first, then sent in parallel with at most PER_MERCHANT in flight
 * per merchant, each marked sent, retried with backoff, or failed after MAX_ATTEMPTS. Receivers
 * de-duplicate by the message id (a webhook's `id`), which stays the same across retries.
 */
export async function deliverDue(env: Env, now: number, ids?: readonly string[]): Promise<number> {
  const rows = await lease(env.DB, now, ids);
  const byMerchant = new Map<string, OutboxRow[]>();
  for (const row of rows) byMerchant.set(row.merchantId, [...(byMerchant.get(row.merchantId) ?? []), row]);
  let delivered = 0;
  await Promise.all(
    [...byMerchant.values()].map(async (queue) => {
      const lanes = Array.from({ length: Math.min(PER_MERCHANT, queue.length) }, async () => {
        for (let row = queue.shift(); row; row = queue.shift()) {
          const result = await attempt(env, row, now).catch(
            (e: unknown): Attempt => ({ ok: false, error: String((e as Error).message ?? e) }),
          );
          if (result.ok) delivered += 1;
          await settle(env, row, result, now);
        }
      });
      await Promise.all(lanes);
    }),
  );
  return delivered;
}
