import { and, eq } from "drizzle-orm";
import { type actorKinds, type eventTypes, merchants, ticketEvents, tickets } from "../../schema/db.ts";
import type { Policy } from "../../schema/policy.ts";
import { ApiError } from "../errors.ts";
import { constraintFailed, type Database, database, GUARD_SQL } from "../infra/db.ts";
import { statementOf } from "../infra/statements.ts";
import { policyAt } from "../merchant/policy-versions.ts";
import { outboxInserts } from "../outbox/outbox.ts";
import { type WebhookSubscription, webhookSubscription } from "../outbox/webhook-subscription.ts";
import { notificationsFor } from "./notifications.ts";
import { scheduleOf, type TicketRow } from "./rows.ts";

/** An event to append to a ticket's log. */
export interface NewEvent {
  readonly type: (typeof eventTypes)[number];
  readonly actor: (typeof actorKinds)[number];
  readonly public: boolean;
  readonly staffId?: string;
  readonly body?: string;
  readonly data?: Record<string, unknown>;
}

/** A ticket with what every transition needs: the policy it was created under, and its site's facts. */
export interface TicketContext {
  readonly ticket: TicketRow;
  readonly policy: Policy;
  /** The webhook events the merchant receives (false: no webhook; true: every event). */
  readonly webhook: WebhookSubscription;
}

/** What one transition changes: the ticket's columns, the events it appends, and rows that ride along. */
export interface Change {
  readonly changes: Partial<TicketRow>;
  readonly events: readonly NewEvent[];
  /** Statements of the same batch (a quote's write, a time entry). */
  readonly extra?: (db: Database) => readonly { toSQL(): { sql: string; params: unknown[] } }[];
}

/** The insert of one event. */
export function eventInsert(db: Database, t: Pick<TicketRow, "id" | "merchantId">, e: NewEvent, at: number) {
  return db.insert(ticketEvents).values({
    ticketId: t.id,
    merchantId: t.merchantId,
    at,
    type: e.type,
    actor: e.actor,
    staffId: e.staffId ?? null,
    public: e.public,
    body: e.body ?? null,
    data: e.data ?? null,
  });
}

/**
 * Commits one transition: the ticket's new columns with its schedule recomputed under its policy,
 * its events, the notifications those events cause and any extra rows — one atomic D1 batch that
 * commits only if nobody changed the ticket since it was read (else 409, and nothing is written).
 */
export async function commit(env: Env, ctx: TicketContext, change: Change, now: number): Promise<TicketRow> {
  const db = database(env.DB);
  const old = ctx.ticket;
  const next = { ...old, ...change.changes };
  const schedule = scheduleOf(ctx.policy, next, now);
  const updatedAt = Math.max(now, old.updatedAt + 1);
  const after: TicketRow = { ...next, ...schedule, updatedAt };
  const update = db
    .update(tickets)
    .set({ ...change.changes, ...schedule, updatedAt })
    .where(and(eq(tickets.id, old.id), eq(tickets.updatedAt, old.updatedAt)));
  const d1 = env.DB;
  const queued = outboxInserts(
    d1,
    change.events.flatMap((e) => notificationsFor(e, after, { webhook: ctx.webhook, now, policy: ctx.policy })),
    now,
  );
  try {
    await d1.batch([
      statementOf(d1, update),
      d1.prepare(GUARD_SQL),
      ...change.events.map((e) => statementOf(d1, eventInsert(db, old, e, now))),
      ...queued.statements,
      ...(change.extra?.(db) ?? []).map((q) => statementOf(d1, q)),
    ]);
  } catch (e) {
    if (constraintFailed(e, "write_guard")) throw new ApiError("conflict", "This request changed meanwhile; reload it and try again");
    throw e;
  }
  queued.committed(env);
  return after;
}

/** The context of a ticket read from D1: its policy version and whether its merchant has a webhook. */
export async function contextOf(db: Database, ticket: TicketRow): Promise<TicketContext> {
  const [policy, merchant] = await Promise.all([
    policyAt(db, ticket.merchantId, ticket.policyVersion),
    db
      .select({ webhookUrl: merchants.webhookUrl, webhookEvents: merchants.webhookEvents })
      .from(merchants)
      .where(eq(merchants.id, ticket.merchantId))
      .get(),
  ]);
  return { ticket, policy, webhook: merchant ? webhookSubscription(merchant) : false };
}
