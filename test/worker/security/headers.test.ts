import { beforeAll, describe, expect, it } from "vitest";
import { Browser, signedIn } from "../dashboard/helpers.ts";
import { call, createTicket, ORIGIN, seed, ticketBody } from "../helpers.ts";
import { activeContent, cspNonce, expectLockedDownPage } from "./support/html.ts";

// Security headers per route, all in this file. Proven elsewhere: CORS on config and a preflight
// (api/site-api.test.ts), nosniff and Referrer-Policy on /health (app.test.ts).

declare global {
  interface ImportMeta {
    glob(pattern: string, options: { query: "?raw"; import: "default"; eager: true }): Record<string, string>;
  }
}

let ticket: { reference: string; accessToken: string };
let quoted: { reference: string; accessToken: string };

beforeAll(async () => {
  await seed();
  ticket = await createTicket();
  quoted = await createTicket();
});

const auth = () => ({ Authorization: `Bearer ${ticket.accessToken}` });

/** Public API calls, each from the allowed origin (or none, when `origin` is null). */
const publicRoutes: [string, (origin: string | null) => Promise<Response>][] = [
  ["GET config (200)", (origin) => call("/v1/sites/demo-ecellar/config", { origin })],
  ["POST window (200)", (origin) => call("/v1/sites/demo-ecellar/window", { origin, json: { issueType: "question", severity: "normal" } })],
  ["POST window, invalid (400)", (origin) => call("/v1/sites/demo-ecellar/window", { origin, json: { issueType: 1 } })],
  [
    "POST tickets (201)",
    (origin) => call("/v1/sites/demo-ecellar/tickets", { origin, json: ticketBody(), headers: { "Idempotency-Key": crypto.randomUUID() } }),
  ],
  ["GET ticket (200)", (origin) => call(`/v1/tickets/${ticket.reference}`, { origin, headers: auth() })],
  ["POST replies (200)", (origin) => call(`/v1/tickets/${ticket.reference}/replies`, { origin, json: { body: "hi" }, headers: auth() })],
  [
    "POST quote without a quote (409)",
    (origin) =>
      call(`/v1/tickets/${quoted.reference}/quote`, {
        origin,
        json: { decision: "accept" },
        headers: { Authorization: `Bearer ${quoted.accessToken}` },
      }),
  ],
  ["POST close (200)", (origin) => call(`/v1/tickets/${ticket.reference}/close`, { origin, json: {}, headers: auth() })],
];

// Not in the table: a ticket endpoint's 401 or 404. Until the token has opened a ticket no
// site — and so no allowed origin — is known, so those answers carry no CORS headers at all
// (a browser sees them as failed requests); they never carry another origin's.
describe("public API", () => {
  it.each(publicRoutes)("%s: nosniff, a referrer policy, and CORS for exactly the calling origin with Vary: Origin", async (_, call) => {
    const res = await call(ORIGIN);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
    expect(res.headers.get("Vary")).toContain("Origin");
    expect(res.headers.get("Access-Control-Allow-Credentials")).toBeNull();
  });

  it.each(publicRoutes)("%s without Origin (a server, not a browser): no CORS headers", async (_, call) => {
    const res = await call(null);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });

  it.each([
    ["/v1/sites/demo-ecellar/tickets", "a site's"],
    ["/v1/tickets/:ref/replies", "a ticket's"],
  ])("the preflight of %s (%s) allows exactly the origin, methods and headers the widget uses", async (path) => {
    const res = await call(path.replace(":ref", ticket.reference), {
      method: "OPTIONS",
      headers: { "Access-Control-Request-Method": "POST" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
    expect(res.headers.get("Access-Control-Allow-Methods")).toBe("GET, POST, OPTIONS");
    expect(res.headers.get("Access-Control-Allow-Headers")).toBe("Content-Type, Idempotency-Key, Authorization, D1-Bookmark");
    expect(res.headers.get("Access-Control-Expose-Headers")).toContain("Retry-After");
    expect(res.headers.get("Vary")).toContain("Origin");
  });

  it.each(["/openapi.json", "/health", "/v2/nothing"])("%s: nosniff and no CORS", async (path) => {
    const res = await call(path);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

// The widget's files are static assets; this test pool reaches the worker only
// (exports.default.fetch does not pass through the assets layer), so the rules are read from
// widget/dist/_headers, which `node widget/build.ts` (npm test's pretest) writes and Cloudflare
// applies to the assets. (The one-character wildcard works around Vite's import.meta.glob
// refusing a pattern without any.)
const built = import.meta.glob("/widget/dist/_header?", { query: "?raw", import: "default", eager: true });
const headersFile = Object.values(built)[0];

/** The header lines of one path rule in a `_headers` file. */
function rule(file: string, path: string): string[] {
  const lines = file.split("\n");
  const start = lines.findIndex((l) => l.trim() === path);
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!/^\s/.test(line)) break;
    out.push(line.trim());
  }
  return out;
}

describe("widget script (widget/dist/_headers)", () => {
  it.each(["/widget.js", "/widget/*"])("%s may be embedded by any site: Cross-Origin-Resource-Policy: cross-origin, nosniff", (path) => {
    if (headersFile === undefined) throw new Error("widget/dist/_headers is missing: run `npm run build` (npm test does it first)");
    const lines = rule(headersFile, path);
    expect(lines).toContain("Cross-Origin-Resource-Policy: cross-origin");
    expect(lines).toContain("X-Content-Type-Options: nosniff");
  });
});

let admin: Browser;
let agent: Browser;

/** Dashboard responses: pages, error pages, redirects, the export and the preview. */
const dashboardRoutes: [string, () => Promise<Response>][] = [
  ["the login page", () => call("/dashboard/login", { origin: null })],
  ["a redirect to sign in (303)", () => call("/dashboard/queue", { origin: null })],
  ["the queue", () => admin.get("/dashboard/queue")],
  ["a ticket", () => admin.get(`/dashboard/tickets/${ticket.reference}`)],
  ["a missing ticket (404)", () => admin.get("/dashboard/tickets/RB-0000-0000")],
  ["the bill preview (JSON)", () => admin.get(`/dashboard/tickets/${ticket.reference}/bill-preview?startedAt=2026-01-05T10:00&minutes=15`)],
  ["incidents", () => admin.get("/dashboard/incidents")],
  ["a refused form (400)", () => admin.post("/dashboard/incidents", { title: "", body: "" })],
  ["reports", () => admin.get("/dashboard/reports")],
  ["the time-entry export (CSV)", () => admin.get("/dashboard/reports/time-entries.csv?from=2026-01-01&to=2026-01-31")],
  ["the account", () => admin.get("/dashboard/account")],
  ["policy settings", () => admin.get("/dashboard/settings/policy")],
  ["the simulator", () => admin.get("/dashboard/settings/simulator")],
  ["holidays", () => admin.get("/dashboard/settings/holidays")],
  ["sites", () => admin.get("/dashboard/settings/sites")],
  ["staff", () => admin.get("/dashboard/settings/staff")],
  ["settings refused to an agent (403)", () => agent.get("/dashboard/settings/policy")],
  ["an unknown page (404)", () => admin.get("/dashboard/nothing")],
  // Hono matches a literal "*" path to the sub-app's middleware twice: still one nonce.
  ["the literal path /dashboard/* (404)", () => admin.get("/dashboard/*")],
  ["a form post's redirect (303)", () => admin.post("/dashboard/incidents", { title: "Header check", body: "b" })],
];

describe("dashboard", () => {
  beforeAll(async () => {
    admin = await signedIn("admin@ecellar.demo");
    agent = await signedIn("agent@ecellar.demo");
  });

  it.each(dashboardRoutes)("%s: CSP with a script nonce, no framing, no caching, nosniff", async (_, call) => {
    const res = await call();
    expectLockedDownPage(res);
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9_-]{16,}'/);
    expect(csp).toContain("base-uri 'none'");
    expect(res.headers.get("Cross-Origin-Opener-Policy")).toBe("same-origin");
    expect(res.headers.get("Cross-Origin-Resource-Policy")).toBe("same-origin");
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it.each(dashboardRoutes.filter(([name]) => !/redirect|JSON|CSV/.test(name)))(
    "%s: the page's only script carries the CSP's nonce",
    async (_, call) => {
      const res = await call();
      const found = activeContent(await res.text());
      expect(found.strayScripts).toEqual([]);
      expect(found.nonce).toBe(cspNonce(res.headers.get("Content-Security-Policy")));
    },
  );

  it.each(["/dashboard/assets/app.js", "/dashboard/assets/app.css"])(
    "%s is cacheable for good (it carries no data) and nosniff",
    async (path) => {
      const res = await call(path, { origin: null });
      expect(res.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("X-Frame-Options")).toBe("DENY");
    },
  );
});

describe("response headers", () => {
  it("sends a CSP whose script nonce is the one on the page's script tag", async () => {
    const b = await signedIn("agent@ecellar.demo");
    const res = await b.get("/dashboard/queue");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(await res.text()).toContain(`<script nonce="${nonce}" src="/dashboard/assets/app.js`);
  });

  it("uses a new nonce for every response", async () => {
    const b = await signedIn("agent@ecellar.demo");
    const a = (await b.get("/dashboard/queue")).headers.get("Content-Security-Policy");
    const c = (await b.get("/dashboard/queue")).headers.get("Content-Security-Policy");
    expect(a).not.toBe(c);
  });

  it("forbids framing, plugins and foreign form targets", async () => {
    const res = await new Browser().get("/dashboard/login");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("base-uri 'none'");
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
  });

  it("keeps signed-in pages out of caches", async () => {
    const b = await signedIn("agent@ecellar.demo");
    expect((await b.get("/dashboard/queue")).headers.get("Cache-Control")).toBe("no-store");
  });

  it("serves the script as a file with nosniff, never inline", async () => {
    const res = await new Browser().get("/dashboard/assets/app.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/javascript/);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });
});

describe("Strict-Transport-Security", () => {
  beforeAll(async () => {
    admin ??= await signedIn("admin@ecellar.demo");
    agent ??= await signedIn("agent@ecellar.demo");
  });

  const other: [string, () => Promise<Response>][] = [
    ["/health", () => call("/health")],
    ["/openapi.json", () => call("/openapi.json")],
    ["an unknown path (404)", () => call("/v2/nothing")],
    ["an unknown site (404)", () => call("/v1/sites/no-such-site/config")],
    ["a foreign origin (403)", () => call("/v1/sites/demo-ecellar/config", { origin: "https://evil.test" })],
    [
      "a body over the cap (413)",
      () => call("/v1/sites/demo-ecellar/window", { body: `{${" ".repeat(20_000)}}`, headers: { "Content-Type": "application/json" } }),
    ],
    ["a site preflight (204)", () => call("/v1/sites/demo-ecellar/tickets", { method: "OPTIONS" })],
    ["a ticket preflight (204)", () => call(`/v1/tickets/${ticket.reference}`, { method: "OPTIONS" })],
    ["a ticket without a token (401)", () => call(`/v1/tickets/${ticket.reference}`)],
  ];

  it.each([...publicRoutes.map(([name, send]) => [name, () => send(ORIGIN)] as const), ...dashboardRoutes, ...other])(
    "%s: HSTS for two years, subdomains included",
    async (_, send) => {
      const res = await send();
      expect(res.headers.get("Strict-Transport-Security")).toBe("max-age=63072000; includeSubDomains");
    },
  );

  it("the widget's static files too (widget/dist/_headers)", () => {
    if (headersFile === undefined) throw new Error("widget/dist/_headers is missing: run `npm run build` (npm test does it first)");
    expect(rule(headersFile, "/*")).toContain("Strict-Transport-Security: max-age=63072000; includeSubDomains");
  });
});
