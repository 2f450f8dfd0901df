import { referencePattern } from "../../schema/reference.ts";
import { randomBytes } from "../infra/crypto.ts";

// Crockford base32 without I, L, O, U: unambiguous when read aloud or retyped.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A public ticket reference such as RB-7K3M-Q9XD (40 random bits). */
export function randomReference(): string {
  const bytes = randomBytes(8);
  let out = "";
  for (let i = 0; i < 8; i++) out += ALPHABET[(bytes[i] as number) % 32];
  return `RB-${out.slice(0, 4)}-${out.slice(4)}`;
}

/** Whether a text is a well-formed ticket reference (upper case, as issued). */
export function isReference(text: string): boolean {
  return referencePattern.test(text);
}

/** The first reference written in a text such as an email subject ("Re: … [RB-7K3M-Q9XD]"), upper-cased. */
export function referenceIn(text: string): string | undefined {
  const m = /\bRB-[0-9A-Z]{4}-[0-9A-Z]{4}\b/i.exec(text);
  const ref = m?.[0].toUpperCase();
  return ref && isReference(ref) ? ref : undefined;
}
