import autocannon from "autocannon";
import { d1Query, startDevServer } from "../../worker/dev/server.ts";
import { deliveryFigures, deliveryLine } from "./mail.ts";

/** Figures of one load phase. */
export interface Phase {
  name: string;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  statusCodes: Record<string, number>;
}

// Each request comes from one of many visitors (wrangler dev passes CF-Connecting-IP through;
// Cloudflare sets it in production), so per-IP caps see storefront-shaped traffic.
let visitor = 0;
function visitorIp(): string {
  visitor = (visitor + 1) % 60_000;
  return `10.${(visitor >> 16) & 255}.${(visitor >> 8) & 255}.${visitor & 255}`;
}

let sequence = 0;

async function creates(
  url: string,
  name: string,
  opts: { amount?: number; duration?: number; connections: number; overallRate?: number },
): Promise<Phase> {
  const r = await autocannon({
    url: `${url}/v1/sites/demo-ecellar/tickets`,
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    connections: opts.connections,
    // A run ends at the first sample after its last response: 100 ms keeps the rate exact.
    sampleInt: 100,
    ...(opts.amount ? { amount: opts.amount } : {}),
    ...(opts.duration ? { duration: opts.duration } : {}),
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    requests: [
      {
        setupRequest: (req: autocannon.Request) => {
          sequence += 1;
          return {
            ...req,
            headers: {
              ...req.headers,
              "idempotency-key": `load-${process.pid}-${sequence}-${Math.random().toString(36).slice(2)}`,
              "cf-connecting-ip": visitorIp(),
            },
            body: JSON.stringify({
              issueType: "question",
              severity: "normal",
              email: `load${sequence}@example.test`,
              description: `Load ticket ${sequence}`,
            }),
          };
        },
      },
    ],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = (stat as { count: number }).count;
  return {
    name,
    requests: r.requests.total,
    // Completed requests over the run's wall time (autocannon's average is per sample interval).
    requestsPerSecond: Math.round(r.requests.total / r.duration),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    statusCodes,
  };
}

/**
 * Load without loss: a burst of `burst` creations at 64 connections, then a soak at a fixed rate
 * for `soakMinutes`, minute by minute; afterwards tickets stored must equal 201 responses, and every
 * ticket's acknowledgement must have reached the email service once (with its delivery lag).
 */
export async function loadTest(opts: { burst?: number; soakMinutes?: number; soakRate?: number } = {}) {
  const burstCount = opts.burst ?? 10_000;
  const minutes = opts.soakMinutes ?? 10;
  const server = await startDevServer({ env: "bench" });
  try {
    const burst = await creates(server.url, `burst: ${burstCount} creates, 64 connections`, { amount: burstCount, connections: 64 });
    const soak: Phase[] = [];
    for (let m = 1; m <= minutes; m++) {
      // Phases run back to back at a fixed overall rate: one continuous soak, read per minute.
      const rate = opts.soakRate ?? 50;
      soak.push(await creates(server.url, `soak minute ${m} at ${rate} req/s`, { amount: rate * 60, connections: 16, overallRate: rate }));
    }
    const stored =
      d1Query<{ n: number }>(server.persistTo, "SELECT count(*) AS n FROM tickets WHERE description LIKE 'Load ticket %'", "bench")[0]?.n ??
      -1;
    const delivery = await deliveryFigures(server, "bench", "description LIKE 'Load ticket %'");
    const phases = [burst, ...soak];
    const created = phases.reduce((n, p) => n + (p.statusCodes["201"] ?? 0), 0);
    const first = soak[0];
    const last = soak[soak.length - 1];
    return {
      burst,
      soak,
      stored,
      created,
      lossless: stored === created,
      errors: phases.reduce((n, p) => n + p.errors, 0),
      soakP99Ratio: first && last ? last.p99 / Math.max(1, first.p99) : 0,
      delivery,
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.main) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const r = await loadTest({ burst: arg("burst"), soakMinutes: arg("minutes"), soakRate: arg("rate") });
  const row = (p: Phase) =>
    `${p.name.padEnd(40)} ${String(p.requests).padStart(6)} req  ${String(p.requestsPerSecond).padStart(5)} req/s  p50 ${p.p50} ms  p99 ${p.p99} ms  errors ${p.errors}  ${JSON.stringify(p.statusCodes)}`;
  console.log([r.burst, ...r.soak].map(row).join("\n"));
  console.log(`tickets stored ${r.stored}, 201 responses ${r.created}: ${r.lossless ? "PASS" : "FAIL"}`);
  console.log(
    `soak last-minute p99 / first-minute p99 = ${r.soakP99Ratio.toFixed(2)} (budget <= 2): ${r.soakP99Ratio <= 2 ? "PASS" : "FAIL"}`,
  );
  console.log(`errors ${r.errors}: ${r.errors === 0 ? "PASS" : "FAIL"}`);
  const d = r.delivery;
  console.log(`delivery lag p50 ${d.lagP50} ms, p99 ${d.lagP99} ms, max ${d.lagMax} ms; settled ${d.settledAfterMs} ms after the load`);
  console.log(`${deliveryLine(d)}: ${d.exact ? "PASS" : "FAIL"}`);
  if (!r.lossless || r.soakP99Ratio > 2 || r.errors > 0 || !d.exact) process.exitCode = 1;
}
