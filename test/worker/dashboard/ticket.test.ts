import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { incidents, outbox, quotes, ticketEvents, timeEntries } from "../../../schema/db.ts";
import { localDateTimeValue, localDateValue, parseLocalDateTime } from "../../../worker/dashboard/format.ts";
import { bill } from "../../../worker/engine/billing.ts";
import { policyAt } from "../../../worker/merchant/policy-versions.ts";
import { deliverDue, MAX_ATTEMPTS } from "../../../worker/outbox/delivery.ts";
import { outboxInsert } from "../../../worker/outbox/outbox.ts";
import { call, createTicket, db, settleEmails, ticketRow } from "../helpers.ts";
import { refOf, signedIn, signInBeforeAll } from "./helpers.ts";

const LA = "America/Los_Angeles";
const DAY = 86_400_000;

const { ecellar, commerceup, ecshops } = signInBeforeAll({
  ecellar: "agent@ecellar.demo",
  commerceup: "agent@commerceup.demo",
  ecshops: "agent@ecshops.demo",
});

/** A fresh open ticket through the public API (its own, so tests never share state). */
const fresh = createTicket;

async function events(ref: string) {
  const t = await ticketRow(ref);
  return db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id));
}

describe("ticket page", () => {
  it("shows the customer's details and request", async () => {
    const { reference } = await fresh("demo-ecellar", { name: "Ana Pérez", orderId: "SO-1234", description: "Labels print blank." });
    const html = await (await ecellar.get(`/dashboard/tickets/${reference}`)).text();
    expect(html).toContain("ana@example.test");
    expect(html).toContain("Ana Pérez");
    expect(html).toContain("SO-1234");
    expect(html).toContain("Labels print blank.");
  });

  it("links a request to the earlier one it continues", async () => {
    const earlier = await fresh();
    const { reference } = await fresh("demo-ecellar", { follows: earlier.reference });
    const html = await (await ecellar.get(`/dashboard/tickets/${reference}`)).text();
    expect(html).toContain(`<dt>Follows</dt><dd><a href="/dashboard/tickets/${earlier.reference}">${earlier.reference}</a>`);
  });

  it("shows each email to the customer on the timeline with its delivery state", async () => {
    const email = `${crypto.randomUUID().slice(0, 8)}@example.test`;
    const { reference } = await fresh("demo-ecellar", { email });
    await settleEmails();
    const page = async () => (await ecellar.get(`/dashboard/tickets/${reference}`)).text();
    expect(await page()).toMatch(
      new RegExp(`<strong>Email: Acknowledgement</strong> · to ${email} · [^<]+<span class="badge email-sent">sent</span></div><div>sent `),
    );
    // A reply no delivery has taken yet, then one whose sends the email service refuses.
    const t = await ticketRow(reference);
    const now = Date.now();
    const reply = outboxInsert(
      env.DB,
      { channel: "email", event: "reply", merchantId: t.merchantId, ticketId: t.id, recipient: email, payload: { body: "Hi" } },
      now,
    );
    await reply.statement.run();
    const line = () => page().then((html) => /<strong>Email: Reply<\/strong>.*?<\/li>/s.exec(html)?.[0] ?? "");
    expect(await line()).toContain('<span class="badge email-queued">queued</span></div><div>queued</div>');
    const refusing = { ...env, EMAIL: env.REFUSING_EMAIL };
    await deliverDue(refusing, now);
    expect(await line()).toContain(`<div>queued, retrying after 1 failed attempt (email to ${email} not allowed)</div>`);
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      const row = await db.query.outbox.findFirst({ where: eq(outbox.id, reply.id) });
      await deliverDue(refusing, row?.nextAttemptAt ?? 0);
    }
    expect(await line()).toContain(`<span class="badge email-failed">failed</span></div><div>failed: email to ${email} not allowed</div>`);
  });

  it("explains the due times from the policy", async () => {
    const { reference } = await fresh();
    const html = await (await ecellar.get(`/dashboard/tickets/${reference}`)).text();
    expect(html).toContain("Why these times");
    expect(html).toMatch(/<li>Received [^<]+\.<\/li>/);
  });

  it("shows internal events on the timeline, marked internal", async () => {
    const { reference } = await fresh("demo-commerceup", { issueType: "minor", severity: "low" });
    await commerceup.post(`/dashboard/tickets/${reference}/priority`, { priority: "C3" });
    const html = await (await commerceup.get(`/dashboard/tickets/${reference}`)).text();
    expect(html).toMatch(/<li class="internal"><div class="meta"><strong>Priority set<\/strong>/);
    expect(html).toContain('<span class="badge internal">internal</span>');
  });

  it("is the same 404 for another merchant's ticket as for a missing one", async () => {
    const { reference } = await fresh();
    const foreign = await commerceup.get(`/dashboard/tickets/${reference}`);
    const missing = await commerceup.get("/dashboard/tickets/RB-0000-0000");
    expect([foreign.status, missing.status]).toEqual([404, 404]);
    const strip = (html: string) => html.replace(/nonce="[^"]+"/g, "").replace(/value="[0-9a-f]{64}"/g, "");
    expect(strip(await foreign.text())).toBe(strip(await missing.text()));
  });

  it("says a not-covered case is chargeable because it is not covered, not because of the allowance", async () => {
    const staff = await signedIn("agent@easy-commission.demo");
    const { reference } = await fresh("demo-easy-commission", { issueType: "training", severity: "problem" });
    const html = await (await staff.get(`/dashboard/tickets/${reference}`)).text();
    expect(html).toContain("<dt>Chargeable</dt><dd>yes: not covered by product support</dd>");
    expect(html).not.toContain("beyond the free allowance");
  });

  it("is a 404 for a malformed reference", async () => {
    expect((await ecellar.get("/dashboard/tickets/..%2F..%2Fetc")).status).toBe(404);
  });

  it("hides the reply forms of a closed ticket", async () => {
    const { reference, accessToken } = await fresh();
    await ecellar.post(`/dashboard/tickets/${reference}/resolve`, {});
    await call(`/v1/tickets/${reference}/close`, { method: "POST", json: {}, headers: { Authorization: `Bearer ${accessToken}` } });
    const html = await (await ecellar.get(`/dashboard/tickets/${reference}`)).text();
    expect(html).toContain("This ticket was closed");
    expect(html).not.toContain(`action="/dashboard/tickets/${reference}/reply"`);
  });
});

describe("reply", () => {
  it("sends a public reply that is the first response", async () => {
    const { reference } = await fresh();
    const res = await ecellar.post(`/dashboard/tickets/${reference}/reply`, { body: "We are on it." });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/dashboard/tickets/${reference}?done=reply`);
    const t = await ticketRow(reference);
    expect(t.status).toBe("responded");
    expect(t.firstRespondedAt).not.toBeNull();
    expect((await events(reference)).find((e) => e.type === "reply")).toMatchObject({
      public: true,
      body: "We are on it.",
      staffId: "st_ecellar_agent",
    });
  });

  it("refuses an empty reply with a field error", async () => {
    const { reference } = await fresh();
    const res = await ecellar.post(`/dashboard/tickets/${reference}/reply`, { body: "   " });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<code>body</code>");
  });

  it("confirms the action on the page it redirects to", async () => {
    const { reference } = await fresh();
    await ecellar.post(`/dashboard/tickets/${reference}/reply`, { body: "Done soon." });
    expect(await (await ecellar.get(`/dashboard/tickets/${reference}?done=reply`)).text()).toContain("Reply sent to the customer.");
  });
});

describe("request info", () => {
  it("waits on the customer and pauses the clock", async () => {
    const { reference } = await fresh();
    await ecellar.post(`/dashboard/tickets/${reference}/request-info`, { body: "Which browser?" });
    const t = await ticketRow(reference);
    expect(t.status).toBe("waiting-on-customer");
    expect(t.slaState).toBe("paused");
    expect(t.pauses).toHaveLength(1);
    expect(t.nextDueAt).toBeNull();
  });

  it("refuses to ask twice while waiting (409, with the reason)", async () => {
    const { reference } = await fresh();
    await ecellar.post(`/dashboard/tickets/${reference}/request-info`, { body: "Which browser?" });
    const res = await ecellar.post(`/dashboard/tickets/${reference}/request-info`, { body: "And which OS?" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("Already waiting on the customer");
  });
});

describe("resolve", () => {
  it("resolves with an optional note", async () => {
    const { reference } = await fresh();
    await ecellar.post(`/dashboard/tickets/${reference}/resolve`, { body: "Fixed in settings." });
    const t = await ticketRow(reference);
    expect(t.status).toBe("resolved");
    expect(t.resolvedAt).not.toBeNull();
    expect((await events(reference)).find((e) => e.type === "resolved")?.body).toBe("Fixed in settings.");
  });

  it("refuses to resolve twice", async () => {
    const { reference } = await fresh();
    await ecellar.post(`/dashboard/tickets/${reference}/resolve`, {});
    expect((await ecellar.post(`/dashboard/tickets/${reference}/resolve`, {})).status).toBe(409);
  });
});

describe("priority", () => {
  it("sets the final priority and recomputes due times from the original contact", async () => {
    const { reference } = await fresh("demo-commerceup", { issueType: "minor", severity: "low" });
    const before = await ticketRow(reference);
    await commerceup.post(`/dashboard/tickets/${reference}/priority`, { priority: "C2" });
    const after = await ticketRow(reference);
    expect(after.priority).toBe("C2");
    expect(after.classifiedPriority).toBe("C4");
    expect(after.receivedAt).toBe(before.receivedAt);
    expect(after.firstResponseDueAt).not.toBe(before.firstResponseDueAt);
    expect((await events(reference)).find((e) => e.type === "priority-set")).toMatchObject({
      public: false,
      data: { from: "C4", to: "C2" },
    });
  });

  it("refuses a priority the policy does not have", async () => {
    const { reference } = await fresh("demo-commerceup", { issueType: "minor", severity: "low" });
    const res = await commerceup.post(`/dashboard/tickets/${reference}/priority`, { priority: "C9" });
    expect(res.status).toBe(400);
    expect((await ticketRow(reference)).priority).toBe("C4");
  });
});

describe("downgrade", () => {
  it("lowers C1 to C2 and tells the customer", async () => {
    const { reference } = await fresh("demo-commerceup", { issueType: "site-down", severity: "critical" });
    expect(await (await commerceup.get(`/dashboard/tickets/${reference}`)).text()).toContain("Downgrade to C2");
    await commerceup.post(`/dashboard/tickets/${reference}/downgrade`, {});
    expect((await ticketRow(reference)).priority).toBe("C2");
    expect((await events(reference)).find((e) => e.type === "downgraded")).toMatchObject({ public: true, data: { from: "C1", to: "C2" } });
  });

  it("refuses to downgrade a priority without a downgrade target", async () => {
    const { reference } = await fresh("demo-commerceup", { issueType: "minor", severity: "low" });
    expect((await commerceup.post(`/dashboard/tickets/${reference}/downgrade`, {})).status).toBe(409);
  });
});

describe("outcome", () => {
  it("records the analysis outcome", async () => {
    const ref = await refOf("t_ecshops_0");
    await ecshops.post(`/dashboard/tickets/${ref}/outcome`, { outcome: "level-1" });
    expect((await ticketRow(ref)).outcome).toBe("level-1");
  });

  it("refuses an outcome the priority does not define", async () => {
    const ref = await refOf("t_ecshops_0");
    const res = await ecshops.post(`/dashboard/tickets/${ref}/outcome`, { outcome: "level-9" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Unknown outcome");
  });
});

describe("log time", () => {
  it("logs time priced by the ticket's policy at the time the work started", async () => {
    const { reference } = await fresh();
    const startedLocal = localDateTimeValue(Date.now() - 2 * 3_600_000, LA);
    await ecellar.post(`/dashboard/tickets/${reference}/time`, {
      startedAt: startedLocal,
      minutes: "20",
      category: "user-error",
      note: "walkthrough",
    });
    const t = await ticketRow(reference);
    // The customer never chose to pay for out-of-hours work, so it is billed on standard terms.
    const expected = bill(await policyAt(db, "m_ecellar", 1), parseLocalDateTime(startedLocal, LA) as number, 20, "user-error", "wait");
    const [row] = await db.select().from(timeEntries).where(eq(timeEntries.ticketId, t.id));
    expect(row).toMatchObject({
      minutes: 20,
      billedMinutes: 30,
      rateClass: expected.rateClass,
      amount: expected.amount.amount,
      currency: "USD",
      staffId: "st_ecellar_agent",
      note: "walkthrough",
    });
    expect((await events(reference)).find((e) => e.type === "time-logged")?.public).toBe(false);
  });

  it("says time in a category the plan includes is not billed", async () => {
    const { reference } = await fresh("demo-ecellar", { issueType: "ordering-down", severity: "blocking" });
    await ecellar.post(`/dashboard/tickets/${reference}/time`, {
      startedAt: localDateTimeValue(Date.now() - 3_600_000, LA),
      minutes: "20",
      category: "platform-error",
    });
    const [row] = await db
      .select()
      .from(timeEntries)
      .where(eq(timeEntries.ticketId, (await ticketRow(reference)).id));
    expect(row?.billable).toBe(false);
    const html = await (await ecellar.get(`/dashboard/tickets/${reference}`)).text();
    expect(html).toContain('<td class="num">not billed</td>');
    expect(html).toContain("<div>20 min · not billed</div>");
    expect(html).not.toContain("$0.00");
  });

  it("shows each entry's category by its label", async () => {
    const { reference } = await fresh();
    await ecellar.post(`/dashboard/tickets/${reference}/time`, {
      startedAt: localDateTimeValue(Date.now() - 3_600_000, LA),
      minutes: "15",
      category: "user-error",
    });
    const html = await (await ecellar.get(`/dashboard/tickets/${reference}`)).text();
    expect(html).toContain("<td>User error</td>");
    expect(html).not.toContain("<td>user-error</td>");
  });

  it("says the ticket is chargeable for the time that was billed", async () => {
    const { reference } = await fresh("demo-ecellar", { issueType: "question", severity: "normal" });
    const startedLocal = localDateTimeValue(Date.now() - 3_600_000, LA);
    await ecellar.post(`/dashboard/tickets/${reference}/time`, { startedAt: startedLocal, minutes: "30", category: "training" });
    const expected = bill(await policyAt(db, "m_ecellar", 1), parseLocalDateTime(startedLocal, LA) as number, 30, "training", "wait");
    const html = await (await ecellar.get(`/dashboard/tickets/${reference}`)).text();
    expect(html).toContain(`<dt>Chargeable</dt><dd>yes: $${(expected.amount.amount / 100).toFixed(2)} billed for 30 min (Training)</dd>`);
  });

  it("refuses zero minutes", async () => {
    const { reference } = await fresh();
    const res = await ecellar.post(`/dashboard/tickets/${reference}/time`, { startedAt: localDateTimeValue(Date.now(), LA), minutes: "0" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<code>minutes</code>");
  });

  it("refuses work that starts in the future", async () => {
    const { reference } = await fresh();
    const res = await ecellar.post(`/dashboard/tickets/${reference}/time`, {
      startedAt: localDateTimeValue(Date.now() + DAY, LA),
      minutes: "15",
    });
    expect(res.status).toBe(400);
  });

  it("previews the billed amount and rate class as JSON", async () => {
    const { reference } = await fresh();
    const startedLocal = localDateTimeValue(Date.now() - 3_600_000, LA);
    const res = await ecellar.get(`/dashboard/tickets/${reference}/bill-preview?startedAt=${startedLocal}&minutes=50&category=training`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { billedMinutes: number; rateClass: string; text: string };
    const expected = bill(await policyAt(db, "m_ecellar", 1), parseLocalDateTime(startedLocal, LA) as number, 50, "training", "wait");
    expect(body).toMatchObject({ billedMinutes: 60, rateClass: expected.rateClass });
    expect(body.text).toContain(expected.rateClass);
  });

  it("answers a preview with bad input with the field's message", async () => {
    const { reference } = await fresh();
    const res = await ecellar.get(`/dashboard/tickets/${reference}/bill-preview?startedAt=soon&minutes=5`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toBe("Enter the date and time the work started");
  });

  it("renders a preview in the page for the default entry (works without the script)", async () => {
    const { reference } = await fresh();
    const html = await (await ecellar.get(`/dashboard/tickets/${reference}`)).text();
    expect(html).toMatch(/<output class="bill"[^>]*>15 min/);
  });
});

describe("quote", () => {
  const tomorrowPlus = (days: number) => localDateValue(Date.now() + days * DAY, LA);

  /** eCellar's quote form posted with `action`. */
  function postQuote(reference: string, action: string, fields: Record<string, string> = {}) {
    return ecellar.post(`/dashboard/tickets/${reference}/quote`, { action, ...fields });
  }

  /** The terms a quote is sent or revised with: USD 1000, valid for ten days, unless told. */
  function terms(over: Record<string, string> = {}) {
    return { amount: "1000", currency: "USD", validUntil: tomorrowPlus(10), ...over };
  }

  async function feature() {
    return fresh("demo-ecellar", { issueType: "feature", severity: "normal", description: "A waitlist for sold-out wines." });
  }

  it("sends a quote the customer sees", async () => {
    const { reference, accessToken } = await feature();
    const res = await postQuote(reference, "send", terms({ amount: "1,250.50", note: "Two weeks of work." }));
    expect(res.status).toBe(303);
    const view = (await (await call(`/v1/tickets/${reference}`, { headers: { Authorization: `Bearer ${accessToken}` } })).json()) as {
      quote: { status: string; amount: number; currency: string; revision: number };
    };
    expect(view.quote).toMatchObject({ status: "quoted", amount: 125050, currency: "USD", revision: 1 });
  });

  it("revises a sent quote as a new revision", async () => {
    const { reference } = await feature();
    await postQuote(reference, "send", terms());
    await postQuote(reference, "revise", terms({ amount: "900", validUntil: tomorrowPlus(12) }));
    const q = await db.query.quotes.findFirst({ where: eq(quotes.ticketId, (await ticketRow(reference)).id) });
    expect(q).toMatchObject({ status: "quoted", amount: 90000, revision: 2 });
  });

  it("plans and delivers an accepted quote", async () => {
    const { reference, accessToken } = await feature();
    await postQuote(reference, "send", terms());
    const accepted = await call(`/v1/tickets/${reference}/quote`, {
      method: "POST",
      json: { decision: "accept" },
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    expect(accepted.status).toBe(200);
    await postQuote(reference, "plan", { plannedFor: tomorrowPlus(20) });
    const id = (await ticketRow(reference)).id;
    expect((await db.query.quotes.findFirst({ where: eq(quotes.ticketId, id) }))?.status).toBe("planned");
    await postQuote(reference, "deliver");
    expect((await db.query.quotes.findFirst({ where: eq(quotes.ticketId, id) }))?.status).toBe("delivered");
  });

  it("refuses to plan a quote the customer has not accepted", async () => {
    const { reference } = await feature();
    await postQuote(reference, "send", terms());
    const res = await postQuote(reference, "plan", { plannedFor: tomorrowPlus(20) });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("Cannot plan the work while the quote is quoted");
  });

  it("refuses a quote on a ticket whose priority is not on the quote workflow (409) and writes nothing", async () => {
    const { reference } = await fresh("demo-ecellar", { issueType: "setup-problem", severity: "normal" });
    const before = await ticketRow(reference);
    expect(before.priority).toBe("standard");
    const res = await postQuote(reference, "send", terms());
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("does not use the quote workflow");
    expect(await db.query.quotes.findFirst({ where: eq(quotes.ticketId, before.id) })).toBeUndefined();
    expect((await events(reference)).map((e) => e.type)).not.toContain("quote-sent");
    expect((await db.select().from(outbox)).filter((o) => o.event.startsWith("quote.") && o.payload.includes(reference))).toEqual([]);
    expect(await ticketRow(reference)).toEqual(before);
  });

  it("offers a quote on any ticket where the policy quotes extra cost in advance (CommerceUp)", async () => {
    const { reference } = await fresh("demo-commerceup", { issueType: "sales-impacting", severity: "normal" });
    expect((await ticketRow(reference)).priority).toBe("C2");
    expect(await (await commerceup.get(`/dashboard/tickets/${reference}`)).text()).toContain('<h2 id="quote-h">Quote</h2>');
    const res = await commerceup.post(`/dashboard/tickets/${reference}/quote`, {
      action: "send",
      amount: "4500",
      currency: "INR",
      validUntil: localDateValue(Date.now() + 10 * DAY, "Asia/Kolkata"),
    });
    expect(res.status).toBe(303);
    const q = await db.query.quotes.findFirst({ where: eq(quotes.ticketId, (await ticketRow(reference)).id) });
    expect(q).toMatchObject({ status: "quoted", amount: 450000, currency: "INR" });
  });

  it("shows no quote status on a CommerceUp C1 nobody has quoted, only the form to send one", async () => {
    const { reference } = await fresh("demo-commerceup", { issueType: "site-down", severity: "critical" });
    const html = await (await commerceup.get(`/dashboard/tickets/${reference}`)).text();
    const section = html.slice(html.indexOf('<h2 id="quote-h">'), html.indexOf('<h2 id="time-h">'));
    expect(section).toContain("No quote on this ticket.");
    expect(section).not.toContain("requested");
    expect(section).toContain("Send quote");
  });

  it("shows a sent quote's status, amount and scope", async () => {
    const { reference } = await fresh("demo-commerceup", { issueType: "sales-impacting", severity: "normal" });
    await commerceup.post(`/dashboard/tickets/${reference}/quote`, {
      action: "send",
      amount: "4500",
      currency: "INR",
      validUntil: localDateValue(Date.now() + 10 * DAY, "Asia/Kolkata"),
      note: "Rebuild the GST breakdown at checkout.",
    });
    const html = await (await commerceup.get(`/dashboard/tickets/${reference}`)).text();
    expect(html).toContain("<dt>Status</dt><dd>quoted</dd>");
    expect(html).toContain("Rebuild the GST breakdown at checkout.");
    expect(html).not.toContain("No quote on this ticket.");
  });

  it("shows no quote section where the ticket cannot be quoted", async () => {
    const { reference } = await fresh("demo-ecellar", { issueType: "setup-problem", severity: "normal" });
    expect(await (await ecellar.get(`/dashboard/tickets/${reference}`)).text()).not.toContain('id="quote-h"');
  });

  it("keeps a quote already sent workable after the priority leaves the quote workflow", async () => {
    const { reference } = await feature();
    await postQuote(reference, "send", terms());
    await ecellar.post(`/dashboard/tickets/${reference}/priority`, { priority: "standard" });
    const res = await postQuote(reference, "revise", terms({ amount: "800" }));
    expect(res.status).toBe(303);
    const q = await db.query.quotes.findFirst({ where: eq(quotes.ticketId, (await ticketRow(reference)).id) });
    expect(q).toMatchObject({ status: "quoted", amount: 80000, revision: 2 });
  });

  it("refuses an amount that is not money, naming the field", async () => {
    const { reference } = await feature();
    const res = await postQuote(reference, "send", terms({ amount: "lots" }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<code>amount</code>");
  });
});

describe("link incident", () => {
  it("links a ticket to an open incident of the same merchant", async () => {
    await db.insert(incidents).values({
      id: "inc_link",
      merchantId: "m_ecellar",
      title: "Checkout errors",
      body: "Investigating.",
      startedAt: Date.now(),
      endedAt: null,
    });
    const { reference } = await fresh();
    await ecellar.post(`/dashboard/tickets/${reference}/incident`, { incidentId: "inc_link" });
    expect((await ticketRow(reference)).incidentId).toBe("inc_link");
    expect(await (await ecellar.get(`/dashboard/tickets/${reference}`)).text()).toContain("Checkout errors");
  });

  it("refuses another merchant's incident as missing", async () => {
    await db
      .insert(incidents)
      .values({ id: "inc_other", merchantId: "m_commerceup", title: "Theirs", body: "x", startedAt: Date.now(), endedAt: null });
    const { reference } = await fresh();
    expect((await ecellar.post(`/dashboard/tickets/${reference}/incident`, { incidentId: "inc_other" })).status).toBe(404);
    expect((await ticketRow(reference)).incidentId).toBeNull();
  });
});

describe("another merchant's ticket", () => {
  const actions: [string, Record<string, string>][] = [
    ["reply", { body: "hi" }],
    ["request-info", { body: "hi" }],
    ["resolve", {}],
    ["priority", { priority: "standard" }],
    ["downgrade", {}],
    ["outcome", { outcome: "level-1" }],
    ["time", { startedAt: "2026-01-05T10:00", minutes: "15" }],
    ["quote", { action: "deliver" }],
    ["incident", { incidentId: "inc_link" }],
  ];

  for (const [action, form] of actions) {
    it(`is a 404 for ${action}, and nothing changes`, async () => {
      const { reference } = await fresh();
      const before = await ticketRow(reference);
      const res = await commerceup.post(`/dashboard/tickets/${reference}/${action}`, form);
      expect(res.status).toBe(404);
      expect(await ticketRow(reference)).toEqual(before);
    });
  }

  it("is a 404 for the bill preview", async () => {
    const { reference } = await fresh();
    expect((await commerceup.get(`/dashboard/tickets/${reference}/bill-preview?minutes=5`)).status).toBe(404);
  });

  it("never lists another merchant's events in the timeline", async () => {
    const { reference } = await fresh();
    await ecellar.post(`/dashboard/tickets/${reference}/reply`, { body: "ecellar only" });
    const t = await ticketRow(reference);
    const rows = await db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, t.id), eq(ticketEvents.merchantId, "m_commerceup")));
    expect(rows).toEqual([]);
  });
});
