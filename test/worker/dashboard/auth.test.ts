import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { sessions, staff } from "../../../schema/db.ts";
import { LOGIN_FREE_FAILURES, SESSION_COOKIE } from "../../../worker/dashboard/session.ts";
import { sha256Hex } from "../../../worker/infra/crypto.ts";
import { hashPassword, MAX_PBKDF2_ITERATIONS, verifyPassword } from "../../../worker/infra/password.ts";
import { db, seed } from "../helpers.ts";
import { Browser, formTokenIn, loggedIn, signedIn } from "./helpers.ts";

beforeAll(async () => {
  await seed();
});

async function sessionRows(staffId: string) {
  return db.select().from(sessions).where(eq(sessions.staffId, staffId));
}

describe("sign-in", () => {
  it("sends a visitor without a session to the login page, keeping where they were going", async () => {
    const res = await new Browser().get("/dashboard/queue?status=open");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/dashboard/login?next=%2Fdashboard%2Fqueue%3Fstatus%3Dopen");
  });

  it("sets a __Host- session cookie that is HttpOnly, Secure, SameSite=Lax and Path=/", async () => {
    const b = new Browser();
    const res = await b.login("agent@ecellar.demo");
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? "";
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it("stores only the SHA-256 of the session token", async () => {
    const b = await loggedIn("agent@commerceup.demo");
    const token = b.cookies.get(SESSION_COOKIE) ?? "";
    const rows = await sessionRows("st_commerceup_agent");
    expect(rows.map((r) => r.tokenHash)).toContain(await sha256Hex(token));
    expect(rows.some((r) => r.tokenHash === token)).toBe(false);
  });

  it("redirects to the page asked for after signing in", async () => {
    const b = new Browser();
    const page = await b.get("/dashboard/login?next=%2Fdashboard%2Fincidents");
    const token = formTokenIn(await page.text());
    const res = await b.request("/dashboard/login", {
      form: { _csrf: token, email: "agent@ecellar.demo", password: "replyby-demo", next: "/dashboard/incidents" },
    });
    expect(res.headers.get("Location")).toBe("/dashboard/incidents");
  });

  it("never redirects off the dashboard after signing in", async () => {
    const b = new Browser();
    const token = formTokenIn(await (await b.get("/dashboard/login")).text());
    const res = await b.request("/dashboard/login", {
      form: { _csrf: token, email: "agent@ecellar.demo", password: "replyby-demo", next: "//evil.test/dashboard/" },
    });
    expect(res.headers.get("Location")).toBe("/dashboard/queue");
  });

  it("accepts the email in any letter case", async () => {
    const res = await new Browser().login("Agent@ECellar.demo");
    expect(res.status).toBe(303);
  });

  it("refuses a wrong password with the same message as an unknown email", async () => {
    const wrong = await new Browser().login("agent@ecellar.demo", "not-the-password");
    const unknown = await new Browser().login("nobody@ecellar.demo", "not-the-password");
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    const message = (html: string) => /<p class="flash error"[^>]*>([^<]*)</.exec(html)?.[1];
    expect(message(await wrong.text())).toBe(message(await unknown.text()));
  });

  it("refuses a login form posted without its token (login CSRF)", async () => {
    const b = new Browser();
    await b.get("/dashboard/login");
    const res = await b.request("/dashboard/login", { form: { _csrf: "forged", email: "agent@ecellar.demo", password: "replyby-demo" } });
    expect(res.status).toBe(403);
    expect(b.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("shows the login page to a signed-out visitor and the queue to a signed-in one", async () => {
    const b = await loggedIn("agent@ecellar.demo");
    const res = await b.get("/dashboard/login");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/dashboard/queue");
  });
});

describe("session rotation and fixation", () => {
  it("issues a new token at every sign-in and ends the one the browser presented", async () => {
    const first = (await loggedIn("agent@easy-commission.demo")).cookies.get(SESSION_COOKIE) ?? "";
    const b = new Browser();
    const token = formTokenIn(await (await b.get("/dashboard/login")).text());
    b.cookies.set(SESSION_COOKIE, first);
    await b.request("/dashboard/login", { form: { _csrf: token, email: "agent@easy-commission.demo", password: "replyby-demo" } });
    const second = b.cookies.get(SESSION_COOKIE) ?? "";
    expect(second).not.toBe(first);
    const hashes = (await sessionRows("st_easy-commission_agent")).map((r) => r.tokenHash);
    expect(hashes).not.toContain(await sha256Hex(first));
  });

  it("replaces a valid session of someone else presented at sign-in with a new one of the person signing in", async () => {
    // Fixation with a live session: the attacker's own valid cookie planted in the victim's browser.
    const planted = (await loggedIn("admin@commerceup.demo")).cookies.get(SESSION_COOKIE) ?? "";
    const b = new Browser();
    const token = formTokenIn(await (await b.get("/dashboard/login")).text());
    b.cookies.set(SESSION_COOKIE, planted);
    const res = await b.request("/dashboard/login", { form: { _csrf: token, email: "admin@ecellar.demo", password: "replyby-demo" } });
    expect(res.status).toBe(303);
    const issued = b.cookies.get(SESSION_COOKIE) ?? "";
    expect(issued).not.toBe(planted);
    const row = await db.query.sessions.findFirst({ where: eq(sessions.tokenHash, await sha256Hex(issued)) });
    expect(row?.staffId).toBe("st_ecellar_admin");
    expect(await db.query.sessions.findFirst({ where: eq(sessions.tokenHash, await sha256Hex(planted)) })).toBeUndefined();
  });

  it("answers the login page with a redirect for a valid session, issuing no new session", async () => {
    const b = await signedIn("agent@ecshops.demo");
    const res = await b.get("/dashboard/login");
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
  });

  it("never adopts a session token planted before sign-in", async () => {
    const b = new Browser();
    const planted = "A".repeat(43);
    b.cookies.set(SESSION_COOKIE, planted);
    await b.login("agent@ecshops.demo");
    expect(b.cookies.get(SESSION_COOKIE)).not.toBe(planted);
    const attacker = new Browser();
    attacker.cookies.set(SESSION_COOKIE, planted);
    expect((await attacker.get("/dashboard/queue")).status).toBe(303);
  });

  it("refuses an expired session", async () => {
    const b = await loggedIn("admin@ecshops.demo");
    const hash = await sha256Hex(b.cookies.get(SESSION_COOKIE) ?? "");
    await db
      .update(sessions)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(sessions.tokenHash, hash));
    expect((await b.get("/dashboard/queue")).status).toBe(303);
  });
});

describe("sign-out", () => {
  it("ends the session server-side, so the old cookie no longer works", async () => {
    const b = await loggedIn("agent@ecellar.demo");
    const token = b.cookies.get(SESSION_COOKIE) ?? "";
    const res = await b.post("/dashboard/logout");
    expect(res.status).toBe(303);
    expect(b.cookies.has(SESSION_COOKIE)).toBe(false);
    const replay = new Browser();
    replay.cookies.set(SESSION_COOKIE, token);
    expect((await replay.get("/dashboard/queue")).status).toBe(303);
  });
});

describe("password change", () => {
  it("ends every session of the staff member and keeps this browser signed in with a new one", async () => {
    const email = "pw-change@ecellar.demo";
    await createStaff("st_pw_change", email, "first-password-123");
    const here = await loggedIn(email, "first-password-123");
    const elsewhere = await loggedIn(email, "first-password-123");
    const before = here.cookies.get(SESSION_COOKIE);
    const res = await here.post("/dashboard/account/password", { current: "first-password-123", password: "second-password-456" });
    expect(res.status).toBe(303);
    expect(here.cookies.get(SESSION_COOKIE)).not.toBe(before);
    expect((await here.get("/dashboard/queue")).status).toBe(200);
    expect((await elsewhere.get("/dashboard/queue")).status).toBe(303);
    expect((await new Browser().login(email, "second-password-456")).status).toBe(303);
  });

  it("refuses a change without the current password", async () => {
    const email = "pw-wrong@ecellar.demo";
    await createStaff("st_pw_wrong", email, "first-password-123");
    const b = await loggedIn(email, "first-password-123");
    const res = await b.post("/dashboard/account/password", { current: "wrong-password-000", password: "second-password-456" });
    expect(res.status).toBe(400);
    expect((await new Browser().login(email, "first-password-123")).status).toBe(303);
  });

  it("refuses a new password shorter than 12 characters", async () => {
    const email = "pw-short@ecellar.demo";
    await createStaff("st_pw_short", email, "first-password-123");
    const b = await loggedIn(email, "first-password-123");
    const res = await b.post("/dashboard/account/password", { current: "first-password-123", password: "short" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Use at least 12 characters");
  });
});

async function createStaff(id: string, email: string, password: string, passwordHash?: string) {
  await db.insert(staff).values({
    id,
    merchantId: "m_ecellar",
    email,
    name: id,
    role: "agent",
    passwordHash: passwordHash ?? (await hashPassword(password)),
    passwordChangedAt: Date.now(),
    createdAt: Date.now(),
  });
}

describe("password hashing", () => {
  it("refuses to hash with more than 100,000 PBKDF2 iterations", async () => {
    await expect(hashPassword("any-password-123", MAX_PBKDF2_ITERATIONS + 1)).rejects.toThrow(RangeError);
  });

  it("treats a stored hash above 100,000 iterations as not matching", async () => {
    const stored = (await hashPassword("any-password-123")).replace("$100000$", "$100001$");
    expect(await verifyPassword("any-password-123", stored)).toEqual({ ok: false, upgrade: false });
  });

  it("refuses sign-in (without an error) for a login whose hash exceeds the ceiling", async () => {
    const stored = (await hashPassword("ceiling-password-1")).replace("$100000$", "$200000$");
    await createStaff("st_ceiling", "ceiling@ecellar.demo", "", stored);
    expect((await new Browser().login("ceiling@ecellar.demo", "ceiling-password-1")).status).toBe(401);
  });

  it("upgrades a hash with outdated parameters at the next sign-in", async () => {
    await createStaff("st_upgrade", "upgrade@ecellar.demo", "", await hashPassword("upgrade-password-1", 1000));
    expect((await new Browser().login("upgrade@ecellar.demo", "upgrade-password-1")).status).toBe(303);
    const row = await db.query.staff.findFirst({ where: eq(staff.id, "st_upgrade") });
    expect(row?.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(await verifyPassword("upgrade-password-1", row?.passwordHash ?? "")).toEqual({ ok: true, upgrade: false });
  });
});

describe("throttling", () => {
  it("does not refuse one email's attempts from many networks as a whole (failures count per email and network)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await new Browser().login("burst@ecellar.demo", "wrong-password-1")).status);
    expect(statuses).toEqual(Array(12).fill(401));
  });

  it("refuses a burst of attempts from one IP for many emails (RL_LOGIN)", async () => {
    const b = new Browser();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await b.login(`spray-${i}@ecellar.demo`, "wrong-password-1")).status);
    expect(statuses.at(-1)).toBe(429);
  });

  it("makes one network wait after its free failures for an email, with Retry-After (test/worker/security/login-lockout.test.ts)", async () => {
    const b = new Browser();
    const statuses: number[] = [];
    for (let i = 0; i <= LOGIN_FREE_FAILURES; i++) statuses.push((await b.login("admin@easy-commission.demo", "wrong-password-1")).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_FREE_FAILURES);
    const res = await b.login("admin@easy-commission.demo");
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
  });
});
