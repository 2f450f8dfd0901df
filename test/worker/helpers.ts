import { env, exports } from "cloudflare:workers";
import * as tables from "../../schema/db.ts";
import { demoRows } from "../../worker/dev/seed.ts";
import { database } from "../../worker/infra/db.ts";
import { invalidateSites } from "../../worker/merchant/site-context.ts";

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

/** Calls the worker exactly as a request from the network would. */
export function call(path: string, init: RequestInit & { json?: unknown; origin?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.origin !== null) headers.set("Origin", init.origin ?? ORIGIN);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  return exports.default.fetch(new Request(`http://replyby.test${path}`, { ...init, headers, body: body ?? null }));
}

/** A ticket creation body. */
export function ticketBody(over: Record<string, unknown> = {}) {
  return { issueType: "question", severity: "normal", email: "ana@example.test", description: "The report is empty.", ...over };
}

/** Creates a ticket through the API and returns reference and token. */
export async function createTicket(siteKey = "demo-ecellar", over: Record<string, unknown> = {}, key = crypto.randomUUID()) {
  const res = await call(`/v1/sites/${siteKey}/tickets`, { method: "POST", json: ticketBody(over), headers: { "Idempotency-Key": key } });
  if (res.status !== 201) throw new Error(`create failed ${res.status} ${await res.text()}`);
  return (await res.json()) as { reference: string; accessToken: string; window: { priority: string } };
}

/** Row count of a table. */
export async function count(table: "tickets" | "ticket_events" | "idempotency_keys" | "outbox" | "quotes"): Promise<number> {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
  return row?.n ?? 0;
}
