import { eq, type SQL } from "drizzle-orm";
import { merchants, sites } from "../../schema/db.ts";
import type { Policy } from "../../schema/policy.ts";
import type { Database } from "../infra/db.ts";
import { policyAt } from "./policy-versions.ts";

/** A site with its merchant's current policy: what every public request needs. */
export interface SiteContext {
  readonly id: string;
  readonly siteKey: string;
  readonly name: string;
  readonly merchantId: string;
  readonly merchantName: string;
  readonly allowedOrigins: readonly string[];
  readonly branding: { accent?: string; title?: string };
  readonly defaultLocale: string;
  readonly identitySecret: string;
  readonly policyVersion: number;
  readonly policy: Policy;
  readonly webhook: boolean;
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
const cache = new Map<string, { at: number; site: SiteContext | null }>();

/** The site for a public key (null when unknown), cached briefly. */
export async function siteByKey(db: Database, siteKey: string, now: number): Promise<SiteContext | null> {
  const hit = cache.get(siteKey);
  if (hit && now - hit.at < TTL_MS) return hit.site;
  const row = await siteRow(db, eq(sites.siteKey, siteKey));
  const site = row ? await contextOf(db, row.site, row.merchant) : null;
  if (cache.size > 10_000) cache.clear();
  cache.set(siteKey, { at: now, site });
  return site;
}

/** The site with this id, uncached (tickets carry site ids). */
export async function siteById(db: Database, id: string): Promise<SiteContext | null> {
  const row = await siteRow(db, eq(sites.id, id));
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
    policyVersion: merchant.policyVersion,
    policy: await policyAt(db, merchant.id, merchant.policyVersion),
    webhook: merchant.webhookUrl !== null,
  };
}

/** Forgets cached sites (after a settings change). */
export function invalidateSites(): void {
  cache.clear();
}
