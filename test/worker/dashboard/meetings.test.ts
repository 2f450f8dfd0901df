import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { meetings, timeEntries } from "../../../schema/db.ts";
import { localDateTimeValue } from "../../../worker/dashboard/format.ts";
import { createTicket, db, seed, ticketRow } from "../helpers.ts";
import { type Browser, signedIn } from "./helpers.ts";

// eCellar: "A one-time cancellation or rescheduling will be allowed. A second cancellation, without
// at least 24 hours notice, will be billed at .25 hours according to the standard billing rate."

const LA = "America/Los_Angeles";
const HOUR = 3_600_000;
let ecellar: Browser;

beforeAll(async () => {
  await seed();
  ecellar = await signedIn("agent@ecellar.demo");
});

/** A ticket of its own customer (cancellations count per customer), with one meeting booked `inHours` from now. */
async function withMeeting(email: string, inHours: number) {
  const { reference } = await createTicket("demo-ecellar", { email });
  await ecellar.post(`/dashboard/tickets/${reference}/meeting`, { scheduledAt: localDateTimeValue(Date.now() + inHours * HOUR, LA) });
  return { reference, meeting: await scheduledMeeting(reference) };
}

async function scheduledMeeting(reference: string) {
  const t = await ticketRow(reference);
  const rows = await db.select().from(meetings).where(eq(meetings.ticketId, t.id));
  const open = rows.find((m) => m.status === "scheduled");
  if (!open) throw new Error("no scheduled meeting");
  return open;
}

function callOff(reference: string, meetingId: string, form: Record<string, string> = {}) {
  return ecellar.post(`/dashboard/tickets/${reference}/meeting-cancel`, {
    meetingId,
    cancelledAt: localDateTimeValue(Date.now(), LA),
    ...form,
  });
}

async function entries(reference: string) {
  return db
    .select()
    .from(timeEntries)
    .where(eq(timeEntries.ticketId, (await ticketRow(reference)).id));
}

describe("meetings on a ticket", () => {
  it("books a meeting staff can see on the ticket", async () => {
    const { reference, meeting } = await withMeeting("book@example.test", 48);
    expect(meeting.customerKey).toBe("email:book@example.test");
    const html = await (await ecellar.get(`/dashboard/tickets/${reference}`)).text();
    expect(html).toContain('<h2 id="meetings-h">Meetings</h2>');
    expect(html).toContain(
      "One cancellation or rescheduling is allowed; after that, calling a meeting off with less than 24 hours notice is billed 15 minutes at the standard rate ($37.50).",
    );
  });

  it("lets the first cancellation go free, even at an hour's notice", async () => {
    const { reference, meeting } = await withMeeting("first@example.test", 1);
    expect((await callOff(reference, meeting.id)).status).toBe(303);
    expect(await entries(reference)).toEqual([]);
    const html = await (await ecellar.get(`/dashboard/tickets/${reference}`)).text();
    expect(html).toContain("no fee: within the one cancellation allowed");
  });

  it("bills a second late cancellation by the same customer 15 minutes at the standard rate", async () => {
    const first = await withMeeting("second@example.test", 1);
    await callOff(first.reference, first.meeting.id);
    const again = await withMeeting("second@example.test", 5);
    expect((await callOff(again.reference, again.meeting.id)).status).toBe(303);
    expect(await entries(again.reference)).toEqual([
      expect.objectContaining({
        category: "meeting-cancellation",
        rateClass: "standard",
        billable: true,
        billedMinutes: 15,
        amount: 3750,
        currency: "USD",
      }),
    ]);
    const html = await (await ecellar.get(`/dashboard/tickets/${again.reference}`)).text();
    expect(html).toContain("$37.50 billed: late, with less than 24 hours notice");
    expect(html).toContain("<dt>Chargeable</dt><dd>yes: $37.50 billed for 15 min (Late meeting cancellation)</dd>");
  });

  it("lets a second cancellation with 24 hours' notice go free", async () => {
    const first = await withMeeting("notice@example.test", 1);
    await callOff(first.reference, first.meeting.id);
    const again = await withMeeting("notice@example.test", 30);
    await callOff(again.reference, again.meeting.id);
    expect(await entries(again.reference)).toEqual([]);
    expect(await (await ecellar.get(`/dashboard/tickets/${again.reference}`)).text()).toContain("no fee: at least 24 hours notice given");
  });

  it("counts a rescheduling as the allowed one, and books the new time", async () => {
    const { reference, meeting } = await withMeeting("moved@example.test", 2);
    await callOff(reference, meeting.id, { rescheduleTo: localDateTimeValue(Date.now() + 3 * HOUR, LA) });
    const moved = await scheduledMeeting(reference);
    expect(moved.id).not.toBe(meeting.id);
    await callOff(reference, moved.id);
    expect((await entries(reference)).map((e) => e.amount)).toEqual([3750]);
  });

  it("refuses a cancellation dated in the future", async () => {
    const { reference, meeting } = await withMeeting("future@example.test", 48);
    const res = await callOff(reference, meeting.id, { cancelledAt: localDateTimeValue(Date.now() + 2 * HOUR, LA) });
    expect(res.status).toBe(400);
    expect((await scheduledMeeting(reference)).id).toBe(meeting.id);
  });

  it("refuses to call the same meeting off twice", async () => {
    const { reference, meeting } = await withMeeting("twice@example.test", 48);
    await callOff(reference, meeting.id);
    expect((await callOff(reference, meeting.id)).status).toBe(409);
  });

  it("is the same 404 for a meeting of another ticket", async () => {
    const mine = await withMeeting("mine@example.test", 48);
    const other = await withMeeting("other@example.test", 48);
    expect((await callOff(mine.reference, other.meeting.id)).status).toBe(404);
  });
});
