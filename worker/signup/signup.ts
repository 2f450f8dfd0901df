import { and, eq } from "drizzle-orm";
import { merchants, policies, sites, staff } from "../../schema/db.ts";
import type { Locale } from "../engine/format.ts";
import { ApiError } from "../errors.ts";
import { randomId, randomToken } from "../infra/crypto.ts";
import { constraintFailed, type Database } from "../infra/db.ts";
import { hashPassword } from "../infra/password.ts";
import { type Cap, capExceeded, capGuard, countCaps } from "../infra/rate-caps.ts";
import { insertRow, statementOf } from "../infra/statements.ts";
import { newIdentitySecret } from "../merchant/identity-signature.ts";
import { invalidateSites } from "../merchant/site-context.ts";
import { outboxInsert } from "../outbox/outbox.ts";
import { dropTokens } from "../staff/tokens.ts";
import { blankPolicy } from "./starting-policies.ts";

/** Sign-ups one client network may attempt per hour. */
export const SIGNUPS_PER_NETWORK_HOUR = 5;
/** Verification emails one address may get per hour. */
export const ACCOUNT_EMAILS_PER_HOUR = 3;

/** Whether sign-up is open on this deployment (SIGNUP = "open"); otherwise merchants come by invitation. */
export function signupOpen(env: Env): boolean {
  return env.SIGNUP === "open";
}

/** What the sign-up form gives. */
export interface SignupInput {
  readonly merchantName: string;
  readonly email: string;
  readonly password: string;
  /** The language of the account emails. */
  readonly locale: Locale;
}

/** The cap on account emails to one address: counted with the email's own outbox row. */
export function accountEmailCap(email: string): Cap {
  return { key: `account-email:${email}`, limit: ACCOUNT_EMAILS_PER_HOUR };
}

/**
 * Creates a merchant with a blank starting policy, its first site and its admin (email not yet
 * verified), and queues the verification email — one D1 batch, counted against the network's
 * sign-ups and the address's account emails. Logins belong to one merchant each, so an address
 * that already works for another merchant signs up like any other (it never tells whether an
 * address has an account, and nobody can hold an address from its owner); an address whose
 * sign-up was never confirmed is taken over by the newest sign-up (its name and password).
 */
export async function signUp(db: Database, input: SignupInput, network: string, now: number): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const netCap: Cap = { key: `signup:net:${network}`, limit: SIGNUPS_PER_NETWORK_HOUR };
  const caps = [netCap, accountEmailCap(input.email)];
  const d1 = db.$client;
  // A sign-up never confirmed: the latest one wins, so an address someone else typed in is never
  // held from its owner; older links stop working. (Invited staff are verified by their link.)
  const existing = await db
    .select({ id: staff.id, merchantId: staff.merchantId })
    .from(staff)
    .where(and(eq(staff.email, input.email), eq(staff.emailVerified, false)))
    .get();
  try {
    if (existing) {
      await d1.batch([
        countCaps(d1, caps, now),
        capGuard(d1, caps, now),
        statementOf(
          d1,
          db.update(staff).set({ passwordHash, name: input.merchantName, passwordChangedAt: now }).where(eq(staff.id, existing.id)),
        ),
        statementOf(d1, db.update(merchants).set({ name: input.merchantName }).where(eq(merchants.id, existing.merchantId))),
        statementOf(d1, dropTokens(db, existing.id)),
        outboxInsert(
          d1,
          {
            channel: "email",
            event: "verify-email",
            merchantId: existing.merchantId,
            recipient: input.email,
            payload: { staffId: existing.id, locale: input.locale },
          },
          now,
        ).statement,
      ]);
      return;
    }
    const merchantId = randomId("m");
    const staffId = randomId("st");
    const siteId = randomId("site");
    await d1.batch([
      countCaps(d1, caps, now),
      capGuard(d1, caps, now),
      insertRow(d1, merchants, {
        id: merchantId,
        name: input.merchantName,
        policyVersion: 1,
        webhookUrl: null,
        webhookSecret: randomToken(),
        replySecret: randomToken(),
        onboarding: {},
        createdAt: now,
      }),
      insertRow(d1, policies, { merchantId, version: 1, preset: null, body: blankPolicy(input.merchantName), createdAt: now }),
      insertRow(d1, sites, {
        id: siteId,
        merchantId,
        siteKey: `sk_${randomToken().slice(0, 22)}`,
        name: input.merchantName,
        allowedOrigins: [],
        branding: {},
        defaultLocale: input.locale,
        identitySecret: newIdentitySecret(),
        inboundAddress: null,
        createdAt: now,
      }),
      insertRow(d1, staff, {
        id: staffId,
        merchantId,
        email: input.email,
        name: input.merchantName,
        role: "admin",
        passwordHash,
        passwordChangedAt: now,
        emailVerified: false,
        createdAt: now,
      }),
      outboxInsert(
        d1,
        { channel: "email", event: "verify-email", merchantId, recipient: input.email, payload: { staffId, locale: input.locale } },
        now,
      ).statement,
    ]);
    invalidateSites();
  } catch (e) {
    if (constraintFailed(e, "write_guard")) throw capExceeded(now);
    throw e;
  }
}

/**
 * Queues a fresh verification email for a member who signed in with the right password but has
 * not verified their address yet. False when the address's email cap is used up this hour.
 */
export async function resendVerification(
  db: Database,
  member: { id: string; merchantId: string; email: string },
  locale: Locale,
  now: number,
): Promise<boolean> {
  const d1 = db.$client;
  const cap = [accountEmailCap(member.email)];
  try {
    await d1.batch([
      countCaps(d1, cap, now),
      capGuard(d1, cap, now),
      outboxInsert(
        d1,
        {
          channel: "email",
          event: "verify-email",
          merchantId: member.merchantId,
          recipient: member.email,
          payload: { staffId: member.id, locale },
        },
        now,
      ).statement,
    ]);
    return true;
  } catch (e) {
    if (constraintFailed(e, "write_guard")) return false;
    throw e;
  }
}

/** Thrown when sign-up is invite-only here. */
export function signupClosed(): ApiError {
  return new ApiError("forbidden", "Sign-up on this server is by invitation only.");
}
