import { and, asc, eq, sql } from "drizzle-orm";
import { attachments } from "../../schema/db.ts";
import { ApiError } from "../errors.ts";
import type { Database } from "../infra/db.ts";
import type { TicketRow } from "../tickets/rows.ts";
import { dispositionOf, servedType } from "./content.ts";

/** A ticket's files, oldest first (the status page, the dashboard). */
export function ticketFiles(db: Database, ticket: Pick<TicketRow, "id" | "merchantId">) {
  return (
    db
      .select({
        id: attachments.id,
        name: attachments.name,
        size: attachments.size,
        contentType: attachments.contentType,
        author: attachments.author,
        createdAt: attachments.createdAt,
      })
      .from(attachments)
      .where(and(eq(attachments.ticketId, ticket.id), eq(attachments.merchantId, ticket.merchantId)))
      // Files of one message share their time: then in the order they were sent (insertion order).
      .orderBy(asc(attachments.createdAt), asc(sql`rowid`))
  );
}

/** The headers every file download carries: always a download, never sniffed, never run, never cached. */
export function downloadHeaders(name: string, contentType: string, size: number): Record<string, string> {
  return {
    "Content-Type": servedType(contentType),
    "Content-Disposition": dispositionOf(name),
    "Content-Length": String(size),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
  };
}

/**
 * A file of a ticket the caller was already allowed to see (its customer's session or token, or
 * its merchant's staff): the file must belong to that ticket and merchant, else the same 404 as a
 * file that does not exist. The one download every channel serves.
 */
export async function downloadFile(env: Env, db: Database, ticket: Pick<TicketRow, "id" | "merchantId">, id: string): Promise<Response> {
  const row =
    id.length <= 60
      ? await db.query.attachments.findFirst({
          where: (a, { and, eq }) => and(eq(a.id, id), eq(a.ticketId, ticket.id), eq(a.merchantId, ticket.merchantId)),
        })
      : undefined;
  // The key is under the merchant too: a row can never name another merchant's object.
  const object = row?.r2Key.startsWith(`${ticket.merchantId}/`) ? await env.FILES.get(row.r2Key) : null;
  if (!row || !object) throw new ApiError("not-found", "No such file");
  return new Response(object.body, { headers: downloadHeaders(row.name, row.contentType, object.size) });
}
