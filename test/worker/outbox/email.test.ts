import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { suppressions, ticketLinks } from "../../../schema/db.ts";
import { claimedReference, tokenInAddress, tokensInReferences } from "../../../worker/email/reply-token.ts";
import { formatInstant } from "../../../worker/engine/format.ts";
import { sha256Hex } from "../../../worker/infra/crypto.ts";
import { deliverDue } from "../../../worker/outbox/delivery.ts";
import { EMAIL_CAPS } from "../../../worker/outbox/email.ts";
import { outboxInsert } from "../../../worker/outbox/outbox.ts";
import { decideQuote, quoteAction, requestInfo, resolveTicket, staffReply } from "../../../worker/tickets/lifecycle.ts";
import { createTicket, db, seed, settleEmails, ticketContext, ticketRow } from "../helpers.ts";
import { emailsOf, mailTo } from "./helpers.ts";

const staff = { staffId: "st_ecellar_agent", merchantId: "m_ecellar" };

beforeAll(async () => {
  await seed();
});

const unique = () => `${crypto.randomUUID().slice(0, 8)}@example.test`;

describe("the acknowledgement", () => {
  it("is written in the creation's own batch, one per ticket", async () => {
    const { reference } = await createTicket("demo-ecellar", { email: unique() });
    // Read as the response arrives: the row exists whether or not its delivery has begun.
    const rows = await emailsOf(reference);
    expect(rows.map((r) => r.event)).toEqual(["received"]);
  });

  it("states the reference, the reply-by time in the customer's zone and a status link, and threads replies to the ticket", async () => {
    const email = unique();
    const { reference } = await createTicket("demo-ecellar", { email, name: "Ana", timeZone: "Asia/Tokyo" });
    await settleEmails();
    const [mail] = await mailTo(email);
    const due = (await ticketRow(reference)).firstResponseDueAt ?? 0;
    expect(mail?.subject).toBe(`[${reference}] We received your request: reply by ${formatInstant(due, "Asia/Tokyo", "en")}`);
    expect(mail?.text).toContain(`Hello Ana,`);
    expect(mail?.text).toContain(`We received your request ${reference}`);
    const link = /https:\/\/replyby\.test\/t\/(RB-[0-9A-Z-]+)\?k=([\w-]+)/.exec(mail?.text ?? "");
    expect(link?.[1]).toBe(reference);
    const stored = await db
      .select()
      .from(ticketLinks)
      .where(eq(ticketLinks.tokenHash, await sha256Hex(link?.[2] ?? "")));
    expect(stored.map((l) => l.ticketId)).toEqual([(await ticketRow(reference)).id]);
    const headers = mail?.headers ?? {};
    expect(headers["Auto-Submitted"]).toBe("auto-generated");
    const token = tokenInAddress(headers["Reply-To"] ?? "") ?? "";
    expect(claimedReference(token)).toBe(reference);
    expect(tokensInReferences(headers.References ?? "")).toEqual([token]);
  });

  it("is written in the customer's language", async () => {
    const email = unique();
    const { reference } = await createTicket("demo-ecshops", { email, issueType: "incident", severity: "question", locale: "es" });
    await settleEmails();
    const [mail] = await mailTo(email);
    expect(mail?.subject).toContain(`[${reference}] Hemos recibido su solicitud`);
    expect(mail?.text).toContain("Siga su solicitud desde cualquier dispositivo:");
  });

  it("escapes everything the customer wrote in its HTML", async () => {
    const email = unique();
    await createTicket("demo-ecellar", { email, name: `<img src=x onerror=alert(1)>` });
    await settleEmails();
    const [mail] = await mailTo(email);
    expect(mail?.html).not.toContain("<img src=x");
    expect(mail?.html).toContain("&lt;img src=x onerror=alert(1)>");
  });

  it("is marked sent with the service's Message-ID, and sent once however often delivery runs", async () => {
    const email = unique();
    const { reference } = await createTicket("demo-ecellar", { email });
    // Two runs race the request's own delivery for the row; a later one finds it sent.
    await Promise.all([deliverDue(env, Date.now()), deliverDue(env, Date.now())]);
    await settleEmails();
    await deliverDue(env, Date.now() + 120_000);
    const [row] = await emailsOf(reference);
    expect(row?.status).toBe("sent");
    expect(row?.messageId).toMatch(/^<.+@.+>$/);
    expect(await mailTo(email)).toHaveLength(1);
  });
});

describe("staff actions", () => {
  it("a reply, an info request and a resolution each email the customer what staff wrote", async () => {
    const email = unique();
    const { reference } = await createTicket("demo-ecellar", { email });
    const now = Date.now();
    await staffReply(env, await ticketContext(reference), staff, "Try clearing the cache.", now);
    await requestInfo(env, await ticketContext(reference), staff, "Which browser do you use?", now + 1);
    await resolveTicket(env, await ticketContext(reference), staff, "Fixed in 4.2.", now + 2);
    expect((await emailsOf(reference)).map((r) => r.event)).toEqual(["received", "reply", "info-requested", "resolved"]);
    await settleEmails();
    const texts = (await mailTo(email)).map((m) => m.text);
    expect(texts.some((t) => t.includes("> Try clearing the cache."))).toBe(true);
    expect(texts.some((t) => t.includes("> Which browser do you use?") && t.includes("The clock is paused until you answer."))).toBe(true);
    expect(texts.some((t) => t.includes("> Fixed in 4.2.") && t.includes("Not fixed? Reply to this email or reopen it"))).toBe(true);
  });
});

describe("in Spanish", () => {
  it("an ECShops customer writing in Spanish gets an info request in Spanish from the subject to the footer", async () => {
    const email = unique();
    const { reference } = await createTicket("demo-ecshops", { email, issueType: "incident", severity: "question", locale: "es" });
    const now = Date.now();
    const ecshops = { staffId: "st_ecshops_agent", merchantId: "m_ecshops" };
    await requestInfo(env, await ticketContext(reference), ecshops, "¿Qué tienda es?", now);
    await settleEmails();
    const mail = (await mailTo(email)).find((m) => m.subject.includes("Necesitamos"));
    expect(mail?.subject).toBe(`[${reference}] Necesitamos más información`);
    expect(mail?.text).toContain("> ¿Qué tienda es?");
    expect(mail?.text).toContain("El plazo está en pausa hasta que responda.");
    expect(mail?.text).toContain("Soporte de ECShops · Este es un mensaje automático.");
    expect(mail?.html).toContain('<html lang="es"');
    for (const english of ["Hello", "Support needs", "The clock", "Reply to this email", "support ·", "automatic message"]) {
      expect(mail?.text).not.toContain(english);
    }
  });
});

describe("what each email says", () => {
  it("an on-call alert is in the site's language and the policy's zone, whatever the customer's, and quotes the request", async () => {
    const { reference } = await createTicket("demo-ecellar", {
      email: unique(),
      description: "Nadie puede pagar.",
      issueType: "ordering-down",
      severity: "blocking",
      locale: "es",
      timeZone: "Europe/Madrid",
    });
    await settleEmails();
    const due = (await ticketRow(reference)).firstResponseDueAt ?? 0;
    const [alert] = (await mailTo("oncall@ecellar.demo")).filter((m) => m.subject.includes(reference));
    expect(alert?.subject).toBe(`[${reference}] New Immediate ticket`);
    expect(alert?.text).toContain(`First response due ${formatInstant(due, "America/Los_Angeles", "en")}.`);
    expect(alert?.text).toContain("> Nadie puede pagar.");
  });

  it("a revised quote says it changed, and a planned delivery names its day without a time", async () => {
    const email = unique();
    const { reference } = await createTicket("demo-ecellar", {
      email,
      issueType: "feature",
      severity: "normal",
      timeZone: "Europe/Madrid",
    });
    const now = Date.now();
    const validUntil = now + 30 * 86_400_000;
    await quoteAction(env, await ticketContext(reference), staff, { type: "send", amount: 120000, currency: "USD", validUntil }, now);
    await quoteAction(env, await ticketContext(reference), staff, { type: "send", amount: 90000, currency: "USD", validUntil }, now + 1);
    await decideQuote(env, await ticketContext(reference), "accept", now + 2);
    // Staff plan a day of the policy's calendar: its midnight in Los Angeles, 09:00 in Madrid.
    const day = Date.parse("2099-03-12T08:00:00Z");
    await quoteAction(env, await ticketContext(reference), staff, { type: "plan", plannedFor: day }, now + 3);
    await settleEmails();
    const mails = await mailTo(email);
    const revised = mails.find((m) => m.text.includes("$900.00"));
    expect(revised?.subject).toBe(`[${reference}] Your quote has changed`);
    expect(revised?.text).toContain(`The quote for your request ${reference} has changed.`);
    expect(mails.find((m) => m.text.includes("$1,200.00"))?.subject).toBe(`[${reference}] Your quote is ready`);
    const planned = mails.find((m) => m.subject.includes("planned"));
    expect(planned?.text).toContain(`The work on your request ${reference} is planned for Thu, Mar 12, 2099.`);
  });
});

describe("refusals", () => {
  it("sends nothing to a suppressed (bounced) address and says so on the row", async () => {
    const email = unique();
    await db.insert(suppressions).values({ merchantId: "m_ecellar", email, reason: "bounced", createdAt: Date.now() });
    const { reference } = await createTicket("demo-ecellar", { email });
    await settleEmails();
    const [row] = await emailsOf(reference);
    expect([row?.status, row?.lastError]).toEqual(["suppressed", "Not sent: bounced"]);
    expect(await mailTo(email)).toEqual([]);
  });

  it(`stops after ${EMAIL_CAPS.perTicketHour} emails about one ticket in an hour`, async () => {
    const email = unique();
    const { reference } = await createTicket("demo-ecellar", { email });
    await settleEmails();
    const t = await ticketRow(reference);
    const now = Date.now();
    const extra = Array.from({ length: EMAIL_CAPS.perTicketHour + 2 }, () =>
      outboxInsert(
        env.DB,
        { channel: "email", event: "reply", merchantId: t.merchantId, ticketId: t.id, recipient: email, payload: { body: "loop?" } },
        now,
      ),
    );
    await env.DB.batch(extra.map((e) => e.statement));
    for (let i = 0; i < 3; i++) await deliverDue(env, now + 1000 + i);
    const rows = await emailsOf(reference);
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(EMAIL_CAPS.perTicketHour);
    expect(rows.filter((r) => r.status === "suppressed").length).toBe(EMAIL_CAPS.perTicketHour + 3 - EMAIL_CAPS.perTicketHour);
    expect(await mailTo(email)).toHaveLength(EMAIL_CAPS.perTicketHour);
  });
});
