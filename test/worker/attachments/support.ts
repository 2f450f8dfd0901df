import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { attachments } from "../../../schema/db.ts";
import { db } from "../helpers.ts";

/** The first bytes of a PNG (its signature and an IHDR header), padded to `size` bytes. */
export function pngBytes(size = 64): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(size);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  return b;
}

/** `size` bytes of binary data (no known signature). */
export function blob(size: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(size);
  b.fill(0xab);
  return b;
}

/** A File as a browser's file input hands it over. */
export function file(name: string, bytes: Uint8Array<ArrayBuffer> | string, type = "application/octet-stream"): File {
  return new File([bytes], name, { type });
}

/** The keys of every R2 object under a prefix (e.g. `<merchantId>/<ticketId>/`). */
export async function objectsUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.FILES.list({ prefix, ...(cursor ? { cursor } : {}) });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}

/** The attachment rows of a ticket. */
export function rowsOf(ticketId: string) {
  return db.query.attachments.findMany({ where: eq(attachments.ticketId, ticketId), orderBy: attachments.createdAt });
}
