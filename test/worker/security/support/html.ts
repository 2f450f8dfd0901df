import { expect } from "vitest";

/** One start tag of an HTML document: its name and attributes (values decoded). */
export interface Tag {
  readonly name: string;
  readonly attrs: readonly { readonly name: string; readonly value: string }[];
  readonly source: string;
}

const TAG = /<([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function decode(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replaceAll("&quot;", '"')
    .replaceAll("&apos;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

/**
 * Every start tag of a document, read the way a browser tokenizes markup outside raw-text
 * elements. Escaped text (`&lt;script>`) is not a tag; anything that reached the page
 * unescaped is.
 */
export function startTags(html: string): Tag[] {
  const out: Tag[] = [];
  for (const m of html.matchAll(TAG)) {
    const attrs: { name: string; value: string }[] = [];
    for (const a of (m[2] ?? "").matchAll(ATTR)) {
      attrs.push({ name: (a[1] ?? "").toLowerCase(), value: decode(a[2] ?? a[3] ?? a[4] ?? "") });
    }
    out.push({ name: (m[1] ?? "").toLowerCase(), attrs, source: m[0] });
  }
  return out;
}

const URL_ATTRS = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"]);
const FORBIDDEN_TAGS = new Set(["iframe", "frame", "frameset", "object", "embed", "applet", "base"]);

/** What in a dashboard page could run script or load foreign content; all empty on a safe page. */
export interface ActiveContent {
  /** `<script>` tags other than the one nonce'd application script. */
  readonly strayScripts: string[];
  /** Tags carrying an event-handler attribute (on…=). */
  readonly handlers: string[];
  /** URL attributes with a javascript:, vbscript: or data: URL (the empty `data:,` icon aside). */
  readonly scriptUrls: string[];
  /** Frames, objects, embeds, `<base>` and `<meta http-equiv>`. */
  readonly forbiddenTags: string[];
  /** The nonce of the application script, if exactly one is there. */
  readonly nonce: string | undefined;
}

/** The active content of a dashboard page (see ActiveContent). */
export function activeContent(html: string): ActiveContent {
  const tags = startTags(html);
  const scripts = tags.filter((t) => t.name === "script");
  const app = scripts.filter(
    (t) =>
      t.attrs.some((a) => a.name === "nonce" && a.value) &&
      t.attrs.some((a) => a.name === "src" && a.value.startsWith("/dashboard/assets/app.js")),
  );
  // Browsers ignore control characters and whitespace inside a URL's scheme ("java\tscript:").
  const scriptUrl = (v: string) =>
    /^(?:javascript|vbscript|data):/i.test(
      [...v]
        .filter((ch) => (ch.codePointAt(0) ?? 0) > 0x20 && !((ch.codePointAt(0) ?? 0) >= 0x7f && (ch.codePointAt(0) ?? 0) <= 0x9f))
        .join(""),
    );
  return {
    strayScripts: scripts.filter((t) => !(app.length === 1 && t === app[0])).map((t) => t.source),
    handlers: tags.filter((t) => t.attrs.some((a) => a.name.startsWith("on"))).map((t) => t.source),
    scriptUrls: tags
      .filter((t) => t.attrs.some((a) => URL_ATTRS.has(a.name) && scriptUrl(a.value) && !(t.name === "link" && a.value === "data:,")))
      .map((t) => t.source),
    forbiddenTags: tags
      .filter((t) => FORBIDDEN_TAGS.has(t.name) || (t.name === "meta" && t.attrs.some((a) => a.name === "http-equiv")))
      .map((t) => t.source),
    nonce: app.length === 1 ? app[0]?.attrs.find((a) => a.name === "nonce")?.value : undefined,
  };
}

/** The script nonce a Content-Security-Policy allows. */
export function cspNonce(csp: string | null): string | undefined {
  return /script-src 'nonce-([^']+)'/.exec(csp ?? "")?.[1];
}

/**
 * Asserts what every HTML page sends whoever serves it: nothing loads unless allowed, no framing,
 * forms post only to us, no caching, no sniffing. Callers add what their pages add (scripts, referrer).
 */
export function expectLockedDownPage(res: Response): void {
  const csp = res.headers.get("Content-Security-Policy") ?? "";
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("form-action 'self'");
  expect(res.headers.get("X-Frame-Options")).toBe("DENY");
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
}
