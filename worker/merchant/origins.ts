import type { FieldError } from "../../schema/policy.ts";

/** Most allowed origins a site may list. */
export const MAX_ORIGINS = 20;

/**
 * Allowed origins from one-per-line text. Each must be exactly `scheme://host[:port]` as a
 * browser sends it in Origin: http or https, no path, query, credentials or trailing slash,
 * no default port — anything else would never match and silently lock the widget out.
 */
export function parseOrigins(text: string): { origins: string[]; errors: FieldError[] } {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const errors: FieldError[] = [];
  const origins: string[] = [];
  if (lines.length > MAX_ORIGINS) errors.push({ path: "origins", message: `List at most ${MAX_ORIGINS} origins` });
  lines.slice(0, MAX_ORIGINS).forEach((line, i) => {
    let url: URL | null = null;
    try {
      url = new URL(line);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
      errors.push({ path: `origins[${i}]`, message: `"${line}" is not an http(s) origin such as https://shop.example.com` });
    } else if (url.origin !== line) {
      errors.push({ path: `origins[${i}]`, message: `Write "${line}" exactly as ${url.origin} (scheme://host[:port], nothing after it)` });
    } else if (!origins.includes(line)) {
      origins.push(line);
    }
  });
  return { origins, errors };
}
