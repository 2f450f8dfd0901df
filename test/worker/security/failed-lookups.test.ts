import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../worker/infra/db.ts";
import { MISSES_PER_MINUTE } from "../../../worker/infra/http.ts";
import { invalidateSites, MISS_CACHE_ENTRIES, SITE_CACHE_ENTRIES, siteByKey } from "../../../worker/merchant/site-context.ts";
import { call, createTicket, db, freshIp, seed } from "../helpers.ts";
import { around } from "./support/http.ts";
import { changed } from "./support/state.ts";

// Failed look-ups cost the prober, not everyone (issue 14, point 4): a client network that keeps
// naming unknown sites or tickets, or presenting wrong tokens, is refused before any further
// look-up; the site cache drops entries one at a time, least recently used first, and unknown
// keys can never push real sites out of it.

beforeAll(async () => {
  await seed();
});

const randomKey = () => `no-such-site-${crypto.randomUUID().slice(0, 8)}`;

/**
 * Calls `make(i)` until one is refused (at most twice the limit: the binding's one-minute window
 * may turn once meanwhile) and checks the answers: only 404s, at least the limit of them, then 429.
 */
async function untilRefused(make: (i: number) => Promise<Response>): Promise<void> {
  const statuses: number[] = [];
  for (let i = 0; i <= 2 * MISSES_PER_MINUTE && statuses.at(-1) !== 429; i++) statuses.push((await make(i)).status);
  expect(statuses.at(-1)).toBe(429);
  expect(statuses.slice(0, -1).every((s) => s === 404)).toBe(true);
  expect(statuses.length - 1).toBeGreaterThanOrEqual(MISSES_PER_MINUTE);
}

describe("failed look-ups per client network", () => {
  it("unknown site keys: 404 up to the limit, then 429 — even for a real site — while other networks are served", async () => {
    const ip = freshIp();
    await untilRefused(() => call(`/v1/sites/${randomKey()}/config`, { ip }));
    expect((await call(`/v1/sites/${randomKey()}/config`, { ip })).status).toBe(429);

    // Refused before the look-up: a key that exists is refused the same way.
    const { result: real, before, after } = await around(() => call("/v1/sites/demo-ecellar/config", { ip }));
    expect(real.status).toBe(429);
    expect(real.headers.get("Content-Type")).toBe("application/problem+json");
    expect(Number(real.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(changed(before, after)).toEqual([]);
    expect((await call("/v1/sites/demo-ecellar/config", { ip: freshIp() })).status).toBe(200);
  });

  it("preflights for unknown sites count too", async () => {
    const ip = freshIp();
    const preflight = () =>
      call(`/v1/sites/${randomKey()}/tickets`, { ip, method: "OPTIONS", headers: { "Access-Control-Request-Method": "POST" } });
    await untilRefused(preflight);
    expect((await call("/v1/sites/demo-ecellar/tickets", { ip, method: "OPTIONS" })).status).toBe(429);
  });

  it("wrong tokens and unknown references: 404 up to the limit, then 429 even with the right token, from that network only", async () => {
    const ticket = await createTicket();
    const ip = freshIp();
    const wrong = () => `Bearer ${"x".repeat(43)}`;
    await untilRefused((i) =>
      i % 2
        ? call(`/v1/tickets/${ticket.reference}`, { ip, headers: { Authorization: wrong() } })
        : call("/v1/tickets/RB-AAAA-AAAA", { ip, headers: { Authorization: wrong() } }),
    );

    const right = { Authorization: `Bearer ${ticket.accessToken}` };
    const {
      result: refused,
      before,
      after,
    } = await around(() => call(`/v1/tickets/${ticket.reference}/replies`, { ip, headers: right, json: { body: "hello" } }));
    expect(refused.status).toBe(429);
    expect(changed(before, after)).toEqual([]);
    expect((await call(`/v1/tickets/${ticket.reference}`, { ip: freshIp(), headers: right })).status).toBe(200);
  });
});

describe("the site cache", () => {
  // A D1 stand-in that knows no site and counts the look-ups made through it: a site it is asked
  // for was not answered from the cache.
  let lookups = 0;
  const query = {
    from: () => query,
    innerJoin: () => query,
    where: () => query,
    get: async () => {
      lookups += 1;
      return undefined;
    },
  };
  const empty = { select: () => query } as unknown as Database;

  it(`drops the least recently used entry when full; ${SITE_CACHE_ENTRIES + 50} unknown keys push no real site out`, async () => {
    invalidateSites();
    const now = Date.now();
    const ecellar = await siteByKey(db, "demo-ecellar", now);
    const ecshops = await siteByKey(db, "demo-ecshops", now);
    expect(ecellar && ecshops).toBeTruthy();
    for (let i = 0; i < SITE_CACHE_ENTRIES + 50; i++) {
      expect(await siteByKey(empty, `flood-${i}`, now)).toBeNull();
      // demo-ecellar stays in use meanwhile; demo-ecshops is never asked for again.
      if (i % 500 === 0) expect(await siteByKey(empty, "demo-ecellar", now)).toEqual(ecellar);
    }
    lookups = 0;
    expect(await siteByKey(empty, "demo-ecellar", now)).toEqual(ecellar);
    expect(await siteByKey(empty, "demo-ecshops", now)).toEqual(ecshops);
    expect(lookups).toBe(0);

    // Unknown keys are remembered apart and entry by entry: the most recent ones are still known
    // to be unknown; the oldest have been dropped and are looked up again.
    await siteByKey(empty, `flood-${SITE_CACHE_ENTRIES + 49}`, now);
    expect(lookups).toBe(0);
    await siteByKey(empty, `flood-${SITE_CACHE_ENTRIES + 50 - MISS_CACHE_ENTRIES - 1}`, now);
    expect(lookups).toBe(1);
    invalidateSites();
  });
});
