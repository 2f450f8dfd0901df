import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { customerMessageWithFiles } from "../../../worker/attachments/messages.ts";
import { MAX_FILE_BYTES, MAX_FILES_PER_MESSAGE, MAX_TICKET_BYTES, screen } from "../../../worker/attachments/store.ts";
import { customerMessage } from "../../../worker/tickets/lifecycle.ts";
import { createTicket, seed, ticketContext, ticketRow } from "../helpers.ts";
import { blob, objectsUnder, pngBytes, rowsOf } from "./support.ts";

// The storage rules every channel shares: the caps, and that an accepted file is never lost nor
// left behind — put in R2 before its row, and deleted again when the message's batch fails.

beforeAll(async () => {
  await seed();
});

const f = (name: string, size: number) => ({ name, bytes: blob(size) });

describe("screen", () => {
  it("accepts files within every cap, in order", () => {
    const { accepted, refused } = screen([f("a", 10), f("b", 20)], { files: 0, bytes: 0 });
    expect(accepted.map((x) => x.name)).toEqual(["a", "b"]);
    expect(refused).toEqual([]);
  });

  it("refuses a file over the per-file cap and keeps the others", () => {
    const { accepted, refused } = screen([f("big", MAX_FILE_BYTES + 1), f("ok", 1)], { files: 0, bytes: 0 });
    expect(accepted.map((x) => x.name)).toEqual(["ok"]);
    expect(refused).toEqual([{ name: "big", reason: "The file is larger than 10 MB" }]);
  });

  it("refuses files past the ticket's total, counting what it already has", () => {
    const { refused } = screen([f("x", 2)], { files: 1, bytes: MAX_TICKET_BYTES - 1 });
    expect(refused).toEqual([{ name: "x", reason: "The request's files would exceed 25 MB in total" }]);
  });

  it("refuses files past the message's and the ticket's counts", () => {
    const many = Array.from({ length: MAX_FILES_PER_MESSAGE + 1 }, (_, i) => f(`m${i}`, 1));
    expect(screen(many, { files: 0, bytes: 0 }).refused.map((r) => r.name)).toEqual([`m${MAX_FILES_PER_MESSAGE}`]);
    expect(screen([f("one", 1)], { files: 50, bytes: 50 }).refused).toEqual([
      { name: "one", reason: "A request can hold at most 50 files" },
    ]);
  });

  it("refuses an empty file", () => {
    expect(screen([f("empty", 0)], { files: 0, bytes: 0 }).refused).toEqual([{ name: "empty", reason: "The file is empty" }]);
  });
});

describe("a message whose batch fails", () => {
  it("deletes the files it put in R2: no object and no row is left", async () => {
    const { reference } = await createTicket();
    const stale = await ticketContext(reference);
    // Someone else writes to the ticket after it was read: the optimistic batch must fail.
    await customerMessage(env, await ticketContext(reference), "meanwhile", Date.now());
    await expect(customerMessageWithFiles(env, stale, "late", [{ name: "a.png", bytes: pngBytes() }], Date.now())).rejects.toMatchObject({
      code: "conflict",
    });
    const t = await ticketRow(reference);
    expect(await rowsOf(t.id)).toEqual([]);
    expect(await objectsUnder(`${t.merchantId}/${t.id}/`)).toEqual([]);
  });
});
