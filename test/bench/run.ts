import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchApi, benchFloor, type LoadFigures } from "./api.ts";
import { benchDashboard } from "./dashboard.ts";
import { benchEngine } from "./engine.ts";
import { loadTest, type Phase } from "./load.ts";
import { benchMail, deliveryLine } from "./mail.ts";
import { benchWidget } from "./widget.ts";

// `npm run bench`: every benchmark in one run, checked against DESIGN.md's budgets, written to
// BENCH.md with the command that produced each figure and the machine it ran on.
// `--quick` shortens the soak to one minute and the burst to 2,000 (for trying things out).
// `--only mail,load` runs only those sections (engine, api, widget, dashboard, load, mail) and
// prints them without touching BENCH.md, which only a full run writes.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const quick = process.argv.includes("--quick");
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt > 0 ? new Set((process.argv[onlyAt + 1] ?? "").split(",")) : undefined;
const runs = (section: string) => !only || only.has(section);
const started = new Date();
const lines: string[] = [];
const verdicts: { what: string; pass: boolean }[] = [];
const out = (s = "") => {
  lines.push(s);
  console.log(s);
};
const check = (what: string, pass: boolean) => {
  verdicts.push({ what, pass });
  return pass ? "**PASS**" : "**FAIL**";
};
const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

/** Writes a Markdown table of load runs: one row a route, with its rate, latencies and failures. */
function loadTable(rows: LoadFigures[]): void {
  out("| route | req/s | p50 ms | p99 ms | errors | non-2xx |");
  out("|---|---|---|---|---|---|");
  for (const f of rows) out(`| ${f.name} | ${fmt(f.requestsPerSecond)} | ${f.p50} | ${f.p99} | ${f.errors} | ${f.non2xx} |`);
}

function version(cmd: string, args: string[], pattern = /\d+\.\d+/): string {
  try {
    // Debian's chromium wrapper may print shell noise first: keep the line naming a version.
    const lines = execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      .trim()
      .split("\n");
    return lines.find((l) => pattern.test(l)) ?? lines[0] ?? "?";
  } catch {
    return "not found";
  }
}

out("# Replyby benchmarks");
out();
out(`Run by \`npm run bench${quick ? " -- --quick" : ""}\` (test/bench/run.ts) on ${started.toISOString()}.`);
out();
out(
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB, ${os.type()} ${os.release()}; Node ${process.version};`,
);
out(
  `wrangler ${version(process.execPath, [path.join(root, "node_modules/wrangler/bin/wrangler.js"), "--version"])}; ${version("/usr/bin/chromium", ["--version"], /Chromium \d/)}.`,
);
out("Timings vary with what else the machine is doing; ratios are measured within one run.");
out();

if (runs("engine")) {
  out("## Policy engine vs peers");
  out();
  out("Command: `node test/bench/engine.ts` (same calendar for all three: Mon–Fri 09:00–17:00 UTC, 100 holidays a year).");
  out();
  const engine = benchEngine();
  out("| operation | Replyby ops/s | dayjs-business-time | moment-business-time | × dayjs | × moment |");
  out("|---|---|---|---|---|---|");
  for (const o of engine.ops) {
    out(`| ${o.op} | ${fmt(o.replyby)} | ${fmt(o.dayjs, 2)} | ${fmt(o.moment, 3)} | ${fmt(o.vsDayjs)}× | ${fmt(o.vsMoment)}× |`);
  }
  out();
  for (const b of engine.budgets) out(`- ${b.what}: ${fmt(b.measured, 2)}× (budget ${b.budget}) ${check(b.what, b.pass)}`);
  out();
  out("Replyby alone on the same hours and holidays in each zone of the property tests (the long-span budget lines above):");
  out();
  out("| zone | add 4 h ops/s | add ~10 years ops/s | within a week ops/s | 10-year / 4-hour cost |");
  out("|---|---|---|---|---|");
  for (const z of engine.zones) out(`| ${z.timeZone} | ${fmt(z.add4h)} | ${fmt(z.add10y)} | ${fmt(z.within)} | ${fmt(z.ratio, 2)}× |`);
  out();
}

if (runs("api")) {
  out("## API under load vs a bare Hono route");
  out();
  const api = await benchApi({ storage: "memory" });
  const floor = await benchFloor({ storage: api.storage });
  out(
    `Command: \`node test/bench/api.ts\` — wrangler dev (\`--env bench\`) on 127.0.0.1, local D1 on ${api.storage === "memory" ? "/dev/shm" : "disk"}, autocannon with 32 connections and a pool of visitor IPs; the three routes interleaved for ${api.rounds} rounds, each rate the median of the rounds and each ratio the median of the per-round ratios (this machine's throughput drifts by ±15 % within a minute).`,
  );
  out();
  const pct = (xs: number[]) => xs.map((x) => `${fmt(x * 100)}%`).join(", ");
  loadTable([api.bare, api.window, api.create]);
  out();
  out(
    `- window preview / bare: ${fmt(api.windowRatio * 100)}% (rounds: ${pct(api.windowRatios)}; budget ≥ 70%) ${check("window preview ≥ 70% of bare", api.windowRatio >= 0.7)}`,
  );
  out(
    `- ticket create / bare: ${fmt(api.createRatio * 100)}% (rounds: ${pct(api.createRatios)}; budget ≥ 40%) ${check("ticket create ≥ 40% of bare", api.createRatio >= 0.4)}`,
  );
  const apiErrors = api.bare.errors + api.window.errors + api.create.errors + api.bare.non2xx + api.window.non2xx + api.create.non2xx;
  out(`- errors and non-2xx: ${apiErrors} ${check("API load: 0 errors", apiErrors === 0)}`);
  out(
    `- tickets in D1 ${fmt(api.ticketsStored)} == 201 responses ${fmt(api.created201)} ${check("API load: stored == 201", api.ticketsStored === api.created201)}`,
  );
  out();
  out(
    "For reference, the floor under any route that writes: a framework-free worker (`test/bench/floor/worker.ts`) in the same wrangler dev setup, whose one route commits a single one-row D1 upsert:",
  );
  out();
  loadTable([floor.bare, floor.write]);
  out();
  out(
    `- one D1 write / bare: ${fmt(floor.writeRatio * 100)}% (rounds: ${pct(floor.writeRatios)}). Local D1 runs on the worker's own workerd thread (JSON to a Durable Object, SQLite, commit), so one write costs about as much as a whole bare request; ticket creation (validation, the window, two hashes, one five-statement batch) reaches ${fmt((api.createRatio / floor.writeRatio) * 100)}% of that floor. In production D1 is a separate service.`,
  );
  out();
}

if (runs("widget")) {
  out("## Widget");
  out();
  const widget = await benchWidget();
  out(
    `Command: \`node test/bench/widget.ts\` — \`widget/build.ts\` sizes; Chromium on the demo store (\`/demo/ecellar\`), 4× CPU throttling, median of ${widget.runs} loads with the widget interleaved with ${widget.runs} without, each measured from navigation to 3 s after the load event; script time is summed from a Chrome trace (evaluation, callbacks and microtasks).`,
  );
  out();
  const kb = (n: number) => `${fmt(n / 1024, 1)} KB`;
  out("| file | raw | gzip | brotli |");
  out("|---|---|---|---|");
  out(`| loader (widget.js) | ${kb(widget.bytes.loader.raw)} | ${kb(widget.bytes.loader.gzip)} | ${kb(widget.bytes.loader.brotli)} |`);
  out(`| app chunk | ${kb(widget.bytes.app.raw)} | ${kb(widget.bytes.app.gzip)} | ${kb(widget.bytes.app.brotli)} |`);
  out();
  out(
    `- loader ${kb(widget.bytes.loader.gzip)} gzip (budget ≤ 4 KB) ${check("loader ≤ 4 KB gzip", widget.bytes.loader.gzip <= widget.budgets.loaderGzip)}`,
  );
  out(
    `- whole widget ${kb(widget.bytes.totalGzip)} gzip (budget ≤ 30 KB) ${check("widget ≤ 30 KB gzip", widget.bytes.totalGzip <= widget.budgets.totalGzip)}`,
  );
  out(
    `- requests at page load: ${widget.requestsAtLoad.length} (${widget.requestsAtLoad.join(", ")}) (budget 1) ${check("1 request at page load", widget.requestsAtLoad.length === 1)}`,
  );
  out(
    `- requests on open: ${widget.requestsOnOpen.length} (${widget.requestsOnOpen.join(", ")}), one origin (budget ≤ 3) ${check("≤ 3 requests on open", widget.requestsOnOpen.length <= 3 && widget.oneOrigin)}`,
  );
  const m = widget.mainThread;
  out(
    `- widget main-thread script time at load: ${fmt(m.addedScriptMs, 1)} ms added (${fmt(m.withWidgetScriptMs, 1)} ms with the widget − ${fmt(m.withoutWidgetScriptMs, 1)} ms for the same store without it, medians; budget ≤ ${m.addedScriptBudgetMs} ms) ${check(
      `widget main-thread script time at load ≤ ${m.addedScriptBudgetMs} ms`,
      m.addedScriptPass,
    )}`,
  );
  out(
    `- long tasks at load: ${m.longTasksWithWidget} with the widget vs ${m.longTasksWithoutWidget} without (medians; worst load ${m.worstLongTasksWithWidget} vs ${m.worstLongTasksWithoutWidget}; the store's own first layout is among them), ${m.widgetLongFrames} made long by the widget's scripts (median of long animation frames that would be under 50 ms without them; worst load ${m.worstWidgetLongFrames}) ${check(
      "no long task added by the widget",
      m.noLongTaskAdded,
    )}`,
  );
  out();
}

if (runs("dashboard")) {
  out("## Dashboard queue at 100k tickets");
  out();
  out(
    "Command: `node test/bench/dashboard.ts` — 100,000 tickets of one merchant in local D1, the queue page over wrangler dev, its SQL in the D1 SQLite file.",
  );
  out();
  const dash = await benchDashboard();
  out(
    `- queue page 1: ${dash.page.rows} rows, ${fmt(dash.page.bytes)} B (${fmt(dash.page.gzipBytes)} B gzip), median ${fmt(dash.page.medianMs, 1)} ms, p95 ${fmt(dash.page.p95Ms, 1)} ms (GET /health ${fmt(dash.page.baselineMs, 1)} ms); worker's own query time ${dash.page.serverDbMs} ms`,
  );
  out(`- page ${dash.deepPage.page} by keyset links: median ${fmt(dash.deepPage.medianMs, 1)} ms`);
  const worst = Math.max(dash.query.firstPageMs, dash.query.deepPageMs, dash.query.filteredMs);
  out(
    `- page query in local D1: first ${fmt(dash.query.firstPageMs, 2)} ms, deep ${fmt(dash.query.deepPageMs, 2)} ms, filtered ${fmt(dash.query.filteredMs, 2)} ms (budget ≤ ${dash.query.budgetMs} ms) ${check("queue query ≤ 10 ms", worst <= dash.query.budgetMs)}`,
  );
  out(`- every plan uses an index, none sorts ${check("queue indexed", dash.query.indexed)}`);
  for (const [name, plan] of Object.entries(dash.query.plans)) out(`  - ${name}: \`${plan.join(" | ")}\``);
  out();
}

if (runs("load")) {
  out("## Load without loss");
  out();
  const burst = quick ? 2000 : 10_000;
  const minutes = quick ? 1 : 10;
  out(
    `Command: \`npm run load -- --burst ${burst} --minutes ${minutes}\` (test/bench/load.ts) — ticket creations on wrangler dev (\`--env bench\`), unique Idempotency-Keys.`,
  );
  out();
  const load = await loadTest({ burst, soakMinutes: minutes });
  const phaseRow = (p: Phase) =>
    `| ${p.name} | ${fmt(p.requests)} | ${fmt(p.requestsPerSecond)} | ${p.p50} | ${p.p99} | ${p.errors} | ${JSON.stringify(p.statusCodes)} |`;
  out("| phase | requests | req/s | p50 ms | p99 ms | errors | statuses |");
  out("|---|---|---|---|---|---|---|");
  out(phaseRow(load.burst));
  for (const p of load.soak) out(phaseRow(p));
  out();
  out(`- tickets stored ${fmt(load.stored)} == 201 responses ${fmt(load.created)} ${check("load: stored == 201", load.lossless)}`);
  out(`- errors ${load.errors} ${check("load: 0 errors", load.errors === 0)}`);
  out(
    `- soak last-minute p99 / first-minute p99 = ${fmt(load.soakP99Ratio, 2)} (budget ≤ 2) ${check("soak p99 drift ≤ 2×", load.soakP99Ratio <= 2)}`,
  );
  out(
    "- Restart: `test/system/restart.test.ts` (in `npm test`) stops wrangler dev mid-stream and checks every 201 ticket survives and retries land once.",
  );
  const ld = load.delivery;
  out(
    `- acknowledgement delivery lag under this load (outbox row written → sent): p50 ${fmt(ld.lagP50)} ms, p99 ${fmt(ld.lagP99)} ms, max ${fmt(ld.lagMax)} ms; every email settled ${fmt(ld.settledAfterMs / 1000, 1)} s after the last request (${ld.cronRuns} cron runs)`,
  );
  out(`- ${deliveryLine(ld)} ${check("load: stored emails == owed, none twice", ld.exact)}`);
  out();
}

if (runs("mail")) {
  out("## Email in and out");
  out();
  const mail = await benchMail({ rounds: quick ? 3 : 5, amount: quick ? 200 : 400 });
  out(
    `Command: \`node test/bench/mail.ts\` (or \`npm run bench -- --only mail\`) — wrangler dev (\`--env bench\`) on 127.0.0.1, local D1 on ${mail.storage === "memory" ? "/dev/shm" : "disk"}; ${mail.rounds} interleaved rounds of ${mail.amount} inbound emails (raw RFC 5322 POSTed to \`/cdn-cgi/local/email?from=…&to=help@commerceup.demo\`, one new ticket each) and ${mail.amount} API creations on the same site, 32 connections; each ratio taken within a round, the median reported. Every ticket owes one acknowledgement, sent right after its commit; the sent emails are read back from wrangler dev's local email store.`,
  );
  out();
  loadTable([mail.api, mail.mail]);
  out();
  out(
    `- inbound mail / API creation: ${fmt(mail.ratio * 100)}% (rounds: ${mail.ratios.map((x) => `${fmt(x * 100)}%`).join(", ")}; budget ≥ 50%) ${check("inbound mail ≥ 50% of API creation", mail.ratio >= 0.5)}`,
  );
  out(
    `- tickets from mail ${fmt(mail.mailTickets)} == mails accepted ${fmt(mail.mailAccepted)}; from the API ${fmt(mail.apiTickets)} == 201 responses ${fmt(mail.apiCreated)} ${check(
      "mail: stored == accepted",
      mail.mailTickets === mail.mailAccepted &&
        mail.apiTickets === mail.apiCreated &&
        mail.mail.errors + mail.api.errors + mail.mail.non2xx + mail.api.non2xx === 0,
    )}`,
  );
  const md = mail.delivery;
  out(
    `- acknowledgement delivery lag (outbox row written → sent): p50 ${fmt(md.lagP50)} ms, p99 ${fmt(md.lagP99)} ms, max ${fmt(md.lagMax)} ms; every email settled ${fmt(md.settledAfterMs / 1000, 1)} s after the last request (${md.cronRuns} cron runs)`,
  );
  out(`- ${deliveryLine(md)} ${check("mail: stored emails == owed, none twice", md.exact)}`);
  out();
}

const failed = verdicts.filter((v) => !v.pass);
out("## Summary");
out();
out(
  `${verdicts.length - failed.length} of ${verdicts.length} budget lines pass${failed.length ? `; failing: ${failed.map((f) => f.what).join("; ")}` : ""}.`,
);
if (!only) writeFileSync(path.join(root, "BENCH.md"), `${lines.join("\n")}\n`);
if (failed.length) process.exitCode = 1;
