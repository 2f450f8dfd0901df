import { sql } from "drizzle-orm";
import { rateCounters, writeGuard } from "../../schema/db.ts";
import { ApiError } from "../errors.ts";
import { boundStatement } from "./statements.ts";

const HOUR = 3_600_000;

/** A fixed-window cap: at most `limit` events per hour for `key`. */
export interface Cap {
  readonly key: string;
  readonly limit: number;
}

/** The counter row of a cap in the hour of `now`. */
export function capWindowKey(cap: Cap, now: number): string {
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
export function countCaps(d1: D1Database, caps: readonly Cap[], now: number): D1PreparedStatement {
  const values = Object.fromEntries([
    ["expiresAt", (Math.floor(now / HOUR) + 1) * HOUR],
    ...caps.map((cap, i) => [`key${i}`, capWindowKey(cap, now)]),
  ]);
  return boundStatement(
    d1,
    `countCaps:${caps.length}`,
    (db) =>
      db
        .insert(rateCounters)
        .values(caps.map((_, i) => ({ key: sql.placeholder(`key${i}`), count: 1, expiresAt: sql.placeholder("expiresAt") })))
        .onConflictDoUpdate({ target: rateCounters.key, set: { count: sql`${rateCounters.count} + 1` } }),
    values,
  );
}

/**
 * A statement for the end of a batch that has just counted an event against `caps`: it fails
 * the write guard's CHECK — aborting the whole batch — when any counter went past its limit.
 */
export function capGuard(d1: D1Database, caps: readonly Cap[], now: number): D1PreparedStatement {
  const values = Object.fromEntries(
    caps.flatMap((cap, i) => [
      [`key${i}`, capWindowKey(cap, now)],
      [`limit${i}`, cap.limit],
    ]),
  );
  return boundStatement(
    d1,
    `capGuard:${caps.length}`,
    (db) => {
      const within = sql.join(
        caps.map(
          (_, i) =>
            sql`coalesce((SELECT ${rateCounters.count} FROM ${rateCounters} WHERE ${rateCounters.key} = ${sql.placeholder(`key${i}`)}), 0) <= ${sql.placeholder(`limit${i}`)}`,
        ),
        sql` AND `,
      );
      return db
        .insert(writeGuard)
        .values({ id: 1, ok: sql`(${within})` })
        .onConflictDoUpdate({ target: writeGuard.id, set: { ok: sql`excluded.ok` } });
    },
    values,
  );
}
