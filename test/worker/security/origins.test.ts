import { beforeAll, describe, expect, it } from "vitest";
import { call, createTicket, ORIGIN, seed, ticketBody } from "../helpers.ts";
import { around } from "./support/http.ts";
import { changed, tableOf } from "./support/state.ts";

// Foreign origins × every public route: 403 origin-not-allowed as problem+json, no CORS
// headers (except the config refusal, which that page may read: the widget then says "support
// isn't set up for this page yet"), nothing written but the site's install diagnostics. Near-misses of the allowed origin are as foreign as any other.
// Single cells already proven elsewhere: sites.test.ts ("refuses a foreign origin with 403 and
// no CORS headers", "refuses another merchant's allowed origin (origins are per site)", the
// preflight, window and ticket-creation cases) and tickets.test.ts ("refuses a foreign origin").

const foreignOrigins = [
  "https://evil.test",
  "null",
  "https://127.0.0.1:8787", // the allowed host over another scheme
  "http://127.0.0.1:8788", // another port
  "http://127.0.0.1:8787/", // with a path
  "HTTP://127.0.0.1:8787", // not byte-identical
  "http://127.0.0.1:8787.evil.test", // the allowed origin as a prefix
  "http://evil.test#http://127.0.0.1:8787",
];

let ticket: { reference: string; accessToken: string };

beforeAll(async () => {
  await seed();
  ticket = await createTicket();
});

/** A request to the ticket (`sub`: "" or "/replies", …) with its access token; with `json`, a POST of it. */
function asCustomer(sub: string, origin: string, json?: unknown) {
  return call(`/v1/tickets/${ticket.reference}${sub}`, { origin, json, headers: { Authorization: `Bearer ${ticket.accessToken}` } });
}

const routes: { name: string; send: (origin: string) => Promise<Response> }[] = [
  { name: "GET /v1/sites/:siteKey/config", send: (origin) => call("/v1/sites/demo-ecellar/config", { origin }) },
  {
    name: "POST /v1/sites/:siteKey/window",
    send: (origin) => call("/v1/sites/demo-ecellar/window", { origin, json: { issueType: "question", severity: "normal" } }),
  },
  {
    name: "POST /v1/sites/:siteKey/tickets",
    send: (origin) =>
      call("/v1/sites/demo-ecellar/tickets", { origin, json: ticketBody(), headers: { "Idempotency-Key": crypto.randomUUID() } }),
  },
  {
    name: "OPTIONS /v1/sites/:siteKey/tickets",
    send: (origin) =>
      call("/v1/sites/demo-ecellar/tickets", { origin, method: "OPTIONS", headers: { "Access-Control-Request-Method": "POST" } }),
  },
  { name: "GET /v1/tickets/:ref", send: (origin) => asCustomer("", origin) },
  { name: "POST /v1/tickets/:ref/replies", send: (origin) => asCustomer("/replies", origin, { body: "hi" }) },
  { name: "POST /v1/tickets/:ref/quote", send: (origin) => asCustomer("/quote", origin, { decision: "accept" }) },
  { name: "POST /v1/tickets/:ref/close", send: (origin) => asCustomer("/close", origin, {}) },
  {
    name: "OPTIONS /v1/tickets/:ref/replies",
    send: (origin) =>
      call(`/v1/tickets/${ticket.reference}/replies`, { origin, method: "OPTIONS", headers: { "Access-Control-Request-Method": "POST" } }),
  },
];

const cells = routes.flatMap((r) => foreignOrigins.map((o) => [r.name, o, r] as const));

describe("foreign origins", () => {
  it.each(cells)("%s from %s is 403 origin-not-allowed, without CORS, writing nothing", async (_, origin, route) => {
    const { result: res, before, after } = await around(() => route.send(origin));
    expect(res.status).toBe(403);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(((await res.json()) as { type: string }).type).toBe("https://replyby.dev/problems/origin-not-allowed");
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(route.name === "GET /v1/sites/:siteKey/config" ? origin : null);
    // The install check's last refused origin (site routes) is a diagnostic, not data.
    expect(changed(before, after).filter((k) => tableOf(k) !== "site_installs")).toEqual([]);
  });

  // The control: the same requests from the allowed origin pass the origin check.
  it.each(routes.map((r) => [r.name, r] as const))("%s from the allowed origin is not refused for its origin", async (_, route) => {
    const res = await route.send(ORIGIN);
    expect(res.status).not.toBe(403);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
  });
});
