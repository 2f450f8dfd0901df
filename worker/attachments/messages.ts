import { ApiError } from "../errors.ts";
import { database } from "../infra/db.ts";
import type { TicketContext } from "../tickets/commit.ts";
import { customerMessage, type MessageOptions, type StaffActor, staffReply } from "../tickets/lifecycle.ts";
import { assertAllowed } from "../tickets/machine.ts";
import type { TicketRow } from "../tickets/rows.ts";
import { checkedFiles, filesData, type IncomingFile, withStaged } from "./store.ts";

/*
 * A message with files, as every channel a person types into sends it (API and widget, status
 * page, dashboard): the files are checked against the caps first (one refused file refuses the
 * message, and nothing is written), put in R2, then the message's own lifecycle transition writes
 * their rows in its batch. Inbound mail, which must never be refused for a file, is in
 * email/inbound.ts with the same parts.
 */

/** A message's text, or none when it carries files; a message with neither is refused (in the page's words when given). */
export function messageBody(
  body: string | undefined,
  files: readonly IncomingFile[],
  max = 5000,
  words?: { empty: string; tooLong: string },
): string {
  const text = (body ?? "").trim();
  if (!text && files.length === 0) {
    throw new ApiError("validation-failed", words?.empty ?? "Write a message or attach a file", {
      errors: [{ path: "body", message: words?.empty ?? "Write a message" }],
    });
  }
  if (text.length > max) {
    const message = words?.tooLong ?? `Keep the message under ${max.toLocaleString("en-US")} characters`;
    throw new ApiError("validation-failed", message, { errors: [{ path: "body", message }] });
  }
  return text;
}

/** The customer's message (tickets/lifecycle.ts customerMessage) with its files. */
export async function customerMessageWithFiles(
  env: Env,
  ctx: TicketContext,
  body: string,
  files: readonly IncomingFile[],
  now: number,
  opts: MessageOptions = {},
): Promise<TicketRow> {
  // A status that forbids the message refuses it before any file is staged.
  assertAllowed("customer.message", ctx.ticket.status);
  const accepted = await checkedFiles(database(env.DB), ctx.ticket, files);
  return withStaged(env, ctx.ticket, "customer", accepted, now, (staged) =>
    customerMessage(env, ctx, body, now, {
      ...opts,
      data: { ...opts.data, ...filesData(staged.refs) },
      extra: (db) => [...(opts.extra?.(db) ?? []), ...staged.rows(db)],
    }),
  );
}

/** A staff reply (tickets/lifecycle.ts staffReply) with its files. */
export async function staffReplyWithFiles(
  env: Env,
  ctx: TicketContext,
  staff: StaffActor,
  body: string,
  files: readonly IncomingFile[],
  now: number,
): Promise<TicketRow> {
  // Another merchant's ticket is refused by staffReply's guard before anything is staged.
  if (ctx.ticket.merchantId !== staff.merchantId) throw new ApiError("not-found", "No such ticket");
  assertAllowed("staff.reply", ctx.ticket.status);
  const accepted = await checkedFiles(database(env.DB), ctx.ticket, files);
  return withStaged(env, ctx.ticket, "staff", accepted, now, (staged) =>
    staffReply(env, ctx, staff, body, now, { data: filesData(staged.refs), extra: staged.rows }),
  );
}
