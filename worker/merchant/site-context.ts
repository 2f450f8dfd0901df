import { eq, type SQL, sql } from "drizzle-orm";
import { merchants, type SiteBranding, sites } from "../../schema/db.ts";
import type { Policy } from "../../schema/policy.ts";
import type { Database } from "../infra/db.ts";
import { type WebhookSubscription, webhookSubscription } from "../outbox/webhook-subscription.ts";
import { policyAt } from "./policy-versions.ts";

/** A site with its merchant's current policy: what every public request needs. */
export interface SiteContext {
  readonly id: string;
  readonly siteKey: string;
  readonly name: string;
  readonly merchantId: string;
  readonly merchantName: string;
  readonly allowedOrigins: readonly string[];
  readonly branding: SiteBranding;
  readonly defaultLocale: string;
  readonly identitySecret: string;
  /** The identity secret before the last rotation, still accepted until `until`. */
  readonly previousIdentity?: { readonly secret: string; readonly until: number } | undefined;
  readonly policyVersion: number;
  readonly policy: Policy;
  /** The webhook events the merchant receives: false without a webhook, true for every event. */
  readonly webhook: WebhookSubscription;
}

/** The one site matching `where`, with its merchant. */
function siteRow(db: Database, where: SQL) {
  return db
    .select({ site: sites, merchant: merchants })
    .from(sites)
    .innerJoin(merchants, eq(sites.merchantId, merchants.id))
    .where(where)
    .get();
}

// Public requests arrive per keystroke; a short-lived cache keeps D1 off the preview path.
// Writes in this isolate invalidate at once; other isolates see changes within TTL_MS.
const TTL_MS = 10_000;
/** Sites kept in one isolate's cache; past it the least recently used one is dropped. */
export const SITE_CACHE_ENTRIES = 10_000;
/** Unknown keys remembered as unknown, apart: random keys can never push real sites out. */
export const MISS_CACHE_ENTRIES = 1_000;

/** A Map kept in use order (a hit moves to the end), dropping the least recently used entry when full. */
class Lru<V> {
  private readonly entries = new Map<string, V>();
  private readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

const found = new Lru<{ at: number; site: SiteContext }>(SITE_CACHE_ENTRIES);
const missing = new Lru<number>(MISS_CACHE_ENTRIES);

/** The site for a public key (null when unknown), cached briefly. */
export async function siteByKey(db: Database, siteKey: string, now: number): Promise<SiteContext | null> {
  const hit = found.get(siteKey);
  if (hit && now - hit.at < TTL_MS) return hit.site;
  const missAt = missing.get(siteKey);
  if (missAt !== undefined && now - missAt < TTL_MS) return null;
  const site = await siteWhere(db, eq(sites.siteKey, siteKey));
  if (site) {
    found.set(siteKey, { at: now, site });
    missing.delete(siteKey);
  } else {
    missing.set(siteKey, now);
    found.delete(siteKey);
  }
  return site;
}

const origins = new Lru<{ at: number; served: boolean }>(MISS_CACHE_ENTRIES);

/**
 * Whether any site allows this origin, cached briefly. Ticket preflights are answered from this
 * alone — never from the ticket — so they say nothing about which references exist.
 */
export async function originServed(db: Database, origin: string, now: number): Promise<boolean> {
  if (origin.length > 200) return false;
  const hit = origins.get(origin);
  if (hit && now - hit.at < TTL_MS) return hit.served;
  const row = await db
    .select({ id: sites.id })
    .from(sites)
    .where(sql`EXISTS (SELECT 1 FROM json_each(${sites.allowedOrigins}) WHERE json_each.value = ${origin})`)
    .limit(1)
    .get();
  origins.set(origin, { at: now, served: row !== undefined });
  return row !== undefined;
}

/** The site with this id, uncached (tickets carry site ids). */
export function siteById(db: Database, id: string): Promise<SiteContext | null> {
  return siteWhere(db, eq(sites.id, id));
}

/** The one site that `where` picks, with its merchant (null when none). */
async function siteWhere(db: Database, where: SQL): Promise<SiteContext | null> {
  const row = await siteRow(db, where);
  return row ? contextOf(db, row.site, row.merchant) : null;
}

/** The site whose support address (lower case, no plus part) this is, with its merchant's reply secret; uncached. */
export async function siteByInboundAddress(
  db: Database,
  address: string,
): Promise<{ site: SiteContext; replySecret: string | null } | null> {
  const row = await siteRow(db, eq(sites.inboundAddress, address));
  return row ? { site: await contextOf(db, row.site, row.merchant), replySecret: row.merchant.replySecret } : null;
}

async function contextOf(db: Database, site: typeof sites.$inferSelect, merchant: typeof merchants.$inferSelect): Promise<SiteContext> {
  return {
    id: site.id,
    siteKey: site.siteKey,
    name: site.name,
    merchantId: merchant.id,
    merchantName: merchant.name,
    allowedOrigins: site.allowedOrigins,
    branding: site.branding,
    defaultLocale: site.defaultLocale,
    identitySecret: site.identitySecret,
    ...(site.identityPreviousSecret !== null && site.identityPreviousUntil !== null
      ? { previousIdentity: { secret: site.identityPreviousSecret, until: site.identityPreviousUntil } }
      : {}),
    policyVersion: merchant.policyVersion,
    policy: await policyAt(db, merchant.id, merchant.policyVersion),
    webhook: webhookSubscription(merchant),
  };
}

/** Forgets cached sites (after a settings change). */
export function invalidateSites(): void {
  found.clear();
  missing.clear();
  origins.clear();
}
