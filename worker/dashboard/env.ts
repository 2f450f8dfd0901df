import type { merchants, staff } from "../../schema/db.ts";

/** A staff member's row. */
export type StaffRow = typeof staff.$inferSelect;

/** The signed-in staff member of a dashboard request. */
export interface StaffSession {
  readonly staff: StaffRow;
  readonly merchant: Pick<typeof merchants.$inferSelect, "id" | "name" | "policyVersion" | "onboarding">;
  /** SHA-256 of the cookie token: the sessions row's key. */
  readonly tokenHash: string;
  /** The form token of this session (an HMAC keyed by the cookie token). */
  readonly csrf: string;
}

/** Hono environment of the dashboard: the app's bindings plus the CSP nonce and the session. */
export type DashEnv = {
  Bindings: Env;
  Variables: { now: number; nonce: string; session: StaffSession };
};
