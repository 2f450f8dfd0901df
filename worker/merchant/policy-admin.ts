import { and, desc, eq, sql } from "drizzle-orm";
import { merchants, policies } from "../../schema/db.ts";
import { type FieldError, parsePolicy } from "../../schema/policy.ts";
import { ApiError } from "../errors.ts";
import type { Database } from "../infra/db.ts";
import { invalidateSites } from "./site-context.ts";

/** A stored policy version. */
export type PolicyRow = typeof policies.$inferSelect;

/** The merchant's policy row at a version (the one in force when it is the merchant's current version). */
export async function policyRow(db: Database, merchantId: string, version: number): Promise<PolicyRow> {
  const row = await db.query.policies.findFirst({ where: and(eq(policies.merchantId, merchantId), eq(policies.version, version)) });
  if (!row) throw new Error(`Policy ${merchantId}@${version} is missing`);
  return row;
}

/** The most recent versions, newest first. */
export function recentVersions(db: Database, merchantId: string, limit = 10) {
  return db
    .select({ version: policies.version, preset: policies.preset, createdAt: policies.createdAt })
    .from(policies)
    .where(eq(policies.merchantId, merchantId))
    .orderBy(desc(policies.version))
    .limit(limit);
}

/** Validates a policy body, throwing its field-level errors. */
export function validatePolicy(body: unknown): void {
  const parsed = parsePolicy(body);
  if (!parsed.ok) throw new ApiError("validation-failed", "The policy has errors", { errors: parsed.errors });
}

/**
 * Saves a validated policy as the next version and makes it current, atomically and only if
 * the current version is still `base`: tickets keep the version they were created under; new
 * tickets use this one.
 */
export async function savePolicyVersion(
  db: Database,
  merchantId: string,
  base: number,
  body: unknown,
  preset: string | null,
  now: number,
): Promise<number> {
  validatePolicy(body);
  const version = base + 1;
  try {
    await db.batch([
      db
        .update(merchants)
        .set({ policyVersion: version })
        .where(and(eq(merchants.id, merchantId), eq(merchants.policyVersion, base))),
      db.run(sql`INSERT OR REPLACE INTO write_guard (id, ok) VALUES (1, changes())`),
      db.insert(policies).values({ merchantId, version, preset, body, createdAt: now }),
    ]);
  } catch (e) {
    // The guard's CHECK (someone else saved first) or the version's primary key (a race on it).
    const text = `${(e as Error).message} ${String((e as Error).cause ?? "")}`;
    if (/CHECK constraint failed: write_guard|UNIQUE constraint failed: policies/.test(text)) {
      throw new ApiError("conflict", "The policy was changed meanwhile. Reload the page and apply your change again.");
    }
    throw e;
  }
  invalidateSites();
  return version;
}

/** A JSON text as a value, or a field error at the root. */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; errors: FieldError[] } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, errors: [{ path: "(root)", message: `Not valid JSON: ${(e as Error).message}` }] };
  }
}
