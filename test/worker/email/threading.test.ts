// Replies by mail find their ticket, in this order: the reply token in the address, our ids in
// In-Reply-To/References (and the Message-IDs of the emails we sent), then the reference in the
// subject from the ticket's own customer. Anything else, and anything of another merchant, is a
// new ticket.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import * as tables from "../../../schema/db.ts";
import { replyAddress, replyToken, threadId } from "../../../worker/email/reply-token.ts";
import { closeByCustomer, requestInfo } from "../../../worker/tickets/lifecycle.ts";
import { db, seed, ticketContext, ticketRow } from "../helpers.ts";
import { deliver, eventsOf, freshSender, inboundRecord, rawMail, replySecretOf, ticketByMail, ticketsFrom } from "./helpers.ts";

beforeAll(async () => {
  await seed();
});

const INBOUND = "help@commerceup.demo";

/** The reply token of a CommerceUp ticket. */
async function tokenOf(reference: string, merchantId = "m_commerceup") {
  return replyToken(await replySecretOf(merchantId), reference);
}

/** The types of a ticket's events. */
async function typesOf(ticketId: string) {
  return (await eventsOf(ticketId)).map((e) => e.type);
}

describe("threading by the reply token in the address", () => {
  it("appends the mail to the ticket as the customer's message", async () => {
    const t = await ticketByMail(freshSender());
    const to = replyAddress(INBOUND, await tokenOf(t.ref));
    const messageId = "<token-1@example.com>";
    const d = await deliver(rawMail({ from: t.email, to, subject: "Re: your request", body: "More details.", messageId }), {
      from: t.email,
      to,
    });
    expect(d.rejected).toBeUndefined();
    const events = await eventsOf(t.id);
    expect(events.map((e) => [e.type, e.body])).toEqual([
      ["created", t.description],
      ["customer-reply", "More details."],
    ]);
    expect(await inboundRecord("m_commerceup", messageId)).toMatchObject({ outcome: "appended", ticketId: t.id });
  });

  it("wins over our id in References that names another ticket", async () => {
    const a = await ticketByMail(freshSender());
    const b = await ticketByMail(a.email);
    const to = replyAddress(INBOUND, await tokenOf(a.ref));
    const references = threadId(await tokenOf(b.ref), "commerceup.demo");
    await deliver(rawMail({ from: a.email, to, headers: { References: references } }), { from: a.email, to });
    expect([await typesOf(a.id), await typesOf(b.id)]).toEqual([["created", "customer-reply"], ["created"]]);
  });

  it("accepts a reply from another address of the customer's team", async () => {
    const t = await ticketByMail(freshSender());
    const colleague = freshSender("colleague");
    const to = replyAddress(INBOUND, await tokenOf(t.ref));
    await deliver(rawMail({ from: colleague, to }), { from: colleague, to });
    expect(await typesOf(t.id)).toEqual(["created", "customer-reply"]);
  });

  it("treats a forged token (wrong MAC) as a new ticket", async () => {
    const t = await ticketByMail(freshSender());
    const token = await tokenOf(t.ref);
    const forged = `${token.slice(0, 8)}${token[8] === "0" ? "1" : "0"}${token.slice(9)}`;
    const to = replyAddress(INBOUND, forged);
    await deliver(rawMail({ from: t.email, to }), { from: t.email, to });
    expect([await typesOf(t.id), (await ticketsFrom("m_commerceup", t.email)).length]).toEqual([["created"], 2]);
  });

  it("treats the token of another merchant's ticket as a new ticket, and appends nothing there", async () => {
    const theirs = await ticketByMail(freshSender(), {}, "help@ecellar.demo");
    const to = replyAddress(INBOUND, await tokenOf(theirs.ref, "m_ecellar"));
    await deliver(rawMail({ from: theirs.email, to }), { from: theirs.email, to });
    expect(await typesOf(theirs.id)).toEqual(["created"]);
    expect(await ticketsFrom("m_commerceup", theirs.email)).toHaveLength(1);
  });
});

describe("threading by our ids in In-Reply-To and References", () => {
  it("appends a reply whose References carry our id", async () => {
    const t = await ticketByMail(freshSender());
    const references = `<first@example.com> ${threadId(await tokenOf(t.ref), "commerceup.demo")}`;
    await deliver(rawMail({ from: t.email, headers: { References: references } }), { from: t.email });
    expect(await typesOf(t.id)).toEqual(["created", "customer-reply"]);
  });

  it("appends a reply whose In-Reply-To carries our id", async () => {
    const t = await ticketByMail(freshSender());
    await deliver(rawMail({ from: t.email, headers: { "In-Reply-To": threadId(await tokenOf(t.ref), "commerceup.demo") } }), {
      from: t.email,
    });
    expect(await typesOf(t.id)).toEqual(["created", "customer-reply"]);
  });

  it("appends a reply whose In-Reply-To is the Message-ID of an email we sent about the ticket", async () => {
    const t = await ticketByMail(freshSender());
    await db.insert(tables.outbox).values({
      id: `ob_${crypto.randomUUID()}`,
      merchantId: t.merchantId,
      channel: "email",
      event: "received",
      ticketId: t.id,
      recipient: t.email,
      payload: "{}",
      status: "sent",
      nextAttemptAt: Date.now(),
      messageId: "<sent-by-us-1@commerceup.demo>",
      createdAt: Date.now(),
    });
    await deliver(rawMail({ from: t.email, headers: { "In-Reply-To": "<sent-by-us-1@commerceup.demo>" } }), { from: t.email });
    expect(await typesOf(t.id)).toEqual(["created", "customer-reply"]);
  });

  it("wins over a reference in the subject", async () => {
    const a = await ticketByMail(freshSender());
    const b = await ticketByMail(a.email);
    const headers = { References: threadId(await tokenOf(a.ref), "commerceup.demo") };
    await deliver(rawMail({ from: a.email, subject: `Re: [${b.ref}]`, headers }), { from: a.email });
    expect([await typesOf(a.id), await typesOf(b.id)]).toEqual([["created", "customer-reply"], ["created"]]);
  });
});

describe("threading by the reference in the subject", () => {
  it("appends a mail from the ticket's customer with [RB-XXXX-XXXX] in the subject", async () => {
    const t = await ticketByMail(freshSender());
    await deliver(rawMail({ from: t.email.toUpperCase(), subject: `Re: Checkout [${t.ref}]` }), { from: t.email });
    expect(await typesOf(t.id)).toEqual(["created", "customer-reply"]);
  });

  it("files a mail from anyone else with that reference as a new ticket", async () => {
    const t = await ticketByMail(freshSender());
    const stranger = freshSender("stranger");
    await deliver(rawMail({ from: stranger, subject: `Re: [${t.ref}]` }), { from: stranger });
    expect([await typesOf(t.id), (await ticketsFrom("m_commerceup", stranger)).length]).toEqual([["created"], 1]);
  });
});

describe("what a threaded mail does to its ticket", () => {
  it("strips the quoted history from the appended message", async () => {
    const t = await ticketByMail(freshSender());
    const body = "Still broken.\r\n\r\nOn Wed, Nov 18, 2026 at 9:00 AM Support <help@commerceup.demo> wrote:\r\n> Is it fixed?\r\n";
    await deliver(rawMail({ from: t.email, subject: `Re: [${t.ref}]`, body }), { from: t.email });
    expect((await eventsOf(t.id)).map((e) => e.body)[1]).toBe("Still broken.");
  });

  it("keeps the priority: subject rules apply only when a ticket is created", async () => {
    const t = await ticketByMail(freshSender(), { subject: "Slow admin" });
    await deliver(rawMail({ from: t.email, subject: `Re: [${t.ref}] now C1 System Down` }), { from: t.email });
    expect([t.priority, (await ticketRow(t.ref)).priority, (await typesOf(t.id)).length]).toEqual(["C3", "C3", 2]);
  });

  it("answers an info request: the ticket is open again and the clock restarts where the policy says", async () => {
    const t = await ticketByMail(freshSender(), {}, "help@ecshops.demo");
    const staff = { staffId: "st_ecshops_agent", merchantId: "m_ecshops" };
    await requestInfo(env, await ticketContext(t.ref), staff, "Which URL?", Date.now());
    await deliver(rawMail({ from: t.email, to: "help@ecshops.demo", subject: `Re: [${t.ref}]` }), {
      from: t.email,
      to: "help@ecshops.demo",
    });
    const after = await ticketRow(t.ref);
    expect([after.status, after.restartedAt !== null]).toEqual(["open", true]);
  });

  it("on a closed ticket files a new one that follows it", async () => {
    const t = await ticketByMail(freshSender());
    await closeByCustomer(env, await ticketContext(t.ref), Date.now());
    await deliver(rawMail({ from: t.email, subject: `Re: [${t.ref}]` }), { from: t.email });
    const list = await ticketsFrom("m_commerceup", t.email);
    expect([list.length, list[1]?.followsRef, await typesOf(t.id)]).toEqual([2, t.ref, ["created", "closed"]]);
  });
});
