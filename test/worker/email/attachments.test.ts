import { beforeAll, describe, expect, it } from "vitest";
import { attachments } from "../../../schema/db.ts";
import { droppedOf, filesOf, MAX_FILES_PER_MESSAGE } from "../../../worker/attachments/store.ts";
import { blob, objectsUnder, pngBytes, rowsOf } from "../attachments/support.ts";
import { db, seed } from "../helpers.ts";
import { customerOn } from "../status/helpers.ts";
import { deliver, eventsOf, freshSender, rawMail, ticketsFrom } from "./helpers.ts";

// The files of an accepted mail become the files of its message (a new ticket's first message,
// or the customer's message on the ticket it continues). Files past a cap are dropped with a note
// on the event saying which and why; the mail itself is still accepted. Images the HTML shows
// inline (signatures) are not kept. A second copy of a mail stores nothing more.

const MERCHANT = "m_commerceup";

beforeAll(async () => {
  await seed();
});

function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return (btoa(s).match(/.{1,76}/g) ?? []).join("\r\n");
}

interface Part {
  readonly name: string;
  readonly type: string;
  readonly bytes: Uint8Array;
  /** An inline image the HTML refers to by Content-ID. */
  readonly cid?: string;
}

const partLines = (boundary: string, p: Part) => [
  `--${boundary}`,
  `Content-Type: ${p.type}; name="${p.name}"`,
  "Content-Transfer-Encoding: base64",
  p.cid ? `Content-Disposition: inline; filename="${p.name}"` : `Content-Disposition: attachment; filename="${p.name}"`,
  ...(p.cid ? [`Content-ID: <${p.cid}>`] : []),
  "",
  base64(p.bytes),
];

/**
 * A multipart/mixed mail with a text part and the given files, as a mail client sends it; inline
 * images (with a Content-ID) go with an HTML part that shows them, in a multipart/related.
 */
function mailWithFiles(opts: { from: string; subject?: string; messageId?: string; text?: string; parts: readonly Part[] }): string {
  const boundary = `b-${crypto.randomUUID()}`;
  const inner = `r-${crypto.randomUUID()}`;
  const inline = opts.parts.filter((p) => p.cid);
  const body = [
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    opts.text ?? "Please see the attached files.",
    ...(inline.length
      ? [
          `--${boundary}`,
          `Content-Type: multipart/related; boundary="${inner}"`,
          "",
          `--${inner}`,
          "Content-Type: text/html; charset=utf-8",
          "",
          `<p>Please see the attached files.</p>${inline.map((p) => `<img src="cid:${p.cid}">`).join("")}`,
          ...inline.flatMap((p) => partLines(inner, p)),
          `--${inner}--`,
        ]
      : []),
    ...opts.parts.filter((p) => !p.cid).flatMap((p) => partLines(boundary, p)),
    `--${boundary}--`,
    "",
  ].join("\r\n");
  return rawMail({
    from: opts.from,
    subject: opts.subject ?? "Checkout errors, screenshots attached",
    ...(opts.messageId ? { messageId: opts.messageId } : {}),
    contentType: `multipart/mixed; boundary="${boundary}"`,
    body,
  });
}

async function send(raw: string, from: string) {
  const d = await deliver(raw, { from });
  expect(d.rejected).toBeUndefined();
}

/** The one ticket a mail from a new sender carrying these files opens. */
async function ticketMailed(parts: readonly Part[]) {
  const from = freshSender();
  await send(mailWithFiles({ from, parts }), from);
  return onlyTicket(from);
}

async function onlyTicket(sender: string) {
  const [t, ...more] = await ticketsFrom(MERCHANT, sender);
  expect(more).toEqual([]);
  if (!t) throw new Error("no ticket");
  return t;
}

describe("a new ticket by mail", () => {
  it("keeps the mail's files as the first message's, typed by their bytes, under the merchant and ticket", async () => {
    const t = await ticketMailed([
      { name: "checkout.png", type: "image/png", bytes: pngBytes(500) },
      { name: "invoice.pdf", type: "application/octet-stream", bytes: new TextEncoder().encode("%PDF-1.5 invoice") },
    ]);
    const rows = await rowsOf(t.id);
    expect(rows.map((r) => [r.name, r.contentType, r.size, r.author])).toEqual([
      ["checkout.png", "image/png", 500, "customer"],
      ["invoice.pdf", "application/pdf", 16, "customer"],
    ]);
    expect((await objectsUnder(`${MERCHANT}/${t.id}/`)).sort()).toEqual(rows.map((r) => r.r2Key).sort());
    const created = (await eventsOf(t.id)).find((e) => e.type === "created");
    expect(filesOf(created?.data).map((a) => a.name)).toEqual(["checkout.png", "invoice.pdf"]);
    const { html } = await customerOn(t.ref);
    expect(html).toContain(`href="/t/${t.ref}/files/${rows[0]?.id}"`);
  });

  it("leaves out images the HTML shows inline", async () => {
    const t = await ticketMailed([
      { name: "logo.png", type: "image/png", bytes: pngBytes(40), cid: "logo@sig" },
      { name: "report.txt", type: "text/plain", bytes: new TextEncoder().encode("error at line 3\n") },
    ]);
    expect((await rowsOf(t.id)).map((r) => r.name)).toEqual(["report.txt"]);
  });

  it(`keeps the first ${MAX_FILES_PER_MESSAGE} files and notes the others on the event; the mail is accepted`, async () => {
    const parts = Array.from({ length: MAX_FILES_PER_MESSAGE + 2 }, (_, i) => ({
      name: `page-${i + 1}.png`,
      type: "image/png",
      bytes: pngBytes(64),
    }));
    const t = await ticketMailed(parts);
    expect((await rowsOf(t.id)).length).toBe(MAX_FILES_PER_MESSAGE);
    const created = (await eventsOf(t.id)).find((e) => e.type === "created");
    expect(droppedOf(created?.data)).toEqual([
      { name: "page-11.png", reason: "A message can carry at most 10 files" },
      { name: "page-12.png", reason: "A message can carry at most 10 files" },
    ]);
    const { html } = await customerOn(t.ref);
    expect(html).toContain("Not attached: page-11.png (A message can carry at most 10 files)");
  });

  it("stores nothing more for a second copy of the same mail", async () => {
    const from = freshSender();
    const raw = mailWithFiles({
      from,
      messageId: `<dup-${crypto.randomUUID()}@example.com>`,
      parts: [{ name: "a.png", type: "image/png", bytes: pngBytes() }],
    });
    await send(raw, from);
    await send(raw, from);
    const t = await onlyTicket(from);
    expect((await rowsOf(t.id)).length).toBe(1);
    expect((await objectsUnder(`${MERCHANT}/${t.id}/`)).length).toBe(1);
  });
});

describe("a reply by mail", () => {
  it("adds its files to the customer's message on the ticket it continues", async () => {
    const from = freshSender();
    await send(rawMail({ from, subject: "Payments fail" }), from);
    const t = await onlyTicket(from);
    await send(
      mailWithFiles({
        from,
        subject: `Re: [${t.ref}] Payments fail`,
        text: "Here is the log.",
        parts: [{ name: "gateway.log", type: "text/plain", bytes: new TextEncoder().encode("declined 402\n") }],
      }),
      from,
    );
    const reply = (await eventsOf(t.id)).find((e) => e.type === "customer-reply");
    expect(reply?.body).toContain("Here is the log.");
    expect(filesOf(reply?.data)).toMatchObject([{ name: "gateway.log", contentType: "text/plain; charset=utf-8" }]);
  });

  it("drops a file past the ticket's 25 MB with a note, and still files the message", async () => {
    const from = freshSender();
    await send(rawMail({ from, subject: "Big files" }), from);
    const t = await onlyTicket(from);
    // 20 MB already on the ticket (a staff reply could have put it there as well).
    const stored = blob(10 * 1024 * 1024);
    await db.batch(
      [0, 1].map((i) =>
        db.insert(attachments).values({
          id: `att_big_${t.id}_${i}`,
          merchantId: MERCHANT,
          ticketId: t.id,
          author: "customer",
          name: `big-${i}.bin`,
          contentType: "application/octet-stream",
          size: stored.byteLength,
          r2Key: `${MERCHANT}/${t.id}/big-${i}`,
          createdAt: Date.now(),
        }),
      ) as never,
    );
    await send(
      mailWithFiles({
        from,
        subject: `Re: [${t.ref}] Big files`,
        text: "One more.",
        parts: [
          { name: "video.bin", type: "application/octet-stream", bytes: blob(6 * 1024 * 1024) },
          { name: "note.txt", type: "text/plain", bytes: new TextEncoder().encode("small\n") },
        ],
      }),
      from,
    );
    const reply = (await eventsOf(t.id)).find((e) => e.type === "customer-reply");
    expect(reply?.body).toContain("One more.");
    const data = reply?.data as { attachments: { name: string }[]; attachmentsDropped: { name: string; reason: string }[] };
    expect(data.attachments.map((a) => a.name)).toEqual(["note.txt"]);
    expect(data.attachmentsDropped).toEqual([{ name: "video.bin", reason: "The request's files would exceed 25 MB in total" }]);
    expect((await objectsUnder(`${MERCHANT}/${t.id}/`)).length).toBe(1);
  });
});
