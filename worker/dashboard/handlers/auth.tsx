import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { localeOf } from "../../engine/format.ts";
import { ApiError } from "../../errors.ts";
import { database } from "../../infra/db.ts";
import { clientNetwork } from "../../infra/http.ts";
import { verifyPassword } from "../../infra/password.ts";
import { checklistPending } from "../../signup/onboarding.ts";
import { resendVerification, signupOpen } from "../../signup/signup.ts";
import type { DashEnv } from "../env.ts";
import { FormCheck, readForm } from "../forms.ts";
import { AccountPage } from "../pages/Account.tsx";
import { LoginPage } from "../pages/Login.tsx";
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
};

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
    if (!(e instanceof ApiError) || e.code !== "rate-limited") throw e;
    const res = await again(429, e.message);
    res.headers.set("Retry-After", e.headers?.["Retry-After"] ?? "60");
    return res;
  }
  const member = await verifyCredentials(db, attempt.member, (form.password ?? "").slice(0, PASSWORD_LENGTH.max));
  if (!member) {
    await recordLoginFailure(db, attempt, c.var.now);
    return again(401, "Email or password is incorrect.");
  }
  await clearLoginFailures(db, attempt);
  if (!member.emailVerified) {
    // The right password, an unconfirmed address: a fresh link instead of a session.
    const sent = await resendVerification(db, member, localeOf(c.req.header("Accept-Language")?.slice(0, 2)), c.var.now);
    return page(c, { title: "Confirm your email", signedIn: false, status: 403 }, <UnverifiedPage email={member.email} sent={sent} />);
  }
  await startSession(c, db, member);
  await rememberDevice(c, member);
  clearLoginSecret(c);
  // A signed-up merchant's admin lands on the first-run checklist until it is done.
  if (next === DEFAULT_NEXT && member.role === "admin" && (await checklistPending(db, member.merchantId))) {
    return c.redirect("/dashboard/onboarding", 303);
  }
  return c.redirect(next, 303);
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
