import type { Context, MiddlewareHandler } from "hono";
import { MAX_UPLOAD_BYTES } from "../attachments/store.ts";
import { isMultipart, readUpload } from "../attachments/upload.ts";
import { ApiError } from "../errors.ts";
import { base64url, randomBytes } from "../infra/crypto.ts";
import { readBody } from "../infra/http.ts";
import type { DashEnv } from "./env.ts";

/** Largest form body the dashboard reads (a policy's JSON is the biggest field). */
export const MAX_FORM_BYTES = 256 * 1024;

/** The Content-Security-Policy of a dashboard response: scripts only with this request's nonce. */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * A fresh nonce per request, and the headers every dashboard response carries: CSP, no framing,
 * no caching of pages that show customer data.
 */
export const securityHeaders: MiddlewareHandler<DashEnv> = async (c, next) => {
  // Once per request: the router can run a mounted app's middleware twice (a literal "*" path),
  // and a second nonce would no longer be the one the page's script carries.
  if (c.get("nonce")) return next();
  const nonce = base64url(randomBytes(16));
  c.set("nonce", nonce);
  await next();
  // A file download carries its own, stricter policy (attachments/download.ts).
  if (!c.res.headers.has("Content-Security-Policy")) c.header("Content-Security-Policy", contentSecurityPolicy(nonce));
  c.header("X-Frame-Options", "DENY");
  c.header("Cross-Origin-Opener-Policy", "same-origin");
  c.header("Cross-Origin-Resource-Policy", "same-origin");
  if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
};

/**
 * Refuses cross-site and oversized form posts before anything reads them. Browsers send Origin
 * on every POST; one naming another site is refused even before the form token is checked.
 */
export const formGuard: MiddlewareHandler<DashEnv> = async (c, next) => {
  if (c.req.method !== "POST") return next();
  const origin = c.req.header("Origin");
  if (origin !== undefined && origin !== new URL(c.req.url).origin) throw new ApiError("forbidden", "This form came from another site");
  const tooLarge = () => new ApiError("payload-too-large", "This form is too large");
  const upload = isUpload(c);
  if (Number(c.req.header("Content-Length") ?? "0") > (upload ? MAX_UPLOAD_BYTES : MAX_FORM_BYTES)) throw tooLarge();
  const type = c.req.header("Content-Type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type))
    throw new ApiError("unsupported-media-type", "Send a form");
  // A reply with files is read, capped at MAX_UPLOAD_BYTES, only once the session is known (uploadBody).
  if (upload) return next();
  // Read once, counted and cut off at the cap; readForm parses the cached bytes.
  await readBody(c, MAX_FORM_BYTES, tooLarge);
  await next();
};

/** Whether a post is a reply that may carry files (multipart to a ticket's reply action). */
function isUpload(c: Context<DashEnv>): boolean {
  return isMultipart(c) && /^\/dashboard\/tickets\/[^/]+\/reply$/.test(c.req.path);
}

/** After the session check: the body of a reply with files, through the capped reader (attachments/upload.ts). */
export const uploadBody: MiddlewareHandler<DashEnv> = async (c, next) => {
  if (c.req.method === "POST" && isUpload(c)) await readUpload(c);
  await next();
};
