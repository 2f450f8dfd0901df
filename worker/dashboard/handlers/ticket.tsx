import { and, asc, eq, isNull } from "drizzle-orm";
import { type Context, Hono } from "hono";
import type { WindowResult } from "../../../schema/api.ts";
import { accounts, incidents, meetings, outbox, quotes, sites, staff, ticketEvents, timeEntries } from "../../../schema/db.ts";
import type { Policy } from "../../../schema/policy.ts";
import { downloadFile, ticketFiles } from "../../attachments/download.ts";
import { messageBody, staffReplyWithFiles } from "../../attachments/messages.ts";
import { formFiles, isMultipart } from "../../attachments/upload.ts";
import { bill } from "../../engine/billing.ts";
import { durationMs, parseDuration } from "../../engine/duration.ts";
import { EngineError } from "../../engine/errors.ts";
import { computeWindow } from "../../engine/window.ts";
import { ApiError, problemStatus } from "../../errors.ts";
import { database, ownedRow } from "../../infra/db.ts";
import { policyAt } from "../../merchant/policy-versions.ts";
import { merchantTicket } from "../../tickets/access.ts";
import { contextOf, type TicketContext } from "../../tickets/commit.ts";
import {
  addNote,
  assignTicket,
  billingChoice,
  cancelMeeting,
  downgrade,
  linkIncident,
  logTime,
  quoteAction,
  requestInfo,
  resolveTicket,
  type StaffActor,
  scheduleMeeting,
  setOutcome,
  setPriority,
} from "../../tickets/lifecycle.ts";
import type { TicketRow } from "../../tickets/rows.ts";
import type { DashEnv } from "../env.ts";
import { endOfLocalDate, parseLocalDate, parseLocalDateTime, parseMoney } from "../format.ts";
import { type Form, FormCheck, readForm } from "../forms.ts";
import { billText, TicketPage, type TicketPageData } from "../pages/Ticket.tsx";
import { done, noticeFor, page } from "../render.tsx";

const DAY = 86_400_000;

/** The ticket with this reference, if it belongs to the staff member's merchant; else the one 404. */
function ownTicket(c: Context<DashEnv>, ref: string): Promise<TicketRow> {
  return merchantTicket(database(c.env.DB), c.var.session.merchant.id, ref);
}

function defaultCategory(policy: Policy, t: TicketRow): string {
  const fromType = policy.issueTypes.find((i) => i.id === t.issueType)?.category;
  return fromType ?? policy.billing?.defaultCategory ?? "";
}

/** The window as it was when the ticket arrived: why its due times are what they are, and its billing terms. */
function explain(policy: Policy, t: TicketRow): Pick<WindowResult, "explanation" | "billing"> {
  try {
    return computeWindow(policy, {
      issueType: t.issueType,
      priority: t.priority,
      at: t.receivedAt,
      locale: "en",
      ...(t.afterHoursChoice ? { afterHoursChoice: t.afterHoursChoice } : {}),
    });
  } catch (e) {
    if (e instanceof EngineError) return { explanation: [e.message] };
    throw e;
  }
}

async function pageData(c: Context<DashEnv>, t: TicketRow): Promise<TicketPageData> {
  const db = database(c.env.DB);
  const now = c.var.now;
  const merchantId = t.merchantId;
  const [policy, site, account, events, quote, entries, open, linked, ticketMeetings, emails, files, team, assignee] = await Promise.all([
    policyAt(db, merchantId, t.policyVersion),
    db.select({ name: sites.name }).from(sites).where(eq(sites.id, t.siteId)).get(),
    t.accountId
      ? ownedRow(db, accounts, { externalId: accounts.externalId, plan: accounts.plan }, merchantId, t.accountId)
      : Promise.resolve(undefined),
    db
      .select({ event: ticketEvents, staffName: staff.name })
      .from(ticketEvents)
      .leftJoin(staff, and(eq(staff.id, ticketEvents.staffId), eq(staff.merchantId, merchantId)))
      .where(eq(ticketEvents.ticketId, t.id))
      .orderBy(asc(ticketEvents.at), asc(ticketEvents.id)),
    db.query.quotes.findFirst({ where: eq(quotes.ticketId, t.id) }),
    db
      .select({ entry: timeEntries, staffName: staff.name })
      .from(timeEntries)
      .leftJoin(staff, and(eq(staff.id, timeEntries.staffId), eq(staff.merchantId, merchantId)))
      .where(eq(timeEntries.ticketId, t.id))
      .orderBy(asc(timeEntries.startedAt)),
    db
      .select({ id: incidents.id, title: incidents.title })
      .from(incidents)
      .where(and(eq(incidents.merchantId, merchantId), isNull(incidents.endedAt)))
      .orderBy(asc(incidents.startedAt))
      .limit(50),
    t.incidentId
      ? ownedRow(db, incidents, { title: incidents.title, endedAt: incidents.endedAt }, merchantId, t.incidentId)
      : Promise.resolve(undefined),
    db
      .select()
      .from(meetings)
      .where(and(eq(meetings.ticketId, t.id), eq(meetings.merchantId, merchantId)))
      .orderBy(asc(meetings.scheduledAt), asc(meetings.createdAt)),
    db
      .select({
        id: outbox.id,
        template: outbox.event,
        recipient: outbox.recipient,
        status: outbox.status,
        createdAt: outbox.createdAt,
        deliveredAt: outbox.deliveredAt,
        attempts: outbox.attempts,
        lastError: outbox.lastError,
      })
      .from(outbox)
      .where(and(eq(outbox.ticketId, t.id), eq(outbox.merchantId, merchantId), eq(outbox.channel, "email")))
      .orderBy(asc(outbox.createdAt))
      .limit(200),
    ticketFiles(db, t),
    db
      .select({ id: staff.id, name: staff.name })
      .from(staff)
      .where(and(eq(staff.merchantId, merchantId), eq(staff.status, "active")))
      .orderBy(asc(staff.name)),
    t.assigneeId ? ownedRow(db, staff, { name: staff.name }, merchantId, t.assigneeId) : Promise.resolve(undefined),
  ]);
  const category = defaultCategory(policy, t);
  let preview: TicketPageData["billPreview"]["bill"] = null;
  if (policy.billing) {
    try {
      preview = bill(policy, now, 15, category || undefined, billingChoice(t));
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
    }
  }
  return {
    ticket: t,
    policy,
    siteName: site?.name ?? "—",
    account: account ?? null,
    events: events.map((e) => ({ ...e.event, staffName: e.staffName })),
    quote,
    timeEntries: entries.map((e) => ({ ...e.entry, staffName: e.staffName })),
    meetings: ticketMeetings,
    openIncidents: open,
    linkedIncident: linked ?? null,
    ...explain(policy, t),
    emails,
    files,
    team,
    assigneeName: assignee?.name ?? null,
    billPreview: { minutes: 15, category, bill: preview },
    quoteDefaults: {
      currency: policy.quotes?.currency ?? policy.billing?.currency ?? "USD",
      validUntil: now + (policy.quotes ? durationMs(parseDuration(policy.quotes.validFor)) : 30 * DAY),
    },
  };
}

const notices: Record<string, string> = {
  reply: "Reply sent to the customer.",
  note: "Internal note added. The customer does not see it.",
  assign: "Assignment saved.",
  "request-info": "Information requested: the clock is paused until the customer answers.",
  resolve: "Ticket resolved.",
  priority: "Priority set: due times were recomputed from the original contact.",
  downgrade: "Priority downgraded.",
  outcome: "Outcome recorded.",
  time: "Time logged.",
  quote: "Quote updated.",
  incident: "Ticket linked to the incident.",
  meeting: "Meeting scheduled.",
  "meeting-cancel": "Cancellation recorded: the meeting's fee, if any, is in the time log.",
};

async function show(c: Context<DashEnv>, t: TicketRow, opts: { status?: number; error?: ApiError } = {}) {
  const data = await pageData(c, t);
  return page(
    c,
    { title: t.ref, section: "queue", ...(opts.status ? { status: opts.status } : {}) },
    <TicketPage
      data={data}
      session={c.var.session}
      now={c.var.now}
      notice={noticeFor(notices, c.req.query("done"))}
      error={opts.error?.message}
      errors={opts.error?.errors}
    />,
  );
}

/** A ticket's page and its actions. */
export const ticket = new Hono<DashEnv>();

ticket.get("/tickets/:ref", async (c) => show(c, await ownTicket(c, c.req.param("ref"))));

/**
 * Runs one staff transition of the ticket lifecycle (tickets/lifecycle.ts), which does the scoping,
 * the state machine's guard and the atomic write; a refusal (conflict, invalid field) re-renders the
 * page with the reason.
 */
function act(
  name: string,
  run: (a: {
    ctx: TicketContext;
    policy: Policy;
    staff: StaffActor;
    form: Form;
    now: number;
    env: Env;
    c: Context<DashEnv>;
  }) => Promise<unknown>,
) {
  ticket.post(`/tickets/:ref/${name}`, async (c) => {
    const ctx = await contextOf(database(c.env.DB), await ownTicket(c, c.req.param("ref")));
    const staff: StaffActor = { staffId: c.var.session.staff.id, merchantId: c.var.session.merchant.id };
    try {
      await run({ ctx, policy: ctx.policy, staff, form: await readForm(c), now: c.var.now, env: c.env, c });
    } catch (e) {
      if (
        e instanceof ApiError &&
        (e.code === "conflict" || e.code === "validation-failed" || e.code === "attachments-refused" || e.code === "payload-too-large")
      ) {
        // Show the ticket as it is now, which may be what changed meanwhile.
        return show(c, await ownTicket(c, ctx.ticket.ref), { status: problemStatus[e.code], error: e });
      }
      throw e;
    }
    return done(c, `/dashboard/tickets/${ctx.ticket.ref}`, name);
  });
}

function body(form: Form, required: boolean): string | undefined {
  const check = new FormCheck(form);
  const text = check.text("body", { min: required ? 1 : 0, max: 5000, label: "a message" });
  check.done();
  return text || undefined;
}

ticket.get("/tickets/:ref/files/:id", async (c) => {
  const t = await ownTicket(c, c.req.param("ref"));
  return downloadFile(c.env, database(c.env.DB), t, c.req.param("id"));
});

// A reply with files (multipart) or without; the text may be left out when files are attached.
act("reply", async ({ ctx, staff, now, env, c }) => {
  const { fields, files } = isMultipart(c) ? await formFiles(c) : { fields: await readForm(c), files: [] };
  return staffReplyWithFiles(env, ctx, staff, messageBody(fields.body, files), files, now);
});
act("request-info", ({ ctx, staff, form, now, env }) => requestInfo(env, ctx, staff, body(form, true) as string, now));
act("resolve", ({ ctx, staff, form, now, env }) => resolveTicket(env, ctx, staff, body(form, false), now));
act("priority", ({ ctx, staff, form, now, env }) => setPriority(env, ctx, staff, (form.priority ?? "").trim(), now));
act("downgrade", ({ ctx, staff, now, env }) => downgrade(env, ctx, staff, now));
act("note", ({ ctx, staff, form, now, env }) => addNote(env, ctx, staff, body(form, true) as string, now));
act("outcome", ({ ctx, staff, form, now, env }) => setOutcome(env, ctx, staff, (form.outcome ?? "").trim(), now));
act("assign", ({ ctx, staff, form, now, env }) => assignTicket(env, ctx, staff, (form.assignee ?? "").trim() || null, now));
act("incident", ({ ctx, staff, form, now, env }) => linkIncident(env, ctx, staff, (form.incidentId ?? "").trim(), now));

/** Reads a time entry from a form or query: start (local, in the policy's zone), minutes, category. */
function timeEntry(input: Form, policy: Policy, now: number) {
  const check = new FormCheck(input);
  const startedAt = parseLocalDateTime((input.startedAt ?? "").trim(), policy.timeZone);
  if (startedAt === null) check.fail("startedAt", "Enter the date and time the work started");
  else if (startedAt > now + 60_000) check.fail("startedAt", "Work cannot start in the future");
  const minutes = check.integer("minutes", 1, 100_000);
  const categories = Object.keys(policy.billing?.categories ?? {});
  const category = input.category ? check.oneOf("category", categories, "Choose a billing category") : undefined;
  const note = check.text("note", { max: 500 });
  check.done();
  return { startedAt: startedAt as number, minutes, ...(category ? { category } : {}), ...(note ? { note } : {}) };
}

act("time", ({ ctx, policy, staff, form, now, env }) => logTime(env, ctx, staff, timeEntry(form, policy, now), now));

ticket.get("/tickets/:ref/bill-preview", async (c) => {
  const t = await ownTicket(c, c.req.param("ref"));
  const policy = await policyAt(database(c.env.DB), t.merchantId, t.policyVersion);
  if (!policy.billing) return c.json({ detail: "This policy has no billing rules" }, 409);
  try {
    const entry = timeEntry(c.req.query(), policy, c.var.now);
    const b = bill(policy, entry.startedAt, entry.minutes, entry.category, billingChoice(t));
    return c.json({ text: billText(b), billedMinutes: b.billedMinutes, rateClass: b.rateClass, billable: b.billable, amount: b.amount });
  } catch (e) {
    if (e instanceof ApiError) return c.json({ detail: e.errors?.[0]?.message ?? e.message, errors: e.errors ?? [] }, 400);
    if (e instanceof EngineError) return c.json({ detail: e.message }, 400);
    throw e;
  }
});

act("quote", ({ ctx, policy, staff, form, now, env }) => {
  const check = new FormCheck(form);
  const kind = check.oneOf("action", ["send", "revise", "plan", "deliver"] as const);
  const note = check.text("note", { max: 5000 }) || undefined;
  if (kind === "send" || kind === "revise") {
    const currency = check.text("currency", { min: 1, max: 3, label: "a currency" }).toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) check.fail("currency", "Use an ISO 4217 code such as USD");
    const amount = /^[A-Z]{3}$/.test(currency) ? parseMoney(form.amount ?? "", currency) : null;
    if (amount === null || amount <= 0) check.fail("amount", "Enter a positive amount such as 1250.00");
    const day = parseLocalDate((form.validUntil ?? "").trim(), policy.timeZone);
    if (day === null) check.fail("validUntil", "Enter the last day the quote is valid");
    check.done();
    const validUntil = endOfLocalDate(day as number, policy.timeZone);
    return quoteAction(env, ctx, staff, { type: "send", amount: amount as number, currency, validUntil }, now, note);
  }
  if (kind === "plan") {
    const day = parseLocalDate((form.plannedFor ?? "").trim(), policy.timeZone);
    if (day === null) check.fail("plannedFor", "Enter the planned delivery date");
    check.done();
    return quoteAction(env, ctx, staff, { type: "plan", plannedFor: day as number }, now, note);
  }
  check.done();
  return quoteAction(env, ctx, staff, { type: "deliver" }, now, note);
});

/** A local date and time field in the policy's zone, or a field error. */
function localInstant(check: FormCheck, form: Form, name: string, timeZone: string, message: string): number {
  const at = parseLocalDateTime((form[name] ?? "").trim(), timeZone);
  if (at === null) check.fail(name, message);
  return at as number;
}

act("meeting", ({ ctx, policy, staff, form, now, env }) => {
  const check = new FormCheck(form);
  const at = localInstant(check, form, "scheduledAt", policy.timeZone, "Enter the meeting's date and time");
  check.done();
  return scheduleMeeting(env, ctx, staff, at, now);
});

act("meeting-cancel", ({ ctx, policy, staff, form, now, env }) => {
  const check = new FormCheck(form);
  const meetingId = check.text("meetingId", { min: 1, max: 60, label: "a meeting" });
  const cancelledAt = localInstant(check, form, "cancelledAt", policy.timeZone, "Enter when the customer called it off");
  if (cancelledAt > now + 60_000) check.fail("cancelledAt", "A cancellation cannot be in the future");
  const moved = (form.rescheduleTo ?? "").trim();
  const rescheduleTo = moved ? localInstant(check, form, "rescheduleTo", policy.timeZone, "Enter the new date and time") : undefined;
  check.done();
  return cancelMeeting(env, ctx, staff, { meetingId, cancelledAt, rescheduleTo }, now);
});
