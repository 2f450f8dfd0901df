import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { networkOf } from "../../../worker/infra/http.ts";
import { call, freshIp, freshNetwork6, seed, ticketBody } from "../helpers.ts";
import { around } from "./support/http.ts";
import { changed } from "./support/state.ts";

// Ticket creation caps that an outsider cannot turn against real customers (issue 14, point 2):
// one IPv6 /64 is one client network, and a site-wide spike tightens the per-network limit
// (with an alarm) instead of refusing everyone for the rest of the hour.

const HOUR = 3_600_000;
const perNetwork = Number(env.TICKETS_PER_IP_HOUR);
const threshold = Number(env.TICKETS_PER_SITE_HOUR);
const inSpike = Number(env.TICKETS_PER_NETWORK_SPIKE_HOUR);

beforeAll(async () => {
  await seed();
});

afterEach(() => {
  vi.restoreAllMocks();
});

function create(siteKey: string, ip: string, over: Record<string, unknown> = {}) {
  return call(`/v1/sites/${siteKey}/tickets`, { ip, json: ticketBody(over), headers: { "Idempotency-Key": crypto.randomUUID() } });
}

async function setSiteCount(siteId: string, count: number) {
  const hour = Math.floor(Date.now() / HOUR);
  await env.DB.prepare("INSERT OR REPLACE INTO rate_counters (key, count, expires_at) VALUES (?1, ?2, ?3)")
    .bind(`tickets:site:${siteId}:${hour}`, count, (hour + 1) * HOUR)
    .run();
}

describe("client networks", () => {
  it.each([
    ["2001:db8:1:2::5", "2001:db8:1:2::/64"],
    ["2001:0DB8:0001:0002:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["::ffff:192.0.2.1", "192.0.2.1"],
    ["192.0.2.1", "192.0.2.1"],
    ["2001:db8:::1", "2001:db8:::1"],
    ["not-an-address", "not-an-address"],
  ])("%s counts as %s", (ip, network) => {
    expect(networkOf(ip)).toBe(network);
  });
});

describe("one /64", () => {
  it("67 addresses of one /64 get one network's hourly cap; a customer from another network still gets 201", async () => {
    const attacker = freshNetwork6();
    const statuses: number[] = [];
    for (let i = 0; i < 67; i++) {
      const res = await create("demo-ecellar", attacker.address(i), { description: `flood ${i}` });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(perNetwork);
    expect(statuses.slice(perNetwork)).toEqual(Array(67 - perNetwork).fill(429));

    const { result: refused, before, after } = await around(() => create("demo-ecellar", attacker.address(1000)));
    expect(refused.status).toBe(429);
    expect(changed(before, after)).toEqual([]);

    expect((await create("demo-ecellar", freshIp())).status).toBe(201);
    expect((await create("demo-ecellar", freshNetwork6().address(0))).status).toBe(201);
  });
});

describe("a site-wide spike", () => {
  const ecshops = { issueType: "incident", severity: "degraded" };

  it("past the site's hourly threshold, customers from other networks still get 201, each network held to the spike limit", async () => {
    await setSiteCount("s_ecshops", threshold + 500);
    const customer = await create("demo-ecshops", freshIp(), ecshops);
    expect(customer.status).toBe(201);

    const network = freshNetwork6();
    const statuses: number[] = [];
    for (let i = 0; i <= inSpike; i++) statuses.push((await create("demo-ecshops", network.address(i), ecshops)).status);
    expect(statuses).toEqual([...Array(inSpike).fill(201), 429]);

    const { result: refused, before, after } = await around(() => create("demo-ecshops", network.address(99), ecshops));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeLessThanOrEqual(3600);
    expect(changed(before, after)).toEqual([]);

    expect((await create("demo-ecshops", freshNetwork6().address(0), ecshops)).status).toBe(201);
  });

  it("raises a soft alarm once, when the site's count goes past the threshold", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await setSiteCount("s_commerceup", threshold - 1);
    const over = { issueType: "minor", severity: "low" };
    expect((await create("demo-commerceup", freshIp(), over)).status).toBe(201);
    expect(warn).not.toHaveBeenCalled();
    expect((await create("demo-commerceup", freshIp(), over)).status).toBe(201);
    expect((await create("demo-commerceup", freshIp(), over)).status).toBe(201);
    const alarms = warn.mock.calls.map((args) => JSON.parse(String(args[0])) as { alarm: string; key: string });
    expect(alarms).toEqual([expect.objectContaining({ alarm: "cap-crossed", key: "tickets:site:s_commerceup" })]);
  });

  it("leaves the other sites' networks at the normal limit", async () => {
    await setSiteCount("s_ecshops", threshold + 500);
    const network = freshNetwork6();
    const statuses: number[] = [];
    for (let i = 0; i <= inSpike; i++) statuses.push((await create("demo-ecellar", network.address(i))).status);
    expect(statuses).toEqual(Array(inSpike + 1).fill(201));
  });
});
