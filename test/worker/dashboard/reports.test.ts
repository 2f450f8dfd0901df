import { and, eq, gte } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { tickets, timeEntries } from "../../../schema/db.ts";
import { localDateTimeValue, localDateValue, parseLocalDateTime } from "../../../worker/dashboard/format.ts";
import { csvField } from "../../../worker/dashboard/reports.ts";
import { createTicket, db, ticketRow } from "../helpers.ts";
import { signInBeforeAll } from "./helpers.ts";

const HOUR = 3_600_000;
const LA = "America/Los_Angeles";
const { ecellar, easy } = signInBeforeAll({ ecellar: "admin@ecellar.demo", easy: "agent@easy-commission.demo" });

/** A ticket for the attainment report, with the given progress. */
function attainmentTicket(i: number, over: Partial<typeof tickets.$inferInsert>) {
  const now = Date.now();
  return db.insert(tickets).values({
    id: `tr_${i}`,
    merchantId: "m_easy-commission",
    siteId: "s_easy-commission",
    ref: `RB-RPT${i}-0000`,
    policyVersion: 1,
    issueType: "access",
    severity: "problem",
    classifiedPriority: "P9",
    priority: "P9",
    status: "open",
    email: `r${i}@example.test`,
    description: "report",
    locale: "en",
    chargeable: false,
    receivedAt: now - 10 * HOUR,
    pauses: [],
    slaState: "on-track",
    accessTokenHash: "x",
    createdAt: now,
    updatedAt: now,
    ...over,
  });
}

/** A fresh eCellar ticket (with `ticket`'s creation fields) with time logged on it from an hour ago; the answer is its reference. */
async function ticketWithTime(entry: { minutes: string; category: string; note?: string }, ticket: Record<string, unknown> = {}) {
  const { reference } = await createTicket("demo-ecellar", ticket);
  await ecellar.post(`/dashboard/tickets/${reference}/time`, { startedAt: localDateTimeValue(Date.now() - HOUR, LA), ...entry });
  return reference;
}

beforeAll(async () => {
  const now = Date.now();
  await attainmentTicket(1, {
    status: "resolved",
    firstResponseDueAt: now - 8 * HOUR,
    firstRespondedAt: now - 9 * HOUR,
    resolutionDueAt: now - 2 * HOUR,
    resolvedAt: now - 3 * HOUR,
  });
  await attainmentTicket(2, {
    status: "resolved",
    firstResponseDueAt: now - 8 * HOUR,
    firstRespondedAt: now - 7 * HOUR,
    resolutionDueAt: now,
    resolvedAt: now - HOUR,
  });
  await attainmentTicket(3, { status: "open", firstResponseDueAt: now - HOUR, nextDueAt: now - HOUR });
  await attainmentTicket(4, { status: "open", firstResponseDueAt: now + HOUR, nextDueAt: now + HOUR });
});

describe("reports page", () => {
  it("draws attainment, volume and billable hours as inline SVG charts", async () => {
    await ticketWithTime({ minutes: "45", category: "training" });
    const html = await (await ecellar.get("/dashboard/reports")).text();
    expect(html.match(/<svg class="chart"/g)).toHaveLength(3);
    expect(html).toContain('<title id="attainment-title">SLA attainment per priority</title>');
    expect(html).toContain('<title id="volume-title">Tickets received per day</title>');
    expect(html).toContain('<title id="hours-title">Billable hours per rate class</title>');
  });

  it("counts met, missed and in-progress tickets per priority", async () => {
    const html = await (await easy.get("/dashboard/reports")).text();
    expect(html).toMatch(
      /<td>P9<\/td><td class="num">4<\/td><td class="num">1<\/td><td class="num">2<\/td><td class="num">1<\/td><td class="num">33\.3%<\/td>/,
    );
  });

  it("counts every ticket of the last 30 days in the volume chart", async () => {
    const html = await (await easy.get("/dashboard/reports")).text();
    const total = Number(/: (\d+) in total<\/desc>/.exec(html)?.[1]);
    const rows = await db
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(eq(tickets.merchantId, "m_easy-commission"), gte(tickets.receivedAt, Date.now() - 29 * 24 * HOUR)));
    expect(total).toBe(rows.length);
  });

  it("lists billable hours per rate class", async () => {
    const html = await (await ecellar.get("/dashboard/reports")).text();
    expect(html).toMatch(/<td>(standard|after-hours|holiday)<\/td><td class="num">\d+<\/td><td class="num">\d+\.\d\d<\/td>/);
  });
});

describe("time entry export", () => {
  const range = () => `from=${localDateValue(Date.now() - 2 * 24 * HOUR, LA)}&to=${localDateValue(Date.now(), LA)}`;
  /** The line of eCellar's export over that range that is about a ticket; "" when none is. */
  const exportLine = async (reference: string) => {
    const csv = await (await ecellar.get(`/dashboard/reports/time-entries.csv?${range()}`)).text();
    return csv.split("\r\n").find((l) => l.includes(reference)) ?? "";
  };

  it("downloads a CSV attachment", async () => {
    const res = await ecellar.get(`/dashboard/reports/time-entries.csv?${range()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="time-entries-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv"$/);
    expect((await res.text()).split("\r\n")[0]).toBe(
      "started_at_utc,started_at_local,reference,customer_email,customer_name,customer_account,staff_email,staff_name,category,category_label,rate_class,billed,minutes,billed_minutes,amount,currency,note",
    );
  });

  it("says whose request each entry was for", async () => {
    const reference = await ticketWithTime({ minutes: "15", category: "training" }, { email: "buyer@hillside.test", name: "Rosa Díaz" });
    const line = await exportLine(reference);
    expect(line).toContain(`,${reference},buyer@hillside.test,Rosa Díaz,,`);
    expect(line).toContain(",training,Training,");
  });

  it("exports time the plan includes as not billed, with no billed minutes", async () => {
    const reference = await ticketWithTime({ minutes: "20", category: "platform-error" });
    const line = await exportLine(reference);
    expect(line).toMatch(/,no,20,0,0\.00,USD,$/);
  });

  it("escapes notes with commas, quotes and line breaks, and defuses formulas", async () => {
    const formula = '=HYPERLINK("http://evil.test","click"), then "more"';
    const reference = await ticketWithTime({ minutes: "15", category: "service", note: formula });
    const line = await exportLine(reference);
    expect(line.endsWith(`,"'=HYPERLINK(""http://evil.test"",""click""), then ""more"""`)).toBe(true);
  });

  it("exports one line per entry of the merchant only", async () => {
    const reference = await ticketWithTime({ minutes: "30", category: "training" });
    const csv = await (await easy.get(`/dashboard/reports/time-entries.csv?${range()}`)).text();
    expect(csv).not.toContain(reference);
    const mine = await db
      .select()
      .from(timeEntries)
      .where(eq(timeEntries.ticketId, (await ticketRow(reference)).id));
    const ecellarCsv = await (await ecellar.get(`/dashboard/reports/time-entries.csv?${range()}`)).text();
    expect(ecellarCsv.split("\r\n").filter((l) => l.includes(reference))).toHaveLength(mine.length);
  });

  it("exports entries on the last day a date field can name (9999-12-31)", async () => {
    const { reference } = await createTicket("demo-ecellar");
    const t = await ticketRow(reference);
    const startedAt = parseLocalDateTime("9999-12-31T22:00", LA) as number;
    await db.insert(timeEntries).values({
      id: "te_far_future",
      ticketId: t.id,
      merchantId: t.merchantId,
      staffId: "st_ecellar_admin",
      startedAt,
      minutes: 15,
      category: "service",
      rateClass: "standard",
      billedMinutes: 15,
      amount: 3750,
      currency: "USD",
      createdAt: Date.now(),
    });
    const res = await ecellar.get("/dashboard/reports/time-entries.csv?from=9999-12-01&to=9999-12-31");
    expect(res.status).toBe(200);
    expect((await res.text()).split("\r\n").filter((l) => l.includes(reference))).toHaveLength(1);
  });

  it("refuses a range that ends before it starts", async () => {
    const res = await ecellar.get("/dashboard/reports/time-entries.csv?from=2026-02-10&to=2026-02-01");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<code>to</code>");
  });
});

describe("csvField", () => {
  it("leaves plain text as it is", () => {
    expect(csvField("standard")).toBe("standard");
  });

  it("quotes a field with a comma", () => {
    expect(csvField("a,b")).toBe('"a,b"');
  });

  it("doubles quotes inside a quoted field", () => {
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });

  it("quotes a field with a line break", () => {
    expect(csvField("one\ntwo")).toBe('"one\ntwo"');
  });

  it("prefixes text that a spreadsheet would run as a formula", () => {
    expect(["=1+1", "+1", "-1", "@SUM(A1)", "\tx"].map((v) => csvField(v))).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx"]);
  });

  it("writes numbers as numbers", () => {
    expect(csvField(-5)).toBe("-5");
  });

  it("writes null as an empty field", () => {
    expect(csvField(null)).toBe("");
  });
});
