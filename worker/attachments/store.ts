import { and, count, eq, sum } from "drizzle-orm";
import { type attachmentAuthors, attachments } from "../../schema/db.ts";
import { ApiError } from "../errors.ts";
import { randomId, randomToken } from "../infra/crypto.ts";
import type { Database } from "../infra/db.ts";
import type { TicketRow } from "../tickets/rows.ts";
import { safeName, sniffType } from "./content.ts";

/*
 * Files on a ticket, for every channel (public API and widget, status page, inbound mail,
 * dashboard): the caps, the R2 object under the merchant and the D1 row. The object is put
 * before the row, and the row is written in the batch of the message it belongs to (commit's
 * `extra`), so what the caller was told it accepted is never lost; when that batch fails the
 * objects are deleted again. A refused file writes nothing at all.
 */

/** Largest single file. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Largest total of all files on one ticket. */
export const MAX_TICKET_BYTES = 25 * 1024 * 1024;
/** Most files on one message. */
export const MAX_FILES_PER_MESSAGE = 10;
/** Most files on one ticket. */
export const MAX_FILES_PER_TICKET = 50;
/** Largest request body carrying files (a message's files can never exceed the ticket's total; the rest is the form). */
export const MAX_UPLOAD_BYTES = MAX_TICKET_BYTES + 64 * 1024;

/** A file as a channel received it: the name the sender gave it and its bytes. */
export interface IncomingFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A stored file as events and views list it. */
export interface AttachmentRef {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
}

/** A file that was not kept, and why (in words for the customer and staff). */
export interface Refusal {
  readonly name: string;
  readonly reason: string;
}

type Author = (typeof attachmentAuthors)[number];
type Ticket = Pick<TicketRow, "id" | "merchantId">;

const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

/** The files a ticket already has: how many, and their total size. */
export async function usageOf(db: Database, ticket: Ticket): Promise<{ files: number; bytes: number }> {
  const row = await db
    .select({ files: count(), bytes: sum(attachments.size) })
    .from(attachments)
    .where(and(eq(attachments.ticketId, ticket.id), eq(attachments.merchantId, ticket.merchantId)))
    .get();
  return { files: row?.files ?? 0, bytes: Number(row?.bytes ?? 0) };
}

/**
 * Splits files into those the caps allow, in order, and those refused: each over MAX_FILE_BYTES,
 * then any past the message's or the ticket's count, or past the ticket's total size. Empty files
 * are refused too (nothing to keep; usually a form sent with no file chosen is filtered earlier).
 */
export function screen(
  files: readonly IncomingFile[],
  usage: { files: number; bytes: number },
): { accepted: IncomingFile[]; refused: Refusal[] } {
  const accepted: IncomingFile[] = [];
  const refused: Refusal[] = [];
  let { files: n, bytes } = usage;
  for (const f of files) {
    const name = safeName(f.name);
    const size = f.bytes.byteLength;
    if (size === 0) refused.push({ name, reason: "The file is empty" });
    else if (size > MAX_FILE_BYTES) refused.push({ name, reason: `The file is larger than ${mb(MAX_FILE_BYTES)}` });
    else if (accepted.length >= MAX_FILES_PER_MESSAGE)
      refused.push({ name, reason: `A message can carry at most ${MAX_FILES_PER_MESSAGE} files` });
    else if (n >= MAX_FILES_PER_TICKET) refused.push({ name, reason: `A request can hold at most ${MAX_FILES_PER_TICKET} files` });
    else if (bytes + size > MAX_TICKET_BYTES)
      refused.push({ name, reason: `The request's files would exceed ${mb(MAX_TICKET_BYTES)} in total` });
    else {
      accepted.push(f);
      n += 1;
      bytes += size;
    }
  }
  return { accepted, refused };
}

/** The problem for refused files from a person at a form or the API: 413 for a file too large, else 422. */
export function refusalError(refused: readonly Refusal[]): ApiError {
  const errors = refused.map((r) => ({ path: "file", message: `${r.name}: ${r.reason}` }));
  const tooLarge = refused.some((r) => r.reason.startsWith("The file is larger"));
  return tooLarge
    ? new ApiError("payload-too-large", errors[0]?.message, { errors })
    : new ApiError("attachments-refused", errors[0]?.message, { errors });
}

/** Files put in R2 for one message: their refs (for the event), their rows (for the message's batch), and the undo. */
export interface StagedFiles {
  readonly refs: readonly AttachmentRef[];
  /** The rows' inserts, for the batch that writes the message. */
  rows(db: Database): readonly { toSQL(): { sql: string; params: unknown[] } }[];
  /** Deletes the objects again (the message's batch failed or wrote nothing). */
  discard(): Promise<void>;
}

const none: StagedFiles = { refs: [], rows: () => [], discard: async () => {} };

/** Puts accepted files in R2 at `<merchantId>/<ticketId>/<random>`; if one put fails, those already put are deleted. */
export async function stage(env: Env, ticket: Ticket, author: Author, files: readonly IncomingFile[], now: number): Promise<StagedFiles> {
  if (files.length === 0) return none;
  const items = files.map((f) => {
    const name = safeName(f.name);
    return {
      file: f,
      row: {
        id: randomId("att"),
        merchantId: ticket.merchantId,
        ticketId: ticket.id,
        author,
        name,
        contentType: sniffType(f.bytes, name),
        size: f.bytes.byteLength,
        r2Key: `${ticket.merchantId}/${ticket.id}/${randomToken()}`,
        createdAt: now,
      },
    };
  });
  const discard = async () => {
    await env.FILES.delete(items.map((i) => i.row.r2Key)).catch((e: unknown) => {
      console.warn(JSON.stringify({ attachments: "orphaned", keys: items.map((i) => i.row.r2Key), error: String(e).slice(0, 200) }));
    });
  };
  try {
    await Promise.all(
      items.map((i) =>
        env.FILES.put(i.row.r2Key, i.file.bytes, {
          httpMetadata: { contentType: i.row.contentType },
          customMetadata: { attachmentId: i.row.id },
        }),
      ),
    );
  } catch (e) {
    await discard();
    throw e;
  }
  return {
    refs: items.map((i) => ({ id: i.row.id, name: i.row.name, size: i.row.size, contentType: i.row.contentType })),
    rows: (db) => items.map((i) => db.insert(attachments).values(i.row)),
    discard,
  };
}

/**
 * Runs `write` (the batch that writes the message) with the files staged in R2; when it throws,
 * or answers that it wrote nothing (`{ written: false }`), the objects are deleted again.
 */
export async function withStaged<T>(
  env: Env,
  ticket: Ticket,
  author: Author,
  files: readonly IncomingFile[],
  now: number,
  write: (staged: StagedFiles) => Promise<T>,
  wrote: (result: T) => boolean = () => true,
): Promise<T> {
  const staged = await stage(env, ticket, author, files, now);
  let result: T;
  try {
    result = await write(staged);
  } catch (e) {
    await staged.discard();
    throw e;
  }
  if (!wrote(result)) await staged.discard();
  return result;
}

/**
 * For a person at a form or the API: the files checked against the caps and the ticket's current
 * files — any refusal refuses the whole message (nothing is written) with the reason per file.
 */
export async function checkedFiles(db: Database, ticket: Ticket, files: readonly IncomingFile[]): Promise<IncomingFile[]> {
  if (files.length === 0) return [];
  const { accepted, refused } = screen(files, await usageOf(db, ticket));
  if (refused.length) throw refusalError(refused);
  return accepted;
}

/** The event data that lists a message's files (and, for mail, those dropped), or nothing when there are none. */
export function filesData(refs: readonly AttachmentRef[], dropped: readonly Refusal[] = []): Record<string, unknown> | undefined {
  if (refs.length === 0 && dropped.length === 0) return undefined;
  return { ...(refs.length ? { attachments: refs } : {}), ...(dropped.length ? { attachmentsDropped: dropped } : {}) };
}

/** The files listed in an event's data (a message's attachments), or none. */
export function filesOf(data: unknown): AttachmentRef[] {
  const list = (data as { attachments?: unknown } | null)?.attachments;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (a): a is AttachmentRef =>
      typeof a === "object" && a !== null && typeof a.id === "string" && typeof a.name === "string" && typeof a.size === "number",
  );
}

/** The files dropped from a mail (over a cap), listed on its event. */
export function droppedOf(data: unknown): Refusal[] {
  const list = (data as { attachmentsDropped?: unknown } | null)?.attachmentsDropped;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (a): a is Refusal => typeof a === "object" && a !== null && typeof a.name === "string" && typeof a.reason === "string",
  );
}
