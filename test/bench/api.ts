import autocannon from "autocannon";
import { startDevServer, wrangler } from "../../worker/dev/server.ts";

/** One load run's figures. */
export interface LoadFigures {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
}

// Storefront traffic comes from many visitors: each request carries one of VISITORS client IPs
// (wrangler dev passes CF-Connecting-IP through; Cloudflare sets it in production), so per-IP
// limits see realistic traffic instead of one IP hammering the site.
const VISITORS = 20_000;
let visitor = 0;
const nextIp = () => {
  visitor = (visitor + 1) % VISITORS;
  return `10.${(visitor >> 16) & 255}.${(visitor >> 8) & 255}.${visitor & 255}`;
};

async function load(name: string, opts: autocannon.Options): Promise<LoadFigures & { statusCodes: Record<string, number> }> {
  const setup = opts.requests?.[0]?.setupRequest as ((req: autocannon.Request, context: unknown) => autocannon.Request) | undefined;
  const requests = [
    {
      setupRequest: (req: autocannon.Request, context: unknown) => {
        const base = setup ? setup(req, context) : req;
        return { ...base, headers: { ...base.headers, "cf-connecting-ip": nextIp() } };
      },
    },
  ];
  const r = await autocannon({ connections: 32, ...opts, requests });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = (stat as { count: number }).count;
  return {
    name,
    requestsPerSecond: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    statusCodes,
  };
}

/** Loads a local worker (wrangler dev on loopback, `bench` environment) and compares to a bare route. */
export async function benchApi(opts: { duration?: number; creates?: number } = {}) {
  const server = await startDevServer({ env: "bench" });
  const duration = opts.duration ?? 10;
  try {
    const origin = server.url;
    const headers = { "content-type": "application/json", origin };
    // Warm the isolate (policy parse, zone transitions) before measuring.
    await load("warm", {
      url: `${server.url}/v1/sites/demo-ecellar/window`,
      method: "POST",
      headers,
      body: JSON.stringify({ issueType: "question", severity: "normal" }),
      duration: 2,
    });
    const bare = await load("bare Hono route (GET /health)", { url: `${server.url}/health`, duration });
    const window = await load("window preview (POST /v1/sites/:siteKey/window)", {
      url: `${server.url}/v1/sites/demo-ecellar/window`,
      method: "POST",
      headers,
      body: JSON.stringify({ issueType: "setup-problem", severity: "normal", locale: "es" }),
      duration,
    });
    let n = 0;
    // A fixed number of creations (not a duration) so every response is counted and compared
    // with what D1 stored.
    const create = await load("ticket create (POST /v1/sites/:siteKey/tickets)", {
      url: `${server.url}/v1/sites/demo-ecellar/tickets`,
      method: "POST",
      headers,
      amount: opts.creates ?? Math.max(500, Math.round(bare.requestsPerSecond * duration * 0.4)),
      requests: [
        {
          setupRequest: (req: autocannon.Request) => {
            n += 1;
            return {
              ...req,
              headers: { ...req.headers, "idempotency-key": `bench-${process.pid}-${n}-${Math.random().toString(36).slice(2)}` },
              body: JSON.stringify({
                issueType: "question",
                severity: "normal",
                email: `load${n}@example.test`,
                description: `Load ticket ${n}`,
              }),
            };
          },
        },
      ],
    });
    const out = wrangler([
      "d1",
      "execute",
      "replyby",
      "--local",
      "--env",
      "bench",
      "--persist-to",
      server.persistTo,
      "--json",
      "--command",
      "SELECT count(*) AS n FROM tickets WHERE description LIKE 'Load ticket %'",
    ]);
    const stored = (JSON.parse(out) as { results: { n: number }[] }[])[0]?.results[0]?.n ?? -1;
    const created = create.statusCodes["201"] ?? 0;
    return {
      bare,
      window,
      create,
      ticketsStored: stored,
      created201: created,
      windowRatio: window.requestsPerSecond / bare.requestsPerSecond,
      createRatio: create.requestsPerSecond / bare.requestsPerSecond,
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.main) {
  const r = await benchApi();
  const row = (f: LoadFigures) =>
    `${f.name.padEnd(50)} ${String(f.requestsPerSecond).padStart(7)} req/s  p50 ${f.p50} ms  p99 ${f.p99} ms  errors ${f.errors}  non-2xx ${f.non2xx}`;
  console.log([row(r.bare), row(r.window), row(r.create)].join("\n"));
  console.log("status codes", JSON.stringify({ bare: r.bare.statusCodes, window: r.window.statusCodes, create: r.create.statusCodes }));
  console.log(
    `window/bare ${(r.windowRatio * 100).toFixed(0)}% (budget ≥ 70%), create/bare ${(r.createRatio * 100).toFixed(0)}% (budget ≥ 40%)`,
  );
  console.log(`tickets stored ${r.ticketsStored} == 201 responses ${r.created201}: ${r.ticketsStored === r.created201 ? "PASS" : "FAIL"}`);
}
