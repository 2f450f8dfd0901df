import { and, desc, eq, isNull } from "drizzle-orm";
import { apiKeys } from "../../schema/db.ts";
import { ApiError } from "../errors.ts";
import { randomId, randomToken, sha256Hex } from "../infra/crypto.ts";
import { type Database, ownedRow } from "../infra/db.ts";

/** Every key starts so; the list shows this and the next 8 characters. */
const KEY_PREFIX = "rbk_";
const SHOWN = KEY_PREFIX.length + 8;

/** An API key as the dashboard lists it: never the key itself. */
export type ApiKeyRow = Omit<typeof apiKeys.$inferSelect, "keyHash">;

/**
 * Creates an API key for a merchant and returns it with its row: 256 random bits, of which only
 * the SHA-256 is stored, so this is the one time the key exists in clear.
 */
export async function createApiKey(
  db: Database,
  merchantId: string,
  name: string,
  staffId: string,
  now: number,
): Promise<{ key: string; row: ApiKeyRow }> {
  const key = `${KEY_PREFIX}${randomToken()}`;
  const row = { id: randomId("key"), merchantId, name, prefix: key.slice(0, SHOWN), createdBy: staffId, createdAt: now };
  await db.insert(apiKeys).values({ ...row, keyHash: await sha256Hex(key) });
  return { key, row: { ...row, lastUsedAt: null, revokedAt: null } };
}

/** A merchant's keys, newest first, revoked ones included (they say when). */
export function listApiKeys(db: Database, merchantId: string): Promise<ApiKeyRow[]> {
  return db
    .select({
      id: apiKeys.id,
      merchantId: apiKeys.merchantId,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdBy: apiKeys.createdBy,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.merchantId, merchantId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Revokes one of the merchant's keys at once (revoking twice is harmless); another merchant's key is a 404. */
export async function revokeApiKey(db: Database, merchantId: string, id: string, now: number): Promise<void> {
  const row = await ownedRow(db, apiKeys, { revokedAt: apiKeys.revokedAt }, merchantId, id);
  if (!row) throw new ApiError("not-found", "No such API key");
  if (row.revokedAt !== null) return;
  await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.merchantId, merchantId), isNull(apiKeys.revokedAt)));
}

/** How often a key's "last used" time is written: at most once a minute per key. */
const LAST_USED_EVERY_MS = 60_000;

/**
 * The merchant an `Authorization: Bearer <key>` header belongs to, or undefined for a missing,
 * malformed, unknown or revoked key (all the same to the caller).
 */
export async function merchantForKey(db: Database, authorization: string | undefined, now: number): Promise<string | undefined> {
  const m = /^Bearer (rbk_[A-Za-z0-9_-]{43})$/.exec(authorization ?? "");
  if (!m?.[1]) return undefined;
  const row = await db
    .select({ id: apiKeys.id, merchantId: apiKeys.merchantId, revokedAt: apiKeys.revokedAt, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, await sha256Hex(m[1])))
    .get();
  if (!row || row.revokedAt !== null) return undefined;
  if (row.lastUsedAt === null || now - row.lastUsedAt >= LAST_USED_EVERY_MS) {
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  }
  return row.merchantId;
}
