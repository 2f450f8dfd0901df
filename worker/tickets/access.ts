import { eq } from "drizzle-orm";
import { tickets } from "../../schema/db.ts";
import { ApiError } from "../errors.ts";
import { sha256Hex, timingSafeEqual } from "../infra/crypto.ts";
import type { Database } from "../infra/db.ts";
import { isReference } from "./reference.ts";
import type { TicketRow } from "./rows.ts";

/** The one answer for a ticket the caller may not see, whether it exists or not. */
export const noSuchTicket = () => new ApiError("not-found", "No such ticket");

/**
 * The ticket a customer's bearer token opens. A malformed reference, an unknown one and a
 * wrong token are the same 404, so references cannot be probed.
 */
export async function ticketForCustomer(db: Database, ref: string, authorization: string | undefined): Promise<TicketRow> {
  const token = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(authorization ?? "")?.[1];
  if (!token)
    throw new ApiError("unauthorized", "Send the ticket's access token as Authorization: Bearer <token>", {
      headers: { "WWW-Authenticate": "Bearer" },
    });
  if (!isReference(ref)) throw noSuchTicket();
  const row = await db.query.tickets.findFirst({ where: eq(tickets.ref, ref) });
  const hash = await sha256Hex(token);
  if (!row || !timingSafeEqual(row.accessTokenHash, hash)) throw noSuchTicket();
  return row;
}

/** A ticket of this merchant by reference; another merchant's ticket is the same 404 as a missing one. */
export async function merchantTicket(db: Database, merchantId: string, ref: string): Promise<TicketRow> {
  if (!isReference(ref)) throw noSuchTicket();
  const row = await db.query.tickets.findFirst({ where: eq(tickets.ref, ref) });
  if (!row || row.merchantId !== merchantId) throw noSuchTicket();
  return row;
}
