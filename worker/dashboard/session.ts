import { and, eq, gt, inArray, sql } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { merchants, rateCounters, sessions, staff } from "../../schema/db.ts";
import { ApiError } from "../errors.ts";
import { hmacHex, randomToken, sha256Hex, timingSafeEqual } from "../infra/crypto.ts";
import type { Database } from "../infra/db.ts";
import { hashPassword, verifyPassword } from "../infra/password.ts";
import { type Cap, capWindowKey, countCaps } from "../infra/rate-caps.ts";
import { statementOf } from "../infra/statements.ts";
import { activeRows } from "../staff/team.ts";
import type { DashEnv, StaffRow, StaffSession } from "./env.ts";

/** The session cookie: `__Host-` pins it to this host, Secure, Path=/ and no Domain. */
export const SESSION_COOKIE = "__Host-rb_session";
/** The pre-login cookie the login form's token is bound to (login CSRF). */
export const LOGIN_COOKIE = "__Host-rb_login";
/** How long a session lasts after sign-in. */
export const SESSION_TTL_MS = 12 * 3_600_000;
/** The cookie that marks a browser a staff member has signed in with before (see deviceOf). */
export const DEVICE_COOKIE = "__Host-rb_device";
/** How long a browser stays a known device after its last sign-in. */
export const DEVICE_TTL_MS = 180 * 24 * 3_600_000;
/** Failed sign-ins for one email from one network (or known device) before each further attempt must wait. */
export const LOGIN_FREE_FAILURES = 5;
/** The longest wait between two attempts for one email from one network, in seconds. */
export const LOGIN_MAX_DELAY_S = 15 * 60;
/** Failed sign-ins allowed per network (or known device) per hour, over every email (one password tried on many accounts). */
export const LOGIN_FAILURES_PER_NETWORK = 100;
/** Shortest and longest password accepted. */
export const PASSWORD_LENGTH = { min: 12, max: 200 } as const;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
// Verified when the email is unknown, so a miss costs the same PBKDF2 work as a wrong password.
const DUMMY_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/** The form token for a secret the browser holds only as an HttpOnly cookie. */
/** Refuses a signed-in agent with 403 (the same words wherever admins alone may act); admins pass. */
export function adminOnly(refusal: string): MiddlewareHandler<DashEnv> {
  return async (c, next) => {
    if (c.var.session.staff.role !== "admin") throw new ApiError("forbidden", refusal);
    await next();
  };
}

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
    .select({
      staff,
      merchant: { id: merchants.id, name: merchants.name, policyVersion: merchants.policyVersion, onboarding: merchants.onboarding },
    })
    .from(sessions)
    .innerJoin(staff, eq(staff.id, sessions.staffId))
    .innerJoin(merchants, eq(merchants.id, staff.merchantId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, c.var.now), eq(staff.status, "active")))
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

// A streak of failures for one email from one place is forgotten a day after its last failure.
const STREAK_MS = 24 * 3_600_000;

/** Seconds to wait before the next attempt after `failures` consecutive failures: 0, then 2, 4, 8 … up to the maximum. */
export function loginDelaySeconds(failures: number): number {
  if (failures < LOGIN_FREE_FAILURES) return 0;
  return Math.min(LOGIN_MAX_DELAY_S, 2 ** (failures - LOGIN_FREE_FAILURES + 1));
}

/** Who is signing in, as far as throttling is concerned. */
export interface LoginAttempt {
  readonly email: string;
  /** The active staff rows of the email: one per merchant the address is staff of (often one, maybe none). */
  readonly members: readonly StaffRow[];
  /** `device:<id>` for a browser this member signed in with before, else `net:<client network>`. */
  readonly from: string;
}

async function deviceMac(member: StaffRow, id: string): Promise<string> {
  // Keyed by the password hash: a secret that never leaves D1, and changing the password retires
  // every device at once. (There is no worker-wide secret to sign with.)
  return hmacHex(member.passwordHash, `replyby-device|${member.id}|${id}`);
}

/** The id of this browser's device cookie when it was issued to one of these members, else null. */
async function deviceOf(c: Context<DashEnv>, members: readonly StaffRow[]): Promise<string | null> {
  const value = getCookie(c, DEVICE_COOKIE) ?? "";
  const m = /^([\w-]{1,64})\.([A-Za-z0-9_-]{43})\.([0-9a-f]{64})$/.exec(value);
  const member = m ? members.find((x) => x.id === m[1]) : undefined;
  if (!member || !m) return null;
  return timingSafeEqual(await deviceMac(member, m[2] as string), m[3] as string) ? (m[2] as string) : null;
}

/** Marks this browser as a device the member has signed in with (refreshed at every sign-in). */
export async function rememberDevice(c: Context<DashEnv>, member: StaffRow): Promise<void> {
  const id = (await deviceOf(c, [member])) ?? randomToken();
  setCookie(c, DEVICE_COOKIE, `${member.id}.${id}.${await deviceMac(member, id)}`, {
    ...cookieOptions,
    sameSite: "Strict",
    maxAge: DEVICE_TTL_MS / 1000,
  });
}

/** The members an email belongs to and where the attempt comes from (a known device, or a network). */
export async function loginAttempt(c: Context<DashEnv>, db: Database, email: string, network: string): Promise<LoginAttempt> {
  const members = email ? await activeRows(db, email) : [];
  const device = await deviceOf(c, members);
  return { email, members, from: device ? `device:${device}` : `net:${network}` };
}

const streakKey = (a: LoginAttempt) => `login:fail:${a.email}|${a.from}`;
const networkCap = (a: LoginAttempt): Cap => ({ key: `login:${a.from}`, limit: LOGIN_FAILURES_PER_NETWORK });

function tooMany(seconds: number, detail: string): ApiError {
  return new ApiError("rate-limited", detail, { headers: { "Retry-After": String(Math.max(1, Math.ceil(seconds))) } });
}

/**
 * Refuses an attempt before any password work, from what failed before — never from attempts that
 * succeeded, and never for everyone: the counters are per email and per network (or per known
 * device), so an outsider's guesses slow down only the outsider's network, and a browser the
 * member signed in with before has counters of its own. Bursts per network or device go through
 * the RL_LOGIN binding; failures are counted in D1 by recordLoginFailure. Parallel attempts can pass
 * this check together before their failures are counted; the burst limit bounds how many.
 */
export async function throttleLogin(env: Env, db: Database, attempt: LoginAttempt, now: number): Promise<void> {
  const { success } = await env.RL_LOGIN.limit({ key: attempt.from });
  if (!success) throw tooMany(60, "Too many sign-in attempts. Wait a minute and try again.");
  const streak = streakKey(attempt);
  const cap = networkCap(attempt);
  const rows = await db
    .select()
    .from(rateCounters)
    .where(inArray(rateCounters.key, [streak, capWindowKey(cap, now)]));
  const hourly = rows.find((r) => r.key !== streak);
  if (hourly && hourly.count >= LOGIN_FAILURES_PER_NETWORK) {
    throw tooMany((3_600_000 - (now % 3_600_000)) / 1000, "Too many failed sign-ins from this network. Please try again later.");
  }
  const row = rows.find((r) => r.key === streak);
  if (!row || row.expiresAt <= now) return;
  const lastFailure = row.expiresAt - STREAK_MS;
  const wait = (lastFailure + loginDelaySeconds(row.count) * 1000 - now) / 1000;
  if (wait > 0) throw tooMany(wait, `Too many failed sign-ins. Wait ${Math.ceil(wait)} seconds and try again.`);
}

/** Counts a failed attempt: the email's streak from this place, and the network's failures this hour. */
export async function recordLoginFailure(db: Database, attempt: LoginAttempt, now: number): Promise<void> {
  const streak = db
    .insert(rateCounters)
    .values({ key: streakKey(attempt), count: 1, expiresAt: now + STREAK_MS })
    .onConflictDoUpdate({
      target: rateCounters.key,
      set: {
        count: sql`CASE WHEN ${rateCounters.expiresAt} <= ${now} THEN 1 ELSE ${rateCounters.count} + 1 END`,
        expiresAt: now + STREAK_MS,
      },
    });
  await db.$client.batch([statementOf(db.$client, streak), countCaps(db.$client, [networkCap(attempt)], now)]);
}

/** A successful sign-in ends the email's streak of failures from this place. */
export async function clearLoginFailures(db: Database, attempt: LoginAttempt): Promise<void> {
  await db.delete(rateCounters).where(eq(rateCounters.key, streakKey(attempt)));
}

/**
 * The members whose own password this is (each staff row has its own): every row of the email is
 * checked, and an unknown email costs the work of one. The work grows with the number of merchants
 * the address is staff of.
 */
export async function verifyCredentials(db: Database, rows: readonly StaffRow[], password: string): Promise<StaffRow[]> {
  if (rows.length === 0) {
    await verifyPassword(password, DUMMY_HASH);
    return [];
  }
  const out: StaffRow[] = [];
  for (const row of rows) {
    const ok = await verifyRow(db, row, password);
    if (ok) out.push(ok);
  }
  return out;
}

/** Whether the password is this member's (upgrading an outdated hash). */
async function verifyRow(db: Database, row: StaffRow, password: string): Promise<StaffRow | null> {
  const check = await verifyPassword(password, row.passwordHash);
  if (!check.ok) return null;
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
