// Mail to a support address through the worker's real email() handler: routing, new tickets per
// preset (subject rules), what is kept of the message, and every bad input getting a clear outcome.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../../worker/index.ts";
import { count, seed } from "../helpers.ts";
import { deliver, eventsOf, freshSender, inboundRecord, rawMail, ticketByMail, ticketsFrom } from "./helpers.ts";

beforeAll(async () => {
  await seed();
});

const HOUR = 3_600_000;

describe("routing by the support address", () => {
  it("creates an email ticket for the sender at the site of the address", async () => {
    const sender = freshSender();
    const messageId = `<routing-1@example.com>`;
    expect((await deliver(rawMail({ from: `Ana Ruiz <${sender}>`, messageId }), { from: sender })).rejected).toBeUndefined();
    const [t] = await ticketsFrom("m_commerceup", sender);
    expect(t).toMatchObject({ source: "email", name: "Ana Ruiz", siteId: "s_commerceup", status: "open" });
    expect(await inboundRecord("m_commerceup", messageId)).toMatchObject({ outcome: "created", ticketId: t?.id, sender });
  });

  it("refuses mail to an address no site has", async () => {
    const before = await count("tickets");
    const d = await deliver(rawMail({ to: "help@nobody.demo" }), { to: "help@nobody.demo" });
    expect(d.rejected).toBe("No such support address");
    expect(await count("tickets")).toBe(before);
  });

  it("routes an address in any case and with a plus part to its site", async () => {
    const sender = freshSender();
    const to = "Help+whatever@CommerceUp.Demo";
    expect((await deliver(rawMail({ from: sender, to }), { from: sender, to })).rejected).toBeUndefined();
    expect(await ticketsFrom("m_commerceup", sender)).toHaveLength(1);
  });
});

describe("a new ticket from mail, by the merchant's policy", () => {
  it('CommerceUp: "System Down" in the subject is a C1 due two hours after it arrived', async () => {
    const t = await ticketByMail(freshSender(), { subject: "System Down: nobody can log in" });
    expect(t.priority).toBe("C1");
    expect((t.firstResponseDueAt ?? 0) - t.receivedAt).toBe(2 * HOUR);
  });

  it('CommerceUp: "C2" in the subject is a C2', async () => {
    expect((await ticketByMail(freshSender(), { subject: "C2 - search is broken" })).priority).toBe("C2");
  });

  it("CommerceUp: a subject with no rule word is the default C3", async () => {
    expect((await ticketByMail(freshSender(), { subject: "Question about my invoice" })).priority).toBe("C3");
  });

  it("eCellar: every mail is a standard request", async () => {
    const t = await ticketByMail(freshSender(), { subject: "C1 orders failing" }, "help@ecellar.demo");
    expect(t).toMatchObject({ priority: "standard", issueType: "question", severity: "normal" });
  });

  it('Easy-Commission: "Priority 1" in the subject is P1', async () => {
    expect((await ticketByMail(freshSender(), { subject: "Priority 1 - payroll" }, "help@easy-commission.demo")).priority).toBe("P1");
  });

  it('ECShops: "nueva funcionalidad" in the subject is a feature request', async () => {
    const t = await ticketByMail(freshSender(), { subject: "Nueva funcionalidad: exportar pedidos" }, "help@ecshops.demo");
    expect(t).toMatchObject({ issueType: "feature", priority: "feature" });
  });

  it("keeps the subject and the text as the description", async () => {
    const t = await ticketByMail(freshSender(), { subject: "Blank checkout", body: "Customers see nothing." });
    expect(t.description).toBe("Blank checkout\n\nCustomers see nothing.");
  });

  it("takes the customer's language from Content-Language", async () => {
    const t = await ticketByMail(freshSender(), { headers: { "Content-Language": "es-ES" } }, "help@ecshops.demo");
    expect(t.locale).toBe("es");
  });
});

describe("what is kept of a mail", () => {
  it("strips the quoted history below the customer's words", async () => {
    const body = [
      "It happens again today.",
      "",
      "On Tue, Nov 17, 2026 at 10:00 AM Support <help@commerceup.demo> wrote:",
      "> We fixed the checkout.",
      "> Regards",
    ].join("\r\n");
    const t = await ticketByMail(freshSender(), { subject: "Checkout", body });
    expect(t.description).toBe("Checkout\n\nIt happens again today.");
  });

  it("turns an HTML-only mail into text, without its markup or scripts", async () => {
    const body = "<html><body><p>The <b>cart</b> is <a href='https://evil.example'>empty</a>.</p><script>alert(1)</script></body></html>";
    const t = await ticketByMail(freshSender(), { subject: "Cart", contentType: "text/html; charset=utf-8", body });
    expect(t.description).toBe("Cart\n\nThe cart is empty.");
  });

  it("keeps the original in R2 under the merchant, its key on the inbound record", async () => {
    const messageId = "<kept-1@example.com>";
    const raw = rawMail({ from: freshSender(), messageId, body: "Original text" });
    await deliver(raw);
    const key = (await inboundRecord("m_commerceup", messageId))?.rawKey ?? "";
    expect(key.startsWith("m_commerceup/inbound/")).toBe(true);
    expect(await (await env.FILES.get(key))?.text()).toBe(raw);
  });

  it("keeps at most the first megabyte of a large original", async () => {
    const messageId = "<kept-2@example.com>";
    await deliver(rawMail({ from: freshSender(), messageId, body: "x".repeat(1_500_000) }));
    const key = (await inboundRecord("m_commerceup", messageId))?.rawKey ?? "";
    const object = await env.FILES.get(key);
    expect([object?.size, object?.customMetadata?.truncated]).toEqual([1024 * 1024, "true"]);
  });

  it("never stores CR or LF from an encoded subject or sender name", async () => {
    const sender = freshSender();
    const evilName = `=?utf-8?B?${btoa("Ana\r\nBcc: victim@example.com")}?=`;
    const evilSubject = `=?utf-8?B?${btoa("Help\r\nBcc: victim@example.com")}?=`;
    const messageId = "<crlf-1@example.com>";
    await deliver(rawMail({ from: `${evilName} <${sender}>`, subject: evilSubject, messageId }), { from: sender });
    const [t] = await ticketsFrom("m_commerceup", sender);
    const record = await inboundRecord("m_commerceup", messageId);
    expect([t?.name, record?.subject]).toEqual(["Ana Bcc: victim@example.com", "Help Bcc: victim@example.com"]);
  });
});

describe("limits and bad input: a clear outcome, never a throw", () => {
  it("refuses a message over 10 MB with the reason, and files nothing", async () => {
    const before = await count("tickets");
    const d = await deliver(rawMail({ messageId: "<big-1@example.com>" }), { rawSize: 11 * 1024 * 1024 });
    expect(d.rejected).toBe("Message too large (11.0 MB): the limit is 10 MB");
    expect(await count("tickets")).toBe(before);
    expect((await inboundRecord("m_commerceup", "<big-1@example.com>"))?.outcome).toBe("rejected");
  });

  it("accepts a refused Message-ID when it is sent again within the limits", async () => {
    const messageId = "<big-2@example.com>";
    const raw = rawMail({ from: freshSender(), messageId });
    await deliver(raw, { rawSize: 11 * 1024 * 1024 });
    expect((await deliver(raw)).rejected).toBeUndefined();
    expect((await inboundRecord("m_commerceup", messageId))?.outcome).toBe("created");
  });

  it("refuses a MIME structure nested past the parser's limit as malformed", async () => {
    let body = "deep";
    for (let i = 59; i >= 0; i--) body = `--b${i}\r\nContent-Type: multipart/mixed; boundary="b${i + 1}"\r\n\r\n${body}\r\n--b${i}--`;
    const d = await deliver(rawMail({ contentType: 'multipart/mixed; boundary="b0"', body, messageId: "<deep-1@example.com>" }));
    expect(d.rejected).toBe("The message could not be read as an email (malformed MIME)");
  });

  it("refuses a mail with no usable sender address", async () => {
    const d = await deliver(rawMail({ from: "undisclosed-recipients:;" }), { from: "" });
    expect(d.rejected).toBe("The message has no sender address to answer");
  });

  it("files bytes that are not really an email as a ticket with their printable text", async () => {
    const sender = freshSender();
    const bytes = new Uint8Array([0x00, 0xff, 0x0d, 0x0a, 0x0d, 0x0a, 0x41, 0x00, 0x42, 0x07, 0x43]);
    expect((await deliver(bytes, { from: sender })).rejected).toBeUndefined();
    const [t] = await ticketsFrom("m_commerceup", sender);
    expect(t?.description).toBe("ABC");
  });

  it("derives a stable id for a mail without a Message-ID, so a second copy is still one ticket", async () => {
    const sender = freshSender();
    const raw = rawMail({ from: sender, messageId: null });
    await deliver(raw, { from: sender });
    await deliver(raw, { from: sender });
    expect(await ticketsFrom("m_commerceup", sender)).toHaveLength(1);
  });

  it("reads at most 2,000 References: our id after them threads nothing", async () => {
    const t = await ticketByMail(freshSender());
    const others = Array.from({ length: 2000 }, (_, i) => `<other-${i}@example.com>`).join(" ");
    // A genuine-looking token position past the limit is never read; the mail is a new ticket.
    const d = await deliver(rawMail({ from: t.email, headers: { References: `${others} <rb.${"0".repeat(24)}@commerceup.demo>` } }), {
      from: t.email,
    });
    expect(d.rejected).toBeUndefined();
    expect(await ticketsFrom("m_commerceup", t.email)).toHaveLength(2);
    expect((await eventsOf(t.id)).map((e) => e.type)).toEqual(["created"]);
  });

  it("refuses, and does not throw, when the message cannot even be read", async () => {
    let rejected: string | undefined;
    const raw = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error("connection reset"));
      },
    });
    const message = {
      from: "ana@example.com",
      to: "help@commerceup.demo",
      headers: new Headers({ "Message-ID": "<broken-1@example.com>" }),
      raw,
      rawSize: 100,
      setReject(reason: string) {
        rejected = reason;
      },
    } as unknown as ForwardableEmailMessage;
    await expect(worker.email(message, env)).resolves.toBeUndefined();
    expect(rejected).toBe("Temporary failure while processing this message; please send it again later");
  });

  it("keeps a long line of the customer's text whole while stripping the quote below it", async () => {
    const long = `${"word ".repeat(120)}end`;
    const body = `${long}\r\n\r\nOn Tue, Nov 17, 2026 at 10:00 AM Support <help@commerceup.demo> wrote:\r\n> old\r\n`;
    const t = await ticketByMail(freshSender(), { subject: "Long", body });
    expect(t.description).toBe(`Long\n\n${long}`);
  });

  it("files a body crafted against the quote parser's patterns (kept to its first 5,000 characters)", async () => {
    // Unbounded, lines like these made email-reply-parser backtrack for tens of seconds.
    const body = `${"Op schreef\r\n".repeat(20_000)}${"x on at ".repeat(20_000)}`;
    const t = await ticketByMail(freshSender(), { subject: "Crafted", body });
    expect(t.description.startsWith("Crafted\n\nOp schreef\nOp schreef")).toBe(true);
  });

  it("refuses new tickets from one sender past the hourly cap, with the reason", async () => {
    const sender = freshSender("busy");
    const cap = Number(env.TICKETS_PER_IP_HOUR);
    for (let i = 0; i < cap; i++) await deliver(rawMail({ from: sender }), { from: sender });
    const d = await deliver(rawMail({ from: sender }), { from: sender });
    expect(d.rejected).toBe("Too many new requests from this address this hour; please try again later");
    expect(await ticketsFrom("m_commerceup", sender)).toHaveLength(cap);
  });
});
