import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { merchants, outbox, policies, sites, staff, staffTokens } from "../../../schema/db.ts";
import { parsePolicy } from "../../../schema/policy.ts";
import { createApp } from "../../../worker/app.ts";
import { sha256Hex } from "../../../worker/infra/crypto.ts";
import { SIGNUPS_PER_NETWORK_HOUR } from "../../../worker/signup/signup.ts";
import { VERIFY_TTL_MS } from "../../../worker/signup/verification.ts";
import { Browser } from "../dashboard/helpers.ts";
import { db, freshIp, HOST, seed } from "../helpers.ts";
import { changed, fingerprint } from "../security/support/state.ts";
import { confirm, freshEmail, linkToken, mailTo, PASSWORD, postSignup } from "./helpers.ts";

beforeAll(async () => {
  await seed();
});

const staffOf = (email: string) => db.query.staff.findFirst({ where: eq(staff.email, email) });

describe("sign-up", () => {
  it("shows the form when sign-up is open", async () => {
    const res = await new Browser().get("/dashboard/signup");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Create your Replyby account");
    expect(html).toContain('name="merchant"');
  });

  it("creates the merchant, its blank policy, a site and the unverified admin, and queues the verification email", async () => {
    const email = freshEmail();
    const res = await postSignup(new Browser(), { merchant: "Acme Shoes", email, password: PASSWORD, locale: "es" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Check your email");
    const member = await staffOf(email);
    expect(member).toMatchObject({ role: "admin", emailVerified: false, name: "Acme Shoes" });
    expect(member?.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$/);
    const merchantId = member?.merchantId ?? "";
    expect(await db.query.merchants.findFirst({ where: eq(merchants.id, merchantId) })).toMatchObject({
      name: "Acme Shoes",
      policyVersion: 1,
      onboarding: {},
    });
    const policy = await db.query.policies.findFirst({ where: eq(policies.merchantId, merchantId) });
    expect(parsePolicy(policy?.body).ok).toBe(true);
    const site = await db.query.sites.findFirst({ where: eq(sites.merchantId, merchantId) });
    expect(site).toMatchObject({ allowedOrigins: [], defaultLocale: "es", inboundAddress: null });
    const queued = await db.select().from(outbox).where(eq(outbox.recipient, email));
    expect(queued.map((r) => r.event)).toEqual(["verify-email"]);
    // The outbox row holds no link: it is made when the email is sent.
    expect(queued[0]?.payload).not.toMatch(/verify\?k=/);
  });

  it("sends the verification link in the chosen language, from MAIL_FROM, with the link stored only as a hash", async () => {
    const email = freshEmail();
    await postSignup(new Browser(), { merchant: "Zapatería Sol", email, password: PASSWORD, locale: "es" });
    const [mail] = await mailTo(email);
    expect(mail?.subject).toBe("Confirme su correo para empezar a usar Replyby");
    expect(mail?.sender).toBe(`Replyby <${env.MAIL_FROM}>`);
    expect(mail?.text).toContain("Zapatería Sol");
    expect(mail?.text).toContain("caduca en 24 horas");
    const token = linkToken(mail?.text ?? "");
    const rows = await db
      .select()
      .from(staffTokens)
      .where(eq(staffTokens.tokenHash, await sha256Hex(token)));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(await db.select().from(staffTokens))).not.toContain(token);
  });

  it("renders the English verification email", async () => {
    const email = freshEmail();
    await postSignup(new Browser(), { merchant: "Acme", email, password: PASSWORD });
    const [mail] = await mailTo(email);
    expect(mail?.subject).toBe("Confirm your email to start using Replyby");
    expect(mail?.text).toContain("signed up for Replyby for Acme");
    expect(mail?.html).toContain("Confirm my email");
  });

  it("lets an address that already works for another merchant sign up its own: the same answer, a new team, the other login untouched", async () => {
    const fresh = await postSignup(new Browser(), { merchant: "New", email: freshEmail(), password: PASSWORD });
    const before = await db.query.staff.findFirst({ where: eq(staff.id, "st_ecellar_admin") });
    const res = await postSignup(new Browser(), { merchant: "Second shop", email: "admin@ecellar.demo", password: PASSWORD });
    expect(res.status).toBe(fresh.status);
    const strip = (html: string) => html.replace(/<strong>[^<]*<\/strong>/, "").replace(/nonce="[^"]+"/g, "");
    expect(strip(await res.text())).toBe(strip(await fresh.text()));
    const logins = await db.query.staff.findMany({ where: eq(staff.email, "admin@ecellar.demo") });
    expect(logins.map((m) => [m.merchantId === "m_ecellar", m.emailVerified]).sort()).toEqual([
      [false, false],
      [true, true],
    ]);
    expect(await db.query.staff.findFirst({ where: eq(staff.id, "st_ecellar_admin") })).toEqual(before);
    const [mail] = await mailTo("admin@ecellar.demo");
    expect(mail?.subject).toBe("Confirm your email to start using Replyby");
    const b = new Browser();
    expect((await confirm(b, linkToken(mail?.text ?? ""))).status).toBe(303);
    const login = await b.login("admin@ecellar.demo", PASSWORD);
    expect([login.status, login.headers.get("Location")]).toEqual([303, "/dashboard/onboarding"]);
  });

  it("lets the latest sign-up of an address nobody confirmed take it over (its password; old links stop working)", async () => {
    const email = freshEmail();
    await postSignup(new Browser(), { merchant: "First", email, password: "first password here" });
    const [first] = await mailTo(email);
    await postSignup(new Browser(), { merchant: "Second", email, password: PASSWORD });
    const [second] = await mailTo(email);
    const b = new Browser();
    expect((await confirm(b, linkToken(first?.text ?? ""))).status).toBe(404);
    expect((await confirm(b, linkToken(second?.text ?? ""))).status).toBe(303);
    expect((await b.login(email, "first password here")).status).toBe(401);
    expect((await b.login(email, PASSWORD)).status).toBe(303);
  });

  it.each([
    ["merchant", { merchant: "", email: "a@b.test", password: PASSWORD }, "Enter your business name"],
    ["email", { merchant: "A", email: "not-an-email", password: PASSWORD }, "Enter a valid email address"],
    ["password", { merchant: "A", email: "a@b.test", password: "short" }, "Use at least 12 characters"],
    ["locale", { merchant: "A", email: "a@b.test", password: PASSWORD, locale: "fr" }, "Choose English or Español"],
  ])("refuses a bad %s with its field error, creating nothing", async (path, fields, message) => {
    const before = await fingerprint();
    const res = await postSignup(new Browser(), fields);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(`id="${path}-error">${message.replace("'", "&#39;")}</p>`);
    expect(html).toContain('aria-invalid="true"');
    expect(changed(before, await fingerprint())).toEqual([]);
  });

  it("refuses a post without the form token (CSRF), creating nothing", async () => {
    const b = new Browser();
    await b.get("/dashboard/signup");
    const before = await fingerprint();
    const res = await b.request("/dashboard/signup", {
      form: { _csrf: "forged", merchant: "A", email: freshEmail(), password: PASSWORD, locale: "en" },
    });
    expect(res.status).toBe(403);
    expect(changed(before, await fingerprint())).toEqual([]);
  });

  it("refuses a post from another site before reading it", async () => {
    const res = await new Browser().request("/dashboard/signup", {
      form: { merchant: "A", email: freshEmail(), password: PASSWORD },
      origin: "https://evil.test",
    });
    expect(res.status).toBe(403);
  });

  it(`limits one network to ${SIGNUPS_PER_NETWORK_HOUR} sign-ups an hour (429 with Retry-After)`, async () => {
    const ip = freshIp();
    for (let i = 0; i < SIGNUPS_PER_NETWORK_HOUR; i++) {
      expect((await postSignup(new Browser(ip), { merchant: `M${i}`, email: freshEmail(), password: PASSWORD })).status).toBe(200);
    }
    const before = await fingerprint();
    const res = await postSignup(new Browser(ip), { merchant: "One more", email: freshEmail(), password: PASSWORD });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(changed(before, await fingerprint())).toEqual([]);
  });
});

describe("verification", () => {
  async function signedUp() {
    const email = freshEmail();
    await postSignup(new Browser(), { merchant: "Verify Co", email, password: PASSWORD });
    const [mail] = await mailTo(email);
    return { email, token: linkToken(mail?.text ?? "") };
  }

  it("keeps an unverified admin out and sends a fresh link instead of a session", async () => {
    const { email } = await signedUp();
    const b = new Browser();
    const res = await b.login(email, PASSWORD);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Confirm your email first");
    expect(b.cookies.has("__Host-rb_session")).toBe(false);
    expect((await mailTo(email)).length).toBe(2);
  });

  it("shows a confirm button for a valid link and changes nothing on GET", async () => {
    const { email, token } = await signedUp();
    const res = await new Browser().get(`/dashboard/verify?k=${token}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Confirm my email");
    expect((await staffOf(email))?.emailVerified).toBe(false);
  });

  it("verifies the address; the admin then signs in and lands on the checklist", async () => {
    const { email, token } = await signedUp();
    const b = new Browser();
    const res = await confirm(b, token);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/dashboard/login?done=verified");
    expect((await staffOf(email))?.emailVerified).toBe(true);
    const login = await b.login(email, PASSWORD);
    expect(login.status).toBe(303);
    expect(login.headers.get("Location")).toBe("/dashboard/onboarding");
  });

  it("refuses a used link (single use)", async () => {
    const { token } = await signedUp();
    expect((await confirm(new Browser(), token)).status).toBe(303);
    const again = await confirm(new Browser(), token);
    expect(again.status).toBe(404);
    expect(await again.text()).toContain("expired or was already used");
  });

  it("refuses an expired link", async () => {
    const { email, token } = await signedUp();
    await db
      .update(staffTokens)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(staffTokens.tokenHash, await sha256Hex(token)));
    const b = new Browser();
    expect((await b.get(`/dashboard/verify?k=${token}`)).status).toBe(404);
    expect((await confirm(b, token)).status).toBe(404);
    expect((await staffOf(email))?.emailVerified).toBe(false);
  });

  it("refuses a made-up link", async () => {
    expect((await confirm(new Browser(), "A".repeat(43))).status).toBe(404);
    expect((await new Browser().get("/dashboard/verify?k=nope")).status).toBe(404);
  });

  it("refuses the confirm post without the form token", async () => {
    const { email, token } = await signedUp();
    const b = new Browser();
    await b.get(`/dashboard/verify?k=${token}`);
    expect((await b.request("/dashboard/verify", { form: { _csrf: "forged", k: token } })).status).toBe(403);
    expect((await staffOf(email))?.emailVerified).toBe(false);
  });

  it(`makes links that expire after ${VERIFY_TTL_MS / 3_600_000} hours`, async () => {
    const { token } = await signedUp();
    const row = await db.query.staffTokens.findFirst({ where: eq(staffTokens.tokenHash, await sha256Hex(token)) });
    expect((row?.expiresAt ?? 0) - (row?.createdAt ?? 0)).toBe(VERIFY_TTL_MS);
  });
});

describe("invite-only (SIGNUP = invite)", () => {
  const app = createApp();
  const inviteOnly = (path: string, init: RequestInit = {}) =>
    app.fetch(new Request(`${HOST}${path}`, { ...init, headers: { "CF-Connecting-IP": freshIp(), Origin: HOST, ...init.headers } }), {
      ...env,
      SIGNUP: "invite",
    });

  it("shows a page that says so instead of the form", async () => {
    const res = await inviteOnly("/dashboard/signup");
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain("Sign-up is by invitation");
    expect(html).not.toContain('name="merchant"');
  });

  it("refuses a posted form, creating nothing", async () => {
    const before = await fingerprint();
    const body = new URLSearchParams({ merchant: "A", email: freshEmail(), password: PASSWORD, locale: "en" }).toString();
    const res = await inviteOnly("/dashboard/signup", {
      method: "POST",
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(403);
    expect(changed(before, await fingerprint())).toEqual([]);
  });

  it("does not offer sign-up on the sign-in page", async () => {
    expect(await (await inviteOnly("/dashboard/login")).text()).not.toContain("/dashboard/signup");
  });
});
