import { ticketLinks } from "../../schema/db.ts";
import { randomToken, sha256Hex } from "../infra/crypto.ts";
import type { Database } from "../infra/db.ts";

/** How long a link in an email opens the status page. */
export const LINK_TTL_MS = 30 * 86_400_000;

/**
 * A fresh link to a ticket's status page, as a path (`/t/RB-XXXX-XXXX?k=<token>`): the token is
 * random and only its SHA-256 is stored, with its expiry.
 */
export async function issueLink(db: Database, ticket: { id: string; merchantId: string; ref: string }, now: number): Promise<string> {
  const token = randomToken();
  await db.insert(ticketLinks).values({
    tokenHash: await sha256Hex(token),
    ticketId: ticket.id,
    merchantId: ticket.merchantId,
    expiresAt: now + LINK_TTL_MS,
    createdAt: now,
  });
  return `/t/${ticket.ref}?k=${token}`;
}
