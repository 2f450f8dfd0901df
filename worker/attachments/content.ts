/*
 * What a file is, decided from its bytes, never from the name or the type the sender claimed; and
 * the name it is stored and offered under. Pure functions: no I/O.
 */

/** The types a stored file can be served as; anything else is served as application/octet-stream. */
export const servedTypes = [
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/pdf",
  "application/zip",
  "text/plain; charset=utf-8",
  "text/csv; charset=utf-8",
  "application/octet-stream",
] as const;

/** A type a stored file is served as. */
export type ServedType = (typeof servedTypes)[number];

/** Longest stored file name, in characters (the extension is kept when a name is cut). */
export const MAX_NAME_CHARS = 150;

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0));

const signatures: readonly [ServedType, (b: Uint8Array) => boolean][] = [
  ["image/png", (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ["image/jpeg", (b) => startsWith(b, [0xff, 0xd8, 0xff])],
  ["image/gif", (b) => startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a"))],
  ["image/webp", (b) => startsWith(b, ascii("RIFF")) && startsWith(b, ascii("WEBP"), 8)],
  ["application/pdf", (b) => startsWith(b, ascii("%PDF-"))],
  ["application/zip", (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])],
];

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Whether the bytes are plain text a browser could not take for markup: valid UTF-8, no NUL or
 * other binary control bytes, and not starting with `<` (HTML, SVG and XML all do, after
 * whitespace or a byte-order mark) — those are kept, but only ever served as octet-stream.
 */
function isPlainText(b: Uint8Array): boolean {
  // NUL and the other C0 controls but tab, LF, VT, FF, CR and ESC (colour codes in logs) mark binary data.
  for (const byte of b) if (byte < 9 || (byte > 13 && byte < 32 && byte !== 27) || byte === 127) return false;
  let text: string;
  try {
    text = utf8.decode(b);
  } catch {
    return false;
  }
  return !/^[\s\ufeff]*</.test(text);
}

/** The type these bytes are served as, from their magic number (or as UTF-8 text); `name` only tells CSV from other text. */
export function sniffType(bytes: Uint8Array, name: string): ServedType {
  for (const [type, matches] of signatures) if (matches(bytes)) return type;
  if (bytes.byteLength > 0 && isPlainText(bytes)) return /\.csv$/i.test(name) ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8";
  return "application/octet-stream";
}

/** The type a stored row is served as: its own when it is one we serve, else octet-stream (never HTML, SVG or XML). */
export function servedType(stored: string): ServedType {
  return (servedTypes as readonly string[]).includes(stored) ? (stored as ServedType) : "application/octet-stream";
}

/**
 * The name a file is stored and offered under: no path (the part after the last / or \), no
 * control characters (CR, LF …), quotes or backslashes, Unicode NFC, at most MAX_NAME_CHARS
 * characters with the extension kept; "file" when nothing is left.
 */
export function safeName(name: string): string {
  const base = name.normalize("NFC").split(/[/\\]/).pop() ?? "";
  const clean = base
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029"'`<>]+/gu, "_")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  const chars = [...clean];
  if (chars.length <= MAX_NAME_CHARS) return clean || "file";
  const dot = clean.lastIndexOf(".");
  const ext = dot > 0 && clean.length - dot <= 12 ? clean.slice(dot) : "";
  return chars.slice(0, MAX_NAME_CHARS - [...ext].length).join("") + ext;
}

/** A Content-Disposition that always downloads: an ASCII fallback name and the full name as UTF-8 (RFC 6266/5987). */
export function dispositionOf(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, "_") || "file";
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A file size for people: bytes, KB or MB. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
