import { exports } from "cloudflare:workers";
import fc from "fast-check";
import type { z } from "zod";
import { problemSchema } from "../../../../schema/api.ts";
import { PROBLEM_BASE } from "../../../../worker/errors.ts";
import { HOST } from "../../helpers.ts";
import { activeContent, cspNonce } from "../../security/support/html.ts";
import { changed, type Fingerprint, fingerprint, tableOf } from "../../security/support/state.ts";

const meta = import.meta as ImportMeta & { env?: Record<string, string | undefined> };

function envInt(name: string): number | undefined {
  const n = Number(meta.env?.[name]);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * Cases per endpoint: 300 by default (53 fuzzed endpoints, ≈ 16,000 cases, about 2.5 min in one
 * workerd worker), `VITE_FUZZ_RUNS=10000` (npm run fuzz) for the long run. Vite hands
 * VITE_-prefixed environment variables to the tests in workerd as import.meta.env.
 */
export const RUNS = envInt("VITE_FUZZ_RUNS") ?? 300;

/** A fixed seed (VITE_FUZZ_SEED) replays a failing run; fast-check prints the seed it used. */
const SEED = envInt("VITE_FUZZ_SEED");

/** A generous per-test timeout that grows with the runs (no timing is asserted). */
export function timeoutFor(runs: number, msPerRun = 250): number {
  return Math.max(120_000, runs * msPerRun);
}

// Statuses seen by the property running now, so a test can show (and assert) what it reached.
let seen = new Map<number, number>();

/**
 * Runs an async property `runs` times and returns how often each status was answered (one
 * line is logged per endpoint, so a run shows which paths the fuzz reached).
 */
export async function fuzz<T>(
  label: string,
  arb: fc.Arbitrary<T>,
  run: (value: T) => Promise<void>,
  runs = RUNS,
): Promise<Map<number, number>> {
  seen = new Map();
  last = undefined;
  await fc.assert(fc.asyncProperty(arb, run), { numRuns: runs, ...(SEED !== undefined ? { seed: SEED } : {}) });
  const tally = seen;
  console.log(
    `fuzz ${label}: ${[...tally]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(" ")}`,
  );
  return tally;
}

/** A request as the fuzz sends it. */
export interface Outgoing {
  readonly method: string;
  readonly path: string;
  readonly headers: readonly [string, string][];
  readonly body?: string | Uint8Array | FormData | null;
}

/** A request, its response and the database fingerprint around it. */
export interface Exchange {
  readonly req: Outgoing;
  readonly res: Response;
  readonly text: string;
  readonly before: Fingerprint;
  readonly after: Fingerprint;
}

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join(",");
const pristinePrototype = prototypeKeys();

// The fingerprint after the last exchange, reused as the next one's "before" unless the test
// wrote something in between (touched()). Forgetting touched() can only fail a run, never
// hide a write: the setup's writes would then be blamed on the request.
let last: Fingerprint | undefined;

/** Tells the runner the test itself wrote to the database (setup for the next case). */
export function touched(): void {
  last = undefined;
}

/** Sends a request through the worker exactly as the network would, fingerprinting the database around it. */
export async function exchange(req: Outgoing): Promise<Exchange> {
  const headers = new Headers();
  for (const [k, v] of req.headers) headers.append(k, v);
  const before = last ?? (await fingerprint());
  const res = await exports.default.fetch(
    new Request(`${HOST}${req.path}`, { method: req.method, headers, body: (req.body ?? null) as BodyInit | null, redirect: "manual" }),
  );
  const text = await res.text();
  const after = await fingerprint();
  last = after;
  seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
  return { req, res, text, before, after };
}

function excerpt(value: unknown, max = 300): string {
  const s = typeof value === "string" ? value : value instanceof Uint8Array ? `<${value.byteLength} bytes>` : String(value);
  return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}

/** Throws with the request and response spelled out, so a counterexample reads on its own. */
export function fail(ex: Exchange, message: string): never {
  const lines = [
    message,
    `request: ${ex.req.method} ${excerpt(ex.req.path, 400)}`,
    ...ex.req.headers.map(([k, v]) => `  ${k}: ${excerpt(v, 200)}`),
    `  body: ${ex.req.body instanceof FormData ? "<multipart form>" : excerpt(JSON.stringify(ex.req.body ?? null), 400)}`,
    `response: ${ex.res.status} ${ex.res.headers.get("Content-Type") ?? ""}`,
    `  ${excerpt(ex.text, 600)}`,
  ];
  throw new Error(lines.join("\n"));
}

/** What may change in the database for a response. */
export interface WriteRule {
  /** Whether an accepted response may write at all. */
  readonly writes: boolean;
  /** Whether this response counts as accepted (2xx for the API, a 303 after a form post). */
  readonly accepted: boolean;
  /** Tables a refused request may still touch (login attempts are counted even when refused). */
  readonly refusedMayWrite?: readonly string[];
}

/** Row counts change only for accepted requests of endpoints that write. */
export function checkWrites(ex: Exchange, rule: WriteRule): void {
  const diff = changed(ex.before, ex.after);
  if (rule.writes && rule.accepted) return;
  const unexpected = diff.filter((k) => !(rule.refusedMayWrite ?? []).includes(tableOf(k)));
  if (unexpected.length) {
    fail(
      ex,
      `wrote ${unexpected.map((k) => `${k} ${ex.before[k]}→${ex.after[k]}`).join(", ")} on a ${rule.accepted ? "read-only" : "refused"} request`,
    );
  }
}

/** Nothing may have been added to Object.prototype (prototype pollution through a body or form). */
export function checkPrototype(ex: Exchange): void {
  if (prototypeKeys() !== pristinePrototype) fail(ex, "Object.prototype was modified");
}

const LEAKS = /D1_ERROR|SQLITE_|no such (?:table|column)|\n\s+at [\w.<]+ \(|TypeError|RangeError|ReferenceError/;

/** What a public API endpoint promises about its responses. */
export interface PublicSpec {
  /** The documented statuses. */
  readonly statuses: readonly number[];
  /** Whether an accepted (2xx) response may write. */
  readonly writes: boolean;
  /** The schema of a 2xx JSON body. */
  readonly schema?: z.ZodType;
  /** The Origin the request carried and whether the site allows it. */
  readonly origin?: { value: string; allowed: boolean } | undefined;
}

/**
 * The public API's invariants: a documented status, never a 500, errors as problem+json with a
 * stable type and the same status, 2xx bodies that match the schema, exact CORS for allowed
 * origins only, nosniff, Retry-After on 429, no prototype pollution, and writes only when accepted.
 */
export function checkPublic(ex: Exchange, spec: PublicSpec): void {
  const { res, text } = ex;
  if (res.status >= 500) fail(ex, `server error ${res.status}`);
  if (!spec.statuses.includes(res.status)) fail(ex, `status ${res.status} is not documented (${spec.statuses.join(", ")})`);
  if (res.headers.get("X-Content-Type-Options") !== "nosniff") fail(ex, "no X-Content-Type-Options: nosniff");
  if (LEAKS.test(text)) fail(ex, "the response leaks an internal error");
  if (res.status >= 400) {
    if (res.headers.get("Content-Type") !== "application/problem+json") fail(ex, "an error that is not application/problem+json");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      fail(ex, "a problem body that is not JSON");
    }
    const parsed = problemSchema.safeParse(body);
    if (!parsed.success) fail(ex, `not a problem document: ${parsed.error.message}`);
    if (parsed.data.status !== res.status) fail(ex, `problem status ${parsed.data.status} differs from the response's`);
    if (!parsed.data.type.startsWith(PROBLEM_BASE)) fail(ex, `problem type ${parsed.data.type} is not one of ours`);
    if (res.status === 429 && !(Number(res.headers.get("Retry-After")) > 0)) fail(ex, "a 429 without Retry-After");
  } else if (res.status !== 204 && spec.schema) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      fail(ex, "a success body that is not JSON");
    }
    const parsed = spec.schema.safeParse(body);
    if (!parsed.success) fail(ex, `a success body that does not match its schema: ${parsed.error.message}`);
  }
  const allowOrigin = res.headers.get("Access-Control-Allow-Origin");
  // A refused origin may read its own refusal of the config (the widget then says "not set up for this page").
  const ownRefusal = res.status === 403 && text.includes("/problems/origin-not-allowed") && allowOrigin === spec.origin?.value;
  if (allowOrigin !== null) {
    if ((!spec.origin?.allowed && !ownRefusal) || allowOrigin !== spec.origin?.value)
      fail(ex, `CORS allows ${allowOrigin} for this request`);
    if (!(res.headers.get("Vary") ?? "").includes("Origin")) fail(ex, "CORS without Vary: Origin");
  } else if (spec.origin?.allowed && res.status >= 200 && res.status < 300) {
    fail(ex, "an allowed origin's successful response has no CORS headers");
  }
  if (spec.origin && !spec.origin.allowed && res.status >= 200 && res.status < 300) fail(ex, "a foreign origin was served");
  checkPrototype(ex);
  // The install check's diagnostics (first config request, last refused origin) are not data.
  checkWrites(ex, { writes: spec.writes, accepted: res.status >= 200 && res.status < 300, refusedMayWrite: ["site_installs"] });
}

/** What a dashboard endpoint promises about its responses. */
export interface DashboardSpec {
  readonly statuses: readonly number[];
  /** Whether a successful form post (303) may write. */
  readonly writes: boolean;
  /** Statuses answered with JSON rather than a page (the bill preview's 200, 400 and 409). */
  readonly jsonStatuses?: readonly number[];
  /** Immutable assets (cacheable; every other response is no-store). */
  readonly asset?: boolean;
  readonly refusedMayWrite?: readonly string[];
}

/**
 * The dashboard's invariants: a listed status, never a 500, the security headers on every
 * response, pages and error pages as HTML with no script, handler or script URL from data,
 * redirects only inside the dashboard, and writes only after a successful form post.
 */
export function checkDashboard(ex: Exchange, spec: DashboardSpec): void {
  const { res, text } = ex;
  if (res.status >= 500) fail(ex, `server error ${res.status}`);
  if (!spec.statuses.includes(res.status)) fail(ex, `status ${res.status} is not one of ${spec.statuses.join(", ")}`);
  const csp = res.headers.get("Content-Security-Policy") ?? "";
  if (!csp.includes("frame-ancestors 'none'") || !cspNonce(csp)) fail(ex, `CSP without a nonce or frame-ancestors: ${csp}`);
  if (res.headers.get("X-Frame-Options") !== "DENY") fail(ex, "no X-Frame-Options: DENY");
  if (res.headers.get("X-Content-Type-Options") !== "nosniff") fail(ex, "no X-Content-Type-Options: nosniff");
  if (!spec.asset && res.headers.get("Cache-Control") !== "no-store") fail(ex, `Cache-Control ${res.headers.get("Cache-Control")}`);
  if (LEAKS.test(text) && !spec.asset) fail(ex, "the response leaks an internal error");
  const type = res.headers.get("Content-Type") ?? "";
  if (type.startsWith("text/html")) {
    if (!text.startsWith("<!doctype html>")) fail(ex, "an HTML response that is not a page");
    const found = activeContent(text);
    const bad = [...found.strayScripts, ...found.handlers, ...found.scriptUrls, ...found.forbiddenTags];
    if (bad.length) fail(ex, `active content from data: ${bad.slice(0, 3).join(" | ")}`);
    if (found.nonce !== cspNonce(csp)) fail(ex, "the page's script nonce is not the CSP's");
  }
  if (spec.jsonStatuses?.includes(res.status)) {
    if (!type.startsWith("application/json")) fail(ex, `a ${res.status} of type ${type}, not JSON`);
  } else if (res.status >= 400) {
    if (!type.startsWith("text/html")) fail(ex, `an error page of type ${type}`);
  }
  if (res.status === 429 && !(Number(res.headers.get("Retry-After")) > 0)) fail(ex, "a 429 without Retry-After");
  if (res.status === 303) {
    const location = res.headers.get("Location") ?? "";
    if (!/^\/dashboard(?:[/?][^\s\\]*)?$/.test(location) || location.startsWith("//")) fail(ex, `redirects to ${location}`);
  }
  checkPrototype(ex);
  checkWrites(ex, {
    writes: spec.writes,
    // A 303 after a form post, or a 201 page that shows a new secret once (a redirect would lose it).
    accepted: ex.req.method === "POST" && (res.status === 303 || res.status === 201),
    ...(spec.refusedMayWrite ? { refusedMayWrite: spec.refusedMayWrite } : {}),
  });
}

/** The documented statuses of every operation in the OpenAPI document, by "METHOD /path". */
export async function documentedStatuses(): Promise<Map<string, number[]>> {
  const res = await exports.default.fetch(new Request(`${HOST}/openapi.json`));
  const doc = (await res.json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  const out = new Map<string, number[]>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) out.set(`${method.toUpperCase()} ${path}`, Object.keys(op.responses).map(Number));
  }
  return out;
}
