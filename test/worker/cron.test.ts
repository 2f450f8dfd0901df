import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  customerSessions,
  idempotencyKeys,
  merchants,
  outbox,
  quotes,
  rateCounters,
  sessions,
  staffTokens,
  ticketLinks,
  tickets,
} from "../../schema/db.ts";
import { PURGE_BATCH, PURGE_ROUNDS, purgeExpired, runScheduled } from "../../worker/cron.ts";
import worker from "../../worker/index.ts";
import { deliverDue } from "../../worker/outbox/delivery.ts";
import { quoteAction } from "../../worker/tickets/lifecycle.ts";
import { createTicket, db, seed, ticketContext } from "./helpers.ts";

beforeAll(async () => {
  await seed();
});

async function ticket(reference: string) {
  const t = await db.query.tickets.findFirst({ where: eq(tickets.ref, reference) });
  if (!t) throw new Error("missing");
  return t;
}

async function events(ticketId: string, type: string): Promise<number> {
  const r = await env.DB.prepare("SELECT count(*) AS n FROM ticket_events WHERE ticket_id = ? AND type = ?")
    .bind(ticketId, type)
    .first<{ n: number }>();
  return r?.n ?? 0;
}

describe("SLA states", () => {
  it("marks a ticket past its due time breached, with one event even when run twice for the same time", async () => {
    const { reference } = await createTicket("demo-commerceup", { issueType: "minor", severity: "low" });
    const t = await ticket(reference);
    const now = (t.nextDueAt as number) + 1;
    await runScheduled(env, now);
    await runScheduled(env, now);
    expect((await ticket(reference)).slaState).toBe("breached");
    expect(await events(t.id, "breached")).toBe(1);
  });

  it("marks a ticket at risk once the policy's share of its target has elapsed", async () => {
    const { reference } = await createTicket("demo-commerceup", { issueType: "minor", severity: "low" });
    const t = await ticket(reference);
    expect(t.atRiskAt).not.toBeNull();
    await runScheduled(env, t.atRiskAt as number);
    await runScheduled(env, t.atRiskAt as number);
    expect((await ticket(reference)).slaState).toBe("at-risk");
    expect(await events(t.id, "at-risk")).toBe(1);
  });

  it("leaves a ticket on track before its at-risk time", async () => {
    const { reference } = await createTicket("demo-commerceup", { issueType: "minor", severity: "low" });
    const t = await ticket(reference);
    await runScheduled(env, (t.atRiskAt as number) - 1);
    expect((await ticket(reference)).slaState).toBe("on-track");
  });

  it("never marks a ticket waiting on the customer (its clock is paused)", async () => {
    const { reference } = await createTicket("demo-commerceup", { issueType: "minor", severity: "low" });
    await db.update(tickets).set({ status: "waiting-on-customer", slaState: "paused", nextDueAt: null }).where(eq(tickets.ref, reference));
    await runScheduled(env, Date.now() + 365 * 86_400_000);
    expect((await ticket(reference)).slaState).toBe("paused");
  });
});

describe("quotes", () => {
  it("expires a quote past its validity once, with a public event", async () => {
    const { reference } = await createTicket("demo-ecshops", { issueType: "feature", severity: "question" });
    const t = await ticket(reference);
    const now = Date.now();
    await quoteAction(
      env,
      await ticketContext(t),
      { staffId: "st_ecshops_agent", merchantId: "m_ecshops" },
      { type: "send", amount: 9000, currency: "EUR", validUntil: now + 1000 },
      now,
    );
    await runScheduled(env, now + 1000);
    await runScheduled(env, now + 1000);
    expect((await db.query.quotes.findFirst({ where: eq(quotes.ticketId, t.id) }))?.status).toBe("expired");
    expect(await events(t.id, "quote-expired")).toBe(1);
  });
});

describe("purges", () => {
  it("drops idempotency records older than 24 hours and keeps newer ones", async () => {
    const now = Date.now();
    await db.insert(idempotencyKeys).values([
      { siteId: "s_ecellar", key: "old-key-xxxx", requestHash: "h", status: 201, response: "{}", createdAt: now - 25 * 3_600_000 },
      { siteId: "s_ecellar", key: "new-key-xxxx", requestHash: "h", status: 201, response: "{}", createdAt: now - 23 * 3_600_000 },
    ]);
    await runScheduled(env, now);
    const keys = (await db.select({ key: idempotencyKeys.key }).from(idempotencyKeys)).map((r) => r.key);
    expect(keys).toContain("new-key-xxxx");
    expect(keys).not.toContain("old-key-xxxx");
  });

  it("drops expired staff tokens (invitation, reset, sign-in choice) and keeps live ones", async () => {
    const now = Date.now();
    const token = (tokenHash: string, expiresAt: number) =>
      ({
        tokenHash,
        staffId: "st_ecellar_agent",
        merchantId: "m_ecellar",
        purpose: "reset",
        expiresAt,
        createdAt: now - 7_200_000,
      }) as const;
    await db.insert(staffTokens).values([token("expired-token", now - 1), token("live-token", now + 60_000)]);
    await runScheduled(env, now);
    const left = (await db.select({ h: staffTokens.tokenHash }).from(staffTokens)).map((r) => r.h);
    expect(left).toContain("live-token");
    expect(left).not.toContain("expired-token");
  });
});

describe("purges of what has expired", () => {
  const HOUR = 3_600_000;

  it("drops expired status-page link tokens and customer sessions, and keeps live ones", async () => {
    const { reference } = await createTicket("demo-ecellar");
    const t = await ticket(reference);
    const now = Date.now();
    const row = (tokenHash: string, expiresAt: number) => ({
      tokenHash,
      ticketId: t.id,
      merchantId: t.merchantId,
      expiresAt,
      createdAt: now - HOUR,
    });
    await db.insert(ticketLinks).values([row("link-expired", now - 1), row("link-live", now + HOUR)]);
    await db.insert(customerSessions).values([row("session-expired", now - 1), row("session-live", now + HOUR)]);
    await runScheduled(env, now);
    const links = (await db.select().from(ticketLinks).where(eq(ticketLinks.ticketId, t.id))).map((r) => r.tokenHash);
    const sessionsLeft = (await db.select().from(customerSessions).where(eq(customerSessions.ticketId, t.id))).map((r) => r.tokenHash);
    expect(links).toContain("link-live");
    expect(links).not.toContain("link-expired");
    expect(sessionsLeft).toEqual(["session-live"]);
  });

  it("drops expired staff sessions and keeps live ones", async () => {
    const now = Date.now();
    const session = (tokenHash: string, expiresAt: number) => ({
      tokenHash,
      staffId: "st_ecellar_agent",
      merchantId: "m_ecellar",
      createdAt: now - HOUR,
      expiresAt,
    });
    await db.insert(sessions).values([session("staff-expired", now - 1), session("staff-live", now + HOUR)]);
    await runScheduled(env, now);
    const left = (await db.select({ t: sessions.tokenHash }).from(sessions).where(like(sessions.tokenHash, "staff-%"))).map((r) => r.t);
    expect(left).toEqual(["staff-live"]);
  });

  it(`deletes at most ${PURGE_ROUNDS * PURGE_BATCH} rows of a table in one run, leaving the rest to the next`, async () => {
    const now = Date.now();
    const backlog = PURGE_ROUNDS * PURGE_BATCH + 100;
    // One statement, no bound parameter per row.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${backlog})
       INSERT INTO rate_counters (key, count, expires_at) SELECT 'purge-' || i, 1, ?1 FROM n`,
    )
      .bind(now - 1)
      .run();
    const left = async () =>
      (await env.DB.prepare("SELECT count(*) AS n FROM rate_counters WHERE key LIKE 'purge-%'").first<{ n: number }>())?.n;
    const first = await purgeExpired(env, now);
    expect(first.rate_counters).toBe(PURGE_ROUNDS * PURGE_BATCH);
    expect(await left()).toBe(100);
    expect((await purgeExpired(env, now)).rate_counters).toBe(100);
    expect(await left()).toBe(0);
  });

  it("deletes nothing that has not expired", async () => {
    const now = Date.now();
    await db.insert(rateCounters).values({ key: "purge-live", count: 1, expiresAt: now });
    const deleted = await purgeExpired(env, now);
    expect(deleted.rate_counters).toBe(0);
    expect(await db.select().from(rateCounters).where(eq(rateCounters.key, "purge-live"))).toHaveLength(1);
  });
});

describe("webhooks", () => {
  it("queues a notification for merchants with a webhook and retries a failed delivery with backoff", async () => {
    await db.update(merchants).set({ webhookUrl: "http://127.0.0.1:9/hook", webhookSecret: "s3cret" }).where(eq(merchants.id, "m_ecellar"));
    const { invalidateSites } = await import("../../worker/merchant/site-context.ts");
    invalidateSites();
    const { reference } = await createTicket("demo-ecellar");
    const queued = await db.select().from(outbox).where(eq(outbox.event, "ticket.created"));
    const mine = queued.find((o) => (JSON.parse(o.payload) as { reference: string }).reference === reference);
    expect(mine).toBeDefined();
    const now = Date.now();
    await deliverDue(env, now);
    const after = await db.query.outbox.findFirst({ where: eq(outbox.id, mine?.id as string) });
    expect(after?.attempts).toBe(1);
    expect(after?.deliveredAt).toBeNull();
    expect(after?.lastError).toBeTruthy();
    expect(after?.nextAttemptAt).toBeGreaterThan(now);
  });
});

describe("scheduled handler", () => {
  it("runs the cron through the worker's scheduled export", async () => {
    const { reference } = await createTicket("demo-commerceup", { issueType: "minor", severity: "low" });
    const t = await ticket(reference);
    const controller = createScheduledController({ scheduledTime: (t.nextDueAt as number) + 1, cron: "* * * * *" });
    await worker.scheduled(controller, env);
    expect((await ticket(reference)).slaState).toBe("breached");
  });
});
