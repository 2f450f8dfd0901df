import { referencePattern } from "../../schema/reference.ts";
import { hmacHex, timingSafeEqual } from "../infra/crypto.ts";

// A reply token binds an email conversation to one ticket without storing anything: the ticket's
// reference (compact, lower case) and a 64-bit HMAC of it under the merchant's reply secret. It is
// carried in the plus-address (help+<token>@…) and in our own id in References, so a customer's
// reply finds its ticket whatever their mail client keeps; nobody can forge one for another ticket.

const MAC_HEX = 16;

function compact(reference: string): string {
  return reference.slice(3).replace("-", "").toLowerCase();
}

async function mac(secret: string, reference: string): Promise<string> {
  return (await hmacHex(secret, `reply:${reference}`)).slice(0, MAC_HEX);
}

/** The reply token of a ticket: 8 reference characters and 16 hex digits of MAC. */
export async function replyToken(secret: string, reference: string): Promise<string> {
  return `${compact(reference)}${await mac(secret, reference)}`;
}

/** The ticket reference a token claims (unverified), or undefined when it is not shaped like one. */
export function claimedReference(token: string): string | undefined {
  const t = token.toUpperCase();
  if (!/^[0-9A-Z]{8}[0-9A-F]{16}$/.test(t)) return undefined;
  const ref = `RB-${t.slice(0, 4)}-${t.slice(4, 8)}`;
  return referencePattern.test(ref) ? ref : undefined;
}

/** Whether `token` is the reply token of `reference` under `secret` (constant-time). */
export async function verifyReplyToken(secret: string, reference: string, token: string): Promise<boolean> {
  return timingSafeEqual(token.toLowerCase(), await replyToken(secret, reference));
}

/** The plus-address replies to a ticket go to: help@shop.test → help+<token>@shop.test. */
export function replyAddress(inbound: string, token: string): string {
  const at = inbound.lastIndexOf("@");
  return `${inbound.slice(0, at)}+${token}${inbound.slice(at)}`;
}

/** The token in a plus-address (help+<token>@…), if any. */
export function tokenInAddress(address: string): string | undefined {
  const local = address.slice(0, address.lastIndexOf("@"));
  const plus = local.indexOf("+");
  return plus >= 0 ? local.slice(plus + 1) : undefined;
}

/** Our id for a ticket's conversation, written in References of every email about it. */
export function threadId(token: string, domain: string): string {
  return `<rb.${token}@${domain}>`;
}

/** The reply tokens in a References or In-Reply-To value (our ids only; at most `limit` ids read). */
export function tokensInReferences(value: string, limit = 2000): string[] {
  const out: string[] = [];
  let n = 0;
  for (const m of value.matchAll(/<([^<>\s]{1,998})>/g)) {
    if (++n > limit) break;
    const id = /^rb\.([0-9a-z]{24})@/i.exec(m[1] as string);
    if (id) out.push((id[1] as string).toLowerCase());
  }
  return out;
}
