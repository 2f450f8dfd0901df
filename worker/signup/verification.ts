import { and, eq, gt, sql } from "drizzle-orm";
import { staff, staffTokens } from "../../schema/db.ts";
import { sha256Hex } from "../infra/crypto.ts";
import type { Database } from "../infra/db.ts";
import { newToken, TOKEN_PATTERN } from "../staff/tokens.ts";

/** How long a verification link stays valid. */
export const VERIFY_TTL_MS = 24 * 3_600_000;

/**
 * A fresh verification link token for a staff member whose email is not verified yet (only its
 * hash is stored), or null when there is nothing to verify. Made when the email is sent, so the
 * outbox row never holds it.
 */
export async function issueVerifyToken(db: Database, staffId: string, now: number): Promise<string | null> {
  const member = await db
    .select({ verified: staff.emailVerified, merchantId: staff.merchantId })
    .from(staff)
    .where(eq(staff.id, staffId))
    .get();
  if (!member || member.verified) return null;
  const { token, insert } = await newToken(db, { id: staffId, merchantId: member.merchantId }, "verify-email", now + VERIFY_TTL_MS, now);
  await insert;
  return token;
}

/** Whether a verification token is one we issued, unused and unexpired (GET shows a confirm button; it changes nothing). */
export async function verifyTokenValid(db: Database, token: string, now: number): Promise<boolean> {
  if (!TOKEN_PATTERN.test(token)) return false;
  const row = await db
    .select({ staffId: staffTokens.staffId })
    .from(staffTokens)
    .where(and(eq(staffTokens.tokenHash, await sha256Hex(token)), eq(staffTokens.purpose, "verify-email"), gt(staffTokens.expiresAt, now)))
    .get();
  return row !== undefined;
}

/**
 * Uses a verification token: marks its staff member verified and deletes every verification
 * token they hold, in one batch. Exactly one of two concurrent uses succeeds (the delete that
 * returns the row decides). Null for an unknown, used or expired token.
 */
export async function consumeVerifyToken(db: Database, token: string, now: number): Promise<{ staffId: string } | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const tokenHash = await sha256Hex(token);
  const live = and(eq(staffTokens.tokenHash, tokenHash), eq(staffTokens.purpose, "verify-email"), gt(staffTokens.expiresAt, now));
  const [, deleted] = await db.batch([
    db
      .update(staff)
      .set({ emailVerified: true })
      .where(sql`${staff.id} = (SELECT ${staffTokens.staffId} FROM ${staffTokens} WHERE ${live})`),
    db.delete(staffTokens).where(live).returning({ staffId: staffTokens.staffId }),
  ]);
  const row = deleted[0];
  if (!row) return null;
  await db.delete(staffTokens).where(and(eq(staffTokens.staffId, row.staffId), eq(staffTokens.purpose, "verify-email")));
  return row;
}
