import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "../errors.ts";

/** Hono environment of every route: bindings plus per-request variables. */
export type AppEnv = { Bindings: Env; Variables: { now: number } };

/** Largest JSON body the public API reads, checked before parsing. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The caller's IP (Cloudflare sets CF-Connecting-IP; local runs have none). */
export function clientIp(c: Context): string {
  return c.req.header("CF-Connecting-IP") ?? "local";
}

/**
 * Refuses bodies that are not JSON or exceed the cap before anything parses them: the declared
 * length is checked first, then the bytes actually read.
 */
export function jsonBody(maxBytes = MAX_BODY_BYTES): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== "POST" && c.req.method !== "PUT" && c.req.method !== "PATCH") return next();
    const type = c.req.header("Content-Type") ?? "";
    if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) throw new ApiError("unsupported-media-type");
    const declared = Number(c.req.header("Content-Length") ?? "0");
    if (declared > maxBytes) throw new ApiError("payload-too-large", `Keep the body under ${maxBytes} bytes`);
    const bytes = await c.req.raw.clone().arrayBuffer();
    if (bytes.byteLength > maxBytes) throw new ApiError("payload-too-large", `Keep the body under ${maxBytes} bytes`);
    await next();
  };
}

/** CORS headers for an allowed origin (exact origin, never `*`, with Vary). */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Idempotency-Key, Authorization",
    "Access-Control-Expose-Headers": "Idempotent-Replayed, Retry-After",
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

/** Burst limit through the Workers rate-limit binding: 429 with Retry-After when exceeded. */
export async function burstLimit(env: Env, key: string): Promise<void> {
  const { success } = await env.RL_PUBLIC.limit({ key });
  if (!success) throw new ApiError("rate-limited", "Slow down and try again in a minute", { headers: { "Retry-After": "60" } });
}
