import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { localeOf, supportedLocales } from "../../engine/format.ts";
import { ApiError } from "../../errors.ts";
import { database } from "../../infra/db.ts";
import { clientNetwork } from "../../infra/http.ts";
import { signUp, signupOpen } from "../../signup/signup.ts";
import { consumeVerifyToken, verifyTokenValid } from "../../signup/verification.ts";
import type { DashEnv } from "../env.ts";
import { FormCheck, readForm } from "../forms.ts";
import { SignupClosedPage, SignupPage, SignupSentPage, VerifyPage } from "../pages/Signup.tsx";
import { done, page } from "../render.tsx";
import { formToken, formTokenValid, LOGIN_COOKIE, loginSecret, PASSWORD_LENGTH, passwordProblem } from "../session.ts";

/**
 * Sign-up and email verification: reachable without a session. Forms are bound to the pre-login
 * cookie (as the sign-in form is), so another site cannot post them in the visitor's name.
 */
export const signup = new Hono<DashEnv>();

const closed = (c: Parameters<typeof page>[0]) => page(c, { title: "Sign up", signedIn: false, status: 403 }, <SignupClosedPage />);

signup.get("/signup", async (c) => {
  if (!signupOpen(c.env)) return closed(c);
  return page(c, { title: "Sign up", signedIn: false }, <SignupPage token={await formToken(loginSecret(c))} />);
});

signup.post("/signup", async (c) => {
  if (!signupOpen(c.env)) return closed(c);
  const form = await readForm(c);
  const check = new FormCheck(form);
  const merchantName = check.text("merchant", { min: 1, max: 120, label: "your business name" });
  const email = check.email("email");
  const password = (form.password ?? "").slice(0, PASSWORD_LENGTH.max + 1);
  const problem = passwordProblem(password);
  if (problem) check.fail("password", problem);
  const locale = check.oneOf("locale", supportedLocales, "Choose English or Español");
  const values = { merchant: merchantName, email, locale };
  const again = async (status: number, extra: { errors?: typeof check.errors; error?: string }) =>
    page(
      c,
      { title: "Sign up", signedIn: false, status },
      <SignupPage token={await formToken(loginSecret(c))} values={values} {...extra} />,
    );
  const presented = getCookie(c, LOGIN_COOKIE);
  if (!presented || !(await formTokenValid(presented, form._csrf ?? "")))
    return again(403, { error: "This form expired. Please try again." });
  if (check.errors.length) return again(400, { errors: check.errors });
  const network = clientNetwork(c);
  const { success } = await c.env.RL_LOGIN.limit({ key: `signup:${network}` });
  try {
    if (!success)
      throw new ApiError("rate-limited", "Too many attempts. Wait a minute and try again.", { headers: { "Retry-After": "60" } });
    await signUp(database(c.env.DB), { merchantName, email, password, locale: localeOf(locale) }, network, c.var.now);
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== "rate-limited") throw e;
    const res = await again(429, { error: "Too many sign-ups from your network. Please try again later." });
    res.headers.set("Retry-After", e.headers?.["Retry-After"] ?? "60");
    return res;
  }
  return page(c, { title: "Check your email", signedIn: false }, <SignupSentPage email={email} />);
});

signup.get("/verify", async (c) => {
  const k = c.req.query("k") ?? "";
  const valid = await verifyTokenValid(database(c.env.DB), k, c.var.now);
  return page(
    c,
    { title: "Confirm your email", signedIn: false, status: valid ? 200 : 404 },
    <VerifyPage token={await formToken(loginSecret(c))} k={k} valid={valid} />,
  );
});

signup.post("/verify", async (c) => {
  const form = await readForm(c);
  const presented = getCookie(c, LOGIN_COOKIE);
  if (!presented || !(await formTokenValid(presented, form._csrf ?? ""))) {
    throw new ApiError("forbidden", "This form expired. Open the link from the email again.");
  }
  const used = await consumeVerifyToken(database(c.env.DB), form.k ?? "", c.var.now);
  if (!used) {
    return page(
      c,
      { title: "Confirm your email", signedIn: false, status: 404 },
      <VerifyPage token={await formToken(loginSecret(c))} k="" valid={false} />,
    );
  }
  return done(c, "/dashboard/login", "verified");
});
