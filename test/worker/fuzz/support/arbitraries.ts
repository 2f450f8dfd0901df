import fc from "fast-check";

/**
 * Strings chosen to break something: SQL, markup and script, header and URL injection, path
 * traversal, prototype keys, number and keyword look-alikes, and awkward Unicode (NUL, RTL
 * overrides, BOM, zero-width, lone surrogates, combining marks, astral emoji).
 */
export const hostileStrings: readonly string[] = [
  // SQL
  "' OR '1'='1",
  "'; DROP TABLE tickets; --",
  '" OR 1=1 --',
  "1); DELETE FROM staff; --",
  "' UNION SELECT password_hash, email FROM staff --",
  "%' AND 1=0 UNION SELECT sql FROM sqlite_master --",
  "\\'; --",
  // markup and script
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  "</textarea><script>alert(1)</script>",
  "</title><script>alert(1)</script>",
  '<a href="javascript:alert(1)">x</a>',
  "javascript:alert(1)",
  " javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "<!--",
  "]]>",
  "{{constructor.constructor('alert(1)')()}}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  "${7*7}",
  "=cmd|' /C calc'!A0",
  "@SUM(1+1)",
  // headers and URLs
  "\r\nSet-Cookie: injected=1",
  "%0d%0aSet-Cookie:%20injected=1",
  "\r\n\r\n<html>",
  "//evil.test/",
  "https://evil.test",
  "/\\evil.test",
  "/dashboard/../../etc/passwd",
  // traversal
  "../../../../etc/passwd",
  "..\\..\\..\\windows\\win.ini",
  "%2e%2e%2f%2e%2e%2f",
  "..%252f..%252f",
  // prototype keys
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "__defineGetter__",
  // look-alikes
  "",
  " ",
  "\t\n",
  "0",
  "-1",
  "1e309",
  "NaN",
  "Infinity",
  "9007199254740993",
  "0x186A0",
  "true",
  "null",
  "undefined",
  "[]",
  "{}",
  "RB-0000-0000",
  "RB-7K3M-Q9XD",
  "demo-ecellar",
  "24/7",
  "9999-12-31",
  "0000-01-01",
  "2026-02-30",
  "9999-12-31T23:59",
  "0000-01-01T00:00",
  "2026-03-08T02:30",
  // Unicode
  "\u0000",
  "a\u0000b",
  "\u202eevil\u202c",
  "\u200f\u05e9\u05dc\u05d5\u05dd",
  "مرحبا بالعالم",
  "\ufeff",
  "\u200b\u200c\u200d",
  "\u2028\u2029",
  "e\u0301\u0301\u0301\u0301",
  "🧑‍🧑‍🧒‍🧒",
  "𝕳𝖊𝖑𝖑𝖔",
  "\ud800",
  "\udfff",
  "x\ud83dy",
  "\uffff\ufffe",
];

/** One code unit from the awkward corners: lone surrogates, controls, bidi marks, markup. */
const awkwardUnit = fc.oneof(
  fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n)),
  fc.constantFrom("\u0000", "\u0007", "\u001b", "\u007f", "\u202e", "\u200f", "\ufeff", "\u2028", "\r", "\n", "\t"),
  fc.constantFrom("'", '"', "<", ">", "&", "\\", "%", "/", "`", "$", "{", "}", ";", "=", "?", "#", "+", " "),
);

/** Free text: any code points, graphemes, or awkward units. */
export const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: fc.oneof(awkwardUnit, fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 })), maxLength: 40 }),
);

/** A long string (1,000–20,000 repeats of one unit): past every length cap, some past 16 KB. */
export const huge = fc
  .tuple(fc.constantFrom("a", "é", "😀", "<", '"', "\u0000", "\ud800", " ", "%"), fc.integer({ min: 1000, max: 20_000 }))
  .map(([unit, n]) => unit.repeat(n));

/** Keys that reach Object.prototype or its methods when used to index a plain object. */
export const prototypeKeys = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "__defineGetter__"] as const;

/** A hostile string: a known attack, a prototype key, free text, attacks wrapped in text, or a huge one. */
export const hostile: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 1, arbitrary: fc.constantFrom(...prototypeKeys) },
  { weight: 3, arbitrary: text },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...hostileStrings), text, fc.constantFrom(...hostileStrings)).map((parts) => parts.join("")),
  },
  { weight: 1, arbitrary: huge },
);

/** A value of the wrong type for a string field (or any JSON at all). */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostile, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom(...hostileStrings), hostile, { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A field's value: mostly valid, often hostile, sometimes the wrong type. */
export function field<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 3, arbitrary: hostile }, { weight: 1, arbitrary: wrongType });
}

/** A string field (for forms and query strings): mostly valid, often hostile. */
export function stringField(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 3, arbitrary: hostile });
}

/** Keys a body may gain: prototype keys, duplicates of real fields, or anything. */
function extraKey(known: readonly string[]) {
  return fc.oneof(
    fc.constantFrom("__proto__", "constructor", "prototype", ...known),
    fc.constantFrom(...hostileStrings),
    fc.string({ maxLength: 12 }),
  );
}

/** A JSON request body as the fuzz sends it. */
export type Body =
  | { kind: "object"; entries: [string, unknown][] }
  | { kind: "json"; value: unknown }
  | { kind: "text"; text: string }
  | { kind: "bytes"; bytes: Uint8Array }
  | { kind: "nested"; depth: number }
  | { kind: "none" };

/**
 * A JSON body for an object schema: each field kept valid, made hostile, given the wrong type
 * or dropped, and extra entries added (prototype keys, duplicate keys); or, less often, any
 * JSON value, malformed text, raw bytes, deep nesting or no body at all.
 */
export function jsonBody(fields: Record<string, fc.Arbitrary<unknown>>, optional: readonly string[] = []): fc.Arbitrary<Body> {
  const names = Object.keys(fields);
  const entries = fc
    .tuple(
      fc.tuple(
        ...names.map((name) =>
          fc.option(field(fields[name] as fc.Arbitrary<unknown>), { freq: optional.includes(name) ? 2 : 8, nil: undefined }),
        ),
      ),
      fc.array(fc.tuple(extraKey(names), fc.oneof(hostile, wrongType)), { maxLength: 3 }),
      fc.boolean(),
    )
    .map(([values, extra, extraFirst]) => {
      const own = names.flatMap((name, i) => (values[i] === undefined ? [] : [[name, values[i]] as [string, unknown]]));
      return { kind: "object" as const, entries: extraFirst ? [...extra, ...own] : [...own, ...extra] };
    });
  return fc.oneof(
    { weight: 12, arbitrary: entries },
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          ...names.map((name) =>
            optional.includes(name)
              ? fc.option(fields[name] as fc.Arbitrary<unknown>, { nil: undefined })
              : (fields[name] as fc.Arbitrary<unknown>),
          ),
        )
        .map((values) => ({
          kind: "object" as const,
          entries: names.flatMap((name, i) => (values[i] === undefined ? [] : [[name, values[i]] as [string, unknown]])),
        })),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => ({ kind: "json" as const, value })) },
    { weight: 1, arbitrary: fc.oneof(hostile, fc.string()).map((t) => ({ kind: "text" as const, text: t })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: "bytes" as const, bytes })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 9000 }).map((depth) => ({ kind: "nested" as const, depth })) },
    { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
  );
}

/** The bytes or text sent for a body (entries are written in order, duplicates and all). */
export function serialize(body: Body): string | Uint8Array | null {
  switch (body.kind) {
    case "object":
      return `{${body.entries
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
        .join(",")}}`;
    case "json":
      return JSON.stringify(body.value) ?? "null";
    case "text":
      return body.text;
    case "bytes":
      return body.bytes;
    case "nested":
      return `${"[".repeat(body.depth)}${"]".repeat(body.depth)}`;
    case "none":
      return null;
  }
}

/** Replaces lone surrogates with U+FFFD (what any UTF-8 encoder does to them). */
export function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

/**
 * A string as a header value can carry it: tab and visible ASCII, trimmed. (CR, LF and NUL
 * cannot be sent at all — the Fetch API refuses them — so header injection is fuzzed through
 * bodies, query strings and redirects instead; non-ASCII is left out because workerd would
 * re-encode it as UTF-8, which no browser sends.)
 */
export function headerSafe(s: string): string {
  return [...s]
    .filter((ch) => {
      const c = ch.codePointAt(0) ?? 0;
      return c === 9 || (c >= 0x20 && c <= 0x7e);
    })
    .join("")
    .trim()
    .slice(0, 4000);
}

/** A hostile header value. */
export const hostileHeader = hostile.map(headerSafe);

/** Percent-encoding junk a query string or form may carry as is. */
const rawJunk = fc.constantFrom("%", "%zz", "%ED%A0%80", "%C0%AF", "%00", "%0d%0a", "&", "=", "==", "&&=", "+", "%2B", "%u0041", "a=1&a=2");

/** One `key=value` pair of a query string or urlencoded form, encoded or raw. */
export type Pair = { key: string; value: string; raw?: string };

/** Pairs as `a=b&c=d` (UTF-8 percent-encoded, with any raw junk appended as is). */
export function encodePairs(pairs: readonly Pair[]): string {
  return pairs.map((p) => `${encodeURIComponent(wellFormed(p.key))}=${encodeURIComponent(wellFormed(p.value))}${p.raw ?? ""}`).join("&");
}

/**
 * Query or form pairs: each known parameter valid, hostile or missing; sometimes repeated,
 * sometimes joined by unknown parameters or raw percent-encoding junk.
 */
export function pairs(fields: Record<string, fc.Arbitrary<string>>, opts: { required?: readonly string[] } = {}): fc.Arbitrary<Pair[]> {
  const names = Object.keys(fields);
  if (names.length === 0) {
    return fc.array(fc.record({ key: fc.oneof(fc.constantFrom(...hostileStrings), fc.string({ maxLength: 8 })), value: hostile }), {
      maxLength: 2,
    });
  }
  return fc
    .tuple(
      fc.tuple(
        ...names.map((name) =>
          fc.option(stringField(fields[name] as fc.Arbitrary<string>), { freq: opts.required?.includes(name) ? 12 : 3, nil: undefined }),
        ),
      ),
      fc.array(fc.record({ key: fc.oneof(fc.constantFrom(...names, ...hostileStrings), fc.string({ maxLength: 8 })), value: hostile }), {
        maxLength: 2,
      }),
      fc.option(rawJunk, { freq: 8, nil: undefined }),
      fc.nat(),
    )
    .map(([values, extra, junk, at]) => {
      const own: Pair[] = names.flatMap((name, i) => (values[i] === undefined ? [] : [{ key: name, value: values[i] as string }]));
      const all: Pair[] = extra.length ? [...own, ...extra] : own;
      if (junk !== undefined && all.length) {
        const i = at % all.length;
        all[i] = { ...(all[i] as Pair), raw: junk };
      }
      return all;
    });
}

/** A path segment: a valid value, or a hostile one percent-encoded (so it stays one segment). */
export function segment<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<T | { raw: string }> {
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: hostile.map((raw) => ({ raw: raw.slice(0, 300) })) });
}

/** The encoded form of a hostile path segment. */
export function encodeSegment(raw: string): string {
  return encodeURIComponent(wellFormed(raw));
}

/** Content types for a JSON endpoint: mostly JSON, sometimes something else. */
export const jsonContentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant("application/json") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "application/problem+json",
      "application/vnd.api+json",
      "application/jsonp",
      "application/json-seq",
      "text/json",
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/xml",
      "*/*",
    ),
  },
  { weight: 1, arbitrary: hostileHeader },
);

/** How the fuzz sets Origin: an allowed one, none, a foreign one, or any header value. */
export type OriginChoice = { kind: "allowed" } | { kind: "none" } | { kind: "foreign" } | { kind: "raw"; value: string };

/** Origin choices, mostly allowed so requests reach the handlers. */
export const origin: fc.Arbitrary<OriginChoice> = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ kind: "allowed" as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: "none" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "foreign" as const }) },
  { weight: 1, arbitrary: hostileHeader.map((value) => ({ kind: "raw" as const, value })) },
);

/**
 * The Origin header a choice sends, or undefined for none. An empty value counts as none: the
 * header does not survive the trip into the worker (and no browser sends an empty Origin).
 */
export function originValue(choice: OriginChoice, allowed = "http://127.0.0.1:8787"): string | undefined {
  if (choice.kind === "allowed") return allowed;
  if (choice.kind === "foreign") return "https://evil.test";
  if (choice.kind === "raw" && choice.value.trim() !== "") return choice.value;
  return undefined;
}

/** A junk client IP suffix; the runner prefixes a unique id so limits never couple runs or files. */
export const ipSuffix = fc.oneof(
  { weight: 8, arbitrary: fc.constant("") },
  { weight: 1, arbitrary: hostileHeader.map((v) => v.slice(0, 60)) },
);

/** A D1-Bookmark header: usually absent, else well-formed-looking or junk. */
export const bookmark = fc.oneof(
  { weight: 8, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.stringMatching(/^[\w-]{1,200}$/) },
  { weight: 1, arbitrary: hostileHeader },
);
