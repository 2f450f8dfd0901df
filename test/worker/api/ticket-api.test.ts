import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { quotes, tickets } from "../../../schema/db.ts";
import { quoteAction, requestInfo, staffReply } from "../../../worker/tickets/lifecycle.ts";
import { call, count, createTicket, db, seed, ticketContext } from "../helpers.ts";

beforeAll(async () => {
  await seed();
});

const agent = (preset: string) => ({ staffId: `st_${preset}_agent`, merchantId: `m_${preset}` });

async function row(reference: string) {
  const t = await db.query.tickets.findFirst({ where: eq(tickets.ref, reference) });
  if (!t) throw new Error("missing ticket");
  return t;
}

function get(reference: string, token: string | null, init: { origin?: string } = {}) {
  return call(`/v1/tickets/${reference}`, { headers: token === null ? {} : { Authorization: `Bearer ${token}` }, ...init });
}

function post(reference: string, path: string, token: string, json: unknown) {
  return call(`/v1/tickets/${reference}/${path}`, { method: "POST", json, headers: { Authorization: `Bearer ${token}` } });
}

describe("GET /v1/tickets/:ref", () => {
  it("shows status, due times and the public events to the token holder", async () => {
    const { reference, accessToken } = await createTicket();
    const res = await get(reference, accessToken);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      reference: string;
      status: string;
      firstResponseDueAt: string;
      slaState: string;
      events: { type: string; author: string; body: string }[];
    };
    expect(body).toMatchObject({ reference, status: "open", slaState: "on-track" });
    expect(body.firstResponseDueAt).toMatch(/Z$/);
    expect(body.events).toEqual([expect.objectContaining({ type: "created", author: "customer", body: "The report is empty." })]);
  });

  it("says a ticket of a 24/7 priority is handled around the clock", async () => {
    const { reference, accessToken } = await createTicket("demo-commerceup", { issueType: "site-down", severity: "critical" });
    const body = (await (await get(reference, accessToken)).json()) as { priority: string; coverage?: unknown };
    expect(body.priority).toBe("C1");
    expect(body.coverage).toEqual({ openNow: true, aroundTheClock: true });
  });

  it("reports a business-hours priority's coverage without the around-the-clock flag", async () => {
    const { reference, accessToken } = await createTicket("demo-commerceup", { issueType: "functionality", severity: "normal" });
    const body = (await (await get(reference, accessToken)).json()) as { coverage?: { aroundTheClock?: boolean } };
    expect(body.coverage?.aroundTheClock).toBeUndefined();
  });

  it("is 401 without a token", async () => {
    const { reference } = await createTicket();
    const res = await get(reference, null);
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toBe("Bearer");
  });

  it("is 404 with a wrong token", async () => {
    const { reference } = await createTicket();
    expect((await get(reference, "x".repeat(43))).status).toBe(404);
  });

  it("is 404 with another ticket's token, the same as a missing ticket", async () => {
    const a = await createTicket();
    const b = await createTicket("demo-commerceup", { issueType: "minor", severity: "low" });
    const wrong = await get(a.reference, b.accessToken);
    const missing = await get("RB-0000-0000", b.accessToken);
    expect([wrong.status, missing.status]).toEqual([404, 404]);
    expect(await wrong.json()).toEqual(await missing.json());
  });

  it("is 404 for a malformed reference", async () => {
    const { accessToken } = await createTicket();
    expect((await get("../../etc/passwd", accessToken)).status).toBe(404);
  });

  it("refuses a foreign origin", async () => {
    const { reference, accessToken } = await createTicket();
    expect((await get(reference, accessToken, { origin: "https://evil.test" })).status).toBe(403);
  });

  it("never shows internal events", async () => {
    const { reference, accessToken } = await createTicket("demo-commerceup", { issueType: "minor", severity: "low" });
    const { setPriority } = await import("../../../worker/tickets/lifecycle.ts");
    await setPriority(env, await ticketContext(reference), agent("commerceup"), "C3", Date.now());
    const body = (await (await get(reference, accessToken)).json()) as { priority: string; events: { type: string }[] };
    expect(body.priority).toBe("C3");
    expect(body.events.map((e) => e.type)).toEqual(["created"]);
  });
});

describe("POST /v1/tickets/:ref/replies", () => {
  it("answering an info request resumes the clock and reopens the ticket", async () => {
    const { reference, accessToken } = await createTicket("demo-commerceup", { issueType: "functionality", severity: "normal" });
    const asked = Date.now();
    await requestInfo(env, await ticketContext(reference), agent("commerceup"), "Which page?", asked);
    const waiting = (await (await get(reference, accessToken)).json()) as { awaitingCustomer: boolean; slaState: string };
    expect(waiting).toMatchObject({ awaitingCustomer: true, slaState: "paused" });
    const res = await post(reference, "replies", accessToken, { body: "The checkout page." });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; awaitingCustomer: boolean; events: { type: string }[] };
    expect(body).toMatchObject({ status: "open", awaitingCustomer: false });
    expect(body.events.map((e) => e.type)).toEqual(["created", "info-requested", "customer-reply"]);
    const stored = await row(reference);
    expect(stored.pauses).toHaveLength(1);
    expect(stored.pauses[0]?.[1]).not.toBeNull();
  });

  it("restarts the first-response clock at the reply where the policy says so (ECShops: 48 h from the reply)", async () => {
    const { reference, accessToken } = await createTicket("demo-ecshops", { issueType: "incident", severity: "degraded" });
    await requestInfo(env, await ticketContext(reference), agent("ecshops"), "¿Qué URL?", Date.now());
    await post(reference, "replies", accessToken, { body: "https://tienda.test/checkout" });
    const stored = await row(reference);
    expect(stored.restartedAt).not.toBeNull();
    expect(stored.firstRespondedAt).toBeNull();
    expect(stored.firstResponseDueAt).toBe((stored.restartedAt as number) + 48 * 3_600_000);
  });

  it("does not restart the clock where the policy does not say so", async () => {
    const { reference, accessToken } = await createTicket("demo-commerceup", { issueType: "functionality", severity: "normal" });
    await requestInfo(env, await ticketContext(reference), agent("commerceup"), "Which page?", Date.now());
    await post(reference, "replies", accessToken, { body: "Home." });
    const stored = await row(reference);
    expect(stored.restartedAt).toBeNull();
    expect(stored.firstRespondedAt).not.toBeNull();
  });

  it("refuses an empty reply with a field error", async () => {
    const { reference, accessToken } = await createTicket();
    const res = await post(reference, "replies", accessToken, { body: "   " });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("body");
  });

  it("refuses a reply on a closed ticket (409) and writes nothing", async () => {
    const { reference, accessToken } = await createTicket();
    await post(reference, "close", accessToken, {});
    const before = await count("ticket_events");
    const res = await post(reference, "replies", accessToken, { body: "Hello?" });
    expect(res.status).toBe(409);
    expect(await count("ticket_events")).toBe(before);
  });

  it("is 404 with another ticket's token", async () => {
    const a = await createTicket();
    const b = await createTicket();
    expect((await post(a.reference, "replies", b.accessToken, { body: "hi" })).status).toBe(404);
  });
});

describe("POST /v1/tickets/:ref/quote", () => {
  async function quoted(validForMs = 7 * 86_400_000) {
    const t = await createTicket("demo-ecshops", { issueType: "feature", severity: "question" });
    const now = Date.now();
    await quoteAction(
      env,
      await ticketContext(t.reference),
      agent("ecshops"),
      { type: "send", amount: 120000, currency: "EUR", validUntil: now + validForMs },
      now,
      "Programa de puntos",
    );
    return t;
  }

  it("shows the customer what the quote covers, as staff wrote it", async () => {
    const { reference, accessToken } = await quoted();
    const body = (await (await get(reference, accessToken)).json()) as { quote?: { scope?: string; amount?: number } };
    expect(body.quote).toMatchObject({ amount: 120000, scope: "Programa de puntos" });
  });

  it("accepts a quote", async () => {
    const { reference, accessToken } = await quoted();
    const res = await post(reference, "quote", accessToken, { decision: "accept" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { quote: { status: string; amount: number; currency: string }; events: { type: string }[] };
    expect(body.quote).toMatchObject({ status: "accepted", amount: 120000, currency: "EUR" });
    expect(body.events.map((e) => e.type)).toContain("quote-accepted");
  });

  it("declines a quote", async () => {
    const { reference, accessToken } = await quoted();
    const body = (await (await post(reference, "quote", accessToken, { decision: "decline" })).json()) as { quote: { status: string } };
    expect(body.quote.status).toBe("declined");
  });

  it("refuses to accept twice (409)", async () => {
    const { reference, accessToken } = await quoted();
    await post(reference, "quote", accessToken, { decision: "accept" });
    expect((await post(reference, "quote", accessToken, { decision: "accept" })).status).toBe(409);
  });

  it("refuses an expired quote (409) with the reason", async () => {
    const { reference, accessToken } = await quoted(1);
    await new Promise((r) => setTimeout(r, 5));
    const res = await post(reference, "quote", accessToken, { decision: "accept" });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toBe("This quote has expired");
  });

  it("is 409 when there is no quote yet", async () => {
    const { reference, accessToken } = await createTicket();
    expect((await post(reference, "quote", accessToken, { decision: "accept" })).status).toBe(409);
  });

  it("refuses an unknown decision with a field error", async () => {
    const { reference, accessToken } = await quoted();
    const res = await post(reference, "quote", accessToken, { decision: "maybe" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("decision");
  });
});

describe("POST /v1/tickets/:ref/close", () => {
  it("closes the ticket when the customer confirms the fix", async () => {
    const { reference, accessToken } = await createTicket();
    await staffReply(env, await ticketContext(reference), agent("ecellar"), "Fixed: try again.", Date.now());
    const body = (await (await post(reference, "close", accessToken, {})).json()) as {
      status: string;
      events: { type: string; author: string }[];
    };
    expect(body.status).toBe("closed");
    expect(body.events.at(-1)).toMatchObject({ type: "closed", author: "customer" });
  });

  it("is harmless twice", async () => {
    const { reference, accessToken } = await createTicket();
    await post(reference, "close", accessToken, {});
    const before = await count("ticket_events");
    const res = await post(reference, "close", accessToken, {});
    expect(res.status).toBe(200);
    expect(await count("ticket_events")).toBe(before);
  });

  it("is 404 with a wrong token", async () => {
    const { reference } = await createTicket();
    expect((await post(reference, "close", "y".repeat(43), {})).status).toBe(404);
  });
});

describe("atomic ticket writes", () => {
  it("a write based on a stale read changes nothing at all: no events, no quote, no notification (409)", async () => {
    const { reference } = await createTicket("demo-ecshops", { issueType: "feature", severity: "question" });
    const stale = await row(reference);
    await staffReply(env, await ticketContext(stale), agent("ecshops"), "Estamos preparando el presupuesto.", Date.now());
    const before = [await count("ticket_events"), await count("quotes"), await count("outbox")];
    const attempt = quoteAction(
      env,
      await ticketContext(stale),
      agent("ecshops"),
      { type: "send", amount: 5000, currency: "EUR", validUntil: Date.now() + 86_400_000 },
      Date.now() + 1,
    );
    await expect(attempt).rejects.toMatchObject({ code: "conflict" });
    expect([await count("ticket_events"), await count("quotes"), await count("outbox")]).toEqual(before);
    expect(await db.query.quotes.findFirst({ where: eq(quotes.ticketId, stale.id) })).toBeUndefined();
  });

  it("a staff action on another merchant's ticket is the same 404 as a missing one", async () => {
    const { reference } = await createTicket();
    await expect(staffReply(env, await ticketContext(reference), agent("commerceup"), "hi", Date.now())).rejects.toMatchObject({
      code: "not-found",
    });
  });
});
