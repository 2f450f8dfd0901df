import { and, eq, gt } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { merchants, sessions, staff } from "../../schema/db.ts";
import { ApiError } from "../errors.ts";
import { hmacHex, randomToken, sha256Hex, timingSafeEqual } from "../infra/crypto.ts";
import type { Database } from "../infra/db.ts";
import { hashPassword, verifyPassword } from "../infra/password.ts";
import { type Cap, capExceeded, capGuard, countCaps } from "../infra/rate-caps.ts";
import type { DashEnv, StaffRow, StaffSession } from "./env.ts";

/** The session cookie: `__Host-` pins it to this host, Secure, Path=/ and no Domain. */
export const SESSION_COOKIE = "__Host-rb_session";
/** The pre-login cookie the login form's token is bound to (login CSRF). */
export const LOGIN_COOKIE = "__Host-rb_login";
/** How long a session lasts after sign-in. */
export const SESSION_TTL_MS = 12 * 3_600_000;
/** Sign-in attempts allowed per email per hour (then the email is locked until the hour turns). */
export const LOGIN_ATTEMPTS_PER_EMAIL = 20;
/** Sign-in attempts allowed per IP per hour. */
export const LOGIN_ATTEMPTS_PER_IP = 100;
/** Shortest and longest password accepted. */
export const PASSWORD_LENGTH = { min: 12, max: 200 } as const;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
// Verified when the email is unknown, so a miss costs the same PBKDF2 work as a wrong password.
const DUMMY_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/** The form token for a secret the browser holds only as an HttpOnly cookie. */
export function formToken(secret: string): Promise<string> {
  return hmacHex(secret, "replyby-dashboard-form");
}

/** Whether a submitted form token matches the one derived from the cookie secret. */
export async function formTokenValid(secret: string, submitted: string): Promise<boolean> {
  return timingSafeEqual(await formToken(secret), submitted);
}

const cookieOptions = { path: "/", secure: true, httpOnly: true, sameSite: "Lax" } as const;

/** The signed-in staff member for this request's cookie, or null (no, unknown or expired session). */
export async function currentSession(c: Context<DashEnv>, db: Database): Promise<StaffSession | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token || !TOKEN.test(token)) return null;
  const tokenHash = await sha256Hex(token);
  const row = await db
    .select({ staff, merchant: { id: merchants.id, name: merchants.name, policyVersion: merchants.policyVersion } })
    .from(sessions)
    .innerJoin(staff, eq(staff.id, sessions.staffId))
    .innerJoin(merchants, eq(merchants.id, staff.merchantId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, c.var.now)))
    .get();
  if (!row) return null;
  return { staff: row.staff, merchant: row.merchant, tokenHash, csrf: await formToken(token) };
}

/**
 * Starts a fresh session: a new random token (only its hash is stored) replaces whatever
 * session the browser presented, so a token planted before sign-in never becomes valid.
 */
export async function startSession(c: Context<DashEnv>, db: Database, member: StaffRow): Promise<void> {
  const presented = getCookie(c, SESSION_COOKIE);
  const token = randomToken();
  const now = c.var.now;
  const insert = db.insert(sessions).values({
    tokenHash: await sha256Hex(token),
    staffId: member.id,
    merchantId: member.merchantId,
    createdAt: now,
    expiresAt: now + SESSION_TTL_MS,
  });
  if (presented && TOKEN.test(presented)) {
    await db.batch([db.delete(sessions).where(eq(sessions.tokenHash, await sha256Hex(presented))), insert]);
  } else {
    await insert;
  }
  setCookie(c, SESSION_COOKIE, token, { ...cookieOptions, maxAge: SESSION_TTL_MS / 1000 });
}

/** Ends this browser's session and clears its cookie. */
export async function endSession(c: Context<DashEnv>, db: Database, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
  deleteCookie(c, SESSION_COOKIE, cookieOptions);
}

/** The pre-login secret for the login form, set as a cookie when missing. */
export function loginSecret(c: Context<DashEnv>): string {
  const existing = getCookie(c, LOGIN_COOKIE);
  if (existing && TOKEN.test(existing)) return existing;
  const secret = randomToken();
  setCookie(c, LOGIN_COOKIE, secret, { ...cookieOptions, sameSite: "Strict", maxAge: 3600 });
  return secret;
}

/** Drops the pre-login cookie once signed in. */
export function clearLoginSecret(c: Context<DashEnv>): void {
  deleteCookie(c, LOGIN_COOKIE, { ...cookieOptions, sameSite: "Strict" });
}

function loginCaps(ip: string, email: string): Cap[] {
  return [
    { key: `login:email:${email}`, limit: LOGIN_ATTEMPTS_PER_EMAIL },
    { key: `login:ip:${ip}`, limit: LOGIN_ATTEMPTS_PER_IP },
  ];
}

/**
 * Counts a sign-in attempt and refuses it before any password work: bursts per IP and per email
 * through the RL_LOGIN binding (per location), attempts per hour through D1 counters (global),
 * counted and checked in one batch so parallel attempts cannot slip past the cap.
 */
export async function throttleLogin(env: Env, db: Database, ip: string, email: string, now: number): Promise<void> {
  const [byIp, byEmail] = await Promise.all([env.RL_LOGIN.limit({ key: `ip:${ip}` }), env.RL_LOGIN.limit({ key: `email:${email}` })]);
  if (!byIp.success || !byEmail.success) {
    throw new ApiError("rate-limited", "Too many sign-in attempts. Wait a minute and try again.", { headers: { "Retry-After": "60" } });
  }
  const caps = loginCaps(ip, email);
  try {
    await db.$client.batch([countCaps(db.$client, caps, now), capGuard(db.$client, caps, now)]);
  } catch (e) {
    if (String((e as Error).message).includes("write_guard")) throw capExceeded(now);
    throw e;
  }
}

/** The staff member these credentials belong to (upgrading an outdated hash), or null. */
export async function verifyCredentials(db: Database, email: string, password: string): Promise<StaffRow | null> {
  const row = await db.query.staff.findFirst({ where: eq(staff.email, email) });
  const check = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
  if (!row || !check.ok) return null;
  if (check.upgrade) {
    const passwordHash = await hashPassword(password);
    // Only if nobody changed the password meanwhile.
    await db
      .update(staff)
      .set({ passwordHash })
      .where(and(eq(staff.id, row.id), eq(staff.passwordHash, row.passwordHash)));
    return { ...row, passwordHash };
  }
  return row;
}

/** Why a new password is not acceptable, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_LENGTH.min) return `Use at least ${PASSWORD_LENGTH.min} characters`;
  if (password.length > PASSWORD_LENGTH.max) return `Use at most ${PASSWORD_LENGTH.max} characters`;
  return null;
}

/** Sets a staff member's password and ends every session they have, in one batch. */
export async function setPassword(db: Database, staffId: string, password: string, now: number): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.batch([
    db.update(staff).set({ passwordHash, passwordChangedAt: now }).where(eq(staff.id, staffId)),
    db.delete(sessions).where(eq(sessions.staffId, staffId)),
  ]);
}
