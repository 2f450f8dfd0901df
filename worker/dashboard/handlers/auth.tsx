import { and, eq, inArray } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { merchants, staff } from "../../../schema/db.ts";
import { localeOf } from "../../engine/format.ts";
import { ApiError } from "../../errors.ts";
import { constraintFailed, database, GUARD_SQL } from "../../infra/db.ts";
import { clientNetwork } from "../../infra/http.ts";
import { verifyPassword } from "../../infra/password.ts";
import { statementOf } from "../../infra/statements.ts";
import { checklistPending } from "../../signup/onboarding.ts";
import { resendVerification, signupOpen } from "../../signup/signup.ts";
import { acceptInvitation, invitationOf, requestPasswordReset, resetOf, resetPassword } from "../../staff/team.ts";
import { newToken, spendToken, tokenOwner } from "../../staff/tokens.ts";
import type { DashEnv, StaffRow } from "../env.ts";
import { type Form, FormCheck, readForm } from "../forms.ts";
import { AccountPage } from "../pages/Account.tsx";
import { ChooseMerchantPage } from "../pages/ChooseMerchant.tsx";
import { JoinPage } from "../pages/Join.tsx";
import { LoginPage } from "../pages/Login.tsx";
import { ForgotPasswordPage, LinkExpiredPage, ResetPasswordPage, ResetSentPage } from "../pages/PasswordReset.tsx";
import { UnverifiedPage } from "../pages/Signup.tsx";
import { done, noticeFor, page } from "../render.tsx";
import {
  clearLoginFailures,
  clearLoginSecret,
  currentSession,
  endSession,
  formToken,
  formTokenValid,
  LOGIN_COOKIE,
  loginAttempt,
  loginSecret,
  PASSWORD_LENGTH,
  passwordProblem,
  recordLoginFailure,
  rememberDevice,
  setPassword,
  startSession,
  throttleLogin,
  verifyCredentials,
} from "../session.ts";

const DEFAULT_NEXT = "/dashboard/queue";

/** Only a path inside the dashboard is a place to go after sign-in (no open redirects). */
export function safeNext(next: string | undefined): string {
  if (!next || !/^\/dashboard\/[\w\-./?=&%]*$/.test(next) || next.includes("//") || next.includes("/..")) return DEFAULT_NEXT;
  return next;
}

const notices: Record<string, string> = {
  "signed-out": "You are signed out.",
  "password-changed": "Password changed. Sign in again.",
  verified: "Email confirmed. Sign in to set up your account.",
  "password-reset": "Your new password is set and every session of that login has ended. Sign in with the new password.",
};

/** How long the merchant chooser's one-time choices work after the password was right. */
const CHOICE_TTL_MS = 10 * 60_000;

/** Whether a public form carries the token of this browser's pre-login cookie (login CSRF). */
async function loginFormValid(c: Context<DashEnv>, form: Form): Promise<boolean> {
  const presented = getCookie(c, LOGIN_COOKIE);
  return presented !== undefined && (await formTokenValid(presented, form._csrf ?? ""));
}

/** The form token for this browser's pre-login cookie (set when missing). */
const loginToken = (c: Context<DashEnv>) => formToken(loginSecret(c));

/**
 * Signs a member in (a fresh session, this browser remembered as theirs, the pre-login cookie
 * dropped) and answers with where they go: a signed-up merchant's admin lands on the first-run
 * checklist until it is done.
 */
async function signIn(c: Context<DashEnv>, member: StaffRow, next: string): Promise<Response> {
  const db = database(c.env.DB);
  await startSession(c, db, member);
  await rememberDevice(c, member);
  clearLoginSecret(c);
  if (next === DEFAULT_NEXT && member.role === "admin" && (await checklistPending(db, member.merchantId))) {
    return c.redirect("/dashboard/onboarding", 303);
  }
  return c.redirect(next, 303);
}

/** A throttled form post answered with its page again (429, with the limiter's Retry-After); any other error goes on up. */
async function rateLimited(e: unknown, again: (status: number, error: string) => Promise<Response>): Promise<Response> {
  if (!(e instanceof ApiError) || e.code !== "rate-limited") throw e;
  const res = await again(429, e.message);
  res.headers.set("Retry-After", e.headers?.["Retry-After"] ?? "60");
  return res;
}

/** Pages a link from an email opens: the token is in their URL, so nothing they load may see it. */
function noReferrer(res: Response): Response {
  res.headers.set("Referrer-Policy", "no-referrer");
  return res;
}

/** Sign-in and sign-out: the only dashboard routes reachable without a session (sign-out needs one). */
export const publicAuth = new Hono<DashEnv>();

publicAuth.get("/login", async (c) => {
  if (await currentSession(c, database(c.env.DB))) return c.redirect(safeNext(c.req.query("next")), 303);
  const secret = loginSecret(c);
  return page(
    c,
    { title: "Sign in", signedIn: false },
    <LoginPage
      token={await formToken(secret)}
      next={safeNext(c.req.query("next"))}
      notice={noticeFor(notices, c.req.query("done"))}
      signup={signupOpen(c.env)}
    />,
  );
});

publicAuth.post("/login", async (c) => {
  const db = database(c.env.DB);
  const form = await readForm(c);
  const email = (form.email ?? "").trim().toLowerCase().slice(0, 254);
  const next = safeNext(form.next);
  const again = async (status: number, error: string) => {
    const secret = loginSecret(c);
    return page(
      c,
      { title: "Sign in", signedIn: false, status },
      <LoginPage token={await formToken(secret)} next={next} error={error} email={email} signup={signupOpen(c.env)} />,
    );
  };
  const presented = getCookie(c, LOGIN_COOKIE);
  if (!presented || !(await formTokenValid(presented, form._csrf ?? ""))) {
    return again(403, "This sign-in form expired. Please try again.");
  }
  const attempt = await loginAttempt(c, db, email, clientNetwork(c));
  try {
    await throttleLogin(c.env, db, attempt, c.var.now);
  } catch (e) {
    return rateLimited(e, again);
  }
  const matches = await verifyCredentials(db, attempt.members, (form.password ?? "").slice(0, PASSWORD_LENGTH.max));
  const [only] = matches;
  if (!only) {
    await recordLoginFailure(db, attempt, c.var.now);
    return again(401, "Email or password is incorrect.");
  }
  await clearLoginFailures(db, attempt);
  const verified = matches.filter((m) => m.emailVerified);
  const [first] = verified;
  if (!first) {
    // The right password, an unconfirmed address (a sign-up not confirmed yet): a fresh link instead of a session.
    const sent = await resendVerification(db, only, localeOf(c.req.header("Accept-Language")?.slice(0, 2)), c.var.now);
    return page(c, { title: "Confirm your email", signedIn: false, status: 403 }, <UnverifiedPage email={only.email} sent={sent} />);
  }
  if (verified.length === 1) return signIn(c, first, next);
  // The same email and password on several teams: one one-time choice per team, then sign in there.
  const now = c.var.now;
  const names = await db
    .select({ id: merchants.id, name: merchants.name })
    .from(merchants)
    .where(
      inArray(
        merchants.id,
        verified.map((m) => m.merchantId),
      ),
    );
  const choices = [];
  for (const m of verified) {
    const { token, insert } = await newToken(db, m, "sign-in", now + CHOICE_TTL_MS, now);
    await insert;
    choices.push({ merchant: names.find((n) => n.id === m.merchantId)?.name ?? m.merchantId, role: m.role, choice: token });
  }
  choices.sort((a, b) => a.merchant.localeCompare(b.merchant));
  return page(
    c,
    { title: "Choose a team", signedIn: false },
    <ChooseMerchantPage token={await loginToken(c)} next={next} choices={choices} />,
  );
});

publicAuth.post("/login/choose", async (c) => {
  const db = database(c.env.DB);
  const form = await readForm(c);
  const next = safeNext(form.next);
  const expired = async () =>
    page(
      c,
      { title: "Sign in", signedIn: false, status: 403 },
      <LoginPage token={await loginToken(c)} next={next} error="This choice expired. Please sign in again." />,
    );
  if (!(await loginFormValid(c, form))) return expired();
  const owner = await tokenOwner(db, form.choice ?? "", "sign-in", c.var.now);
  if (owner?.member.status !== "active") return expired();
  try {
    await db.$client.batch([statementOf(db.$client, spendToken(db, owner.tokenHash, c.var.now)), db.$client.prepare(GUARD_SQL)]);
  } catch (e) {
    if (constraintFailed(e, "write_guard")) return expired();
    throw e;
  }
  return signIn(c, owner.member, next);
});

publicAuth.get("/forgot", async (c) =>
  page(c, { title: "Reset your password", signedIn: false }, <ForgotPasswordPage token={await loginToken(c)} />),
);

publicAuth.get("/forgot/sent", (c) => page(c, { title: "Check your email", signedIn: false }, <ResetSentPage />));

publicAuth.post("/forgot", async (c) => {
  const form = await readForm(c);
  const check = new FormCheck(form);
  const email = check.email("email");
  const again = async (status: number, error: string) =>
    page(
      c,
      { title: "Reset your password", signedIn: false, status },
      <ForgotPasswordPage token={await loginToken(c)} email={email.slice(0, 254)} error={error} />,
    );
  if (!(await loginFormValid(c, form))) return again(403, "This form expired. Please try again.");
  if (check.errors.length) return again(400, check.errors[0]?.message ?? "Enter a valid email address");
  const network = clientNetwork(c);
  const { success } = await c.env.RL_LOGIN.limit({ key: `reset:${network}` });
  try {
    if (!success)
      throw new ApiError("rate-limited", "Too many reset requests. Wait a minute and try again.", { headers: { "Retry-After": "60" } });
    // The emails go out with the next delivery run (every minute), like every other email.
    await requestPasswordReset(c.env, email, network, c.var.now);
  } catch (e) {
    return rateLimited(e, again);
  }
  // Post/redirect/get, to the one page every address gets (the address is not in the URL).
  return c.redirect("/dashboard/forgot/sent", 303);
});

publicAuth.get("/reset", async (c) => {
  const link = c.req.query("k") ?? "";
  const owner = await resetOf(database(c.env.DB), link, c.var.now);
  if (!owner) return noReferrer(page(c, { title: "Link expired", signedIn: false, status: 404 }, <LinkExpiredPage kind="reset" />));
  return noReferrer(await showReset(c, link, owner.member));
});

/** The name of a member's merchant, for the pages their email links open ("" when it is gone). */
async function merchantNameOf(c: Context<DashEnv>, member: StaffRow): Promise<string> {
  const merchant = await database(c.env.DB)
    .select({ name: merchants.name })
    .from(merchants)
    .where(eq(merchants.id, member.merchantId))
    .get();
  return merchant?.name ?? "";
}

async function showReset(c: Context<DashEnv>, link: string, member: StaffRow, error?: string, status?: number) {
  const merchant = await merchantNameOf(c, member);
  return page(
    c,
    { title: "Choose a new password", signedIn: false, status: status ?? (error ? 400 : 200) },
    <ResetPasswordPage token={await loginToken(c)} link={link} email={member.email} merchant={merchant} error={error} />,
  );
}

publicAuth.post("/reset", async (c) => {
  const db = database(c.env.DB);
  const form = await readForm(c);
  const link = form.k ?? "";
  const owner = await resetOf(db, link, c.var.now);
  const gone = () => noReferrer(page(c, { title: "Link expired", signedIn: false, status: 404 }, <LinkExpiredPage kind="reset" />));
  if (!owner) return gone();
  if (!(await loginFormValid(c, form)))
    return noReferrer(await showReset(c, link, owner.member, "This form expired. Please try again.", 403));
  const password = form.password ?? "";
  const problem = passwordProblem(password);
  if (problem) return noReferrer(await showReset(c, link, owner.member, problem));
  if (!(await resetPassword(c.env, link, password, c.var.now))) return gone();
  return c.redirect("/dashboard/login?done=password-reset", 303);
});

async function showJoin(
  c: Context<DashEnv>,
  link: string,
  member: StaffRow,
  extra: { name?: string; errors?: FormCheck["errors"]; status?: number } = {},
) {
  const merchant = await merchantNameOf(c, member);
  return noReferrer(
    page(
      c,
      { title: "Join the team", signedIn: false, status: extra.status ?? (extra.errors?.length ? 400 : 200) },
      <JoinPage
        token={await loginToken(c)}
        link={link}
        email={member.email}
        name={extra.name ?? member.name}
        merchant={merchant}
        role={member.role}
        errors={extra.errors}
      />,
    ),
  );
}

const inviteGone = (c: Context<DashEnv>) =>
  noReferrer(page(c, { title: "Link expired", signedIn: false, status: 404 }, <LinkExpiredPage kind="invite" />));

publicAuth.get("/join", async (c) => {
  const link = c.req.query("k") ?? "";
  const owner = await invitationOf(database(c.env.DB), link, c.var.now);
  if (!owner) return inviteGone(c);
  return showJoin(c, link, owner.member);
});

publicAuth.post("/join", async (c) => {
  const db = database(c.env.DB);
  const form = await readForm(c);
  const link = form.k ?? "";
  const owner = await invitationOf(db, link, c.var.now);
  if (!owner) return inviteGone(c);
  const check = new FormCheck(form);
  const name = check.text("name", { min: 1, max: 120, label: "your name" });
  if (!(await loginFormValid(c, form))) {
    return showJoin(c, link, owner.member, {
      name,
      errors: [{ path: "form", message: "This form expired. Please try again." }],
      status: 403,
    });
  }
  const problem = passwordProblem(form.password ?? "");
  if (problem) check.fail("password", problem);
  if (check.errors.length) return showJoin(c, link, owner.member, { name, errors: check.errors });
  const member = await acceptInvitation(c.env, link, { name, password: form.password ?? "" }, c.var.now);
  if (!member) return inviteGone(c);
  const row = await db.query.staff.findFirst({ where: and(eq(staff.id, member.id), eq(staff.status, "active")) });
  if (!row) return inviteGone(c);
  return signIn(c, row, DEFAULT_NEXT);
});

/** Routes of a signed-in staff member's own session and account. */
export const account = new Hono<DashEnv>();

account.post("/logout", async (c) => {
  await endSession(c, database(c.env.DB), c.var.session.tokenHash);
  return c.redirect("/dashboard/login?done=signed-out", 303);
});

account.get("/account", (c) => {
  const notice = c.req.query("done") === "password" ? "Password changed. Your other sessions were signed out." : undefined;
  return page(c, { title: "Account", section: "account" }, <AccountPage session={c.var.session} notice={notice} />);
});

account.post("/account/password", async (c) => {
  const db = database(c.env.DB);
  const session = c.var.session;
  const form = await readForm(c);
  const check = new FormCheck(form);
  const password = form.password ?? "";
  const problem = passwordProblem(password);
  if (problem) check.fail("password", problem);
  const current = await verifyPassword((form.current ?? "").slice(0, PASSWORD_LENGTH.max), session.staff.passwordHash);
  if (!current.ok) check.fail("current", "The current password is not correct");
  if (check.errors.length) {
    return page(c, { title: "Account", section: "account", status: 400 }, <AccountPage session={session} errors={check.errors} />);
  }
  // Every session ends, this one included; this browser gets a fresh one.
  await setPassword(db, session.staff.id, password, c.var.now);
  await startSession(c, db, session.staff);
  return done(c, "/dashboard/account", "password");
});
