import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { sessions } from "../../../schema/db.ts";
import { LOGIN_FAILURES_PER_NETWORK, SESSION_COOKIE } from "../../../worker/dashboard/session.ts";
import { Browser, createStaff } from "../dashboard/helpers.ts";
import { call, createTicket, db, freshIp, ORIGIN, seed, ticketBody } from "../helpers.ts";
import { around } from "./support/http.ts";
import { changed } from "./support/state.ts";

// Rate limits and sign-in throttling: 429 with Retry-After, nothing written. Proven elsewhere:
// the config burst through the rate-limit binding and the per-visitor window-preview limit
// (routes/limits.test.ts), the per-network hourly cap on ticket creation (api/site-api.test.ts
// "caps creations per IP and site per hour", security/ticket-caps.test.ts), sign-in bursts per
// network and the per-email-and-network delays (dashboard/auth.test.ts "throttling",
// security/login-lockout.test.ts).

const HOUR = 3_600_000;

beforeAll(async () => {
  await seed();
});

async function setCounter(key: string, count: number) {
  const hour = Math.floor(Date.now() / HOUR);
  await env.DB.prepare("INSERT OR REPLACE INTO rate_counters (key, count, expires_at) VALUES (?1, ?2, ?3)")
    .bind(`${key}:${hour}`, count, (hour + 1) * HOUR)
    .run();
}

async function problemOf(res: Response) {
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  return (await res.json()) as { type: string; status: number };
}

describe("ticket creation per site and hour", () => {
  // Past the site's hourly threshold each network is held to the spike limit instead of everyone
  // being refused (security/ticket-caps.test.ts); a network past it is 429 and nothing is written.
  it("is 429 with Retry-After (seconds to the next hour) for a network past the spike limit, writing nothing", async () => {
    await setCounter("tickets:site:s_ecshops", Number(env.TICKETS_PER_SITE_HOUR) + 1);
    const ip = freshIp();
    const body = () => ({
      json: ticketBody({ issueType: "incident", severity: "degraded" }),
      headers: { "Idempotency-Key": crypto.randomUUID() },
      ip,
    });
    for (let i = 0; i < Number(env.TICKETS_PER_NETWORK_SPIKE_HOUR); i++) {
      expect((await call("/v1/sites/demo-ecshops/tickets", body())).status).toBe(201);
    }
    const { result: res, before, after } = await around(() => call("/v1/sites/demo-ecshops/tickets", body()));
    expect(res.status).toBe(429);
    expect((await problemOf(res)).type).toBe("https://replyby.dev/problems/rate-limited");
    const retry = Number(res.headers.get("Retry-After"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(3600);
    expect(changed(before, after)).toEqual([]);
  });

  it("leaves the other sites alone", async () => {
    await setCounter("tickets:site:s_ecshops", Number(env.TICKETS_PER_SITE_HOUR) + 1);
    const res = await call("/v1/sites/demo-ecellar/tickets", { json: ticketBody(), headers: { "Idempotency-Key": crypto.randomUUID() } });
    expect(res.status).toBe(201);
  });
});

describe("a customer's ticket reads and writes per IP and site", () => {
  let ticket: { reference: string; accessToken: string };
  const ip = freshIp();

  beforeAll(async () => {
    ticket = await createTicket();
    // Spend the per-minute burst of this IP on this site through the rate-limit binding.
    for (let i = 0; i < 200; i++) {
      const res = await call(`/v1/tickets/${ticket.reference}`, { ip, headers: { Authorization: `Bearer ${ticket.accessToken}` } });
      if (res.status === 429) return;
      expect(res.status).toBe(200);
    }
    throw new Error("the burst limit never answered 429");
  });

  const calls = [
    ["GET /v1/tickets/:ref", "GET", "", undefined],
    ["POST /v1/tickets/:ref/replies", "POST", "/replies", { body: "again" }],
    ["POST /v1/tickets/:ref/quote", "POST", "/quote", { decision: "accept" }],
    ["POST /v1/tickets/:ref/close", "POST", "/close", {}],
  ] as const;

  it.each(calls)("%s is then 429 with Retry-After and writes nothing", async (_, method, sub, json) => {
    const {
      result: res,
      before,
      after,
    } = await around(() =>
      call(`/v1/tickets/${ticket.reference}${sub}`, {
        ip,
        method,
        headers: { Authorization: `Bearer ${ticket.accessToken}` },
        ...(json !== undefined ? { json } : {}),
      }),
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await problemOf(res)).status).toBe(429);
    expect(changed(before, after)).toEqual([]);
  });

  it("the 429 keeps exact CORS and lets the widget read Retry-After", async () => {
    const res = await call(`/v1/tickets/${ticket.reference}`, { ip, headers: { Authorization: `Bearer ${ticket.accessToken}` } });
    expect(res.status).toBe(429);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
    expect(res.headers.get("Access-Control-Expose-Headers")).toContain("Retry-After");
  });
});

describe("sign-in per network and hour", () => {
  it("is 429 with Retry-After once the network's hourly failures are used up, even with the right password, and starts no session", async () => {
    const email = "throttled-ip@ecellar.demo";
    await createStaff({ id: "st_throttled_ip", email, password: "throttled-password-1" });
    const b = new Browser();
    await setCounter(`login:net:${b.ip}`, LOGIN_FAILURES_PER_NETWORK);
    const res = await b.login(email, "throttled-password-1");
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(b.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await db.query.sessions.findFirst({ where: eq(sessions.staffId, "st_throttled_ip") })).toBeUndefined();
  });
});
