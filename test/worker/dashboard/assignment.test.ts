import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { devMailbox, merchants, outbox, staff, ticketEvents, tickets } from "../../../schema/db.ts";
import { segmentStatement, segmentsFor } from "../../../worker/dashboard/queue.ts";
import { assignTicket } from "../../../worker/tickets/lifecycle.ts";
import { call, createTicket, db, seed, settleEmails, ticketContext, ticketRow } from "../helpers.ts";
import { around } from "../security/support/http.ts";
import { changed } from "../security/support/state.ts";
import { customerOn } from "../status/helpers.ts";
import { type Browser, createStaff, signedIn } from "./helpers.ts";

let agent: Browser;
let admin: Browser;
let other: Browser;

beforeAll(async () => {
  await seed();
  // A webhook, so the tests below can show that assignment and notes send none.
  await db.update(merchants).set({ webhookUrl: "http://127.0.0.1:9/hook", webhookSecret: "s3cret" }).where(eq(merchants.id, "m_ecellar"));
  agent = await signedIn("agent@ecellar.demo");
  admin = await signedIn("admin@ecellar.demo");
  other = await signedIn("agent@commerceup.demo");
});

const text = (html: string) => html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");
let n = 0;
const email = () => `assign.${++n}.${crypto.randomUUID().slice(0, 6)}@example.test`;

/** Posts an assignment as `by`: the answer, and what changed in D1 around it. */
async function assignAround(by: Browser, reference: string, assignee: string) {
  const { result, before, after } = await around(() => by.post(`/dashboard/tickets/${reference}/assign`, { assignee }));
  return { result, changes: changed(before, after) };
}

/** A fresh ecellar ticket filed through the public API. */
async function newTicket() {
  const created = await createTicket("demo-ecellar", { email: email() });
  return { ...created, row: await ticketRow(created.reference) };
}

const eventsOf = (ticketId: string) => db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(ticketEvents.id);
const outboxOf = (ticketId: string) => db.select().from(outbox).where(eq(outbox.ticketId, ticketId));

describe("assigning a ticket", () => {
  it("an agent takes a ticket: it is theirs, with an internal event on the timeline and nothing sent", async () => {
    const { reference, row } = await newTicket();
    const before = (await outboxOf(row.id)).length;
    const res = await agent.post(`/dashboard/tickets/${reference}/assign`, { assignee: "st_ecellar_agent" });
    expect(res.status).toBe(303);
    expect((await ticketRow(reference)).assigneeId).toBe("st_ecellar_agent");
    const [event] = (await eventsOf(row.id)).filter((e) => e.type === "assigned");
    expect(event).toMatchObject({
      public: false,
      actor: "staff",
      staffId: "st_ecellar_agent",
      data: { from: null, to: "st_ecellar_agent" },
    });
    expect((await outboxOf(row.id)).length).toBe(before);
    const page = text(await (await agent.get(`/dashboard/tickets/${reference}`)).text());
    expect(page).toMatch(/Assigned to .*\(you\)/);
    expect(page).toContain("Assigned · eCellar Agent");
    expect(page).not.toContain("Take this ticket");
  });

  it("offers 'Take this ticket' while it is not the member's", async () => {
    const { reference } = await newTicket();
    const html = await (await agent.get(`/dashboard/tickets/${reference}`)).text();
    expect(html).toContain("Take this ticket");
    expect(html).toContain('name="assignee" value="st_ecellar_agent"');
  });

  it("assigns to a colleague and back to nobody", async () => {
    const { reference, row } = await newTicket();
    expect((await admin.post(`/dashboard/tickets/${reference}/assign`, { assignee: "st_ecellar_agent" })).status).toBe(303);
    expect((await admin.post(`/dashboard/tickets/${reference}/assign`, { assignee: "" })).status).toBe(303);
    expect((await ticketRow(reference)).assigneeId).toBeNull();
    const assigned = (await eventsOf(row.id)).filter((e) => e.type === "assigned").map((e) => e.data);
    expect(assigned).toEqual([
      { from: null, to: "st_ecellar_agent", toName: expect.any(String) },
      { from: "st_ecellar_agent", to: null, toName: null },
    ]);
  });

  it("assigning to whom it already is writes nothing", async () => {
    const { reference } = await newTicket();
    await agent.post(`/dashboard/tickets/${reference}/assign`, { assignee: "st_ecellar_agent" });
    const { result, changes } = await assignAround(agent, reference, "st_ecellar_agent");
    expect(result.status).toBe(303);
    expect(changes).toEqual([]);
  });

  it("refuses another merchant's staff member or a deactivated one (400), writing nothing", async () => {
    const { reference } = await newTicket();
    await createStaff({ id: "st_ecellar_gone", email: "gone@ecellar.test", merchantId: "m_ecellar" });
    await db.update(staff).set({ status: "deactivated" }).where(eq(staff.id, "st_ecellar_gone"));
    for (const assignee of ["st_commerceup_agent", "st_ecellar_gone", "st_nobody"]) {
      const { result, changes } = await assignAround(agent, reference, assignee);
      expect(result.status).toBe(400);
      expect(text(await result.text())).toContain("Choose an active member of your team");
      expect(changes).toEqual([]);
    }
  });

  it("is refused on a closed ticket (409)", async () => {
    const { reference, row } = await newTicket();
    await db.update(tickets).set({ status: "closed", closedAt: Date.now() }).where(eq(tickets.id, row.id));
    const res = await agent.post(`/dashboard/tickets/${reference}/assign`, { assignee: "st_ecellar_agent" });
    expect(res.status).toBe(409);
    expect((await ticketRow(reference)).assigneeId).toBeNull();
  });

  it("is the same 404 for another merchant's ticket, writing nothing", async () => {
    const { reference } = await newTicket();
    const { result, changes } = await assignAround(other, reference, "st_commerceup_agent");
    expect(result.status).toBe(404);
    expect(changes).toEqual([]);
  });

  it("is refused without the session's form token (403)", async () => {
    const { reference } = await newTicket();
    const res = await agent.request(`/dashboard/tickets/${reference}/assign`, { form: { _csrf: "forged", assignee: "st_ecellar_agent" } });
    expect(res.status).toBe(403);
    expect((await ticketRow(reference)).assigneeId).toBeNull();
  });

  it("commits optimistically: a ticket changed since it was read is a 409 and nothing is written", async () => {
    const { reference } = await newTicket();
    const stale = await ticketContext(reference);
    await agent.post(`/dashboard/tickets/${reference}/note`, { body: "changed meanwhile" });
    await expect(
      assignTicket(env, stale, { staffId: "st_ecellar_agent", merchantId: "m_ecellar" }, "st_ecellar_agent", Date.now()),
    ).rejects.toThrow(/changed meanwhile/);
    expect((await ticketRow(reference)).assigneeId).toBeNull();
  });
});

describe("the queue's Mine and Unassigned views", () => {
  it("Mine lists only the member's tickets, Unassigned only nobody's", async () => {
    const mine = await newTicket();
    const theirs = await newTicket();
    const nobody = await newTicket();
    await agent.post(`/dashboard/tickets/${mine.reference}/assign`, { assignee: "st_ecellar_agent" });
    await admin.post(`/dashboard/tickets/${theirs.reference}/assign`, { assignee: "st_ecellar_admin" });
    const mineHtml = await (await agent.get("/dashboard/queue?view=mine")).text();
    expect(mineHtml).toContain(mine.reference);
    expect(mineHtml).not.toContain(theirs.reference);
    expect(mineHtml).not.toContain(nobody.reference);
    const unassigned = await (await agent.get("/dashboard/queue?view=unassigned")).text();
    expect(unassigned).toContain(nobody.reference);
    expect(unassigned).not.toContain(mine.reference);
    expect(unassigned).not.toContain(theirs.reference);
    const all = text(await (await agent.get("/dashboard/queue")).text());
    for (const r of [mine, theirs, nobody]) expect(all).toContain(r.reference);
  });

  it("marks the current view and keeps it in the filter form", async () => {
    const html = await (await agent.get("/dashboard/queue?view=unassigned&status=open")).text();
    expect(html).toContain('<a href="/dashboard/queue?view=unassigned" aria-current="page">Unassigned</a>');
    expect(html).toContain('<input type="hidden" name="view" value="unassigned"/>');
  });

  it("another member's Mine does not show this member's tickets", async () => {
    const mine = await newTicket();
    await agent.post(`/dashboard/tickets/${mine.reference}/assign`, { assignee: "st_ecellar_agent" });
    expect(await (await admin.get("/dashboard/queue?view=mine")).text()).not.toContain(mine.reference);
  });

  it("walks the assignee indexes, with no sort step, for every segment of both views", async () => {
    const now = Date.now();
    for (const assignee of ["st_ecellar_agent", null]) {
      for (const status of [undefined, "open", "waiting-on-customer"] as const) {
        const filters = { assignee, ...(status ? { status } : {}) };
        for (const segment of segmentsFor(filters)) {
          const s = segmentStatement("m_ecellar", filters, segment, null, now, 51);
          const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${s.sql}`)
            .bind(...s.params)
            .all<{ detail: string }>();
          const details = plan.results.map((r) => r.detail).join(" | ");
          expect(details).toMatch(/USING (COVERING )?INDEX tickets_assignee_(due|queue)/);
          expect(details).not.toContain("TEMP B-TREE");
        }
      }
    }
  });
});

describe("internal notes", () => {
  const NOTE = "Customer is on the legacy plan — do not offer the upgrade discount.";

  it("are marked on the timeline as not shown to the customer", async () => {
    const { reference } = await newTicket();
    expect((await agent.post(`/dashboard/tickets/${reference}/note`, { body: NOTE })).status).toBe(303);
    const html = await (await agent.get(`/dashboard/tickets/${reference}`)).text();
    expect(html).toMatch(/<li class="internal note">.*Internal note — not shown to the customer/s);
    expect(text(html)).toContain(NOTE);
  });

  it("never reach the customer: not in the widget API, the status page, any email or any webhook", async () => {
    const { reference, accessToken, row } = await newTicket();
    await agent.post(`/dashboard/tickets/${reference}/note`, { body: NOTE });
    // A public reply after the note, so the customer's views have something staff wrote.
    await agent.post(`/dashboard/tickets/${reference}/reply`, { body: "We are on it." });
    await settleEmails();

    const api = await call(`/v1/tickets/${reference}`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    expect(api.status).toBe(200);
    const view = await api.text();
    expect(view).toContain("We are on it.");
    expect(view).not.toContain("legacy plan");
    expect(view).not.toContain('"note"');

    const { html } = await customerOn(reference);
    expect(html).toContain("We are on it.");
    expect(html).not.toContain("legacy plan");

    const rows = await outboxOf(row.id);
    expect(rows.some((r) => r.channel === "webhook")).toBe(true);
    expect(rows.map((r) => r.payload).join("\n")).not.toContain("legacy plan");
    expect(rows.map((r) => r.event)).not.toContain("ticket.note");
    const mails = await db.select().from(devMailbox).where(eq(devMailbox.recipient, row.email));
    expect(mails.length).toBeGreaterThan(0);
    for (const m of mails) {
      expect(m.text).not.toContain("legacy plan");
      expect(m.html).not.toContain("legacy plan");
    }
    const noteEvents = await db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, row.id), eq(ticketEvents.type, "note")));
    expect(noteEvents.map((e) => e.public)).toEqual([false]);
  });
});
