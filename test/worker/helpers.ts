import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import * as tables from "../../schema/db.ts";
import { demoRows } from "../../worker/dev/seed.ts";
import { database } from "../../worker/infra/db.ts";
import { invalidateSites } from "../../worker/merchant/site-context.ts";
import { deliverDue } from "../../worker/outbox/delivery.ts";
import { contextOf } from "../../worker/tickets/commit.ts";
import type { TicketRow } from "../../worker/tickets/rows.ts";

/** The storefront origin the demo sites allow in tests. */
export const ORIGIN = "http://127.0.0.1:8787";

/** The drizzle client on the test's isolated D1. */
export const db = database(env.DB);

/** Seeds the demo merchants, sites, staff, accounts and sample tickets into this file's D1. */
export async function seed(now = Date.now()) {
  const { rows } = await demoRows({ origins: [ORIGIN, "http://localhost:8787"], now });
  for (const [name, table] of [
    ["merchants", tables.merchants],
    ["policies", tables.policies],
    ["sites", tables.sites],
    ["staff", tables.staff],
    ["accounts", tables.accounts],
    ["tickets", tables.tickets],
    ["ticketEvents", tables.ticketEvents],
  ] as const) {
    // One row per statement keeps every insert under D1's 100 bound parameters.
    const list = rows[name] as (typeof table.$inferInsert)[];
    if (list.length) await db.batch(list.map((row) => db.insert(table).values(row as never)) as never);
  }
  invalidateSites();
  return rows;
}

/** The host tests call (https, so the dashboard's `__Host-` cookies apply). */
export const HOST = "https://replyby.test";

const run = crypto.randomUUID().slice(0, 8);
let ips = 0;

/**
 * A client IP no other request uses. The rate-limit binding's counters are shared by every test
 * file, so each request that is not about rate limits comes from its own address.
 */
export function freshIp(suffix = ""): string {
  ips += 1;
  return `t-${run}-${ips}${suffix}`;
}

/** A fresh IPv6 /64 no other request uses: `address(i)` is its i-th address (i < 65536). */
export function freshNetwork6(): { prefix: string; address(i: number): string } {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint16Array(2));
  const prefix = `2001:db8:${a.toString(16)}:${b.toString(16)}`;
  return { prefix, address: (i) => `${prefix}::${(i + 1).toString(16)}` };
}

/**
 * Calls the worker exactly as a request from the network would: from its own IP and the allowed
 * storefront origin unless told otherwise; a JSON body when `json` is given.
 */
export function call(
  path: string,
  init: {
    method?: string;
    json?: unknown;
    body?: BodyInit | null;
    headers?: HeadersInit;
    origin?: string | null;
    ip?: string;
  } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("CF-Connecting-IP")) headers.set("CF-Connecting-IP", init.ip ?? freshIp());
  if (init.origin !== null) headers.set("Origin", init.origin ?? ORIGIN);
  let body = init.body ?? null;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  return exports.default.fetch(
    new Request(`${HOST}${path}`, {
      method: init.method ?? (body === null ? "GET" : "POST"),
      headers,
      body,
      duplex: "half",
      redirect: "manual",
    } as RequestInit),
  );
}

/** A ticket creation body. */
export function ticketBody(over: Record<string, unknown> = {}) {
  return { issueType: "question", severity: "normal", email: "ana@example.test", description: "The report is empty.", ...over };
}

/** Files a ticket through the public API as a customer would (from its own IP); reference, token and window. */
export async function createTicket(siteKey = "demo-ecellar", over: Record<string, unknown> = {}, key = crypto.randomUUID()) {
  const res = await call(`/v1/sites/${siteKey}/tickets`, { json: ticketBody(over), headers: { "Idempotency-Key": key } });
  if (res.status !== 201) throw new Error(`create failed ${res.status} ${await res.text()}`);
  return (await res.json()) as { reference: string; accessToken: string; window: { priority: string } };
}

/** Row count of a table. */
export async function count(table: "tickets" | "ticket_events" | "idempotency_keys" | "outbox" | "quotes"): Promise<number> {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
  return row?.n ?? 0;
}

/** The ticket with this reference, as D1 has it now. */
export async function ticketRow(reference: string) {
  const row = await db.query.tickets.findFirst({ where: eq(tables.tickets.ref, reference) });
  if (!row) throw new Error(`no ticket ${reference}`);
  return row;
}

/** What a lifecycle transition needs of a ticket, read now (or from a row read earlier). */
export async function ticketContext(ticket: string | TicketRow) {
  return contextOf(db, typeof ticket === "string" ? await ticketRow(ticket) : ticket);
}

/**
 * Delivers every email due now and waits for the deliveries already in flight (a request sends
 * its emails right after its response): returns once no email row is due or leased. On the real
 * clock, so no lease is ever overtaken.
 */
export async function settleEmails(): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await deliverDue(env, Date.now());
    const now = Date.now();
    const busy = await env.DB.prepare(
      "SELECT count(*) AS n FROM outbox WHERE channel = 'email' AND status = 'queued' AND (next_attempt_at <= ?1 OR leased_until > ?1)",
    )
      .bind(now)
      .first<{ n: number }>();
    if (!busy?.n) return;
    if (now > deadline) throw new Error(`${busy.n} emails still being delivered`);
    await scheduler.wait(20);
  }
}
