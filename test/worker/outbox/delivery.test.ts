import { env } from "cloudflare:workers";
import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { devMailbox, outbox } from "../../../schema/db.ts";
import { runScheduled } from "../../../worker/cron.ts";
import { deliverDue, MAX_ATTEMPTS, retryAt } from "../../../worker/outbox/delivery.ts";
import { outboxInsert } from "../../../worker/outbox/outbox.ts";
import { requestLinks } from "../../../worker/status/my-requests.ts";
import { staffReply } from "../../../worker/tickets/lifecycle.ts";
import { createTicket, db, freshIp, seed, settleEmails, ticketContext } from "../helpers.ts";
import { emailsOf, mailTo } from "./helpers.ts";

// Delivery of the outbox's emails: at once after the batch that wrote them commits (the request's
// own waitUntil), retried by the cron with backoff, each row leased so that no two deliveries —
// prompt, cron, or a run that died — ever send it twice.

beforeAll(async () => {
  await seed();
});

const unique = () => `${crypto.randomUUID().slice(0, 8)}@example.test`;

/** Deliveries through a send_email binding that refuses every recipient (test/vitest.config.ts). */
const refusing = { ...env, EMAIL: env.REFUSING_EMAIL };

/** Waits (up to 10 s) until `done` holds: for the delivery a request left running after its response. */
async function eventually(done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("not delivered within 10 s");
    await scheduler.wait(20);
  }
}

/** Queues one email by hand (no delivery starts): its row id. */
async function queueEmail(recipient: string, now: number, event = "links"): Promise<string> {
  const { reference } = await createTicket("demo-ecellar", { email: recipient });
  await settleEmails();
  const q = outboxInsert(
    env.DB,
    { channel: "email", event, merchantId: "m_ecellar", recipient, payload: { siteId: "s_ecellar", references: [reference] } },
    now,
  );
  await q.statement.run();
  return q.id;
}

async function row(id: string) {
  const r = await db.query.outbox.findFirst({ where: eq(outbox.id, id) });
  if (!r) throw new Error(`no outbox row ${id}`);
  return r;
}

describe("prompt delivery", () => {
  it("sends a new ticket's acknowledgement right after the request, with no cron run", async () => {
    const email = unique();
    const { reference } = await createTicket("demo-ecellar", { email });
    await eventually(async () => (await emailsOf(reference))[0]?.status === "sent");
    expect((await mailTo(email)).map((m) => m.subject)).toEqual([expect.stringContaining(`[${reference}] We received your request`)]);
  });

  it("sends a staff reply's email right after the transition commits", async () => {
    const email = unique();
    const { reference } = await createTicket("demo-ecellar", { email });
    await settleEmails();
    await staffReply(
      env,
      await ticketContext(reference),
      { staffId: "st_ecellar_agent", merchantId: "m_ecellar" },
      "Try again now.",
      Date.now(),
    );
    await eventually(async () => (await emailsOf(reference)).every((r) => r.status === "sent"));
    expect((await emailsOf(reference)).map((r) => r.event)).toEqual(["received", "reply"]);
    expect((await mailTo(email)).some((m) => m.text.includes("> Try again now."))).toBe(true);
  });

  it("sends the links of “email me my requests” right after the request", async () => {
    const email = unique();
    const { reference } = await createTicket("demo-ecellar", { email });
    await settleEmails();
    await requestLinks(env, { id: "s_ecellar", merchantId: "m_ecellar" }, email, freshIp(), Date.now());
    await eventually(async () => (await mailTo(email)).some((m) => m.text.includes(reference) && !m.text.includes("We received")));
    const links = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.event, "links"), eq(outbox.recipient, email)));
    expect(links.map((l) => l.status)).toEqual(["sent"]);
  });
});

describe("retries", () => {
  it("keeps an email the service refused queued, retried after 2 minutes, with the error", async () => {
    const email = unique();
    const now = Date.now();
    const id = await queueEmail(email, now);
    await deliverDue(refusing, now);
    const failed = await row(id);
    expect([failed.status, failed.attempts, failed.lastError]).toEqual(["queued", 1, `email to ${email} not allowed`]);
    expect(failed.nextAttemptAt).toBe(retryAt(1, now));
    expect(failed.nextAttemptAt - now).toBe(2 * 60_000);
  });

  it("is retried by the cron once its backoff has passed, not before", async () => {
    const email = unique();
    const now = Date.now();
    const id = await queueEmail(email, now);
    await deliverDue(refusing, now);
    await runScheduled(env, now + 60_000);
    expect((await row(id)).status).toBe("queued");
    expect(await mailTo(email)).toHaveLength(1); // the ticket's acknowledgement only
    await runScheduled(env, (await row(id)).nextAttemptAt);
    expect([(await row(id)).status, (await row(id)).attempts]).toEqual(["sent", 2]);
    expect(await mailTo(email)).toHaveLength(2);
  });

  it("doubles the wait after each failure, up to 6 hours, and gives up after MAX_ATTEMPTS", async () => {
    const email = unique();
    let at = Date.now();
    const id = await queueEmail(email, at);
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await deliverDue(refusing, at);
      const r = await row(id);
      if (r.status !== "queued") break;
      waits.push((r.nextAttemptAt - at) / 60_000);
      at = r.nextAttemptAt;
    }
    expect(waits).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 360]);
    expect([(await row(id)).status, (await row(id)).attempts]).toEqual(["failed", MAX_ATTEMPTS]);
    await runScheduled(env, at + 86_400_000);
    expect((await row(id)).status).toBe("failed");
  });
});

describe("exactly once", () => {
  it("sends each of many emails once when deliveries overlap", async () => {
    const now = Date.now();
    const recipients = Array.from({ length: 12 }, unique);
    const ids: string[] = [];
    for (const r of recipients) ids.push(await queueEmail(r, now));
    // Four runs over the same rows at once, two of them naming the rows as a request's would.
    await Promise.all([deliverDue(env, now), deliverDue(env, now, ids), deliverDue(env, now), deliverDue(env, now, ids)]);
    const rows = await db.select().from(outbox).where(inArray(outbox.id, ids));
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ["sent", 1]));
    const mails = await db.select().from(devMailbox).where(inArray(devMailbox.recipient, recipients));
    // Each recipient: its acknowledgement and the one email queued by hand.
    expect(recipients.map((r) => mails.filter((m) => m.recipient === r).length)).toEqual(recipients.map(() => 2));
  });

  it("leaves a row a dead delivery had leased until the lease ends, then sends it once", async () => {
    const email = unique();
    const now = Date.now();
    const id = await queueEmail(email, now);
    // What a run that died after leasing leaves behind.
    await db
      .update(outbox)
      .set({ leasedUntil: now + 60_000 })
      .where(eq(outbox.id, id));
    await deliverDue(env, now + 59_000);
    expect((await row(id)).status).toBe("queued");
    await deliverDue(env, now + 60_000);
    await deliverDue(env, now + 60_001);
    expect([(await row(id)).status, (await row(id)).attempts]).toEqual(["sent", 1]);
    expect(await mailTo(email)).toHaveLength(2);
  });
});
