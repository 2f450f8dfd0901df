import { sql } from "drizzle-orm";
import { rateCounters, writeGuard } from "../../schema/db.ts";
import { ApiError } from "../errors.ts";
import { boundStatement } from "./statements.ts";

const HOUR = 3_600_000;

/**
 * A fixed-window hourly counter for `key`: at most `limit` events per hour (none: counted only),
 * and a stricter `tighter.limit` while the counter `tighter.when` is past `tighter.above` this hour.
 * `alarmAbove` logs a warning when the count goes past it (once per hour and key).
 */
export interface Cap {
  readonly key: string;
  readonly limit?: number | undefined;
  readonly tighter?: { readonly when: string; readonly above: number; readonly limit: number } | undefined;
  readonly alarmAbove?: number | undefined;
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
        .onConflictDoUpdate({ target: rateCounters.key, set: { count: sql`${rateCounters.count} + 1` } })
        .returning({ key: rateCounters.key, count: rateCounters.count }),
    values,
  );
}

/**
 * A statement for the end of a batch that has just counted an event against `caps`: it fails
 * the write guard's CHECK — aborting the whole batch — when any counter went past its limit.
 */
export function capGuard(d1: D1Database, caps: readonly Cap[], now: number): D1PreparedStatement {
  const limited = caps.filter((cap) => cap.limit !== undefined);
  const values = Object.fromEntries(
    limited.flatMap((cap, i) => [
      [`key${i}`, capWindowKey(cap, now)],
      [`limit${i}`, cap.limit],
      ...(cap.tighter
        ? [
            [`when${i}`, capWindowKey({ key: cap.tighter.when }, now)],
            [`above${i}`, cap.tighter.above],
            [`tight${i}`, cap.tighter.limit],
          ]
        : []),
    ]),
  );
  const shape = limited.map((cap) => (cap.tighter ? "t" : "l")).join("");
  return boundStatement(
    d1,
    `capGuard:${shape}`,
    (db) => {
      const countOf = (name: string) =>
        sql`coalesce((SELECT ${rateCounters.count} FROM ${rateCounters} WHERE ${rateCounters.key} = ${sql.placeholder(name)}), 0)`;
      const within = sql.join(
        limited.map((cap, i) =>
          cap.tighter
            ? sql`${countOf(`key${i}`)} <= CASE WHEN ${countOf(`when${i}`)} > ${sql.placeholder(`above${i}`)} THEN ${sql.placeholder(`tight${i}`)} ELSE ${sql.placeholder(`limit${i}`)} END`
            : sql`${countOf(`key${i}`)} <= ${sql.placeholder(`limit${i}`)}`,
        ),
        sql` AND `,
      );
      return db
        .insert(writeGuard)
        .values({ id: 1, ok: limited.length ? sql`(${within})` : sql`1` })
        .onConflictDoUpdate({ target: writeGuard.id, set: { ok: sql`excluded.ok` } });
    },
    values,
  );
}

/**
 * The soft alarms of a landed batch: a warning in the worker's log (Workers Logs, tail, Logpush)
 * for each cap whose count has just gone past its `alarmAbove` — once per hour, at the crossing.
 * `counted` is the result of that batch's countCaps statement.
 */
export function reportAlarms(counted: D1Result | undefined, caps: readonly Cap[], now: number): void {
  const rows = (counted?.results ?? []) as { key: string; count: number }[];
  for (const cap of caps) {
    if (cap.alarmAbove === undefined) continue;
    const row = rows.find((r) => r.key === capWindowKey(cap, now));
    if (row && row.count === cap.alarmAbove + 1) {
      console.warn(JSON.stringify({ alarm: "cap-crossed", key: cap.key, above: cap.alarmAbove, at: new Date(now).toISOString() }));
    }
  }
}
