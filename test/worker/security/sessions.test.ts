import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { sessions, staff } from "../../../schema/db.ts";
import { SESSION_COOKIE } from "../../../worker/dashboard/session.ts";
import { sha256Hex } from "../../../worker/infra/crypto.ts";
import { hashPassword } from "../../../worker/infra/password.ts";
import { Browser, formTokenIn, loggedIn, signedIn } from "../dashboard/helpers.ts";
import { db, seed } from "../helpers.ts";

// Session fixation, sign-out and password changes. Proven elsewhere: a random token planted
// before sign-in is never adopted (dashboard/auth.test.ts "never adopts a session token planted
// before sign-in"), sign-in rotates the token and ends the presented one ("issues a new token at
// every sign-in …"), sign-out ends the session server-side ("ends the session server-side, so
// the old cookie no longer works"), a password change ends every session ("ends every session of
// the staff member …"), an admin's reset ends the colleague's sessions (dashboard/settings.test.ts
// "resets a colleague's password and ends their sessions"), expiry ("refuses an expired session").

let logins = 0;
const PASSWORD = "session-password-123";

/** A staff login of its own (sign-in throttling counts per email). */
async function login(role: "agent" | "admin" = "agent"): Promise<string> {
  logins += 1;
  const email = `session-${logins}@ecellar.demo`;
  const now = Date.now();
  await db.insert(staff).values({
    id: `st_session_${logins}`,
    merchantId: "m_ecellar",
    email,
    name: `Session ${logins}`,
    role,
    passwordHash: await hashPassword(PASSWORD),
    passwordChangedAt: now,
    createdAt: now,
  });
  return email;
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
});

describe("password change", () => {
  it("ends sessions made without the form as well (every row of the staff member)", async () => {
    const email = await login();
    const direct = await signedIn(email);
    const b = await loggedIn(email, PASSWORD);
    expect((await b.post("/dashboard/account/password", { current: PASSWORD, password: "changed-password-456" })).status).toBe(303);
    expect((await direct.get("/dashboard/account")).status).toBe(303);
  });

  it("makes the old password useless at sign-in", async () => {
    const email = await login();
    const b = await loggedIn(email, PASSWORD);
    await b.post("/dashboard/account/password", { current: PASSWORD, password: "changed-password-456" });
    expect((await new Browser().login(email, PASSWORD)).status).toBe(401);
  });

  it("a stale form token of the replaced session no longer posts", async () => {
    const email = await login();
    const b = await loggedIn(email, PASSWORD);
    const stale = new Browser();
    stale.cookies.set(SESSION_COOKIE, b.cookies.get(SESSION_COOKIE) ?? "");
    stale.csrf = b.csrf;
    await b.post("/dashboard/account/password", { current: PASSWORD, password: "changed-password-456" });
    expect((await stale.post("/dashboard/incidents", { title: "stale", body: "x" })).status).toBe(401);
  });
});
