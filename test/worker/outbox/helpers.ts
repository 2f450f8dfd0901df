import { and, eq } from "drizzle-orm";
import { devMailbox, outbox } from "../../../schema/db.ts";
import { db, ticketRow } from "../helpers.ts";

/** Every email row of a ticket, oldest first. */
export async function emailsOf(reference: string) {
  const t = await ticketRow(reference);
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.ticketId, t.id), eq(outbox.channel, "email")))
    .orderBy(outbox.createdAt);
}

/** The local mailbox's copies for a recipient, newest first. */
export async function mailTo(recipient: string) {
  const rows = await db.select().from(devMailbox).where(eq(devMailbox.recipient, recipient));
  return rows.sort((a, b) => b.sentAt - a.sentAt);
}
