import { and, eq } from "drizzle-orm";
import { sites } from "../../schema/db.ts";
import { ApiError } from "../errors.ts";
import { type Database, ownedRow } from "../infra/db.ts";
import { IDENTITY_GRACE_MS, newIdentitySecret } from "./identity-signature.ts";
import { invalidateSites } from "./site-context.ts";

/**
 * Replaces a site's identity secret with a new one and returns it (the only time it is shown). The
 * old secret stays valid for IDENTITY_GRACE_MS; rotating again within that time drops the older
 * one at once (only one previous secret is kept). Another merchant's site is the same 404 as none.
 */
export async function rotateIdentitySecret(db: Database, merchantId: string, siteId: string, now: number): Promise<string> {
  const current = await ownedRow(db, sites, { secret: sites.identitySecret }, merchantId, siteId);
  if (!current) throw new ApiError("not-found", "No such site");
  const secret = newIdentitySecret();
  const updated = await db
    .update(sites)
    .set({
      identitySecret: secret,
      identitySecretAt: now,
      identityPreviousSecret: current.secret,
      identityPreviousUntil: now + IDENTITY_GRACE_MS,
    })
    .where(and(eq(sites.id, siteId), eq(sites.merchantId, merchantId), eq(sites.identitySecret, current.secret)))
    .returning({ id: sites.id });
  // Another rotation won meanwhile: this secret was never stored, so it must not be shown.
  if (!updated.length) throw new ApiError("conflict", "The secret was rotated meanwhile; reload the page");
  invalidateSites();
  return secret;
}
