import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "../errors.ts";
import { readCapped } from "./streams.ts";

/** Hono environment of every route: bindings plus per-request variables. */
export type AppEnv = { Bindings: Env; Variables: { now: number } };

/** Largest JSON body the public API reads, checked before parsing. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The caller's IP (Cloudflare sets CF-Connecting-IP; local runs have none). */
export function clientIp(c: { req: { header(name: string): string | undefined } }): string {
  return c.req.header("CF-Connecting-IP") ?? "local";
}

/**
 * The network an address belongs to, the unit per-client limits count under: an IPv4 address is
 * its own network, an IPv6 address counts as its /64 (one subscriber is routinely given a whole
 * /64, i.e. unlimited addresses). Anything that does not parse as IPv6 is kept as it is.
 */
export function networkOf(ip: string): string {
  if (!ip.includes(":")) return ip;
  const address = ip.toLowerCase().replace(/%.*$/, "");
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped?.[1]) return mapped[1];
  const halves = address.split("::");
  if (halves.length > 2) return address;
  const groups = (half: string | undefined) => (half ? half.split(":") : []);
  const head = groups(halves[0]);
  // An embedded IPv4 tail (::1.2.3.4) is two groups; only the first four groups matter here.
  const tail = groups(halves[1]).flatMap((g) => (g.includes(".") ? ["0", "0"] : [g]));
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return address;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return address;
  return `${all
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}

/** The caller's network (see networkOf). */
export function clientNetwork(c: { req: { header(name: string): string | undefined } }): string {
  return networkOf(clientIp(c));
}

/**
 * Reads a request body, counting bytes as they arrive: past `maxBytes` (declared or found while
 * reading) the stream is cancelled, so the rest is never pulled into memory, and `tooLarge` is
 * thrown. The bytes are left in Hono's body cache: later reads (validators, parseBody) parse these
 * same bytes and never touch the stream again. Every body the worker reads goes through here.
 */
export async function readBody(c: Context, maxBytes: number, tooLarge: () => ApiError): Promise<ArrayBuffer> {
  const cache = c.req.bodyCache as { arrayBuffer?: Promise<ArrayBuffer> };
  if (cache.arrayBuffer) return cache.arrayBuffer;
  if (Number(c.req.header("Content-Length") ?? "0") > maxBytes) throw tooLarge();
  const stream = c.req.raw.body;
  // A body that breaks off mid-way (the client went away) is the client's failure, not ours.
  const bytes = stream
    ? await readCapped(stream, maxBytes).catch(() => {
        throw new ApiError("malformed-request", "The body could not be read");
      })
    : new Uint8Array(0);
  if (!bytes) throw tooLarge();
  cache.arrayBuffer = Promise.resolve(bytes.buffer);
  return bytes.buffer;
}

/** Refuses bodies that are not JSON or exceed the cap before anything parses them (see readBody). */
export function jsonBody<E extends AppEnv = AppEnv>(maxBytes = MAX_BODY_BYTES): MiddlewareHandler<E> {
  return async (c, next) => {
    if (c.req.method !== "POST" && c.req.method !== "PUT" && c.req.method !== "PATCH") return next();
    const type = c.req.header("Content-Type") ?? "";
    if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) throw new ApiError("unsupported-media-type");
    await readBody(c, maxBytes, () => new ApiError("payload-too-large", `Keep the body under ${maxBytes} bytes`));
    await next();
  };
}

/** CORS headers for an allowed origin (exact origin, never `*`, with Vary). */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Idempotency-Key, Authorization, D1-Bookmark",
    "Access-Control-Expose-Headers": "Idempotent-Replayed, Retry-After, D1-Bookmark",
    "Access-Control-Max-Age": "600",
    Vary: "Origin",
  };
}

/**
 * Enforces a site's allowed origins: a browser request from another origin is refused (403)
 * before anything is read or written; requests without Origin (servers, curl) pass.
 * Preflights from allowed origins are answered here.
 */
export function checkOrigin(c: Context, allowed: readonly string[]): Response | undefined {
  const origin = c.req.header("Origin");
  if (origin === undefined) return undefined;
  if (!allowed.includes(origin)) throw new ApiError("origin-not-allowed", `Origin ${origin} is not allowed for this site`);
  const headers = corsHeaders(origin);
  if (c.req.method === "OPTIONS") return new Response(null, { status: 204, headers });
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  return undefined;
}

/** Failed look-ups one client network may make per minute (RL_MISS in wrangler.toml). */
export const MISSES_PER_MINUTE = 30;
/** Networks most recently past the limit that one isolate remembers. */
const MISS_BLOCKS = 10_000;
// Networks past their failed look-ups, until when: checked in memory, so a refused client costs
// no I/O. The RL_MISS binding counts across isolates; each isolate learns of a block at the
// first failure it sees past the limit.
const missBlocks = new Map<string, number>();

/**
 * Refuses a client whose failed look-ups (unknown site keys, unknown tickets, wrong tokens) ran
 * past the limit, before it can make another look-up — even of something that exists.
 */
export function refuseMissing(c: { req: { header(name: string): string | undefined } }, now: number): void {
  const network = clientNetwork(c);
  const until = missBlocks.get(network);
  if (until === undefined) return;
  if (until <= now) {
    missBlocks.delete(network);
    return;
  }
  throw new ApiError("rate-limited", "Too many requests for things that do not exist; try again in a minute", {
    headers: { "Retry-After": String(Math.ceil((until - now) / 1000)) },
  });
}

/** Counts a failed look-up against the client's network; past the limit the network is refused for a minute. */
export async function countMiss(c: { env: Env; req: { header(name: string): string | undefined } }, now: number): Promise<void> {
  const network = clientNetwork(c);
  const { success } = await c.env.RL_MISS.limit({ key: network });
  if (success) return;
  missBlocks.delete(network);
  missBlocks.set(network, now + 60_000);
  if (missBlocks.size > MISS_BLOCKS) missBlocks.delete(missBlocks.keys().next().value as string);
  refuseMissing(c, now);
}

/** Burst limit through the Workers rate-limit binding: 429 with Retry-After when exceeded. */
export async function burstLimit(env: Env, key: string): Promise<void> {
  const { success } = await env.RL_PUBLIC.limit({ key });
  if (!success) throw new ApiError("rate-limited", "Slow down and try again in a minute", { headers: { "Retry-After": "60" } });
}

// Fixed one-minute windows per key, in this isolate's memory.
const localBuckets = new Map<string, { window: number; count: number }>();

/**
 * A per-isolate limit for read-only, cheap endpoints called as the customer picks options (the
 * window preview): no I/O on that path. It bounds what one IP can make a single isolate compute;
 * writes and ticket reads use the rate-limit binding, which counts across isolates.
 */
export function localLimit(key: string, limit: number, now: number): void {
  const window = Math.floor(now / 60_000);
  if (localBuckets.size > 50_000) {
    for (const [k, b] of localBuckets) if (b.window !== window) localBuckets.delete(k);
  }
  const bucket = localBuckets.get(key);
  if (!bucket || bucket.window !== window) {
    localBuckets.set(key, { window, count: 1 });
    return;
  }
  bucket.count += 1;
  if (bucket.count > limit) {
    const retry = Math.ceil(((window + 1) * 60_000 - now) / 1000);
    throw new ApiError("rate-limited", "Slow down and try again in a minute", { headers: { "Retry-After": String(retry) } });
  }
}
