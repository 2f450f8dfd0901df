import { base64url } from "./crypto.ts";

/**
 * Workers refuse PBKDF2 above 100,000 iterations in production (local workerd does not), so
 * this is both the default and the ceiling; the stored format names its parameters so hashes
 * can be upgraded at the next login if the default ever changes.
 */
export const PBKDF2_ITERATIONS = 100_000;
export const MAX_PBKDF2_ITERATIONS = 100_000;

const encoder = new TextEncoder();

function fromBase64url(s: string): Uint8Array<ArrayBuffer> {
  const b = atob(s.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(b, (ch) => ch.charCodeAt(0));
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
    throw new RangeError(`PBKDF2 iterations must be 1–${MAX_PBKDF2_ITERATIONS}`);
  }
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

/** "pbkdf2-sha256$<iterations>$<salt>$<hash>" for a password. */
export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, iterations);
  return `pbkdf2-sha256$${iterations}$${base64url(salt)}$${base64url(hash)}`;
}

/** Whether a password matches a stored hash, and whether the hash should be upgraded. */
export async function verifyPassword(password: string, stored: string): Promise<{ ok: boolean; upgrade: boolean }> {
  const [scheme, iter, salt, hash] = stored.split("$");
  const iterations = Number(iter);
  // Whatever is stored, a malformed hash is "no match", never an exception (a 500 at sign-in).
  if (
    scheme !== "pbkdf2-sha256" ||
    !salt ||
    !hash ||
    !Number.isInteger(iterations) ||
    iterations < 1 ||
    iterations > MAX_PBKDF2_ITERATIONS
  ) {
    return { ok: false, upgrade: false };
  }
  let saltBytes: Uint8Array<ArrayBuffer>;
  try {
    saltBytes = fromBase64url(salt);
  } catch {
    return { ok: false, upgrade: false };
  }
  const actual = base64url(await derive(password, saltBytes, iterations));
  let diff = actual.length ^ hash.length;
  for (let i = 0; i < Math.min(actual.length, hash.length); i++) diff |= actual.charCodeAt(i) ^ hash.charCodeAt(i);
  return { ok: diff === 0, upgrade: diff === 0 && iterations !== PBKDF2_ITERATIONS };
}
