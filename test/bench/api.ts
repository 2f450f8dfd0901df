import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { d1Query, startDevServer, wranglerDev } from "../../worker/dev/server.ts";
import { median } from "./stats.ts";

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

/** One autocannon run (32 connections unless told), each request from the next visitor IP. */
export async function load(name: string, opts: autocannon.Options): Promise<LoadFigures & { statusCodes: Record<string, number> }> {
  const setup = opts.requests?.[0]?.setupRequest as ((req: autocannon.Request, context: unknown) => autocannon.Request) | undefined;
  const requests = [
    {
      setupRequest: (req: autocannon.Request, context: unknown) => {
        const base = setup ? setup(req, context) : req;
        return { ...base, headers: { ...base.headers, "cf-connecting-ip": nextIp() } };
      },
    },
  ];
  // Sampled every 100 ms: a run ends at the first sample after its last response, so with the
  // default 1 s a fixed-amount run's wall time (and rate) was rounded to whole seconds.
  const r = await autocannon({ connections: 32, sampleInt: 100, ...opts, requests });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = (stat as { count: number }).count;
  return {
    name,
    // Completed requests over the run's wall time (autocannon's average is per sample interval).
    requestsPerSecond: Math.round(r.requests.total / r.duration),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    statusCodes,
  };
}

/** Several runs of one route as one row: median rate and latencies, summed counts. */
export function combine(
  runs: (LoadFigures & { statusCodes: Record<string, number> })[],
): LoadFigures & { statusCodes: Record<string, number> } {
  const statusCodes: Record<string, number> = {};
  for (const r of runs) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    name: runs[0]?.name ?? "",
    requestsPerSecond: Math.round(median(runs.map((r) => r.requestsPerSecond))),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    requests: runs.reduce((n, r) => n + r.requests, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    statusCodes,
  };
}

/** Where the local D1 lives during a run. */
export type Storage = "memory" | "disk";

/** A fresh folder for a run's local D1: on /dev/shm for "memory" where there is one. */
export function stateDir(storage: Storage): { storage: Storage; dir: string } {
  const where: Storage = storage === "memory" && existsSync("/dev/shm") ? "memory" : "disk";
  return { storage: where, dir: mkdtempSync(path.join(where === "memory" ? "/dev/shm" : tmpdir(), "replyby-bench-")) };
}

/**
 * The floor under ticket creation: a framework-free worker (floor/worker.ts) whose route does
 * one one-row D1 write, against its own bare route, interleaved like `benchApi`.
 */
export async function benchFloor(opts: { duration?: number; rounds?: number; storage?: Storage } = {}) {
  const { storage, dir } = stateDir(opts.storage ?? "memory");
  const config = path.join(dir, "wrangler.json");
  writeFileSync(
    config,
    JSON.stringify({
      name: "replyby-floor",
      main: path.resolve(import.meta.dirname, "floor/worker.ts"),
      compatibility_date: "2026-11-01",
      d1_databases: [{ binding: "DB", database_name: "floor", database_id: "floor-local" }],
    }),
  );
  const server = await wranglerDev(["--config", config, "--persist-to", dir]);
  const duration = opts.duration ?? 6;
  const rounds = opts.rounds ?? 5;
  try {
    await load("warm", { url: `${server.url}/write`, method: "POST", duration: 2 });
    const bare: Awaited<ReturnType<typeof load>>[] = [];
    const write: Awaited<ReturnType<typeof load>>[] = [];
    for (let round = 0; round < rounds; round++) {
      bare.push(await load("bare route, no framework (GET /health)", { url: `${server.url}/health`, duration }));
      write.push(await load("one D1 write, no framework (POST /write)", { url: `${server.url}/write`, method: "POST", duration }));
    }
    const ratios = write.map((r, i) => r.requestsPerSecond / (bare[i]?.requestsPerSecond ?? Number.NaN));
    return { storage, rounds, bare: combine(bare), write: combine(write), writeRatios: ratios, writeRatio: median(ratios) };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Loads a local worker (wrangler dev on loopback, `bench` environment) and compares to a bare
 * route. The three routes run interleaved for `rounds` rounds: this machine's throughput drifts
 * by ±15 % within a minute, so each ratio is taken within one round and the median reported.
 *
 * With `storage: "memory"` the local D1's files sit on /dev/shm (where there is one): every
 * created ticket is a committed SQLite transaction, and on this VM's disk the flush, not the
 * worker, set the pace. D1 in production is a remote service; `node test/bench/api.ts --disk`
 * measures with the files on disk.
 */
export async function benchApi(opts: { duration?: number; creates?: number; rounds?: number; storage?: Storage } = {}) {
  const { storage, dir: persistTo } = stateDir(opts.storage ?? "memory");
  const server = await startDevServer({ env: "bench", persistTo });
  const duration = opts.duration ?? 6;
  const rounds = opts.rounds ?? 5;
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
    let n = 0;
    const runs = {
      bare: [] as Awaited<ReturnType<typeof load>>[],
      window: [] as Awaited<ReturnType<typeof load>>[],
      create: [] as Awaited<ReturnType<typeof load>>[],
    };
    for (let round = 0; round < rounds; round++) {
      const bare = await load("bare Hono route (GET /health)", { url: `${server.url}/health`, duration });
      runs.bare.push(bare);
      runs.window.push(
        await load("window preview (POST /v1/sites/:siteKey/window)", {
          url: `${server.url}/v1/sites/demo-ecellar/window`,
          method: "POST",
          headers,
          body: JSON.stringify({ issueType: "setup-problem", severity: "normal", locale: "es" }),
          duration,
        }),
      );
      // A fixed number of creations (not a duration) so every response is counted and compared
      // with what D1 stored.
      runs.create.push(
        await load("ticket create (POST /v1/sites/:siteKey/tickets)", {
          url: `${server.url}/v1/sites/demo-ecellar/tickets`,
          method: "POST",
          headers,
          amount: opts.creates ?? Math.max(500, Math.round(bare.requestsPerSecond * duration * 0.5)),
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
        }),
      );
    }
    const stored =
      d1Query<{ n: number }>(server.persistTo, "SELECT count(*) AS n FROM tickets WHERE description LIKE 'Load ticket %'", "bench")[0]?.n ??
      -1;
    const create = combine(runs.create);
    const ratios = (of: typeof runs.window) => of.map((r, i) => r.requestsPerSecond / (runs.bare[i]?.requestsPerSecond ?? Number.NaN));
    return {
      storage,
      rounds,
      bare: combine(runs.bare),
      window: combine(runs.window),
      create,
      ticketsStored: stored,
      created201: create.statusCodes["201"] ?? 0,
      windowRatios: ratios(runs.window),
      createRatios: ratios(runs.create),
      windowRatio: median(ratios(runs.window)),
      createRatio: median(ratios(runs.create)),
    };
  } finally {
    await server.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const r = await benchApi({ storage: process.argv.includes("--disk") ? "disk" : "memory" });
  console.log(`local D1 on ${r.storage}, ${r.rounds} interleaved rounds`);
  const row = (f: LoadFigures) =>
    `${f.name.padEnd(50)} ${String(f.requestsPerSecond).padStart(7)} req/s  p50 ${f.p50} ms  p99 ${f.p99} ms  errors ${f.errors}  non-2xx ${f.non2xx}`;
  console.log([row(r.bare), row(r.window), row(r.create)].join("\n"));
  console.log("status codes", JSON.stringify({ bare: r.bare.statusCodes, window: r.window.statusCodes, create: r.create.statusCodes }));
  const pct = (xs: number[]) => xs.map((x) => `${(x * 100).toFixed(0)}%`).join(", ");
  console.log(
    `window/bare median ${(r.windowRatio * 100).toFixed(0)}% of rounds ${pct(r.windowRatios)} (budget ≥ 70%); create/bare median ${(r.createRatio * 100).toFixed(0)}% of rounds ${pct(r.createRatios)} (budget ≥ 40%)`,
  );
  const floor = await benchFloor({ storage: r.storage });
  console.log([row(floor.bare), row(floor.write)].join("\n"));
  console.log(`one D1 write / bare, no framework: median ${(floor.writeRatio * 100).toFixed(0)}% of rounds ${pct(floor.writeRatios)}`);
  console.log(`tickets stored ${r.ticketsStored} == 201 responses ${r.created201}: ${r.ticketsStored === r.created201 ? "PASS" : "FAIL"}`);
}
