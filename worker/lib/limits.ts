import { sql } from "drizzle-orm";
import { rateCounters, writeGuard } from "../../schema/db.ts";
import { ApiError } from "../errors.ts";
import type { Database } from "./db.ts";

const HOUR = 3_600_000;

/** A fixed-window cap: at most `limit` events per hour for `key`. */
export interface Cap {
  readonly key: string;
  readonly limit: number;
}

function windowKey(cap: Cap, now: number): string {
  return `${cap.key}:${Math.floor(now / HOUR)}`;
}

/** The 429 for a cap used up this hour, with the seconds until the window turns. */
export function capExceeded(now: number): ApiError {
  const retry = Math.ceil((HOUR - (now % HOUR)) / 1000);
  return new ApiError("rate-limited", "Too many new requests this hour; please try again later", {
    headers: { "Retry-After": String(retry) },
  });
}

/** One statement counting an event against every cap, to run in the same batch as the write. */
export function countCaps(db: Database, caps: readonly Cap[], now: number) {
  const expiresAt = (Math.floor(now / HOUR) + 1) * HOUR;
  return db
    .insert(rateCounters)
    .values(caps.map((cap) => ({ key: windowKey(cap, now), count: 1, expiresAt })))
    .onConflictDoUpdate({ target: rateCounters.key, set: { count: sql`${rateCounters.count} + 1` } });
}

/**
 * A statement for the end of a batch that has just counted an event against `caps`: it fails
 * the write guard's CHECK — aborting the whole batch — when any counter went past its limit.
 */
export function capGuard(db: Database, caps: readonly Cap[], now: number) {
  const within = sql.join(
    caps.map(
      (cap) =>
        sql`coalesce((SELECT ${rateCounters.count} FROM ${rateCounters} WHERE ${rateCounters.key} = ${windowKey(cap, now)}), 0) <= ${cap.limit}`,
    ),
    sql` AND `,
  );
  return db
    .insert(writeGuard)
    .values({ id: 1, ok: sql`(${within})` })
    .onConflictDoUpdate({ target: writeGuard.id, set: { ok: sql`excluded.ok` } });
}
