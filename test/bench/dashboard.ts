/**
 * The dashboard queue at 100k tickets: seeds a local D1 through `wrangler d1 execute`, serves it
 * with `wrangler dev`, and measures the queue page (server time, bytes) and its SQL in the same
 * SQLite file local D1 uses (time per query, EXPLAIN QUERY PLAN). Run: `node test/bench/dashboard.ts`.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { gzipSync } from "node:zlib";
import { type QueueRow, type Statement, segmentStatement, segmentsFor } from "../../worker/dashboard/queue.ts";
import { DEMO_PASSWORD } from "../../worker/dev/seed.ts";
import { freePort, prepareDatabase, startDevServer, wrangler } from "../../worker/dev/server.ts";
import { median, quantile } from "./stats.ts";

/** Budget for one queue page query in local D1 (DESIGN.md). */
export const QUERY_BUDGET_MS = 10;

const MERCHANT = "m_commerceup";

/** What the bench measured. */
export interface DashboardBench {
  readonly tickets: number;
  /** The first queue page over HTTP (wrangler dev on loopback, sequential requests). */
  readonly page: {
    readonly rows: number;
    readonly bytes: number;
    readonly gzipBytes: number;
    readonly medianMs: number;
    readonly p95Ms: number;
    /** The worker's own Server-Timing for the page's queries (median). */
    readonly serverDbMs: number;
    /** GET /health on the same server (median): what wrangler dev and loopback cost by themselves. */
    readonly baselineMs: number;
  };
  /** A page deep in the queue, reached by following next-page links. */
  readonly deepPage: { readonly page: number; readonly medianMs: number };
  /** The page's SQL in the local D1 SQLite file. */
  readonly query: {
    readonly firstPageMs: number;
    readonly deepPageMs: number;
    readonly filteredMs: number;
    readonly budgetMs: number;
    readonly plans: Record<string, string[]>;
    /** Every plan searches an index and none sorts (no TEMP B-TREE). */
    readonly indexed: boolean;
  };
}

/** 100k tickets of one merchant in one INSERT … SELECT over a counter: open, responded, waiting, resolved. */
function seedSql(count: number, now: number): string {
  const due = `(${now} + ((i * 7919) % 200000 - 50000) * 60000)`;
  return `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
INSERT INTO tickets (id, merchant_id, site_id, ref, policy_version, issue_type, severity, classified_priority, priority, status,
  email, description, locale, chargeable, received_at, pauses, first_response_due_at, next_due_at, at_risk_at, sla_state,
  resolved_at, access_token_hash, assignee_id, created_at, updated_at)
SELECT 'bench_' || i, '${MERCHANT}', 's_commerceup', printf('RB-B%03d-%04d', i / 10000, i % 10000), 1, 'ui-design', 'normal', 'C3',
  CASE i % 4 WHEN 0 THEN 'C1' WHEN 1 THEN 'C2' WHEN 2 THEN 'C3' ELSE 'C4' END,
  CASE WHEN i % 20 = 0 THEN 'waiting-on-customer' WHEN i % 10 = 0 THEN 'responded' WHEN i % 9 = 0 THEN 'resolved' ELSE 'open' END,
  'bench-' || i || '@example.test', 'Bench ticket ' || i, 'en', 0, ${now} - (i % 720) * 3600000, '[]', ${due},
  CASE WHEN i % 20 = 0 OR (i % 9 = 0 AND i % 10 <> 0) THEN NULL ELSE ${due} END,
  CASE WHEN i % 20 = 0 OR (i % 9 = 0 AND i % 10 <> 0) THEN NULL ELSE ${due} - 7200000 END,
  CASE WHEN i % 20 = 0 THEN 'paused' WHEN i % 9 = 0 AND i % 10 <> 0 THEN 'on-track' WHEN ${due} <= ${now} THEN 'breached' ELSE 'on-track' END,
  CASE WHEN i % 9 = 0 AND i % 10 <> 0 AND i % 20 <> 0 THEN ${now} ELSE NULL END,
  'bench', CASE WHEN i % 3 = 0 THEN 'st_commerceup_agent' WHEN i % 3 = 1 THEN 'st_commerceup_admin' ELSE NULL END, ${now}, ${now}
FROM n;
`;
}

/** A signed-in cookie jar over plain fetch (the login form, then the session cookie). */
async function signIn(url: string, email: string): Promise<string> {
  const page = await fetch(`${url}/dashboard/login`);
  const loginCookie = page.headers.getSetCookie().map((c) => c.split(";")[0])[0] ?? "";
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
  const res = await fetch(`${url}/dashboard/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: loginCookie },
    body: new URLSearchParams({ _csrf: token, email, password: DEMO_PASSWORD }).toString(),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("__Host-rb_session="));
  if (res.status !== 303 || !session) throw new Error(`sign-in failed (${res.status}); is the dashboard mounted at /dashboard?`);
  return session.split(";")[0] as string;
}

async function timedGet(url: string, cookie: string) {
  const started = performance.now();
  const res = await fetch(url, { headers: { Cookie: cookie } });
  const body = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  const db = Number(/db;dur=(\d+)/.exec(res.headers.get("Server-Timing") ?? "")?.[1] ?? Number.NaN);
  return { ms, body, db };
}

function sqliteFile(persistTo: string): string {
  const dir = path.join(persistTo, "v3/d1/miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (!file) throw new Error(`no local D1 file in ${dir}`);
  return path.join(dir, file);
}

/** Median time of a statement over `runs` executions, and its plan. */
function measureStatement(db: DatabaseSync, s: Statement, runs: number) {
  const stmt = db.prepare(s.sql);
  const times: number[] = [];
  let rows: QueueRow[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    rows = stmt.all(...s.params) as unknown as QueueRow[];
    times.push(performance.now() - started);
  }
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...s.params) as { detail: string }[]).map((r) => r.detail);
  return { ms: median(times), plan, rows };
}

/** Seeds `tickets` tickets, serves them and measures the queue; returns the numbers for BENCH.md. */
export async function benchDashboard(opts: { tickets?: number; samples?: number; deepPages?: number } = {}): Promise<DashboardBench> {
  const count = opts.tickets ?? 100_000;
  const samples = opts.samples ?? 40;
  const deepPages = opts.deepPages ?? 30;
  const port = await freePort();
  const persistTo = await mkdtemp(path.join(tmpdir(), "replyby-bench-dashboard-"));
  const now = Date.now();
  await prepareDatabase(persistTo, [`http://127.0.0.1:${port}`]);
  const file = path.join(persistTo, "bench-tickets.sql");
  writeFileSync(file, seedSql(count, now));
  wrangler(["d1", "execute", "replyby", "--local", "--persist-to", persistTo, "--file", file]);

  const server = await startDevServer({ port, persistTo });
  let page: DashboardBench["page"];
  let deepPage: DashboardBench["deepPage"];
  try {
    const cookie = await signIn(server.url, "agent@commerceup.demo");
    const first = `${server.url}/dashboard/queue`;
    for (let i = 0; i < 5; i++) await timedGet(first, cookie);
    const runs = [];
    for (let i = 0; i < samples; i++) runs.push(await timedGet(first, cookie));
    const health = [];
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      await (await fetch(`${server.url}/health`)).text();
      health.push(performance.now() - started);
    }
    const body = runs[0]?.body ?? "";
    page = {
      rows: (body.match(/<td><a href="\/dashboard\/tickets\//g) ?? []).length,
      bytes: Buffer.byteLength(body),
      gzipBytes: gzipSync(body).byteLength,
      medianMs: median(runs.map((r) => r.ms)),
      p95Ms: quantile(
        runs.map((r) => r.ms),
        0.95,
      ),
      serverDbMs: median(runs.map((r) => r.db)),
      baselineMs: median(health),
    };
    let href = first;
    for (let i = 1; i < deepPages; i++) {
      const next = /<a href="([^"]+)">Next page →<\/a>/.exec((await timedGet(href, cookie)).body)?.[1];
      if (!next) throw new Error(`the queue ended after ${i} pages`);
      href = `${server.url}${next.replaceAll("&amp;", "&")}`;
    }
    const deep = [];
    for (let i = 0; i < Math.min(samples, 20); i++) deep.push(await timedGet(href, cookie));
    deepPage = { page: deepPages, medianMs: median(deep.map((r) => r.ms)) };
  } finally {
    await server.stop();
  }

  const db = new DatabaseSync(sqliteFile(persistTo), { readOnly: true });
  try {
    const segments = segmentsFor({});
    const firstSegment = segments[0];
    if (!firstSegment) throw new Error("no queue segments");
    const firstStatement = segmentStatement(MERCHANT, {}, firstSegment, null, now, 51);
    const first = measureStatement(db, firstStatement, 200);
    // A cursor 30 pages in: the keyset seek is what keeps deep pages as cheap as the first.
    const walk = segmentStatement(MERCHANT, {}, firstSegment, null, now, 50 * deepPages);
    const deepRow = (db.prepare(walk.sql).all(...walk.params) as unknown as QueueRow[]).at(-1);
    if (!deepRow) throw new Error("not enough tickets for a deep page");
    const cursor = { segment: 0, due: deepRow.next_due_at ?? 0, rid: deepRow.rid };
    const deep = measureStatement(db, segmentStatement(MERCHANT, {}, firstSegment, cursor, now, 51), 200);
    const filteredFilters = { status: "open" as const, priority: "C2" };
    const filteredSegment = segmentsFor(filteredFilters)[0];
    if (!filteredSegment) throw new Error("no filtered segment");
    const filtered = measureStatement(db, segmentStatement(MERCHANT, filteredFilters, filteredSegment, null, now, 51), 200);
    const waitingFilters = { status: "waiting-on-customer" as const };
    const waitingSegment = segmentsFor(waitingFilters)[0];
    if (!waitingSegment) throw new Error("no waiting segment");
    const waiting = measureStatement(db, segmentStatement(MERCHANT, waitingFilters, waitingSegment, null, now, 51), 20);
    // The assignment views ("mine", "unassigned"): the same scans on the assignee indexes.
    const viewPlan = (filters: { assignee: string | null }) => {
      const segment = segmentsFor(filters)[0];
      if (!segment) throw new Error("no view segment");
      return measureStatement(db, segmentStatement(MERCHANT, filters, segment, null, now, 51), 50).plan;
    };
    const plans = {
      firstPage: first.plan,
      deepPage: deep.plan,
      openC2: filtered.plan,
      waiting: waiting.plan,
      mine: viewPlan({ assignee: "st_commerceup_agent" }),
      unassigned: viewPlan({ assignee: null }),
    };
    const indexed = Object.values(plans).every(
      (p) => p.some((d) => /USING (COVERING )?INDEX tickets_/.test(d)) && !p.some((d) => d.includes("TEMP B-TREE")),
    );
    return {
      tickets: count,
      page,
      deepPage,
      query: { firstPageMs: first.ms, deepPageMs: deep.ms, filteredMs: filtered.ms, budgetMs: QUERY_BUDGET_MS, plans, indexed },
    };
  } finally {
    db.close();
  }
}

if (import.meta.main) {
  const r = await benchDashboard();
  const f = (n: number) => n.toFixed(2);
  console.log(`dashboard queue, ${r.tickets} tickets of one merchant`);
  console.log(
    `  page 1      ${r.page.rows} rows  ${r.page.bytes} B (${r.page.gzipBytes} B gzip)  median ${f(r.page.medianMs)} ms  p95 ${f(r.page.p95Ms)} ms  worker db ${r.page.serverDbMs} ms  (/health ${f(r.page.baselineMs)} ms)`,
  );
  console.log(`  page ${r.deepPage.page}     median ${f(r.deepPage.medianMs)} ms`);
  console.log(
    `  query       first ${f(r.query.firstPageMs)} ms  deep ${f(r.query.deepPageMs)} ms  open+C2 ${f(r.query.filteredMs)} ms  (budget ≤ ${r.query.budgetMs} ms): ${
      Math.max(r.query.firstPageMs, r.query.deepPageMs) <= r.query.budgetMs ? "PASS" : "FAIL"
    }`,
  );
  for (const [name, plan] of Object.entries(r.query.plans)) console.log(`  plan ${name.padEnd(10)} ${plan.join(" | ")}`);
  console.log(`  indexed, no sort: ${r.query.indexed ? "PASS" : "FAIL"}`);
}
