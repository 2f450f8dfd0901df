import { and, eq } from "drizzle-orm";
import { type SiteBranding, sites } from "../../schema/db.ts";
import type { FieldError } from "../../schema/policy.ts";
import { randomId, randomToken } from "../infra/crypto.ts";
import { constraintFailed, type Database, ownedRow } from "../infra/db.ts";
import { newIdentitySecret } from "./identity-signature.ts";
import { invalidateSites } from "./site-context.ts";

/** What a merchant sets on a site; `undefined` leaves a field as it is. */
export interface SiteSettings {
  readonly name: string;
  readonly allowedOrigins: string[];
  readonly branding: SiteBranding;
  readonly defaultLocale?: string | undefined;
  /** The support address (lower case); null removes it. */
  readonly inboundAddress?: string | null | undefined;
}

const taken: FieldError = { path: "inbound", message: "This address is already the support address of another site" };

/** Saves a merchant's site; the field errors a database constraint found (a support address in use), or none. */
export async function updateSite(db: Database, merchantId: string, siteId: string, s: SiteSettings): Promise<FieldError[]> {
  try {
    await db
      .update(sites)
      .set({
        name: s.name,
        allowedOrigins: s.allowedOrigins,
        branding: s.branding,
        ...(s.defaultLocale !== undefined ? { defaultLocale: s.defaultLocale } : {}),
        ...(s.inboundAddress !== undefined ? { inboundAddress: s.inboundAddress } : {}),
      })
      .where(and(eq(sites.id, siteId), eq(sites.merchantId, merchantId)));
  } catch (e) {
    if (constraintFailed(e, "sites.inbound_address")) return [taken];
    throw e;
  }
  invalidateSites();
  return [];
}

/**
 * Adds a site to a merchant with a fresh site key and identity secret: the site's id and the
 * secret (to show once), or the field errors as updateSite.
 */
export async function createSite(
  db: Database,
  merchantId: string,
  s: SiteSettings,
  now: number,
): Promise<{ id: string; secret: string } | { errors: FieldError[] }> {
  const id = randomId("site");
  const secret = newIdentitySecret();
  try {
    await db.insert(sites).values({
      id,
      merchantId,
      siteKey: `sk_${randomToken().slice(0, 22)}`,
      name: s.name,
      allowedOrigins: s.allowedOrigins,
      branding: s.branding,
      defaultLocale: s.defaultLocale ?? "en",
      identitySecret: secret,
      identitySecretAt: now,
      inboundAddress: s.inboundAddress ?? null,
      createdAt: now,
    });
  } catch (e) {
    if (constraintFailed(e, "sites.inbound_address")) return { errors: [taken] };
    throw e;
  }
  invalidateSites();
  return { id, secret };
}

/** Adds one origin to a site's allowed origins, keeping the others (nothing when it is listed already). */
export async function allowOrigin(db: Database, merchantId: string, siteId: string, origin: string): Promise<void> {
  const row = await ownedRow(db, sites, { origins: sites.allowedOrigins }, merchantId, siteId);
  if (!row || row.origins.includes(origin)) return;
  await db
    .update(sites)
    .set({ allowedOrigins: [...row.origins, origin] })
    .where(and(eq(sites.id, siteId), eq(sites.merchantId, merchantId)));
  invalidateSites();
}
