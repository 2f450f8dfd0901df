import { waitUntil } from "cloudflare:workers";
import { and, asc, eq, inArray, isNull, lte, or } from "drizzle-orm";
import { merchants, outbox } from "../../schema/db.ts";
import { database } from "../infra/db.ts";
import { statementOf } from "../infra/statements.ts";
import { emailLookups, type PreparedEmail, prepareEmail } from "./email.ts";
import { postWebhook } from "./webhooks.ts";

/** An outbox row. */
export type OutboxRow = typeof outbox.$inferSelect;

/** Attempts before a message is given up as failed. */
export const MAX_ATTEMPTS = 10;
/** How long a delivery holds the rows it took (a new email row is written leased to its prompt delivery): longer than any one attempt may take. */
export const LEASE_MS = 60_000;
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

async function postWebhookOf(env: Env, row: OutboxRow, now: number): Promise<Attempt> {
  const merchant = await database(env.DB)
    .select({ url: merchants.webhookUrl, secret: merchants.webhookSecret })
    .from(merchants)
    .where(eq(merchants.id, row.merchantId))
    .get();
  return postWebhook(merchant?.url ?? null, merchant?.secret ?? null, row, now);
}

/** The statement recording one attempt's outcome, which also ends the row's lease. */
function settlement(env: Env, row: OutboxRow, result: Attempt, now: number): D1PreparedStatement {
  const attempts = row.attempts + 1;
  const done = result.ok
    ? { status: "sent" as const, deliveredAt: now, attempts, lastError: null, leasedUntil: null, messageId: result.messageId ?? null }
    : result.final || attempts >= MAX_ATTEMPTS
      ? { status: result.suppressed ? ("suppressed" as const) : ("failed" as const), attempts, lastError: result.error, leasedUntil: null }
      : { attempts, lastError: result.error, nextAttemptAt: retryAt(attempts, now), leasedUntil: null };
  return statementOf(env.DB, database(env.DB).update(outbox).set(done).where(eq(outbox.id, row.id)));
}

/** Outcomes recorded per D1 batch: few writes per run, and a run that dies re-sends only the sends not yet recorded. */
const SETTLE_EVERY = 10;

const failure = (e: unknown): Attempt => ({ ok: false, error: String((e as Error).message ?? e) });

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
  const delivered = await deliverLeased(env, rows, now, () => started + LEASE_MS - ATTEMPT_MS);
  return { leased: rows.length, delivered };
}

/**
 * Delivers rows this run holds the lease of, until `lastStart(row)` (real clock) for each: the
 * emails' lookups in one batch, their status-page links in one batch before any is sent, then the
 * sends — per merchant at most PER_MERCHANT in flight — with outcomes recorded SETTLE_EVERY at a time.
 */
async function deliverLeased(env: Env, rows: readonly OutboxRow[], now: number, lastStart: (row: OutboxRow) => number): Promise<number> {
  const results = new Map<string, Attempt>();
  const prepared = new Map<string, PreparedEmail>();
  const emails = rows.filter((r) => r.channel === "email");
  if (emails.length) {
    try {
      const lookups = await emailLookups(env, emails, now);
      for (const row of emails) {
        const p = await prepareEmail(env, lookups, row, now).catch(failure);
        if ("send" in p) prepared.set(row.id, p);
        else results.set(row.id, p);
      }
      const links = [...prepared.values()].flatMap((p) => p.statements);
      if (links.length) await env.DB.batch(links);
    } catch (e) {
      // Nothing was sent: every email of the run is retried.
      for (const row of emails) results.set(row.id, failure(e));
      prepared.clear();
    }
  }
  const byMerchant = new Map<string, OutboxRow[]>();
  for (const row of rows) byMerchant.set(row.merchantId, [...(byMerchant.get(row.merchantId) ?? []), row]);
  const settled: D1PreparedStatement[] = [];
  const record = async (flushAll: boolean) => {
    if (settled.length && (flushAll || settled.length >= SETTLE_EVERY)) await env.DB.batch(settled.splice(0));
  };
  let delivered = 0;
  await Promise.all(
    [...byMerchant.values()].map(async (queue) => {
      const lanes = Array.from({ length: Math.min(PER_MERCHANT, queue.length) }, async () => {
        for (let row = queue.shift(); row; row = queue.shift()) {
          if (Date.now() > lastStart(row)) continue;
          const email = prepared.get(row.id);
          const result = results.get(row.id) ?? (await (email ? email.send() : postWebhookOf(env, row, now)).catch(failure));
          if (result.ok) delivered += 1;
          settled.push(settlement(env, row, result, now));
          await record(false);
        }
      });
      await Promise.all(lanes);
    }),
  );
  await record(true);
  return delivered;
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

/** How long one prompt delivery loop keeps taking new rows before it leaves them to the next one. */
const DRAIN_MS = 10_000;

/**
 * Per environment (one in production; tests make others with other bindings): rows committed in
 * this isolate and not yet taken by a prompt delivery run, and the loop now running, with when it
 * last started a run.
 */
const prompt = new WeakMap<Env, { pending: OutboxRow[]; drainer?: { beat: number } }>();

/**
 * Delivers rows a batch has just committed, at once, after the response (in the `waitUntil` of
 * the request, email or cron run that wrote them). The rows were written leased to this delivery
 * (`LEASE_MS`), so no cron run takes them meanwhile; if this isolate dies first, the lease
 * ends and the cron sends them. Rows committed while a run is in flight wait for it and go
 * together in the next: under load one run (one lookup batch, one link batch, a few settle batches)
 * serves many tickets, instead of a lease and a dozen statements each.
 */
export function deliverSoon(env: Env, rows: readonly OutboxRow[]): void {
  if (!rows.length) return;
  const state = prompt.get(env) ?? { pending: [] };
  prompt.set(env, state);
  state.pending.push(...rows);
  // A loop is running (and alive: it started a run within the lease): it takes these rows too.
  if (state.drainer && Date.now() - state.drainer.beat < LEASE_MS) return;
  const me = { beat: Date.now() };
  state.drainer = me;
  waitUntil(drain(env, state, me));
}

async function drain(env: Env, state: { pending: OutboxRow[]; drainer?: { beat: number } }, me: { beat: number }): Promise<void> {
  const started = Date.now();
  for (;;) {
    // Checked and let go in one step: a row pushed after this finds no loop and starts one.
    if (!state.pending.length || state.drainer !== me || Date.now() - started >= DRAIN_MS) {
      if (state.drainer === me) state.drainer = undefined;
      return;
    }
    me.beat = Date.now();
    const rows = state.pending.splice(0, PER_RUN);
    await deliverLeased(env, rows, me.beat, (row) => (row.leasedUntil ?? 0) - ATTEMPT_MS).catch((e: unknown) => {
      // The rows stay queued and leased until the lease ends: the cron sends them.
      console.error(JSON.stringify({ outbox: "prompt delivery failed", error: String(e).slice(0, 300) }));
    });
  }
}
