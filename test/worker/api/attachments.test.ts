import { beforeAll, describe, expect, it } from "vitest";
import type { TicketView } from "../../../schema/api.ts";
import { MAX_FILE_BYTES, MAX_FILES_PER_MESSAGE, MAX_UPLOAD_BYTES } from "../../../worker/attachments/store.ts";
import { blob, file, objectsUnder, pngBytes, rowsOf } from "../attachments/support.ts";
import { call, createTicket, seed, ticketRow } from "../helpers.ts";
import { around } from "../security/support/http.ts";
import { changed } from "../security/support/state.ts";

// A customer's files through the public API (what the widget sends): a message with files on
// POST /v1/tickets/:ref/attachments, listed on the ticket's events, downloaded only with the
// ticket's own token and always as a download. Every cap refuses the whole message and writes
// nothing, neither in D1 nor in R2.

type Created = { reference: string; accessToken: string };

beforeAll(async () => {
  await seed();
});

function upload(t: Created, files: readonly File[], body?: string, token = t.accessToken) {
  const form = new FormData();
  if (body !== undefined) form.set("body", body);
  for (const f of files) form.append("file", f);
  return call(`/v1/tickets/${t.reference}/attachments`, { body: form, headers: { Authorization: `Bearer ${token}` } });
}

const download = (t: Created, id: string, token = t.accessToken) =>
  call(`/v1/tickets/${t.reference}/attachments/${id}`, { headers: { Authorization: `Bearer ${token}` } });

async function prefixOf(t: Created): Promise<string> {
  const row = await ticketRow(t.reference);
  return `${row.merchantId}/${row.id}/`;
}

/** Uploads, and proves the answer is `status` problem+json of `type` with nothing written in D1 or R2. */
async function refusedWithNothingWritten(t: Created, files: readonly File[], status: number, type: string) {
  const keysBefore = await objectsUnder(await prefixOf(t));
  const { result: res, before, after } = await around(() => upload(t, files, "see attached"));
  expect(res.status).toBe(status);
  expect(res.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
  const problem = (await res.json()) as { type: string; errors?: { path: string; message: string }[] };
  expect(problem.type).toBe(`https://replyby.dev/problems/${type}`);
  expect(changed(before, after)).toEqual([]);
  expect(await objectsUnder(await prefixOf(t))).toEqual(keysBefore);
  return problem;
}

describe("POST /v1/tickets/:ref/attachments", () => {
  it("adds the customer's message with its files: listed on the event, stored under the merchant and ticket", async () => {
    const t = await createTicket();
    const res = await upload(
      t,
      [file("screen.png", pngBytes(2048), "image/png"), file("orders.csv", "id,total\n1,2\n")],
      "Here is the screen",
    );
    expect(res.status).toBe(200);
    const view = (await res.json()) as TicketView;
    const message = view.events.at(-1);
    expect(message?.type).toBe("customer-reply");
    expect(message?.body).toBe("Here is the screen");
    expect(message?.attachments?.map((a) => [a.name, a.size, a.contentType])).toEqual([
      ["screen.png", 2048, "image/png"],
      ["orders.csv", 13, "text/csv; charset=utf-8"],
    ]);
    const rows = await rowsOf((await ticketRow(t.reference)).id);
    expect(rows.map((r) => r.author)).toEqual(["customer", "customer"]);
    const prefix = await prefixOf(t);
    expect(rows.every((r) => r.r2Key.startsWith(prefix))).toBe(true);
    expect((await objectsUnder(prefix)).sort()).toEqual(rows.map((r) => r.r2Key).sort());
  });

  it("takes files with no text", async () => {
    const t = await createTicket();
    const res = await upload(t, [file("a.pdf", "%PDF-1.4 x")]);
    expect(res.status).toBe(200);
    const view = (await res.json()) as TicketView;
    expect(view.events.at(-1)?.attachments?.[0]?.contentType).toBe("application/pdf");
    expect(view.events.at(-1)?.body).toBeUndefined();
  });

  it("keeps the type from the bytes, not the name or the claimed type", async () => {
    const t = await createTicket();
    const res = await upload(t, [file("invoice.pdf", pngBytes(), "application/pdf")], "x");
    const view = (await res.json()) as TicketView;
    expect(view.events.at(-1)?.attachments?.[0]?.contentType).toBe("image/png");
  });

  it("refuses a file over 10 MB with 413, and writes nothing", async () => {
    const t = await createTicket();
    const problem = await refusedWithNothingWritten(
      t,
      [file("small.png", pngBytes()), file("huge.bin", blob(MAX_FILE_BYTES + 1))],
      413,
      "payload-too-large",
    );
    expect(problem.errors?.[0]?.message).toContain("huge.bin");
  });

  it(`refuses more than ${MAX_FILES_PER_MESSAGE} files on one message with 422, and writes nothing`, async () => {
    const t = await createTicket();
    const files = Array.from({ length: MAX_FILES_PER_MESSAGE + 1 }, (_, i) => file(`f${i}.txt`, `file ${i}`));
    await refusedWithNothingWritten(t, files, 422, "attachments-refused");
  });

  it("refuses files past the ticket's 25 MB total with 422, and writes nothing", async () => {
    const t = await createTicket();
    const nine = () => file("part.bin", blob(9 * 1024 * 1024));
    expect((await upload(t, [nine()], "one")).status).toBe(200);
    expect((await upload(t, [nine()], "two")).status).toBe(200);
    const problem = await refusedWithNothingWritten(t, [nine()], 422, "attachments-refused");
    expect(problem.errors?.[0]?.message).toContain("25 MB");
  });

  it("refuses files past the ticket's 50 files with 422, and writes nothing", async () => {
    const t = await createTicket();
    for (let i = 0; i < 5; i++) {
      const ten = Array.from({ length: 10 }, (_, j) => file(`n${i}-${j}.txt`, `note ${i} ${j}`));
      expect((await upload(t, ten, `batch ${i}`)).status).toBe(200);
    }
    await refusedWithNothingWritten(t, [file("one-more.txt", "51")], 422, "attachments-refused");
  });

  it("refuses a body that is not multipart with 415, and a message with neither text nor file with 400", async () => {
    const t = await createTicket();
    const json = await call(`/v1/tickets/${t.reference}/attachments`, {
      json: { body: "hi" },
      headers: { Authorization: `Bearer ${t.accessToken}` },
    });
    expect(json.status).toBe(415);
    expect((await upload(t, [], "")).status).toBe(400);
  });

  it("refuses a message on a closed ticket with 409 and stores no file", async () => {
    const t = await createTicket();
    expect(
      (await call(`/v1/tickets/${t.reference}/close`, { json: {}, headers: { Authorization: `Bearer ${t.accessToken}` } })).status,
    ).toBe(200);
    const { result: res, before, after } = await around(() => upload(t, [file("late.png", pngBytes())], "late"));
    expect(res.status).toBe(409);
    expect(changed(before, after)).toEqual([]);
    expect(await objectsUnder(await prefixOf(t))).toEqual([]);
  });

  it("is 404 with another ticket's token, and nothing is written", async () => {
    const t = await createTicket();
    const other = await createTicket();
    const { result: res, before, after } = await around(() => upload(t, [file("x.png", pngBytes())], "x", other.accessToken));
    expect(res.status).toBe(404);
    expect(changed(before, after)).toEqual([]);
  });
});

describe("a chunked upload past the cap", () => {
  it("is 413 and the stream is cancelled while streaming, not read to the end", async () => {
    const t = await createTicket();
    const chunk = new Uint8Array(1024 * 1024).fill(0x61);
    const total = 64;
    const state = { pulled: 0, cancelled: false };
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (state.pulled === total) return controller.close();
        controller.enqueue(chunk);
        state.pulled += 1;
      },
      cancel() {
        state.cancelled = true;
      },
    });
    const {
      result: res,
      before,
      after,
    } = await around(() =>
      call(`/v1/tickets/${t.reference}/attachments`, {
        method: "POST",
        body: stream,
        headers: { Authorization: `Bearer ${t.accessToken}`, "Content-Type": "multipart/form-data; boundary=x" },
      }),
    );
    expect(res.status).toBe(413);
    await res.arrayBuffer();
    // The runtime between the test and the worker may buffer a few chunks ahead of the reader.
    expect(state.pulled).toBeLessThanOrEqual(Math.ceil(MAX_UPLOAD_BYTES / chunk.byteLength) + 8);
    expect(state.pulled).toBeLessThan(total);
    expect(state.cancelled).toBe(true);
    expect(changed(before, after)).toEqual([]);
  });
});

describe("GET /v1/tickets/:ref/attachments/:id", () => {
  let t: Created;
  let html: string;
  let svg: string;

  beforeAll(async () => {
    t = await createTicket();
    const res = await upload(
      t,
      [
        file("page.html", "<!doctype html><script>alert(document.cookie)</script>", "text/html"),
        file("logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"),
      ],
      "two files",
    );
    const view = (await res.json()) as TicketView;
    [html, svg] = (view.events.at(-1)?.attachments ?? []).map((a) => a.id) as [string, string];
  });

  it.each([
    ["HTML", () => html, "page.html"],
    ["SVG", () => svg, "logo.svg"],
  ])("serves an %s upload as an octet-stream download with nosniff and a sandbox CSP", async (_, id, name) => {
    const res = await download(t, id());
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/octet-stream");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Content-Security-Policy")).toBe("default-src 'none'; sandbox");
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await res.text()).toContain("alert(");
  });

  it("is the same 404 for another ticket's token, another ticket's file and an unknown id", async () => {
    const other = await createTicket();
    const missing = await download(t, "att_nope");
    expect(missing.status).toBe(404);
    const missingBody = (await missing.json()) as Record<string, unknown>;
    const wrongToken = await download(t, html, other.accessToken);
    expect(wrongToken.status).toBe(404);
    expect(await wrongToken.json()).toEqual({ ...missingBody, detail: "No such ticket" });
    const wrongTicket = await download(other, html);
    expect(wrongTicket.status).toBe(404);
    expect(await wrongTicket.json()).toEqual(missingBody);
  });
});

describe("the OpenAPI document", () => {
  it("documents the upload as multipart with its file parts, its 413 and 422, and the download", async () => {
    const doc = (await (await call("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties?: Record<string, { type?: string; items?: { format?: string } }> }> };
    };
    const upload = doc.paths["/v1/tickets/{ref}/attachments"]?.post;
    expect(Object.keys(upload?.requestBody?.content ?? {})).toEqual(["multipart/form-data"]);
    expect(Object.keys(upload?.responses ?? {})).toEqual(expect.arrayContaining(["200", "413", "415", "422", "404"]));
    expect(doc.components.schemas.AttachmentUpload?.properties?.file).toMatchObject({ type: "array", items: { format: "binary" } });
    expect(doc.paths["/v1/tickets/{ref}/attachments/{id}"]?.get).toBeDefined();
    expect(doc.components.schemas.Attachment).toBeDefined();
  });
});
