const encoder = new TextEncoder();

/** base64url of bytes, no padding. */
export function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** `n` cryptographically random bytes. */
export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** A random opaque token (256 bits, base64url). */
export function randomToken(): string {
  return base64url(randomBytes(32));
}

/** A random id with a readable prefix, e.g. `tkt_…`. */
export function randomId(prefix: string): string {
  return `${prefix}_${base64url(randomBytes(12))}`;
}

/** Hex SHA-256 of a string. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Hex HMAC-SHA256 of a message. */
export async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = await crypto.subtle.sign("HMAC", key, encoder.encode(message));
  return [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Constant-time comparison of two strings of equal length. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Bytes of a base64url string (no padding needed). */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

/** An AES-256-GCM key derived from a secret for one purpose (HMAC-SHA256 of `context`). */
async function sealingKey(secret: string, context: string): Promise<CryptoKey> {
  const mac = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const raw = await crypto.subtle.sign("HMAC", mac, encoder.encode(context));
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** `text` encrypted and authenticated under a key derived from `secret` and `context`: `<iv>.<ciphertext>`, base64url. */
export async function seal(secret: string, context: string, text: string): Promise<string> {
  const iv = randomBytes(12);
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await sealingKey(secret, context), encoder.encode(text));
  return `${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
}

/** The text `seal` sealed with the same secret and context, or null (another secret, tampered, malformed). */
export async function unseal(secret: string, context: string, sealed: string): Promise<string | null> {
  const [iv, data] = sealed.split(".");
  if (!iv || !data) return null;
  try {
    const key = await sealingKey(secret, context);
    const opened = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64url(iv) }, key, fromBase64url(data));
    return new TextDecoder().decode(opened);
  } catch {
    return null;
  }
}
