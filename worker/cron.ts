import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { customerSessions, idempotencyKeys, quotes, rateCounters, sessions, staffTokens, ticketLinks, tickets } from "../schema/db.ts";
import { ApiError } from "./errors.ts";
import { type Database, database } from "./infra/db.ts";
import { deliverBacklog } from "./outbox/delivery.ts";
import { contextOf } from "./tickets/commit.ts";
import { autoClose, expireQuote, markSla } from "./tickets/lifecycle.ts";
import type { TicketRow } from "./tickets/rows.ts";
import { slaWhere } from "./tickets/sla-sql.ts";

const DAY = 86_400_000;
/** Tickets one run moves per kind of change; the next minute's run takes the rest. */
const PER_RUN = 200;

/**
 * Runs one system transition on each ticket. A ticket someone changed meanwhile (409) is left for
 * the next run, which selects it again only if the change is still due: so running twice for the
 * same time writes nothing more.
 */
async function each(db: Database, rows: readonly TicketRow[], run: (ctx: Awaited<ReturnType<typeof contextOf>>) => Promise<unknown>) {
  for (const row of rows) {
    try {
      await run(await contextOf(db, row));
    } catch (e) {
      if (!(e instanceof ApiError && e.code === "conflict")) throw e;
    }
  }
}

/** One cron run at `now` (the scheduled time): SLA flips, quote expiry, auto-close, purges (staff tokens too), deliveries. */
export async function runScheduled(env: Env, now: number): Promise<void> {
  const db = database(env.DB);
  // Candidates are selected by the SLA rule itself (tickets/sla-sql.ts) on the scan indexes.
  const [breached, atRisk, quoted, expired] = await Promise.all([
    db
      .select()
      .from(tickets)
      .where(and(inArray(tickets.slaState, ["on-track", "at-risk"]), slaWhere("breached", now)))
      .limit(PER_RUN),
    db
      .select()
      .from(tickets)
      .where(and(eq(tickets.slaState, "on-track"), slaWhere("at-risk", now)))
      .limit(PER_RUN),
    db
      .select({ ticket: tickets })
      .from(quotes)
      .innerJoin(tickets, eq(tickets.id, quotes.ticketId))
      .where(and(eq(quotes.status, "quoted"), lte(quotes.validUntil, now)))
      .limit(PER_RUN),
    db
      .select()
      .from(tickets)
      .where(and(eq(tickets.status, "resolved"), lte(tickets.reopenUntil, now)))
      .limit(PER_RUN),
  ]);
  await each(db, breached, (ctx) => markSla(env, ctx, "breached", now));
  await each(db, atRisk, (ctx) => markSla(env, ctx, "at-risk", now));
  await each(
    db,
    quoted.map((q) => q.ticket),
    (ctx) => expireQuote(env, ctx, now),
  );
  await each(db, expired, (ctx) => autoClose(env, ctx, now));
  await purgeExpired(env, now);
  await deliverBacklog(env, now);
}

/** Rows one purge statement deletes: each is a short write, so requests never wait long behind it. */
export const PURGE_BATCH = 500;
/** Purge statements per table and run: a larger backlog is left to the next minute's run. */
export const PURGE_ROUNDS = 10;

/**
 * Deletes what has expired — Idempotency-Key records after 24 h, staff sessions and one-time staff tokens, status-page link
 * tokens and customer sessions past their expiry, rate counters past their window — PURGE_BATCH
 * rows per statement (on each table's expiry index), at most PURGE_ROUNDS statements per table.
 * Returns the rows deleted per table.
 */
export async function purgeExpired(env: Env, now: number): Promise<Record<string, number>> {
  const db = database(env.DB);
  const expired: [string, SQLiteTable, SQLiteColumn, number][] = [
    ["idempotency_keys", idempotencyKeys, idempotencyKeys.createdAt, now - DAY],
    ["sessions", sessions, sessions.expiresAt, now],
    // Invitation, reset and sign-in choice tokens no longer work once expired.
    ["staff_tokens", staffTokens, staffTokens.expiresAt, now],
    ["ticket_links", ticketLinks, ticketLinks.expiresAt, now],
    ["customer_sessions", customerSessions, customerSessions.expiresAt, now],
    ["rate_counters", rateCounters, rateCounters.expiresAt, now],
  ];
  const deleted: Record<string, number> = {};
  for (const [name, table, column, before] of expired) {
    deleted[name] = 0;
    for (let round = 0; round < PURGE_ROUNDS; round++) {
      const r = await db.run(
        sql`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} < ${before} LIMIT ${PURGE_BATCH})`,
      );
      deleted[name] += r.meta.changes;
      if (r.meta.changes < PURGE_BATCH) break;
    }
  }
  return deleted;
}
