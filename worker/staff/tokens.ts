import { and, eq, gt, isNull } from "drizzle-orm";
import { staff, type staffTokenPurposes, staffTokens } from "../../schema/db.ts";
import { randomToken, sha256Hex } from "../infra/crypto.ts";
import type { Database } from "../infra/db.ts";

/** What a staff token is for. */
export type TokenPurpose = (typeof staffTokenPurposes)[number];

/** The shape of every staff token (256 bits, base64url). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A fresh token for a staff member: the token itself (for the email or page) and the insert of its hash. */
export async function newToken(
  db: Database,
  member: { id: string; merchantId: string },
  purpose: TokenPurpose,
  expiresAt: number,
  now: number,
) {
  const token = randomToken();
  const insert = db.insert(staffTokens).values({
    tokenHash: await sha256Hex(token),
    staffId: member.id,
    merchantId: member.merchantId,
    purpose,
    expiresAt,
    createdAt: now,
  });
  return { token, insert };
}

/**
 * The staff member an unused, unexpired token of this purpose belongs to, with the token's hash;
 * null for anything else (malformed, unknown, used, expired) — the one answer, whatever the cause.
 */
export async function tokenOwner(db: Database, token: string, purpose: TokenPurpose, now: number) {
  if (!TOKEN_PATTERN.test(token)) return null;
  const tokenHash = await sha256Hex(token);
  const row = await db
    .select({ staff, expiresAt: staffTokens.expiresAt })
    .from(staffTokens)
    .innerJoin(staff, eq(staff.id, staffTokens.staffId))
    .where(
      and(
        eq(staffTokens.tokenHash, tokenHash),
        eq(staffTokens.purpose, purpose),
        isNull(staffTokens.usedAt),
        gt(staffTokens.expiresAt, now),
      ),
    )
    .get();
  return row ? { member: row.staff, tokenHash, expiresAt: row.expiresAt } : null;
}

/**
 * Spends a token: the update that marks it used only while it is still unused and unexpired. Put
 * GUARD_SQL right after it in the batch, so a token used twice at once works only once.
 */
export function spendToken(db: Database, tokenHash: string, now: number) {
  return db
    .update(staffTokens)
    .set({ usedAt: now })
    .where(and(eq(staffTokens.tokenHash, tokenHash), isNull(staffTokens.usedAt), gt(staffTokens.expiresAt, now)));
}

/** Deletes a staff member's tokens (of one purpose, or all): links already sent stop working. */
export function dropTokens(db: Database, staffId: string, purpose?: TokenPurpose) {
  return db
    .delete(staffTokens)
    .where(purpose ? and(eq(staffTokens.staffId, staffId), eq(staffTokens.purpose, purpose)) : eq(staffTokens.staffId, staffId));
}
