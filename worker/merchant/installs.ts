import { eq, sql } from "drizzle-orm";
import { siteInstalls } from "../../schema/db.ts";
import type { Database } from "../infra/db.ts";

/** A site's install check: the first config request from an allowed origin, and the last refused origin. */
export type SiteInstall = typeof siteInstalls.$inferSelect;

// Sites this isolate has already recorded as seen, and refusals recorded in the last minute
// (site|origin → when): the config path writes at most once per site for "seen", and a page on
// a refused origin that keeps retrying costs one small write a minute, not one per request.
const seen = new Set<string>();
const refused = new Map<string, number>();
const REFUSAL_EVERY_MS = 60_000;
const MAX_REMEMBERED = 10_000;

/** Makes room in a bounded memo by dropping its oldest entry (never the whole memo: made-up origins must not flush it). */
function makeRoom(memo: Set<string> | Map<string, number>): void {
  if (memo.size < MAX_REMEMBERED) return;
  const oldest = memo.keys().next().value;
  if (oldest !== undefined) memo.delete(oldest);
}

/** Records the widget's first config request from an allowed origin (later ones change nothing). */
export async function recordSeen(db: Database, site: { id: string; merchantId: string }, origin: string, now: number): Promise<void> {
  if (seen.has(site.id)) return;
  await db
    .insert(siteInstalls)
    .values({ siteId: site.id, merchantId: site.merchantId, firstSeenAt: now, firstSeenOrigin: origin })
    .onConflictDoUpdate({
      target: siteInstalls.siteId,
      set: {
        firstSeenAt: sql`coalesce(${siteInstalls.firstSeenAt}, excluded.first_seen_at)`,
        firstSeenOrigin: sql`coalesce(${siteInstalls.firstSeenOrigin}, excluded.first_seen_origin)`,
      },
    });
  makeRoom(seen);
  seen.add(site.id);
}

/** Records an origin the site refused (the latest one wins), at most once a minute per site and origin. */
export async function recordRefused(db: Database, site: { id: string; merchantId: string }, origin: string, now: number): Promise<void> {
  const key = `${site.id}|${origin.slice(0, 200)}`;
  const last = refused.get(key);
  if (last !== undefined && now - last < REFUSAL_EVERY_MS) return;
  makeRoom(refused);
  refused.set(key, now);
  await db
    .insert(siteInstalls)
    .values({ siteId: site.id, merchantId: site.merchantId, refusedOrigin: origin.slice(0, 200), refusedAt: now })
    .onConflictDoUpdate({ target: siteInstalls.siteId, set: { refusedOrigin: origin.slice(0, 200), refusedAt: now } });
}

/** The install check of a site (undefined before any config request). */
export function installOf(db: Database, siteId: string): Promise<SiteInstall | undefined> {
  return db.select().from(siteInstalls).where(eq(siteInstalls.siteId, siteId)).get();
}

/** Forgets what this isolate recorded (tests that reset the database). */
export function forgetInstalls(): void {
  seen.clear();
  refused.clear();
}
