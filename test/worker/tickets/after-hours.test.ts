import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { tickets, timeEntries } from "../../../schema/db.ts";
import type { AfterHoursChoice } from "../../../worker/engine/billing.ts";
import { type SiteContext, siteByKey } from "../../../worker/merchant/site-context.ts";
import { createTicket } from "../../../worker/tickets/create.ts";
import { logTime } from "../../../worker/tickets/lifecycle.ts";
import { signedIn } from "../dashboard/helpers.ts";
import { db, seed, ticketContext } from "../helpers.ts";

// eCellar: "User error: Wait until next business day for Support to address, or $225/hour ($300
// holiday) to address/fix." The customer's choice is recorded on the ticket and decides its terms.

const SATURDAY_10 = Date.parse("2026-11-21T10:00:00-08:00");
const SATURDAY_22 = Date.parse("2026-11-21T22:00:00-08:00");
const WEDNESDAY_10 = Date.parse("2026-11-18T10:00:00-08:00");
const agent = { staffId: "st_ecellar_agent", merchantId: "m_ecellar" };

let site: SiteContext;
beforeAll(async () => {
  await seed(SATURDAY_10);
  site = (await siteByKey(db, "demo-ecellar", SATURDAY_10)) as SiteContext;
});

/** A user-error ticket received at `now`, with the customer's choice when they made one. */
async function userError(now: number, afterHoursChoice?: AfterHoursChoice) {
  const { created } = await createTicket(
    env,
    site,
    {
      issueType: "setup-problem",
      severity: "normal",
      email: "ops@ridgeview.test",
      description: "The auto-discount is not applying.",
      ...(afterHoursChoice ? { afterHoursChoice } : {}),
    },
    { idempotency: { key: crypto.randomUUID(), requestHash: "h" }, caps: [{ key: `test:${crypto.randomUUID()}`, limit: 100 }], now },
  );
  const row = await db.query.tickets.findFirst({ where: eq(tickets.ref, created.reference) });
  if (!row) throw new Error("no ticket");
  return { created, row };
}

describe("the out-of-hours choice on a ticket", () => {
  it("records 'now' and makes the first response due within the hour", async () => {
    const { row, created } = await userError(SATURDAY_10, "now");
    expect(row.afterHoursChoice).toBe("now");
    expect(row.firstResponseDueAt).toBe(SATURDAY_10 + 3_600_000);
    expect(created.window.firstResponse?.dueAt).toBe("2026-11-21T19:00:00Z");
  });

  it("records 'wait' when the customer did not choose, due at the next business day's close", async () => {
    const { row } = await userError(SATURDAY_10);
    expect(row.afterHoursChoice).toBe("wait");
    expect(row.firstResponseDueAt).toBe(Date.parse("2026-11-23T17:00:00-08:00"));
  });

  it("records no choice in support hours, where none is offered", async () => {
    const { row } = await userError(WEDNESDAY_10, "now");
    expect(row.afterHoursChoice).toBeNull();
  });

  it("bills a waiting customer's time at the standard rate, even when the work is done at night", async () => {
    const { row } = await userError(SATURDAY_10, "wait");
    const { bill } = await logTime(
      env,
      await ticketContext(row),
      agent,
      { startedAt: SATURDAY_22, minutes: 60, category: "user-error" },
      SATURDAY_22 + 3_600_000,
    );
    expect(bill).toMatchObject({ rateClass: "standard", amount: { amount: 15000, currency: "USD" } });
  });

  it("bills time for a customer who chose now at the after-hours rate", async () => {
    const { row } = await userError(SATURDAY_10, "now");
    await logTime(
      env,
      await ticketContext(row),
      agent,
      { startedAt: SATURDAY_22, minutes: 60, category: "user-error" },
      SATURDAY_22 + 3_600_000,
    );
    const [entry] = await db.select().from(timeEntries).where(eq(timeEntries.ticketId, row.id));
    expect(entry).toMatchObject({ rateClass: "after-hours", amount: 22500 });
  });

  it("shows staff the customer's choice and the terms it allows", async () => {
    const { created } = await userError(SATURDAY_10, "now");
    const staff = await signedIn("agent@ecellar.demo");
    const html = await (await staff.get(`/dashboard/tickets/${created.reference}`)).text();
    expect(html).toContain("<dt>Out of hours</dt><dd>addressed now: time out of hours is billed at the out-of-hours rate</dd>");
  });
});
