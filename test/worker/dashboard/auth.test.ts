import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { sessions } from "../../../schema/db.ts";
import { LOGIN_FREE_FAILURES, SESSION_COOKIE } from "../../../worker/dashboard/session.ts";
import { sha256Hex } from "../../../worker/infra/crypto.ts";
import { db, seed } from "../helpers.ts";
import { Browser, formTokenIn, loggedIn } from "./helpers.ts";

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

  it("shows the login page to a signed-out visitor and the queue to a signed-in one", async () => {
    const b = await loggedIn("agent@ecellar.demo");
    const res = await b.get("/dashboard/login");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/dashboard/queue");
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
