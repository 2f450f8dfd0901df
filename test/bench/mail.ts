import { rmSync } from "node:fs";
import type autocannon from "autocannon";
import { type DevServer, d1Query, startDevServer } from "../../worker/dev/server.ts";
import { combine, type LoadFigures, load, type Storage, stateDir } from "./api.ts";
import { median, quantile } from "./stats.ts";

// Inbound mail → ticket beside API ticket creation on one wrangler dev, interleaved; then what
// happened to every email those tickets owe: its delivery lag and whether the email service got
// each exactly once. Loopback only: the mail is POSTed to wrangler dev's local email endpoint and
// the sent emails are read back from its local email store.

const SITE = "demo-commerceup";
const SUPPORT = "help@commerceup.demo";

/** One sent email as wrangler dev's local email store lists it. */
interface StoredEmail {
  messageId: string;
  to: string[];
  subject: string;
}

/** Every email the local send_email binding accepted, from wrangler dev's Local Explorer API (100 a page). */
export async function storedEmails(url: string): Promise<StoredEmail[]> {
  const all: StoredEmail[] = [];
  let cursor: string | undefined;
  for (;;) {
    const q = new URLSearchParams({ per_page: "100", ...(cursor ? { cursor } : {}) });
    const res = await fetch(`${url}/cdn-cgi/local/explorer/api/local/email/sending?${q}`);
    if (!res.ok) throw new Error(`local email store: HTTP ${res.status}`);
    const page = (await res.json()) as { result?: StoredEmail[]; result_info?: { cursor?: string; has_more?: boolean } };
    all.push(...(page.result ?? []));
    cursor = page.result_info?.cursor;
    if (!page.result_info?.has_more || !cursor) return all;
  }
}

/** What became of the emails a run's tickets owe. */
export interface DeliveryFigures {
  /** Acknowledgements owed: one per ticket the run created (no on-call alert applies to these tickets). */
  expected: number;
  /** Email rows in the outbox, and how many of them ended sent / still queued / failed or suppressed. */
  rows: number;
  sent: number;
  queued: number;
  failed: number;
  /** Emails the email service received (its local store), distinct Message-IDs, recipients with more than one. */
  stored: number;
  distinctIds: number;
  duplicates: number;
  /** Outbox row written → sent, ms. */
  lagP50: number;
  lagP99: number;
  lagMax: number;
  /** How long after the load every email was settled, ms; and the cron runs it took. */
  settledAfterMs: number;
  cronRuns: number;
  /** expected == rows == sent == stored, with no duplicate. */
  exact: boolean;
}

/**
 * Waits until no email row is queued (up to `timeoutMs`; the scheduled handler is run once a
 * minute meanwhile, as the cron would), then measures lag from the outbox and compares the email
 * service's store with the acknowledgements owed by tickets matching `ticketsWhere`.
 */
export async function deliveryFigures(
  server: DevServer,
  envName: string,
  ticketsWhere: string,
  timeoutMs = 180_000,
): Promise<DeliveryFigures> {
  const q = <T>(sql: string) => d1Query<T>(server.persistTo, sql, envName);
  const started = Date.now();
  let cronRuns = 0;
  let lastCron = Date.now();
  for (;;) {
    const queued = q<{ n: number }>("SELECT count(*) AS n FROM outbox WHERE channel = 'email' AND status = 'queued'")[0]?.n ?? 0;
    if (queued === 0 || Date.now() - started > timeoutMs) break;
    if (Date.now() - lastCron >= 60_000) {
      await fetch(`${server.url}/cdn-cgi/local/scheduled`);
      cronRuns += 1;
      lastCron = Date.now();
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const settledAfterMs = Date.now() - started;
  const expected = q<{ n: number }>(`SELECT count(*) AS n FROM tickets WHERE ${ticketsWhere}`)[0]?.n ?? -1;
  const states = q<{ status: string; n: number }>("SELECT status, count(*) AS n FROM outbox WHERE channel = 'email' GROUP BY status");
  const of = (s: string) => states.find((r) => r.status === s)?.n ?? 0;
  const lags = q<{ lag: number }>("SELECT delivered_at - created_at AS lag FROM outbox WHERE channel = 'email' AND status = 'sent'").map(
    (r) => r.lag,
  );
  const emails = await storedEmails(server.url);
  const perRecipient = new Map<string, number>();
  for (const e of emails) for (const to of e.to) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
  const rows = states.reduce((n, r) => n + r.n, 0);
  const figures = {
    expected,
    rows,
    sent: of("sent"),
    queued: of("queued"),
    failed: of("failed") + of("suppressed"),
    stored: emails.length,
    distinctIds: new Set(emails.map((e) => e.messageId)).size,
    duplicates: [...perRecipient.values()].filter((n) => n > 1).length,
    lagP50: quantile(lags, 0.5),
    lagP99: quantile(lags, 0.99),
    lagMax: quantile(lags, 1),
    settledAfterMs,
    cronRuns,
  };
  return {
    ...figures,
    exact:
      figures.expected === figures.rows &&
      figures.rows === figures.sent &&
      figures.sent === figures.stored &&
      figures.distinctIds === figures.stored &&
      figures.duplicates === 0,
  };
}

let n = 0;

/** An autocannon request list whose every request takes the next number `i` (so each files a new ticket) and what `make` sets for it. */
function numbered(make: (i: number, req: autocannon.Request) => Partial<autocannon.Request>) {
  return [
    {
      setupRequest: (req: autocannon.Request) => {
        n += 1;
        return { ...req, ...make(n, req) };
      },
    },
  ];
}

/** A plain customer email: a new ticket on CommerceUp (no subject rule, no automation, no alert). */
function mail(i: number): string {
  return [
    `From: Mail Bench ${i} <mail${i}@example.test>`,
    `To: ${SUPPORT}`,
    `Subject: Mail bench ${i}: the export button does nothing`,
    `Message-ID: <mail-bench-${process.pid}-${i}-${Math.random().toString(36).slice(2)}@example.test>`,
    `Date: ${new Date().toUTCString()}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    `Mail bench ticket ${i}: since this morning the export button on the orders page does nothing.`,
    "",
  ].join("\r\n");
}

/**
 * Inbound mail → ticket throughput beside API ticket creation on the same site and the same
 * wrangler dev (`--env bench`), `rounds` interleaved rounds of `amount` each at 32 connections;
 * each ratio is taken within one round and the median reported. Then the delivery figures of every
 * acknowledgement the run's tickets owe.
 */
export async function benchMail(opts: { rounds?: number; amount?: number; storage?: Storage } = {}) {
  const { storage, dir: persistTo } = stateDir(opts.storage ?? "memory");
  const server = await startDevServer({ env: "bench", persistTo });
  const rounds = opts.rounds ?? 5;
  const amount = opts.amount ?? 400;
  const headers = { "content-type": "application/json", origin: server.url };
  const apiRun = (count: number) =>
    load("ticket create (POST /v1/sites/:siteKey/tickets)", {
      url: `${server.url}/v1/sites/${SITE}/tickets`,
      method: "POST",
      headers,
      amount: count,
      requests: numbered((i, req) => ({
        headers: { ...req.headers, "idempotency-key": `mail-bench-${process.pid}-${i}-${Math.random().toString(36).slice(2)}` },
        body: JSON.stringify({
          issueType: "functionality",
          severity: "normal",
          email: `api${i}@example.test`,
          description: `Mail bench API ticket ${i}`,
        }),
      })),
    });
  const mailRun = (count: number) =>
    load("inbound mail → ticket (POST /cdn-cgi/local/email)", {
      url: server.url,
      method: "POST",
      amount: count,
      requests: numbered((i, req) => ({
        path: `/cdn-cgi/local/email?from=mail${i}@example.test&to=${SUPPORT}`,
        headers: { ...req.headers, "content-type": "message/rfc822" },
        body: mail(i),
      })),
    });
  try {
    // Warm both paths (policy parse, the mail parsers) before measuring.
    await apiRun(100);
    await mailRun(100);
    const tickets = (source: string) =>
      d1Query<{ n: number }>(
        persistTo,
        `SELECT count(*) AS n FROM tickets WHERE source = '${source}' AND description LIKE 'Mail bench %'`,
        "bench",
      )[0]?.n ?? -1;
    const warm = { mail: tickets("email"), api: tickets("web") };
    const runs = { api: [] as Awaited<ReturnType<typeof load>>[], mail: [] as Awaited<ReturnType<typeof load>>[] };
    for (let round = 0; round < rounds; round++) {
      runs.api.push(await apiRun(amount));
      runs.mail.push(await mailRun(amount));
    }
    const ratios = runs.mail.map((m, i) => m.requestsPerSecond / (runs.api[i]?.requestsPerSecond ?? Number.NaN));
    const api = combine(runs.api);
    const inbound = combine(runs.mail);
    // Tickets the measured rounds stored (the warm-up's are owed emails too, below).
    const mailTickets = tickets("email") - warm.mail;
    const apiTickets = tickets("web") - warm.api;
    const delivery = await deliveryFigures(server, "bench", "description LIKE 'Mail bench %'");
    return {
      storage,
      rounds,
      amount,
      api,
      mail: inbound,
      ratios,
      ratio: median(ratios),
      // Every accepted mail ("Worker successfully processed email", 200) is one ticket.
      mailAccepted: inbound.statusCodes["200"] ?? 0,
      mailTickets,
      apiCreated: api.statusCodes["201"] ?? 0,
      apiTickets,
      delivery,
    };
  } finally {
    await server.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

/** The delivery figures as one budget line's words. */
export function deliveryLine(d: DeliveryFigures): string {
  return `${d.expected} acknowledgements owed, ${d.rows} email rows (${d.sent} sent, ${d.queued} queued, ${d.failed} failed), ${d.stored} emails in the email service's store (${d.distinctIds} distinct Message-IDs, ${d.duplicates} recipients with more than one)`;
}

if (import.meta.main) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const r = await benchMail({ rounds: arg("rounds"), amount: arg("amount"), storage: process.argv.includes("--disk") ? "disk" : "memory" });
  const row = (f: LoadFigures) =>
    `${f.name.padEnd(50)} ${String(f.requestsPerSecond).padStart(7)} req/s  p50 ${f.p50} ms  p99 ${f.p99} ms  errors ${f.errors}  non-2xx ${f.non2xx}`;
  console.log(`local D1 on ${r.storage}, ${r.rounds} interleaved rounds of ${r.amount}`);
  console.log([row(r.api), row(r.mail)].join("\n"));
  console.log(
    `mail/API median ${(r.ratio * 100).toFixed(0)}% of rounds ${r.ratios.map((x) => `${(x * 100).toFixed(0)}%`).join(", ")} (budget ≥ 50%)`,
  );
  console.log(`mail tickets ${r.mailTickets} == accepted ${r.mailAccepted}; API tickets ${r.apiTickets} == 201 ${r.apiCreated}`);
  const d = r.delivery;
  console.log(
    `delivery lag p50 ${d.lagP50} ms, p99 ${d.lagP99} ms, max ${d.lagMax} ms; settled ${d.settledAfterMs} ms after the load, ${d.cronRuns} cron runs`,
  );
  console.log(`${deliveryLine(d)}: ${d.exact ? "PASS" : "FAIL"}`);
}
