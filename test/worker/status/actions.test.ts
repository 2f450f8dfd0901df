import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { quotes, ticketEvents, tickets } from "../../../schema/db.ts";
import { type Browser, signedIn } from "../dashboard/helpers.ts";
import { createTicket, db, seed, ticketRow } from "../helpers.ts";
import { changed, fingerprint } from "../security/support/state.ts";
import { customerOn } from "./helpers.ts";

// Every action of the status page: the lifecycle's transition on success (303 back to the page),
// 403 without the session's form token, the same 404 without a session, 409 with the state
// machine's reason where the status forbids it — and on every refusal nothing is written.

let staff: Browser;

beforeAll(async () => {
  await seed();
  staff = await signedIn("agent@ecellar.demo");
});

async function staffDoes(ref: string, path: string, form: Record<string, string> = {}) {
  const res = await staff.post(`/dashboard/tickets/${ref}/${path}`, form);
  if (res.status !== 303) throw new Error(`staff ${path}: ${res.status} ${(await res.text()).slice(0, 300)}`);
}

/** An eCellar request with a browser signed in to its status page, after `setup` (staff actions). */
async function opened(over: Record<string, unknown> = {}, setup: (ref: string) => Promise<void> = async () => {}) {
  const t = await createTicket("demo-ecellar", over);
  await setup(t.reference);
  const { browser, html } = await customerOn(t.reference);
  return { ref: t.reference, browser, html };
}

async function refusedWithoutWrites(take: () => Promise<Response>, status: number): Promise<string> {
  const before = await fingerprint();
  const res = await take();
  expect(res.status).toBe(status);
  expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
  expect(changed(before, await fingerprint())).toEqual([]);
  return res.text();
}

const publicEvents = async (ref: string) =>
  (
    await db
      .select()
      .from(ticketEvents)
      .where(eq(ticketEvents.ticketId, (await ticketRow(ref)).id))
  ).filter((e) => e.public);

describe("follow-up", () => {
  it("adds the customer's message and redirects back with a notice", async () => {
    const { ref, browser } = await opened({}, (r) => staffDoes(r, "reply", { body: "Which report?" }));
    expect((await ticketRow(ref)).status).toBe("responded");
    const res = await browser.post(`/t/${ref}/message`, { body: "The monthly one." });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/t/${ref}?done=message`);
    expect((await ticketRow(ref)).status).toBe("open");
    expect((await publicEvents(ref)).at(-1)).toMatchObject({ type: "customer-reply", actor: "customer", body: "The monthly one." });
    const page = await (await browser.get(`/t/${ref}?done=message`)).text();
    expect(page).toContain("Message sent.");
    expect(page).toContain("The monthly one.");
  });

  it("answers an info request: the form says so and the clock resumes", async () => {
    const { ref, browser, html } = await opened({}, (r) => staffDoes(r, "request-info", { body: "Which store?" }));
    expect(html).toContain("Answer our question");
    expect(html).toContain("Waiting for your answer");
    expect((await browser.post(`/t/${ref}/message`, { body: "The Paris one." })).status).toBe(303);
    expect((await ticketRow(ref)).status).toBe("open");
  });

  it("is refused with 403 without the session's form token, and with the same 404 without a session", async () => {
    const { ref, browser } = await opened();
    await refusedWithoutWrites(() => browser.post(`/t/${ref}/message`, { body: "hi", _csrf: "0".repeat(64) }), 403);
    await refusedWithoutWrites(() => browser.request(`/t/${ref}/message`, { form: { body: "hi" } }), 403);
    const stranger = await customerOn((await createTicket()).reference);
    await refusedWithoutWrites(() => stranger.browser.post(`/t/${ref}/message`, { body: "hi" }), 404);
  });

  it("is taken with the `Origin: null` a no-referrer page posts with (the form token decides)", async () => {
    const { ref, browser } = await opened();
    expect((await browser.post(`/t/${ref}/message`, { body: "From the page." }, { origin: "null" })).status).toBe(303);
    await refusedWithoutWrites(() => browser.post(`/t/${ref}/message`, { body: "x", _csrf: "bad" }, { origin: "null" }), 403);
  });

  it("is refused from another site (Origin) and as a non-form body", async () => {
    const { ref, browser } = await opened();
    await refusedWithoutWrites(() => browser.post(`/t/${ref}/message`, { body: "hi" }, { origin: "https://evil.example" }), 403);
    await refusedWithoutWrites(
      () =>
        browser.request(`/t/${ref}/message`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
        }),
      415,
    );
  });

  it("refuses an empty message with 400 and the page, writing nothing", async () => {
    const { ref, browser } = await opened();
    const html = await refusedWithoutWrites(() => browser.post(`/t/${ref}/message`, { body: "   " }), 400);
    expect(html).toContain("Write a message");
  });

  it("on a closed request is 409 with the reason, writing nothing", async () => {
    const { ref, browser } = await opened();
    expect((await browser.post(`/t/${ref}/close`)).status).toBe(303);
    const html = await refusedWithoutWrites(() => browser.post(`/t/${ref}/message`, { body: "hello?" }), 409);
    expect(html).toContain("This request is closed: open a new request");
    expect(html).not.toContain(`action="/t/${ref}/message"`);
  });
});

describe("not fixed (reopen)", () => {
  it("reopens a resolved request within the window with what is still wrong", async () => {
    const { ref, browser, html } = await opened({}, (r) => staffDoes(r, "resolve", { body: "Fixed the export." }));
    expect(html).toContain("Not fixed?");
    expect(html).toContain("Fixed the export.");
    const res = await browser.post(`/t/${ref}/reopen`, { body: "Still empty." });
    expect(res.status).toBe(303);
    expect((await ticketRow(ref)).status).toBe("open");
    expect((await publicEvents(ref)).slice(-2).map((e) => e.type)).toEqual(["customer-reply", "reopened"]);
  });

  it("on an open request is 409 with the machine's reason, writing nothing", async () => {
    const { ref, browser, html } = await opened();
    expect(html).not.toContain("Not fixed?");
    const page = await refusedWithoutWrites(() => browser.post(`/t/${ref}/reopen`, { body: "?" }), 409);
    expect(page).toContain("This request is still open: write a follow-up instead");
  });

  it("after the window is 409, writing nothing", async () => {
    const { ref, browser } = await opened({}, (r) => staffDoes(r, "resolve"));
    await db
      .update(tickets)
      .set({ reopenUntil: Date.now() - 1 })
      .where(eq(tickets.ref, ref));
    const page = await refusedWithoutWrites(() => browser.post(`/t/${ref}/reopen`, { body: "?" }), 409);
    expect(page).toContain("The time to reopen this request has passed");
  });

  it("is refused without the form token", async () => {
    const { ref, browser } = await opened({}, (r) => staffDoes(r, "resolve"));
    await refusedWithoutWrites(() => browser.post(`/t/${ref}/reopen`, { body: "x", _csrf: "" }), 403);
  });
});

describe("close", () => {
  it("closes the request", async () => {
    const { ref, browser } = await opened();
    expect((await browser.post(`/t/${ref}/close`)).status).toBe(303);
    expect((await ticketRow(ref)).status).toBe("closed");
    const page = await (await browser.get(`/t/${ref}?done=close`)).text();
    expect(page).toContain("Request closed.");
    expect(page).not.toContain(`action="/t/${ref}/close"`);
  });

  it("is refused without the form token", async () => {
    const { ref, browser } = await opened();
    await refusedWithoutWrites(() => browser.post(`/t/${ref}/close`, { _csrf: "nope" }), 403);
  });
});

describe("quote decision", () => {
  const feature = { issueType: "feature", severity: "normal" };
  const sendQuote = (r: string) =>
    staffDoes(r, "quote", {
      action: "send",
      amount: "1200.00",
      currency: "USD",
      validUntil: "2099-12-31",
      note: "Waitlist for sold-out vintages.",
    });

  it("asks for confirmation repeating amount, scope and validity, writing nothing; the confirmation accepts it", async () => {
    const { ref, browser, html } = await opened(feature, sendQuote);
    expect(html).toContain("Accept the quote…");
    const before = await fingerprint();
    const confirm = await browser.post(`/t/${ref}/quote`, { decision: "accept" });
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    expect(changed(before, await fingerprint())).toEqual([]);
    expect(page).toContain("Accept this quote?");
    expect(page).toContain("$1,200.00");
    expect(page).toContain("Waitlist for sold-out vintages.");
    expect(page).toMatch(/Valid until<\/dt><dd>[^<]*Dec[^<]*31/);
    expect(page).toContain('name="revision" value="1"');
    const res = await browser.post(`/t/${ref}/quote/confirm`, { decision: "accept", revision: "1" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/t/${ref}?done=accept`);
    const quote = await db.query.quotes.findFirst({ where: eq(quotes.ticketId, (await ticketRow(ref)).id) });
    expect(quote?.status).toBe("accepted");
    expect((await publicEvents(ref)).at(-1)?.type).toBe("quote-accepted");
  });

  it("declines through the same two steps", async () => {
    const { ref, browser } = await opened(feature, sendQuote);
    expect(await (await browser.post(`/t/${ref}/quote`, { decision: "decline" })).text()).toContain("Decline this quote?");
    expect((await browser.post(`/t/${ref}/quote/confirm`, { decision: "decline", revision: "1" })).status).toBe(303);
    const quote = await db.query.quotes.findFirst({ where: eq(quotes.ticketId, (await ticketRow(ref)).id) });
    expect(quote?.status).toBe("declined");
  });

  it("refuses a confirmation of a revision that is no longer current with 409, writing nothing", async () => {
    const { ref, browser } = await opened(feature, sendQuote);
    await staffDoes(ref, "quote", { action: "revise", amount: "900.00", currency: "USD", validUntil: "2099-12-31" });
    const page = await refusedWithoutWrites(() => browser.post(`/t/${ref}/quote/confirm`, { decision: "accept", revision: "1" }), 409);
    expect(page).toContain("The quote changed since you opened it");
    expect(page).toContain("$900.00");
  });

  it("refuses a decision twice, or with no quote, with 409, writing nothing", async () => {
    const { ref, browser } = await opened(feature, sendQuote);
    expect((await browser.post(`/t/${ref}/quote/confirm`, { decision: "accept", revision: "1" })).status).toBe(303);
    await refusedWithoutWrites(() => browser.post(`/t/${ref}/quote/confirm`, { decision: "decline", revision: "1" }), 409);
    await refusedWithoutWrites(() => browser.post(`/t/${ref}/quote`, { decision: "decline" }), 409);
    const plain = await opened();
    await refusedWithoutWrites(() => plain.browser.post(`/t/${plain.ref}/quote/confirm`, { decision: "accept", revision: "1" }), 409);
  });

  it("is refused without the form token at either step", async () => {
    const { ref, browser } = await opened(feature, sendQuote);
    await refusedWithoutWrites(() => browser.post(`/t/${ref}/quote`, { decision: "accept", _csrf: "x" }), 403);
    await refusedWithoutWrites(() => browser.post(`/t/${ref}/quote/confirm`, { decision: "accept", revision: "1", _csrf: "x" }), 403);
  });
});
