import { and, eq } from "drizzle-orm";
import { policies } from "../../schema/db.ts";
import { type Policy, policySchema } from "../../schema/policy.ts";
import type { Database } from "../infra/db.ts";

// Policy versions never change once written, so a parsed version can live as long as the isolate.
const parsed = new Map<string, Policy>();

/** A merchant's policy at a version, parsed once per isolate. */
export async function policyAt(db: Database, merchantId: string, version: number): Promise<Policy> {
  const key = `${merchantId}@${version}`;
  const hit = parsed.get(key);
  if (hit) return hit;
  const row = await db.query.policies.findFirst({ where: and(eq(policies.merchantId, merchantId), eq(policies.version, version)) });
  if (!row) throw new Error(`Policy ${key} is missing`);
  const policy = policySchema.parse(row.body);
  parsed.set(key, policy);
  return policy;
}
