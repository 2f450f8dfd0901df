import { and, eq, inArray, lte } from "drizzle-orm";
import { quotes, tickets } from "../schema/db.ts";
import { ApiError } from "./errors.ts";
import { type Database, database } from "./infra/db.ts";
import { deliverDue } from "./outbox/delivery.ts";
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

/** One cron run at `now` (the scheduled time): SLA flips, quote expiry, auto-close, purges, deliveries. */
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
  await env.DB.batch([
    env.DB.prepare("DELETE FROM idempotency_keys WHERE created_at < ?1").bind(now - DAY),
    env.DB.prepare("DELETE FROM sessions WHERE expires_at < ?1").bind(now),
    env.DB.prepare("DELETE FROM staff_tokens WHERE expires_at < ?1").bind(now),
    env.DB.prepare("DELETE FROM rate_counters WHERE expires_at < ?1").bind(now),
  ]);
  await deliverDue(env, now);
}
