import type { Context } from "hono";
import { ApiError } from "../errors.ts";
import { readBody } from "../infra/http.ts";
import { type IncomingFile, MAX_FILES_PER_MESSAGE, MAX_UPLOAD_BYTES } from "./store.ts";

/** Whether a request's body is multipart/form-data (a form or client sending files). */
export function isMultipart(c: { req: { header(name: string): string | undefined } }): boolean {
  return /^multipart\/form-data\b/i.test(c.req.header("Content-Type") ?? "");
}

/**
 * Reads a body that may carry files through the capped reader (infra/http.ts readBody): past
 * MAX_UPLOAD_BYTES, declared or counted while streaming, the stream is cancelled and 413 thrown.
 * Call it only once the caller is known to be allowed to write to the ticket.
 */
export async function readUpload(c: Context): Promise<void> {
  await readBody(
    c,
    MAX_UPLOAD_BYTES,
    () => new ApiError("payload-too-large", "The files are too large: at most 25 MB in total per request"),
  );
}

/**
 * The files of a parsed multipart body's `field` (the text fields are read as usual). A file
 * input left empty sends a part with no name and no bytes: that is no file. More parts than a
 * message may carry are refused before any is read further.
 */
export async function formFiles(c: Context, field = "file"): Promise<{ fields: Record<string, string>; files: IncomingFile[] }> {
  let body: Record<string, string | File | (string | File)[]>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch {
    throw new ApiError("malformed-request", "This form could not be read. Reload the page and try again.");
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") fields[k] = v;
  const raw = body[field];
  const parts = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (p): p is File => typeof p !== "string" && !(p.size === 0 && p.name === ""),
  );
  if (parts.length > MAX_FILES_PER_MESSAGE) {
    const message = `A message can carry at most ${MAX_FILES_PER_MESSAGE} files`;
    throw new ApiError("attachments-refused", message, { errors: [{ path: field, message }] });
  }
  const files = await Promise.all(parts.map(async (p) => ({ name: p.name, bytes: new Uint8Array(await p.arrayBuffer()) })));
  return { fields, files };
}
