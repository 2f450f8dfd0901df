import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tickets } from "../../../schema/db.ts";
import { db } from "../helpers.ts";
import { refOf, signedIn, signInBeforeAll } from "./helpers.ts";

const HOUR = 3_600_000;
const { commerceup, ecellar } = signInBeforeAll({ commerceup: "agent@commerceup.demo", ecellar: "agent@ecellar.demo" });

let batch = 0;

/** Inserts tickets for a merchant straight into D1 (the queue reads what the API wrote). */
async function insertTickets(merchant: string, n: number, shape: (i: number) => Partial<typeof tickets.$inferInsert>) {
  const now = Date.now();
  batch += 1;
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `tq_${merchant}_${i}_${crypto.randomUUID().slice(0, 8)}`,
    merchantId: `m_${merchant}`,
    siteId: `s_${merchant}`,
    // Counter-based, not random: 60 random suffixes of four characters collided now and then.
    ref: `RB-Q${(batch % 1000).toString().padStart(3, "0")}-${i.toString(36).toUpperCase().padStart(4, "0")}`,
    policyVersion: 1,
    issueType: "minor",
    severity: "low",
    classifiedPriority: "C4",
    priority: "C4",
    status: "open" as const,
    email: `queue-${i}@example.test`,
    description: "queued",
    locale: "en",
    chargeable: false,
    receivedAt: now - HOUR,
    pauses: [] as [number, number | null][],
    slaState: "on-track" as const,
    accessTokenHash: "x",
    createdAt: now,
    updatedAt: now,
    ...shape(i),
  }));
  for (const row of rows) await db.insert(tickets).values(row);
  return rows;
}

/** References in the order the page lists them. */
function refsIn(html: string): string[] {
  return [...html.matchAll(/<td><a href="\/dashboard\/tickets\/(RB-[0-9A-Z-]+)">/g)].map((m) => m[1] as string);
}

describe("queue", () => {
  it("lists open tickets soonest due first, those without a due time last", async () => {
    const html = await (await ecellar.get("/dashboard/queue")).text();
    const refs = refsIn(html);
    const rows = await Promise.all(refs.map((r) => db.query.tickets.findFirst({ where: eq(tickets.ref, r) })));
    const dues = rows.map((r) => r?.nextDueAt ?? null);
    const dated = dues.filter((d): d is number => d !== null);
    expect(dated).toEqual([...dated].sort((a, b) => a - b));
    expect(dues.slice(0, dated.length).every((d) => d !== null)).toBe(true);
  });

  it("shows only the staff member's own merchant's tickets", async () => {
    const html = await (await ecellar.get("/dashboard/queue")).text();
    expect(refsIn(html)).not.toContain(await refOf("t_commerceup_0"));
    expect(refsIn(html)).toContain(await refOf("t_ecellar_0"));
  });

  it("leaves resolved tickets out", async () => {
    const [row] = await insertTickets("ecellar", 1, () => ({ status: "resolved", nextDueAt: null, resolvedAt: Date.now() }));
    expect(refsIn(await (await ecellar.get("/dashboard/queue")).text())).not.toContain(row?.ref);
  });

  it("badges a ticket past its due time as breached even before the cron flips it", async () => {
    const [row] = await insertTickets("commerceup", 1, () => ({ nextDueAt: Date.now() - HOUR, atRiskAt: Date.now() - 2 * HOUR }));
    const html = await (await commerceup.get(`/dashboard/queue?q=${row?.ref}`)).text();
    expect(html).toContain('<span class="badge breached">breached</span>');
    expect(html).toMatch(/overdue<\/time>/);
  });

  it("badges a ticket waiting on the customer", async () => {
    const html = await (await ecellar.get("/dashboard/queue?status=waiting-on-customer")).text();
    expect(refsIn(html)).toEqual([await refOf("t_ecellar_2")]);
    expect(html).toContain('<span class="badge waiting">waiting on customer</span>');
  });

  it("shows a countdown to the next due time", async () => {
    // Half a minute of slack: the countdown shows whole minutes, rounded down.
    const [row] = await insertTickets("commerceup", 1, () => ({
      nextDueAt: Date.now() + 3 * HOUR + 30_000,
      atRiskAt: Date.now() + 2 * HOUR,
    }));
    const html = await (await commerceup.get(`/dashboard/queue?q=${row?.ref}`)).text();
    expect(html).toMatch(/<time datetime="[^"]+Z" data-countdown>in 3h 00m<\/time>/);
  });

  it("filters by priority", async () => {
    const html = await (await commerceup.get("/dashboard/queue?priority=C1")).text();
    const refs = refsIn(html);
    const rows = await Promise.all(refs.map((r) => db.query.tickets.findFirst({ where: eq(tickets.ref, r) })));
    expect(refs.length).toBeGreaterThan(0);
    expect(rows.every((r) => r?.priority === "C1")).toBe(true);
  });

  it("filters by SLA state (breached: due time passed)", async () => {
    await insertTickets("commerceup", 2, (i) => ({ nextDueAt: Date.now() - (i + 1) * HOUR }));
    const refs = refsIn(await (await commerceup.get("/dashboard/queue?sla=breached")).text());
    const rows = await Promise.all(refs.map((r) => db.query.tickets.findFirst({ where: eq(tickets.ref, r) })));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => (r?.nextDueAt ?? Number.POSITIVE_INFINITY) <= Date.now())).toBe(true);
  });

  it("filters by SLA state (paused: waiting on the customer)", async () => {
    const refs = refsIn(await (await ecellar.get("/dashboard/queue?sla=paused")).text());
    expect(refs).toEqual([await refOf("t_ecellar_2")]);
  });

  it("finds a ticket by reference, typed in any case", async () => {
    const ref = await refOf("t_ecellar_1");
    expect(refsIn(await (await ecellar.get(`/dashboard/queue?q=${ref.toLowerCase()}`)).text())).toEqual([ref]);
  });

  it("finds tickets by email prefix", async () => {
    const refs = refsIn(await (await ecellar.get("/dashboard/queue?q=ops%40ridge")).text());
    expect(refs).toEqual([await refOf("t_ecellar_1")]);
  });

  it("never finds another merchant's ticket", async () => {
    const ref = await refOf("t_commerceup_0");
    expect(refsIn(await (await ecellar.get(`/dashboard/queue?q=${ref}`)).text())).toEqual([]);
    expect(refsIn(await (await ecellar.get("/dashboard/queue?q=owner%40spice")).text())).toEqual([]);
  });
});

describe("queue pages", () => {
  it("walks every open ticket exactly once with keyset cursors, ties included", async () => {
    const base = Date.now() + 10 * HOUR;
    await insertTickets("easy-commission", 130, (i) => ({
      priority: "P4",
      classifiedPriority: "P4",
      issueType: "report-error",
      severity: "cosmetic",
      nextDueAt: i % 10 === 0 ? null : base + (i % 7) * HOUR,
      status: i % 10 === 0 ? "waiting-on-customer" : "open",
    }));
    const b = await signedIn("agent@easy-commission.demo");
    const seen: string[] = [];
    let href: string | null = "/dashboard/queue";
    let pages = 0;
    while (href) {
      const html: string = await (await b.get(href)).text();
      const refs = refsIn(html);
      expect(refs.length).toBeLessThanOrEqual(50);
      seen.push(...refs);
      href = /<a href="([^"]+)">Next page →<\/a>/.exec(html)?.[1]?.replaceAll("&amp;", "&") ?? null;
      pages += 1;
    }
    const open = await db
      .select({ ref: tickets.ref, status: tickets.status })
      .from(tickets)
      .where(eq(tickets.merchantId, "m_easy-commission"));
    const expected = open.filter((t) => t.status !== "resolved" && t.status !== "closed").map((t) => t.ref);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...expected].sort());
    expect(pages).toBe(Math.ceil(expected.length / 50));
  });

  it("keeps the filters on the next-page link", async () => {
    await insertTickets("ecshops", 60, () => ({ priority: "incident", classifiedPriority: "incident", nextDueAt: Date.now() + HOUR }));
    const b = await signedIn("agent@ecshops.demo");
    const html = await (await b.get("/dashboard/queue?priority=incident&sla=on-track")).text();
    expect(html).toMatch(/<a href="\/dashboard\/queue\?priority=incident&amp;sla=on-track&amp;after=[0-9.]+">Next page →<\/a>/);
  });

  it("starts from the first page when the cursor is not one", async () => {
    const res = await ecellar.get("/dashboard/queue?after=not-a-cursor");
    expect(res.status).toBe(200);
    expect(refsIn(await res.text()).length).toBeGreaterThan(0);
  });
});
