// Never a loop, never a duplicate: automatic mail gets no automatic email (or is not filed at all
// when it only answers ours), one Message-ID is one ticket however often and however concurrently
// it arrives, and a delivery report marks the address undeliverable instead of filing anything.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as tables from "../../../schema/db.ts";
import { replyAddress, replyToken } from "../../../worker/email/reply-token.ts";
import { count, createTicket, db, seed, ticketRow } from "../helpers.ts";
import { deliver, eventsOf, freshSender, inboundRecord, rawMail, replySecretOf, ticketByMail, ticketsFrom } from "./helpers.ts";

beforeAll(async () => {
  await seed();
});

/** The data of a ticket's created event. */
async function createdData(ticketId: string) {
  return (await eventsOf(ticketId)).find((e) => e.type === "created")?.data;
}

describe("automatic mail that may be a real request: filed, with no automatic email", () => {
  it.each([
    ["Auto-Submitted: auto-generated", { "Auto-Submitted": "auto-generated" }],
    ["Auto-Submitted: auto-notified", { "Auto-Submitted": "auto-notified" }],
    ["Precedence: bulk", { Precedence: "bulk" }],
    ["Precedence: list", { Precedence: "list" }],
    ["Precedence: junk", { Precedence: "junk" }],
    ["X-Auto-Response-Suppress", { "X-Auto-Response-Suppress": "All" }],
    ["List-Id", { "List-Id": "Store alerts <alerts.example.com>" }],
  ])("%s", async (_, headers) => {
    const t = await ticketByMail(freshSender(), { headers });
    expect(await createdData(t.id)).toMatchObject({ autoReply: false });
  });

  it.each(["noreply", "no-reply", "donotreply", "postmaster"])("from a %s@ sender", async (local) => {
    const sender = `${local}@monitor${crypto.randomUUID().slice(0, 6)}.example.com`;
    const t = await ticketByMail(sender, { subject: "System Down: checkout probe failing" });
    expect([t.priority, (await createdData(t.id))?.autoReply]).toEqual(["C1", false]);
  });

  it("from an address of the merchant's own inbound domain", async () => {
    const t = await ticketByMail("admin@commerceup.demo");
    expect(await createdData(t.id)).toMatchObject({ autoReply: false });
  });

  it("appended to a ticket, the message carries autoReply false too", async () => {
    const t = await ticketByMail(freshSender());
    const to = replyAddress("help@commerceup.demo", await replyToken(await replySecretOf("m_commerceup"), t.ref));
    await deliver(rawMail({ from: t.email, to, headers: { "Auto-Submitted": "auto-generated" } }), { from: t.email, to });
    expect((await eventsOf(t.id)).map((e) => [e.type, e.data?.autoReply])).toEqual([
      ["created", undefined],
      ["customer-reply", false],
    ]);
  });

  it('mail marked "Auto-Submitted: no" is a person\'s: it gets the usual emails', async () => {
    const t = await ticketByMail(freshSender(), { headers: { "Auto-Submitted": "no" } });
    expect((await createdData(t.id))?.autoReply).toBeUndefined();
  });
});

describe("automatic answers to our own mail: recorded, never filed", () => {
  it.each([
    ["Auto-Submitted: auto-replied", { "Auto-Submitted": "auto-replied" }],
    ["X-Autoreply", { "X-Autoreply": "yes" }],
    ["X-Autorespond", { "X-Autorespond": "Out of office" }],
    ["Precedence: auto_reply", { Precedence: "auto_reply" }],
  ])("%s", async (_, headers) => {
    const sender = freshSender();
    const messageId = `<ooo-${crypto.randomUUID()}@example.com>`;
    const d = await deliver(rawMail({ from: sender, subject: "Out of office", messageId, headers }), { from: sender });
    expect(d.rejected).toBeUndefined();
    expect(await ticketsFrom("m_commerceup", sender)).toHaveLength(0);
    expect((await inboundRecord("m_commerceup", messageId))?.outcome).toBe("ignored");
  });

  it("an auto-reply threaded to a ticket appends nothing", async () => {
    const t = await ticketByMail(freshSender());
    await deliver(rawMail({ from: t.email, subject: `Automatic reply: [${t.ref}]`, headers: { "Auto-Submitted": "auto-replied" } }), {
      from: t.email,
    });
    expect((await eventsOf(t.id)).map((e) => e.type)).toEqual(["created"]);
  });

  it("mail from a mailer-daemon that is not a delivery report", async () => {
    const before = await count("tickets");
    const messageId = "<daemon-1@mx.example.com>";
    await deliver(rawMail({ from: "MAILER-DAEMON@mx.example.com", subject: "Warning: delayed", messageId }), { from: "" });
    expect([await count("tickets"), (await inboundRecord("m_commerceup", messageId))?.outcome]).toEqual([before, "ignored"]);
  });

  it("mail from one of our own support addresses (a loop between two sites)", async () => {
    const messageId = "<loop-1@ecellar.demo>";
    await deliver(rawMail({ from: "help@ecellar.demo", messageId }), { from: "help+abc@ecellar.demo" });
    expect([await ticketsFrom("m_commerceup", "help@ecellar.demo"), (await inboundRecord("m_commerceup", messageId))?.outcome]).toEqual([
      [],
      "ignored",
    ]);
  });
});

describe("one Message-ID, one ticket", () => {
  it("the same mail twice is one ticket with one event, and the second is not refused", async () => {
    const sender = freshSender();
    const raw = rawMail({ from: sender, messageId: "<twice-1@example.com>" });
    await deliver(raw, { from: sender });
    const second = await deliver(raw, { from: sender });
    const list = await ticketsFrom("m_commerceup", sender);
    expect([second.rejected, list.length, (await eventsOf(list[0]?.id ?? "")).length]).toEqual([undefined, 1, 1]);
  });

  it("the same mail delivered concurrently is still one ticket", async () => {
    const sender = freshSender();
    const raw = rawMail({ from: sender, messageId: "<race-1@example.com>" });
    const results = await Promise.all([deliver(raw, { from: sender }), deliver(raw, { from: sender }), deliver(raw, { from: sender })]);
    expect(results.map((r) => r.rejected)).toEqual([undefined, undefined, undefined]);
    expect(await ticketsFrom("m_commerceup", sender)).toHaveLength(1);
  });

  it("the same reply twice is one customer message", async () => {
    const t = await ticketByMail(freshSender());
    const raw = rawMail({ from: t.email, subject: `Re: [${t.ref}]`, messageId: "<reply-twice-1@example.com>" });
    await deliver(raw, { from: t.email });
    await deliver(raw, { from: t.email });
    expect((await eventsOf(t.id)).map((e) => e.type)).toEqual(["created", "customer-reply"]);
  });

  it("the same reply delivered concurrently is one customer message", async () => {
    const t = await ticketByMail(freshSender());
    const raw = rawMail({ from: t.email, subject: `Re: [${t.ref}]`, messageId: "<reply-race-1@example.com>" });
    await Promise.all([deliver(raw, { from: t.email }), deliver(raw, { from: t.email })]);
    expect((await eventsOf(t.id)).map((e) => e.type)).toEqual(["created", "customer-reply"]);
  });

  it("a Message-ID is scoped to the merchant: the same id at two merchants is two tickets", async () => {
    const sender = freshSender();
    await deliver(rawMail({ from: sender, messageId: "<both-1@example.com>" }), { from: sender });
    await deliver(rawMail({ from: sender, to: "help@ecshops.demo", messageId: "<both-1@example.com>" }), {
      from: sender,
      to: "help@ecshops.demo",
    });
    expect([(await ticketsFrom("m_commerceup", sender)).length, (await ticketsFrom("m_ecshops", sender)).length]).toEqual([1, 1]);
  });
});

/** A delivery status report (RFC 3464) for `recipient`. */
function dsn(recipient: string, action: string, messageId: string): string {
  const boundary = "dsn-boundary";
  return rawMail({
    from: "Mail Delivery System <MAILER-DAEMON@mx.example.com>",
    subject: "Undelivered Mail Returned to Sender",
    messageId,
    headers: { "Auto-Submitted": "auto-replied" },
    contentType: `multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    body: [
      `--${boundary}`,
      "Content-Type: text/plain",
      "",
      "Your message could not be delivered.",
      `--${boundary}`,
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.example.com",
      "",
      `Final-Recipient: rfc822; ${recipient}`,
      `Action: ${action}`,
      "Status: 5.1.1",
      `--${boundary}--`,
    ].join("\r\n"),
  });
}

/** Whether an address is suppressed for a merchant. */
async function suppressed(merchantId: string, email: string) {
  const row = await db.query.suppressions.findFirst({
    where: and(eq(tables.suppressions.merchantId, merchantId), eq(tables.suppressions.email, email)),
  });
  return row !== undefined;
}

describe("bounces", () => {
  it("a report that a customer's address failed suppresses it, files nothing, records a bounce", async () => {
    const t = await ticketByMail(freshSender());
    const before = await count("tickets");
    const d = await deliver(dsn(t.email, "failed", "<bounce-1@mx.example.com>"), { from: "" });
    expect(d.rejected).toBeUndefined();
    expect([await suppressed("m_commerceup", t.email), await count("tickets")]).toEqual([true, before]);
    expect((await inboundRecord("m_commerceup", "<bounce-1@mx.example.com>"))?.outcome).toBe("bounce");
  });

  it("matches the customer's address whatever its case, and suppresses it in lower case", async () => {
    const { reference } = await createTicket("demo-commerceup", { issueType: "functionality", email: "Mixed.Case@Example.com" });
    expect((await ticketRow(reference)).email).toBe("Mixed.Case@Example.com");
    await deliver(dsn("mixed.case@example.com", "failed", "<bounce-4@mx.example.com>"), { from: "" });
    expect(await suppressed("m_commerceup", "mixed.case@example.com")).toBe(true);
  });

  it("a delayed (not failed) recipient is not suppressed", async () => {
    const t = await ticketByMail(freshSender());
    await deliver(dsn(t.email, "delayed", "<bounce-2@mx.example.com>"), { from: "" });
    expect(await suppressed("m_commerceup", t.email)).toBe(false);
  });

  it("a report about an address that is no customer of the merchant suppresses nothing", async () => {
    const stranger = freshSender("stranger");
    await deliver(dsn(stranger, "failed", "<bounce-3@mx.example.com>"), { from: "" });
    expect([
      await suppressed("m_commerceup", stranger),
      (await inboundRecord("m_commerceup", "<bounce-3@mx.example.com>"))?.outcome,
    ]).toEqual([false, "bounce"]);
  });
});
