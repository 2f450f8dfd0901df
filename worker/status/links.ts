import { and, eq, gt } from "drizzle-orm";
import { customerSessions, ticketLinks, tickets } from "../../schema/db.ts";
import { randomToken, sha256Hex } from "../infra/crypto.ts";
import type { Database } from "../infra/db.ts";
import { insertRow } from "../infra/statements.ts";
import { isReference } from "../tickets/reference.ts";
import type { TicketRow } from "../tickets/rows.ts";

/*
 * Links from emails to the status page, and the browser sessions they open. A link token and a
 * session token are random (256 bits); D1 holds only their SHA-256, for one ticket, until they
 * expire. Both are separate from the widget's access token.
 */

const DAY = 86_400_000;
/** How long a link in an email opens the status page. */
export const LINK_TTL_MS = 30 * DAY;
/** How long a browser stays signed in to one ticket after opening its link. */
export const CUSTOMER_SESSION_TTL_MS = 14 * DAY;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Whether a text has the shape of a link or session token (checked before any hashing or lookup). */
export function isToken(text: string | undefined): text is string {
  return text !== undefined && TOKEN.test(text);
}

/** The ticket facts a link names. */
export type LinkedTicket = Pick<TicketRow, "id" | "merchantId" | "ref">;

/** The status-page path a link token opens: `/t/RB-XXXX-XXXX?k=<token>`. */
export function linkPath(ref: string, token: string): string {
  return `/t/${ref}?k=${token}`;
}

/**
 * A fresh link for a batch: the statement storing its hash (run it in the batch that queues the
 * email) and the path `/t/<REF>?k=<token>` to put in it.
 */
export async function linkStatement(
  d1: D1Database,
  ticket: LinkedTicket,
  now: number,
): Promise<{ path: string; statement: D1PreparedStatement }> {
  const token = randomToken();
  const statement = insertRow(d1, ticketLinks, {
    tokenHash: await sha256Hex(token),
    ticketId: ticket.id,
    merchantId: ticket.merchantId,
    expiresAt: now + LINK_TTL_MS,
    createdAt: now,
  });
  return { path: linkPath(ticket.ref, token), statement };
}

/** Issues a link to a ticket's status page, valid for LINK_TTL_MS: returns the path `/t/RB-XXXX-XXXX?k=…`. */
export async function issueLink(db: Database, ticket: { id: string; merchantId: string; ref: string }, now: number): Promise<string> {
  const { path, statement } = await linkStatement(db.$client, ticket, now);
  await statement.run();
  return path;
}

/**
 * The ticket a stored token (a link's or a session's) opens at `now`: only a token stored for this
 * very reference (and its merchant) that has not expired. Anything else is null, whatever the reason.
 */
async function ticketForToken(
  db: Database,
  table: typeof ticketLinks | typeof customerSessions,
  ref: string,
  token: string | undefined,
  now: number,
): Promise<TicketRow | null> {
  if (!isReference(ref) || !isToken(token)) return null;
  const row = await db
    .select({ ticket: tickets })
    .from(table)
    .innerJoin(tickets, and(eq(tickets.id, table.ticketId), eq(tickets.merchantId, table.merchantId)))
    .where(and(eq(table.tokenHash, await sha256Hex(token)), gt(table.expiresAt, now)))
    .get();
  return row && row.ticket.ref === ref ? row.ticket : null;
}

/** The ticket a link token (from an email) opens at `now`, if it is this reference's; else null. */
export function ticketForLink(db: Database, ref: string, token: string | undefined, now: number): Promise<TicketRow | null> {
  return ticketForToken(db, ticketLinks, ref, token, now);
}

/** Starts a browser session on a ticket: stores the hash of a new token and returns the token (for the cookie). */
export async function startCustomerSession(db: Database, ticket: LinkedTicket, now: number): Promise<string> {
  const token = randomToken();
  await db.insert(customerSessions).values({
    tokenHash: await sha256Hex(token),
    ticketId: ticket.id,
    merchantId: ticket.merchantId,
    expiresAt: now + CUSTOMER_SESSION_TTL_MS,
    createdAt: now,
  });
  return token;
}

/** The ticket a session token is signed in to at `now`, if it is this reference's; else null. */
export function ticketForSession(db: Database, ref: string, token: string | undefined, now: number): Promise<TicketRow | null> {
  return ticketForToken(db, customerSessions, ref, token, now);
}
