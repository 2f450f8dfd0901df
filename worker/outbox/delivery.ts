import { waitUntil } from "cloudflare:workers";
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
/** The longest one attempt may take: a webhook's 5 s timeout, rendering and marking the row. */
const ATTEMPT_MS = 10_000;
/** Rows one delivery run takes. */
export const PER_RUN = 50;
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
  return (await deliverRun(env, now, ids)).delivered;
}

/** One delivery run: how many rows it took, and how many of them were delivered. */
async function deliverRun(env: Env, now: number, ids?: readonly string[]): Promise<{ leased: number; delivered: number }> {
  const started = Date.now();
  const rows = await lease(env.DB, now, ids);
  // A row is attempted only while its lease has time left for a whole attempt: the rest wait for
  // their lease to end and a later run, so no other run can take a row this one is still sending.
  const leaseLeft = () => Date.now() - started < LEASE_MS - ATTEMPT_MS;
  // Per merchant, rows to one email address form one group, sent one after another: the
  // per-address caps (email.ts) then count every earlier send of the run.
  const byMerchant = new Map<string, Map<string, OutboxRow[]>>();
  for (const row of rows) {
    const groups = byMerchant.get(row.merchantId) ?? new Map<string, OutboxRow[]>();
    byMerchant.set(row.merchantId, groups);
    const key = row.channel === "email" && row.recipient ? row.recipient.toLowerCase() : row.id;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  let delivered = 0;
  await Promise.all(
    [...byMerchant.values()].map(async (groups) => {
      const queue = [...groups.values()];
      const lanes = Array.from({ length: Math.min(PER_MERCHANT, queue.length) }, async () => {
        for (let group = queue.shift(); group; group = queue.shift()) {
          for (const row of group) {
            if (!leaseLeft()) return;
            const result = await attempt(env, row, now).catch(
              (e: unknown): Attempt => ({ ok: false, error: String((e as Error).message ?? e) }),
            );
            if (result.ok) delivered += 1;
            await settle(env, row, result, now);
          }
        }
      });
      await Promise.all(lanes);
    }),
  );
  return { leased: rows.length, delivered };
}

/** Runs one cron tick may make: a backlog drains at up to this many times PER_RUN rows a minute. */
const RUNS_PER_TICK = 10;

/**
 * The cron's delivery: everything due, run after run while runs come back full (at most
 * RUNS_PER_TICK), each run leasing its own rows. This is the retry path; new emails are sent at
 * once by `deliverSoon`.
 */
export async function deliverBacklog(env: Env, now: number): Promise<number> {
  let delivered = 0;
  for (let run = 0; run < RUNS_PER_TICK; run++) {
    // Each run leases from the real clock (a tick's runs may outlast its scheduled minute).
    const r = await deliverRun(env, Math.max(now, Date.now()), undefined);
    delivered += r.delivered;
    if (r.leased < PER_RUN) break;
  }
  return delivered;
}

/**
 * Delivers rows a batch has just committed, at once, after the response (the request, email or
 * cron run's own `waitUntil`): through the same lease, so a cron run at the same moment never sends
 * them too; whatever fails or is cut short is retried by the cron with backoff.
 */
export function deliverSoon(env: Env, ids: readonly string[]): void {
  if (!ids.length) return;
  waitUntil(
    deliverDue(env, Date.now(), ids).catch((e: unknown) => {
      // The rows stay queued (or leased until the lease ends): the cron sends them.
      console.error(JSON.stringify({ outbox: "prompt delivery failed", error: String(e).slice(0, 300) }));
    }),
  );
}
