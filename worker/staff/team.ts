import { and, eq, ne, sql } from "drizzle-orm";
import { sessions, staff, type staffRoles } from "../../schema/db.ts";
import { ApiError } from "../errors.ts";
import { randomId } from "../infra/crypto.ts";
import { constraintFailed, type Database, database, GUARD_SQL } from "../infra/db.ts";
import { hashPassword } from "../infra/password.ts";
import { capGuard, countCaps } from "../infra/rate-caps.ts";
import { statementOf } from "../infra/statements.ts";
import { outboxInsert } from "../outbox/outbox.ts";
import { dropTokens, spendToken, tokenOwner } from "./tokens.ts";

/*
 * The team of a merchant: invitations, roles, deactivation and removal, password resets. Every
 * change that ends someone's access ends their sessions and tokens in the same D1 batch, and no
 * change can leave a merchant without an active admin. Dashboard handlers only parse, call one of
 * these and render.
 */

const HOUR = 3_600_000;
/** How long an invitation can be accepted (from when it was sent, or last resent). */
export const INVITE_TTL_MS = 7 * 24 * HOUR;
/** How long a password reset link works. */
export const RESET_TTL_MS = HOUR;
/** Reset requests per email address, and per client network, per hour. */
export const RESET_CAPS = { perEmailHour: 3, perNetworkHour: 20 } as const;
/** The most staff rows one email may have (one per merchant); sign-in checks each. */
export const MAX_ROWS_PER_EMAIL = 20;

/** One staff role. */
export type StaffRole = (typeof staffRoles)[number];

/** The admin making a change, scoped to their merchant. */
export interface TeamAdmin {
  readonly staffId: string;
  readonly merchantId: string;
}

/** A staff row. */
export type Member = typeof staff.$inferSelect;

/** A member of the admin's own team (removed ones do not exist); anyone else is the same 404. */
async function teamMember(db: Database, admin: TeamAdmin, staffId: string): Promise<Member> {
  const row = await db.query.staff.findFirst({ where: and(eq(staff.id, staffId), eq(staff.merchantId, admin.merchantId)) });
  if (!row || row.status === "removed") throw new ApiError("not-found", "No such staff member");
  if (row.id === admin.staffId) {
    throw new ApiError("conflict", "You cannot change your own role or access: ask another admin");
  }
  return row;
}

/**
 * True (SQL) when the row is not an active admin, or another active admin of its merchant remains:
 * the condition of every change that could take an admin away, checked by the statement itself so
 * two admins demoting each other at once cannot both succeed.
 */
const keepsAnAdmin = sql`(${staff.role} <> 'admin' OR ${staff.status} <> 'active' OR EXISTS (SELECT 1 FROM staff AS other WHERE other.merchant_id = ${staff.merchantId} AND other.id <> ${staff.id} AND other.role = 'admin' AND other.status = 'active'))`;

const lastAdmin = (m: Member) =>
  new ApiError("conflict", `${m.name || m.email} is the last admin: make someone else an admin first, so the team keeps one`);

/** Runs a guarded batch; a guard that failed is the conflict `refusal` names. */
async function guarded(db: Database, statements: D1PreparedStatement[], refusal: () => Promise<ApiError>): Promise<void> {
  try {
    await db.$client.batch(statements);
  } catch (e) {
    if (constraintFailed(e, "write_guard")) throw await refusal();
    throw e;
  }
}

/**
 * Uses a link from an email, in one batch: spends its token, applies `change` (which must match
 * the member, else the batch fails its guard) and then `after`. False when the token was spent or
 * the member changed meanwhile (a second use, or two at once), so nothing applied.
 */
async function spendLink(
  db: Database,
  tokenHash: string,
  change: Parameters<typeof statementOf>[1],
  after: D1PreparedStatement[],
  now: number,
): Promise<boolean> {
  try {
    await db.$client.batch([
      statementOf(db.$client, spendToken(db, tokenHash, now)),
      db.$client.prepare(GUARD_SQL),
      statementOf(db.$client, change),
      db.$client.prepare(GUARD_SQL),
      ...after,
    ]);
    return true;
  } catch (e) {
    if (constraintFailed(e, "write_guard")) return false;
    throw e;
  }
}

/** Why a guarded change to a member did not apply: they are the last admin, or they changed meanwhile. */
async function refusalFor(db: Database, m: Member): Promise<ApiError> {
  const now = await db.query.staff.findFirst({ where: eq(staff.id, m.id) });
  if (now && now.role === "admin" && now.status === "active") return lastAdmin(now);
  return new ApiError("conflict", "This staff member changed meanwhile; reload the page and try again");
}

/** Who is on the team with this email already (removed members apart). */
async function onTeam(db: Database, merchantId: string, email: string): Promise<Member | undefined> {
  return db.query.staff.findFirst({
    where: and(eq(staff.merchantId, merchantId), eq(staff.email, email), ne(staff.status, "removed")),
  });
}

const emailTaken = (m: Member) =>
  new ApiError("conflict", undefined, {
    errors: [
      {
        path: "email",
        message:
          m.status === "invited" ? "This email is already invited: resend the invitation instead" : "This email is already on your team",
      },
    ],
  });

function invitationEmail(db: Database, member: Pick<Member, "id" | "merchantId" | "email">, invitedBy: string, now: number) {
  return outboxInsert(
    db.$client,
    {
      channel: "email",
      event: "invitation",
      merchantId: member.merchantId,
      recipient: member.email,
      payload: { staffId: member.id, invitedBy },
    },
    now,
  );
}

/**
 * Invites an email to the team with a role: an invited staff row (no password) and the invitation
 * email, in one batch. Only this merchant's team is consulted: whether the address is staff
 * elsewhere makes no difference and shows nowhere. Returns the email's outbox id.
 */
export async function invite(
  env: Env,
  admin: TeamAdmin,
  input: { email: string; role: StaffRole; name: string },
  now: number,
): Promise<string> {
  const db = database(env.DB);
  const existing = await onTeam(db, admin.merchantId, input.email);
  if (existing) throw emailTaken(existing);
  const id = randomId("st");
  const member = { id, merchantId: admin.merchantId, email: input.email };
  const mail = invitationEmail(db, member, admin.staffId, now);
  try {
    await db.$client.batch([
      statementOf(
        db.$client,
        db.insert(staff).values({
          ...member,
          name: input.name,
          role: input.role,
          status: "invited",
          // No password hash matches "!": nobody can sign in as an invitation.
          passwordHash: "!",
          passwordChangedAt: now,
          inviteExpiresAt: now + INVITE_TTL_MS,
          createdAt: now,
        }),
      ),
      mail.statement,
    ]);
  } catch (e) {
    if (constraintFailed(e, "staff.merchant_id")) {
      const other = await onTeam(db, admin.merchantId, input.email);
      if (other) throw emailTaken(other);
    }
    throw e;
  }
  return mail.id;
}

/** Sends a pending invitation again with a fresh expiry; links sent before stop working. Returns the email's outbox id. */
export async function resendInvitation(env: Env, admin: TeamAdmin, staffId: string, now: number): Promise<string> {
  const db = database(env.DB);
  const m = await teamMember(db, admin, staffId);
  if (m.status !== "invited") throw new ApiError("conflict", "This invitation was already accepted");
  const mail = invitationEmail(db, m, admin.staffId, now);
  await guarded(
    db,
    [
      statementOf(
        db.$client,
        db
          .update(staff)
          .set({ inviteExpiresAt: now + INVITE_TTL_MS })
          .where(and(eq(staff.id, m.id), eq(staff.status, "invited"))),
      ),
      db.$client.prepare(GUARD_SQL),
      statementOf(db.$client, dropTokens(db, m.id, "invite")),
      mail.statement,
    ],
    async () => new ApiError("conflict", "This invitation was accepted or revoked meanwhile"),
  );
  return mail.id;
}

/** Withdraws a pending invitation: its links stop working and the row goes (it has no history). */
export async function revokeInvitation(env: Env, admin: TeamAdmin, staffId: string): Promise<void> {
  const db = database(env.DB);
  const m = await teamMember(db, admin, staffId);
  if (m.status !== "invited")
    throw new ApiError("conflict", "This invitation was already accepted: deactivate or remove the member instead");
  await guarded(
    db,
    [
      statementOf(db.$client, dropTokens(db, m.id)),
      statementOf(db.$client, db.delete(staff).where(and(eq(staff.id, m.id), eq(staff.status, "invited")))),
      db.$client.prepare(GUARD_SQL),
    ],
    async () => new ApiError("conflict", "This invitation was accepted meanwhile"),
  );
}

/** The invited member an invitation link belongs to, while it can still be accepted; else null. */
export async function invitationOf(db: Database, token: string, now: number) {
  const owner = await tokenOwner(db, token, "invite", now);
  if (owner?.member.status !== "invited" || (owner.member.inviteExpiresAt ?? 0) <= now) return null;
  return owner;
}

/**
 * Accepts an invitation: the member chooses their name and password and becomes active. The link
 * works once; a second use (or two at once) finds it spent. Returns the member, or null when the
 * link no longer works.
 */
export async function acceptInvitation(
  env: Env,
  token: string,
  input: { name: string; password: string },
  now: number,
): Promise<Member | null> {
  const db = database(env.DB);
  const owner = await invitationOf(db, token, now);
  if (!owner) return null;
  const passwordHash = await hashPassword(input.password);
  const set = { status: "active" as const, name: input.name, passwordHash, passwordChangedAt: now, inviteExpiresAt: null };
  const accepted = await spendLink(
    db,
    owner.tokenHash,
    db
      .update(staff)
      .set(set)
      .where(and(eq(staff.id, owner.member.id), eq(staff.status, "invited"))),
    [statementOf(db.$client, dropTokens(db, owner.member.id, "invite"))],
    now,
  );
  return accepted ? { ...owner.member, ...set } : null;
}

/** Changes a member's role; demoting the last active admin is refused. */
export async function changeRole(env: Env, admin: TeamAdmin, staffId: string, role: StaffRole): Promise<void> {
  const db = database(env.DB);
  const m = await teamMember(db, admin, staffId);
  if (m.role === role) return;
  const demoting = m.role === "admin";
  await guarded(
    db,
    [
      statementOf(
        db.$client,
        db
          .update(staff)
          .set({ role })
          .where(and(eq(staff.id, m.id), eq(staff.role, m.role), ...(demoting ? [keepsAnAdmin] : []))),
      ),
      db.$client.prepare(GUARD_SQL),
    ],
    () => refusalFor(db, m),
  );
}

/** The statuses each access change starts from. */
const accessFrom = {
  deactivate: ["active"],
  reactivate: ["deactivated"],
  remove: ["active", "deactivated"],
} as const;

/** An access change: deactivate (sign-in refused, reversible), reactivate, or remove from the team. */
export type AccessChange = keyof typeof accessFrom;

/**
 * Deactivates, reactivates or removes a member. Deactivating or removing ends every session and
 * link they have at once; their replies, notes and other history stay, with their name. The last
 * active admin can be neither.
 */
export async function changeAccess(env: Env, admin: TeamAdmin, staffId: string, change: AccessChange): Promise<void> {
  const db = database(env.DB);
  const m = await teamMember(db, admin, staffId);
  const from: readonly string[] = accessFrom[change];
  if (!from.includes(m.status)) {
    throw new ApiError(
      "conflict",
      m.status === "invited"
        ? "This member has not accepted the invitation yet: revoke it instead"
        : change === "reactivate"
          ? "This member is already active"
          : "This member is already deactivated",
    );
  }
  const status = change === "reactivate" ? "active" : change === "deactivate" ? "deactivated" : "removed";
  const update = db
    .update(staff)
    .set({ status })
    .where(and(eq(staff.id, m.id), eq(staff.status, m.status), ...(change === "reactivate" ? [] : [keepsAnAdmin])));
  await guarded(
    db,
    [
      statementOf(db.$client, update),
      db.$client.prepare(GUARD_SQL),
      ...(change === "reactivate"
        ? []
        : [statementOf(db.$client, db.delete(sessions).where(eq(sessions.staffId, m.id))), statementOf(db.$client, dropTokens(db, m.id))]),
    ],
    () => refusalFor(db, m),
  );
}

/** The active staff rows of an email, across merchants (each its own password). */
export function activeRows(db: Database, email: string): Promise<Member[]> {
  return db.query.staff.findMany({
    where: and(eq(staff.email, email), eq(staff.status, "active")),
    orderBy: staff.createdAt,
    limit: MAX_ROWS_PER_EMAIL,
  });
}

/**
 * Asks for password reset emails: one per active staff row of the address (each merchant's login
 * is reset on its own). The caller answers the same whatever this finds, and the work is the same:
 * the same look-up and one D1 batch that counts the request against the address's and the
 * network's hourly caps (429 past them, for known and unknown addresses alike). Returns the
 * emails' outbox ids.
 */
export async function requestPasswordReset(env: Env, email: string, network: string, now: number): Promise<string[]> {
  const db = database(env.DB);
  const rows = await activeRows(db, email);
  const caps = [
    { key: `reset:email:${email}`, limit: RESET_CAPS.perEmailHour },
    { key: `reset:net:${network}`, limit: RESET_CAPS.perNetworkHour },
  ];
  const mails = rows.map((m) =>
    outboxInsert(
      db.$client,
      {
        channel: "email",
        event: "password-reset",
        merchantId: m.merchantId,
        recipient: m.email,
        payload: { staffId: m.id, requestedAt: now },
      },
      now,
    ),
  );
  try {
    await db.$client.batch([
      countCaps(db.$client, caps, now),
      capGuard(db.$client, caps, now),
      ...(mails.length ? mails.map((m) => m.statement) : [db.$client.prepare("SELECT 1")]),
    ]);
  } catch (e) {
    if (constraintFailed(e, "write_guard")) {
      throw new ApiError("rate-limited", "Too many reset requests. Please try again in an hour.", {
        headers: { "Retry-After": String(Math.ceil((HOUR - (now % HOUR)) / 1000)) },
      });
    }
    throw e;
  }
  return mails.map((m) => m.id);
}

/** The active member a reset link belongs to, while it works; else null. */
export async function resetOf(db: Database, token: string, now: number) {
  const owner = await tokenOwner(db, token, "reset", now);
  return owner && owner.member.status === "active" ? owner : null;
}

/**
 * Sets a new password from a reset link: the link works once, every other reset link of the member
 * stops working, and every session they have ends — one batch. Null when the link no longer works.
 */
export async function resetPassword(env: Env, token: string, password: string, now: number): Promise<Member | null> {
  const db = database(env.DB);
  const owner = await resetOf(db, token, now);
  if (!owner) return null;
  const passwordHash = await hashPassword(password);
  const reset = await spendLink(
    db,
    owner.tokenHash,
    db
      .update(staff)
      .set({ passwordHash, passwordChangedAt: now })
      .where(and(eq(staff.id, owner.member.id), eq(staff.status, "active"))),
    [
      statementOf(db.$client, db.delete(sessions).where(eq(sessions.staffId, owner.member.id))),
      statementOf(db.$client, dropTokens(db, owner.member.id, "reset")),
    ],
    now,
  );
  return reset ? { ...owner.member, passwordHash, passwordChangedAt: now } : null;
}
