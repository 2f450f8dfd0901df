import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type actorKinds, type eventTypes, ticketEvents, tickets } from "../../schema/db.ts";
import type { Policy } from "../../schema/policy.ts";
import { ApiError } from "../errors.ts";
import { database } from "../infra/db.ts";
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

/** The insert of one event. */
export function eventInsert(db: ReturnType<typeof database>, t: Pick<TicketRow, "id" | "merchantId">, e: NewEvent, at: number) {
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
 * Applies changes to a ticket, recomputes its schedule under its policy, and appends events —
 * in one atomic batch that only commits if nobody changed the ticket since it was read.
 * `extra` statements (quote updates, notifications) ride in the same batch.
 */
export async function saveTicket(
  env: Env,
  policy: Policy,
  old: TicketRow,
  changes: Partial<TicketRow>,
  events: readonly NewEvent[],
  now: number,
  extra: readonly BatchItem<"sqlite">[] = [],
): Promise<TicketRow> {
  const db = database(env.DB);
  const next = { ...old, ...changes };
  const schedule = scheduleOf(policy, next, now);
  const updatedAt = Math.max(now, old.updatedAt + 1);
  const update = db
    .update(tickets)
    .set({ ...changes, ...schedule, updatedAt })
    .where(and(eq(tickets.id, old.id), eq(tickets.updatedAt, old.updatedAt)));
  const guard = db.run(sql`INSERT OR REPLACE INTO write_guard (id, ok) VALUES (1, changes())`);
  try {
    await db.batch([update, guard, ...events.map((e) => eventInsert(db, old, e, now)), ...extra]);
  } catch (e) {
    if (String((e as Error).message).includes("write_guard")) {
      throw new ApiError("conflict", "This request changed meanwhile; reload it and try again");
    }
    throw e;
  }
  return { ...next, ...schedule, updatedAt };
}
