import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { sessions } from "../../../schema/db.ts";
import { SESSION_COOKIE } from "../../../worker/dashboard/session.ts";
import { sha256Hex } from "../../../worker/infra/crypto.ts";
import { Browser, createStaff, formTokenIn, loggedIn, signedIn } from "../dashboard/helpers.ts";
import { db, seed } from "../helpers.ts";

// Every session property in one place: fixation, rotation at sign-in, expiry, sign-out and
// password changes. Proven elsewhere: the cookie's attributes and that only the token's hash is
// stored (dashboard/auth.test.ts, with sign-in itself), an admin's reset ends the colleague's
// sessions (dashboard/settings.test.ts "resets a colleague's password and ends their sessions").

let logins = 0;
const PASSWORD = "session-password-123";

/** Posts the account page's password form. */
function changePassword(b: Browser, current: string, password: string) {
  return b.post("/dashboard/account/password", { current, password });
}

/** A staff login of its own (sign-in throttling counts per email). */
async function login(role: "agent" | "admin" = "agent"): Promise<string> {
  logins += 1;
  return createStaff({ id: `st_session_${logins}`, email: `session-${logins}@ecellar.demo`, role, password: PASSWORD });
}

async function signedInAs(token: string): Promise<number> {
  const b = new Browser();
  b.cookies.set(SESSION_COOKIE, token);
  return (await b.get("/dashboard/account")).status;
}

beforeAll(async () => {
  await seed();
});

const planted: [string, string][] = [
  ["a well-formed random token", "Z".repeat(43)],
  ["an empty value", ""],
  ["a token with characters tokens never have", `${"a".repeat(40)}';`],
  ["a very long value", "A".repeat(4000)],
  ["a SQL string", "' OR '1'='1"],
];

describe("session fixation", () => {
  it.each(planted)("%s planted before sign-in never becomes a session", async (_, value) => {
    const email = await login();
    const b = new Browser();
    b.cookies.set(SESSION_COOKIE, value);
    expect((await b.login(email, PASSWORD)).status).toBe(303);
    expect(b.cookies.get(SESSION_COOKIE)).not.toBe(value);
    expect(await signedInAs(value)).toBe(303);
  });

  it("an attacker's own session planted in a victim's browser is ended by the victim's sign-in", async () => {
    const attacker = await loggedIn(await login(), PASSWORD);
    const planted = attacker.cookies.get(SESSION_COOKIE) ?? "";
    const victimEmail = await login("admin");
    const victim = new Browser();
    const token = formTokenIn(await (await victim.get("/dashboard/login")).text());
    victim.cookies.set(SESSION_COOKIE, planted);
    const res = await victim.request("/dashboard/login", { form: { _csrf: token, email: victimEmail, password: PASSWORD } });
    expect(res.status).toBe(303);
    // The victim has a session of their own, and the planted one is gone, for the attacker too.
    expect(victim.cookies.get(SESSION_COOKIE)).not.toBe(planted);
    expect(await signedInAs(planted)).toBe(303);
    expect((await attacker.get("/dashboard/account")).status).toBe(303);
  });

  it("the session token is never shown in a page", async () => {
    const b = await loggedIn(await login(), PASSWORD);
    const token = b.cookies.get(SESSION_COOKIE) ?? "";
    for (const path of ["/dashboard/queue", "/dashboard/account", "/dashboard/incidents"]) {
      expect(await (await b.get(path)).text()).not.toContain(token);
    }
  });
});

describe("sign-out", () => {
  it("kills the old cookie's form token too: a form posted with both afterwards is 401", async () => {
    const b = await loggedIn(await login(), PASSWORD);
    const stale = new Browser();
    stale.cookies.set(SESSION_COOKIE, b.cookies.get(SESSION_COOKIE) ?? "");
    stale.csrf = b.csrf;
    expect((await b.post("/dashboard/logout")).status).toBe(303);
    const res = await stale.post("/dashboard/incidents", { title: "after sign-out", body: "x" });
    expect(res.status).toBe(401);
  });

  it("ends only this browser's session", async () => {
    const email = await login();
    const here = await loggedIn(email, PASSWORD);
    const elsewhere = await loggedIn(email, PASSWORD);
    await here.post("/dashboard/logout");
    expect((await elsewhere.get("/dashboard/account")).status).toBe(200);
  });

  it("removes the session row", async () => {
    const b = await loggedIn(await login(), PASSWORD);
    const hash = await sha256Hex(b.cookies.get(SESSION_COOKIE) ?? "");
    await b.post("/dashboard/logout");
    expect(await db.query.sessions.findFirst({ where: eq(sessions.tokenHash, hash) })).toBeUndefined();
  });

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
  it("ends sessions made without the form as well (every row of the staff member)", async () => {
    const email = await login();
    const direct = await signedIn(email);
    const b = await loggedIn(email, PASSWORD);
    expect((await changePassword(b, PASSWORD, "changed-password-456")).status).toBe(303);
    expect((await direct.get("/dashboard/account")).status).toBe(303);
  });

  it("makes the old password useless at sign-in", async () => {
    const email = await login();
    const b = await loggedIn(email, PASSWORD);
    await changePassword(b, PASSWORD, "changed-password-456");
    expect((await new Browser().login(email, PASSWORD)).status).toBe(401);
  });

  it("a stale form token of the replaced session no longer posts", async () => {
    const email = await login();
    const b = await loggedIn(email, PASSWORD);
    const stale = new Browser();
    stale.cookies.set(SESSION_COOKIE, b.cookies.get(SESSION_COOKIE) ?? "");
    stale.csrf = b.csrf;
    await changePassword(b, PASSWORD, "changed-password-456");
    expect((await stale.post("/dashboard/incidents", { title: "stale", body: "x" })).status).toBe(401);
  });

  it("ends every session of the staff member and keeps this browser signed in with a new one", async () => {
    const email = await login();
    const here = await loggedIn(email, PASSWORD);
    const elsewhere = await loggedIn(email, PASSWORD);
    const before = here.cookies.get(SESSION_COOKIE);
    const res = await changePassword(here, PASSWORD, "second-password-456");
    expect(res.status).toBe(303);
    expect(here.cookies.get(SESSION_COOKIE)).not.toBe(before);
    expect((await here.get("/dashboard/queue")).status).toBe(200);
    expect((await elsewhere.get("/dashboard/queue")).status).toBe(303);
    expect((await new Browser().login(email, "second-password-456")).status).toBe(303);
  });

  it("refuses a change without the current password", async () => {
    const email = await login();
    const b = await loggedIn(email, PASSWORD);
    const res = await changePassword(b, "wrong-password-000", "second-password-456");
    expect(res.status).toBe(400);
    expect((await new Browser().login(email, PASSWORD)).status).toBe(303);
  });

  it("refuses a new password shorter than 12 characters", async () => {
    const email = await login();
    const b = await loggedIn(email, PASSWORD);
    const res = await changePassword(b, PASSWORD, "short");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Use at least 12 characters");
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
    const hashes = (await db.select().from(sessions).where(eq(sessions.staffId, "st_easy-commission_agent"))).map((r) => r.tokenHash);
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
