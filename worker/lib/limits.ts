import { inArray, sql } from "drizzle-orm";
import { rateCounters } from "../../schema/db.ts";
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

/** Refuses with 429 when any cap is used up this hour (one read for all caps). */
export async function checkCaps(db: Database, caps: readonly Cap[], now: number): Promise<void> {
  const keys = caps.map((cap) => windowKey(cap, now));
  const rows = await db.select().from(rateCounters).where(inArray(rateCounters.key, keys));
  for (const cap of caps) {
    const row = rows.find((r) => r.key === windowKey(cap, now));
    if (row && row.count >= cap.limit) {
      const retry = Math.ceil((HOUR - (now % HOUR)) / 1000);
      throw new ApiError("rate-limited", "Too many new requests this hour; please try again later", {
        headers: { "Retry-After": String(retry) },
      });
    }
  }
}

/** Statements counting one event against each cap, to run in the same batch as the write. */
export function countCaps(db: Database, caps: readonly Cap[], now: number) {
  return caps.map((cap) =>
    db
      .insert(rateCounters)
      .values({ key: windowKey(cap, now), count: 1, expiresAt: (Math.floor(now / HOUR) + 1) * HOUR })
      .onConflictDoUpdate({ target: rateCounters.key, set: { count: sql`${rateCounters.count} + 1` } }),
  );
}
