import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { staff } from "../../../schema/db.ts";
import { DEVICE_COOKIE, LOGIN_FREE_FAILURES, LOGIN_MAX_DELAY_S, SESSION_COOKIE } from "../../../worker/dashboard/session.ts";
import { hashPassword } from "../../../worker/infra/password.ts";
import { Browser } from "../dashboard/helpers.ts";
import { db, freshIp, freshNetwork6, seed } from "../helpers.ts";
import { around } from "./support/http.ts";
import { changed } from "./support/state.ts";

// An outsider must not be able to lock a staff member out (issue 14, point 1): failures are
// counted per email and client network (an IPv6 /64), answered with growing delays rather than a
// lock, and a browser the member signed in with before has counters of its own.

const PASSWORD = "lockout-password-1";
let n = 0;

/** A new staff member of the ecellar merchant, so each test has its own counters. */
async function member(): Promise<string> {
  n += 1;
  const email = `lockout-${n}-${crypto.randomUUID().slice(0, 6)}@ecellar.demo`;
  const now = Date.now();
  await db.insert(staff).values({
    id: `st_lockout_${n}_${now}`,
    merchantId: "m_ecellar",
    email,
    name: "Lockout",
    role: "agent",
    passwordHash: await hashPassword(PASSWORD),
    passwordChangedAt: now,
    createdAt: now,
  });
  return email;
}

/** `count` wrong guesses at `email`, each from another address of one /64; their statuses. */
async function guesses(email: string, network: { address(i: number): string }, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await new Browser(network.address(i)).login(email, `wrong-guess-${i}-xx`)).status);
  return statuses;
}

/** Moves the email's failure streak from this /64 `seconds` into the past (time passing, without waiting). */
async function age(email: string, prefix: string, seconds: number) {
  await env.DB.prepare("UPDATE rate_counters SET expires_at = expires_at - ?1 WHERE key = ?2")
    .bind(seconds * 1000, `login:fail:${email}|net:${prefix}::/64`)
    .run();
}

beforeAll(async () => {
  await seed();
});

describe("sign-in after an outsider's guesses", () => {
  it("20 wrong guesses from one /64 are slowed down there, and the right password from another network still signs in", async () => {
    const email = await member();
    const outsider = freshNetwork6();
    const statuses = await guesses(email, outsider, 20);
    // The first failures are answered; then every further guess from that /64 — whatever its
    // address — is refused before any password work.
    expect(statuses.slice(0, LOGIN_FREE_FAILURES)).toEqual(Array(LOGIN_FREE_FAILURES).fill(401));
    expect(statuses.slice(LOGIN_FREE_FAILURES)).toEqual(Array(20 - LOGIN_FREE_FAILURES).fill(429));
    const real = new Browser(freshIp());
    expect((await real.login(email, PASSWORD)).status).toBe(303);
    expect(real.cookies.has(SESSION_COOKIE)).toBe(true);
  });

  it("a browser that signed in before gets through on the outsider's own network", async () => {
    const email = await member();
    const laptop = new Browser(freshIp());
    expect((await laptop.login(email, PASSWORD)).status).toBe(303);
    const device = laptop.cookies.get(DEVICE_COOKIE);
    expect(device).toBeDefined();

    const outsider = freshNetwork6();
    await guesses(email, outsider, 20);
    // Without the device cookie the right password from that /64 waits like the guesses do …
    expect((await new Browser(outsider.address(500)).login(email, PASSWORD)).status).toBe(429);
    // … with it, the member signs in at once.
    const same = new Browser(outsider.address(501));
    same.cookies.set(DEVICE_COOKIE, device as string);
    expect((await same.login(email, PASSWORD)).status).toBe(303);
  });

  it("a forged or another member's device cookie is no known device", async () => {
    const email = await member();
    const other = await member();
    const laptop = new Browser(freshIp());
    expect((await laptop.login(other, PASSWORD)).status).toBe(303);
    const outsider = freshNetwork6();
    await guesses(email, outsider, LOGIN_FREE_FAILURES);
    for (const cookie of [laptop.cookies.get(DEVICE_COOKIE) as string, "st_x.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.00"]) {
      const b = new Browser(outsider.address(900));
      b.cookies.set(DEVICE_COOKIE, cookie);
      expect((await b.login(email, PASSWORD)).status).toBe(429);
    }
  });

  it("the delays grow, end, and are not a lock: once waited out, the right password signs in from the guessing network too", async () => {
    const email = await member();
    const outsider = freshNetwork6();
    await guesses(email, outsider, LOGIN_FREE_FAILURES);
    const first = await new Browser(outsider.address(50)).login(email, "wrong-again-xx");
    expect(first.status).toBe(429);
    const wait1 = Number(first.headers.get("Retry-After"));
    expect(wait1).toBeGreaterThan(0);

    await age(email, outsider.prefix, wait1);
    expect((await new Browser(outsider.address(51)).login(email, "wrong-again-xx")).status).toBe(401);
    const second = await new Browser(outsider.address(52)).login(email, "wrong-again-xx");
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("Retry-After"))).toBeGreaterThan(wait1);

    await age(email, outsider.prefix, LOGIN_MAX_DELAY_S);
    expect((await new Browser(outsider.address(53)).login(email, PASSWORD)).status).toBe(303);
    // A success ends the streak: the next mistake is answered, not delayed.
    expect((await new Browser(outsider.address(54)).login(email, "one-typo-here-xx")).status).toBe(401);
  });

  it("successful sign-ins are not counted: 25 in a row from 25 networks all sign in", async () => {
    const email = await member();
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await new Browser(freshIp()).login(email, PASSWORD)).status);
    expect(statuses).toEqual(Array(25).fill(303));
  });

  it("a refused attempt writes nothing and starts no session", async () => {
    const email = await member();
    const outsider = freshNetwork6();
    await guesses(email, outsider, LOGIN_FREE_FAILURES);
    const b = new Browser(outsider.address(70));
    await b.get("/dashboard/login");
    const { result: res, before, after } = await around(() => b.login(email, PASSWORD));
    expect(res.status).toBe(429);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(b.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(changed(before, after)).toEqual([]);
  });
});
