import { and, eq, inArray } from "drizzle-orm";
import { incidents, meetings, quotes, staff as staffTable, timeEntries } from "../../schema/db.ts";
import { type AfterHoursChoice, bill, cancellationCharge } from "../engine/billing.ts";
import { durationMs, parseDuration } from "../engine/duration.ts";
import { EngineError } from "../engine/errors.ts";
import { formatInstant } from "../engine/format.ts";
import { priorityOf, quotable } from "../engine/policy.ts";
import type { QuoteEvent } from "../engine/quote.ts";
import type { TimedSlaState } from "../engine/sla.ts";
import { iso } from "../engine/window.ts";
import { ApiError } from "../errors.ts";
import { randomId } from "../infra/crypto.ts";
import { countRows, database } from "../infra/db.ts";
import { type Change, commit, type NewEvent, type TicketContext } from "./commit.ts";
import { assertAllowed, type TicketAction } from "./machine.ts";
import { nextQuote, quoteColumns, quoteStateOf } from "./quote-state.ts";
import type { TicketRow } from "./rows.ts";

/*
 * Every transition of a ticket, whoever makes it and through whichever channel: the state machine's
 * guard (machine.ts), then the change, committed as one optimistic batch with its events and
 * notifications (commit.ts). Routes, dashboard handlers, the email handler and the cron only parse,
 * call one of these and render.
 */

/** A staff member acting on a ticket; every staff action is scoped to their merchant. */
export interface StaffActor {
  readonly staffId: string;
  readonly merchantId: string;
}

type Pauses = TicketRow["pauses"];

const closePauses = (p: Pauses, now: number): Pauses => p.map(([from, to]) => [from, to ?? now]);
const openPause = (p: Pauses, now: number): Pauses => (p.some(([, to]) => to === null) ? p : [...p, [now, null]]);

function guard(ctx: TicketContext, action: TicketAction, staff?: StaffActor): void {
  // A ticket of another merchant does not exist for this staff member.
  if (staff && ctx.ticket.merchantId !== staff.merchantId) throw new ApiError("not-found", "No such ticket");
  assertAllowed(action, ctx.ticket.status);
}

const by = (staff: StaffActor) => ({ actor: "staff" as const, staffId: staff.staffId });

// ——— The customer (widget, status page, email) ———

/** Whether a resolved ticket is still within its reopen window at `now`. */
export function reopenable(t: TicketRow, now: number): boolean {
  return t.status === "resolved" && t.reopenUntil !== null && now < t.reopenUntil;
}

/** How a customer's message arrived, where the channel matters to what follows it. */
export interface MessageOptions {
  /** False for a message that must get no automatic email (mail that was itself automatic): `data.autoReply: false` on its events. */
  readonly autoReply?: boolean;
  /** Rows written in the same batch (the inbound email it came from, the message's files). */
  readonly extra?: Change["extra"];
  /** More data on the message's event (the files it carries: attachments/store.ts filesData). */
  readonly data?: Record<string, unknown> | undefined;
}

function reopenChange(ctx: TicketContext, body: string, now: number, data?: Record<string, unknown>): Change {
  const t = ctx.ticket;
  if (!reopenable(t, now)) {
    throw new ApiError("conflict", "The time to reopen this request has passed: open a new request, and it will link to this one");
  }
  // The time it sat resolved does not count against us: it was waiting on the customer's word.
  return {
    changes: { status: "open", resolvedAt: null, reopenUntil: null, pauses: closePauses(t.pauses, now) },
    events: [
      { type: "customer-reply", actor: "customer", public: true, body, ...(data ? { data } : {}) },
      // Only the message lists its files; the reopening carries just whether mail may answer it.
      { type: "reopened", actor: "customer", public: true, ...(data?.autoReply === false ? { data: { autoReply: false } } : {}) },
    ],
  };
}

/**
 * A message from the customer: a follow-up on an open ticket, or the answer to an info request
 * (the clock resumes, or restarts where the policy analyses the request again). On a resolved ticket
 * within its reopen window it reopens the ticket, as a reply to "is it fixed?" would.
 */
export async function customerMessage(
  env: Env,
  ctx: TicketContext,
  body: string,
  now: number,
  opts: MessageOptions = {},
): Promise<TicketRow> {
  guard(ctx, "customer.message");
  const t = ctx.ticket;
  const merged = { ...opts.data, ...(opts.autoReply === false ? { autoReply: false } : {}) };
  const data = Object.keys(merged).length ? merged : undefined;
  const extra = opts.extra ? { extra: opts.extra } : {};
  if (t.status === "resolved") return commit(env, ctx, { ...reopenChange(ctx, body, now, data), ...extra }, now);
  const changes: Partial<TicketRow> = { status: "open" };
  if (t.status === "waiting-on-customer") {
    changes.pauses = closePauses(t.pauses, now);
    if (priorityOf(ctx.policy, t.priority).restartOnReply) {
      changes.restartedAt = now;
      changes.firstRespondedAt = null;
    }
  }
  return commit(
    env,
    ctx,
    { changes, events: [{ type: "customer-reply", actor: "customer", public: true, body, ...(data ? { data } : {}) }], ...extra },
    now,
  );
}

/** "Not fixed": reopens a resolved ticket within the policy's reopen window, with what is still wrong. */
export async function reopenTicket(env: Env, ctx: TicketContext, body: string, now: number): Promise<TicketRow> {
  guard(ctx, "customer.reopen");
  return commit(env, ctx, reopenChange(ctx, body, now), now);
}

/** The customer confirms the fix or withdraws the request; closing a closed ticket changes nothing. */
export async function closeByCustomer(env: Env, ctx: TicketContext, now: number): Promise<TicketRow> {
  guard(ctx, "customer.close");
  if (ctx.ticket.status === "closed") return ctx.ticket;
  return commit(
    env,
    ctx,
    {
      changes: { status: "closed", closedAt: now, reopenUntil: null, pauses: closePauses(ctx.ticket.pauses, now) },
      events: [{ type: "closed", actor: "customer", public: true }],
    },
    now,
  );
}

/** The customer accepts or declines the quote on their request. */
export async function decideQuote(env: Env, ctx: TicketContext, decision: "accept" | "decline", now: number): Promise<TicketRow> {
  guard(ctx, "customer.quote");
  const current = await database(env.DB).query.quotes.findFirst({ where: eq(quotes.ticketId, ctx.ticket.id) });
  if (!current) throw new ApiError("conflict", "There is no quote on this request yet");
  const next = nextQuote(quoteStateOf(current), { type: decision }, now);
  return commit(
    env,
    ctx,
    {
      changes: {},
      events: [
        {
          type: decision === "accept" ? "quote-accepted" : "quote-declined",
          actor: "customer",
          public: true,
          data: { revision: current.revision, amount: current.amount, currency: current.currency },
        },
      ],
      // The quote changes only if nobody changed it meanwhile (same status and revision).
      extra: (db) => [
        db
          .update(quotes)
          .set({ status: next.status, updatedAt: now })
          .where(and(eq(quotes.ticketId, current.ticketId), eq(quotes.status, current.status), eq(quotes.revision, current.revision))),
      ],
    },
    now,
  );
}

// ——— Staff (dashboard) ———

/** A reply the customer sees; the first one is the first response. `opts` carries its files (data and rows). */
export async function staffReply(
  env: Env,
  ctx: TicketContext,
  staff: StaffActor,
  body: string,
  now: number,
  opts: Pick<MessageOptions, "data" | "extra"> = {},
): Promise<TicketRow> {
  guard(ctx, "staff.reply", staff);
  const t = ctx.ticket;
  // Waiting stays waiting and resolved stays resolved: a reply there answers, it does not reopen.
  const status = t.status === "open" ? "responded" : t.status;
  return commit(
    env,
    ctx,
    {
      changes: { status, firstRespondedAt: t.firstRespondedAt ?? now },
      events: [{ type: "reply", ...by(staff), public: true, body, ...(opts.data ? { data: opts.data } : {}) }],
      ...(opts.extra ? { extra: opts.extra } : {}),
    },
    now,
  );
}

/** Asks the customer for information: counts as a response and pauses the clock until they answer. */
export async function requestInfo(env: Env, ctx: TicketContext, staff: StaffActor, body: string, now: number): Promise<TicketRow> {
  guard(ctx, "staff.request-info", staff);
  const t = ctx.ticket;
  return commit(
    env,
    ctx,
    {
      changes: { status: "waiting-on-customer", firstRespondedAt: t.firstRespondedAt ?? now, pauses: openPause(t.pauses, now) },
      events: [{ type: "info-requested", ...by(staff), public: true, body }],
    },
    now,
  );
}

/**
 * Marks the ticket resolved: the customer may confirm (close) it, or reopen it within the policy's
 * reopen window; after that the cron closes it. The clock stays paused meanwhile.
 */
export async function resolveTicket(
  env: Env,
  ctx: TicketContext,
  staff: StaffActor,
  body: string | undefined,
  now: number,
): Promise<TicketRow> {
  guard(ctx, "staff.resolve", staff);
  const t = ctx.ticket;
  const reopenUntil = now + durationMs(parseDuration(ctx.policy.reopenWindow));
  return commit(
    env,
    ctx,
    {
      changes: {
        status: "resolved",
        resolvedAt: now,
        reopenUntil,
        firstRespondedAt: t.firstRespondedAt ?? now,
        pauses: openPause(closePauses(t.pauses, now), now),
      },
      events: [{ type: "resolved", ...by(staff), public: true, ...(body ? { body } : {}), data: { reopenUntil: iso(reopenUntil) } }],
    },
    now,
  );
}

/**
 * Sets the final priority. Due times are recomputed from the original contact; lowering a
 * priority that has a downgrade target (C1 → C2) records the downgrade for the customer.
 */
export async function setPriority(env: Env, ctx: TicketContext, staff: StaffActor, priority: string, now: number): Promise<TicketRow> {
  guard(ctx, "staff.priority", staff);
  const t = ctx.ticket;
  if (!ctx.policy.priorities.some((p) => p.id === priority)) {
    throw new ApiError("validation-failed", undefined, { errors: [{ path: "priority", message: `Unknown priority "${priority}"` }] });
  }
  if (priority === t.priority) return t;
  const data = { from: t.priority, to: priority };
  const event: NewEvent =
    priorityOf(ctx.policy, t.priority).downgrade?.to === priority
      ? { type: "downgraded", ...by(staff), public: true, data }
      : { type: "priority-set", ...by(staff), public: false, data };
  return commit(env, ctx, { changes: { priority }, events: [event] }, now);
}

/** Lowers the priority to the one its policy names as the downgrade (C1 → C2). */
export async function downgrade(env: Env, ctx: TicketContext, staff: StaffActor, now: number): Promise<TicketRow> {
  const to = priorityOf(ctx.policy, ctx.ticket.priority).downgrade?.to;
  if (!to) throw new ApiError("conflict", "This priority has no downgrade");
  return setPriority(env, ctx, staff, to, now);
}

/** Records the analysis outcome (e.g. Level 1 "no bug"). */
export async function setOutcome(env: Env, ctx: TicketContext, staff: StaffActor, outcome: string, now: number): Promise<TicketRow> {
  guard(ctx, "staff.outcome", staff);
  if (!priorityOf(ctx.policy, ctx.ticket.priority).outcomes.some((o) => o.id === outcome)) {
    throw new ApiError("validation-failed", undefined, { errors: [{ path: "outcome", message: `Unknown outcome "${outcome}"` }] });
  }
  return commit(env, ctx, { changes: { outcome }, events: [{ type: "outcome-set", ...by(staff), public: true, data: { outcome } }] }, now);
}

/** Links the ticket to a known incident of the same merchant. */
export async function linkIncident(env: Env, ctx: TicketContext, staff: StaffActor, incidentId: string, now: number): Promise<TicketRow> {
  guard(ctx, "staff.incident", staff);
  const incident = await database(env.DB).query.incidents.findFirst({ where: eq(incidents.id, incidentId) });
  if (!incident || incident.merchantId !== staff.merchantId) throw new ApiError("not-found", "No such incident");
  return commit(
    env,
    ctx,
    { changes: { incidentId }, events: [{ type: "incident-linked", ...by(staff), public: true, body: incident.title }] },
    now,
  );
}

/**
 * Assigns the ticket to an active staff member of its merchant, or to nobody (`null`). An internal
 * event on the timeline records who did it and for whom (with the assignee's name as it was then);
 * the customer is told nothing. Assigning it to whom it already is changes nothing.
 */
export async function assignTicket(
  env: Env,
  ctx: TicketContext,
  staff: StaffActor,
  assigneeId: string | null,
  now: number,
): Promise<TicketRow> {
  guard(ctx, "staff.assign", staff);
  const t = ctx.ticket;
  if (assigneeId === t.assigneeId) return t;
  let toName: string | null = null;
  if (assigneeId !== null) {
    const member = await database(env.DB)
      .select({ name: staffTable.name })
      .from(staffTable)
      .where(and(eq(staffTable.id, assigneeId), eq(staffTable.merchantId, t.merchantId), eq(staffTable.status, "active")))
      .get();
    if (!member) {
      throw new ApiError("validation-failed", undefined, {
        errors: [{ path: "assignee", message: "Choose an active member of your team" }],
      });
    }
    toName = member.name;
  }
  return commit(
    env,
    ctx,
    {
      changes: { assigneeId },
      events: [{ type: "assigned", ...by(staff), public: false, data: { from: t.assigneeId, to: assigneeId, toName } }],
    },
    now,
  );
}

/** An internal note: on the staff timeline only, never shown to the customer. */
export async function addNote(env: Env, ctx: TicketContext, staff: StaffActor, body: string, now: number): Promise<TicketRow> {
  guard(ctx, "staff.note", staff);
  return commit(env, ctx, { changes: {}, events: [{ type: "note", ...by(staff), public: false, body }] }, now);
}

const quoteEventType = {
  send: "quote-sent",
  plan: "quote-planned",
  deliver: "quote-delivered",
  accept: "quote-accepted",
  decline: "quote-declined",
  expire: "quote-expired",
  "request-info": "info-requested",
  answer: "customer-reply",
} as const;

/** Moves a ticket's quote through the quote machine (send, revise, plan, deliver). */
export async function quoteAction(
  env: Env,
  ctx: TicketContext,
  staff: StaffActor,
  event: QuoteEvent,
  now: number,
  note?: string,
): Promise<TicketRow> {
  guard(ctx, "staff.quote", staff);
  const t = ctx.ticket;
  const current = await database(env.DB).query.quotes.findFirst({ where: eq(quotes.ticketId, t.id) });
  // Only a quotable ticket starts a quote. A quote already on the ticket carries on if staff
  // later change the priority: the customer may have accepted it.
  if (!current && !quotable(ctx.policy, t.priority)) {
    throw new ApiError("conflict", `Priority ${t.priority} does not use the quote workflow, so this ticket cannot be quoted`);
  }
  const next = nextQuote(quoteStateOf(current), event, now);
  const values = { ...quoteColumns(next), note: note ?? current?.note ?? null, updatedAt: now };
  const data = {
    revision: next.revision,
    amount: next.amount,
    currency: next.currency,
    validUntil: next.validUntil ? iso(next.validUntil) : undefined,
    plannedFor: next.plannedFor ? iso(next.plannedFor) : undefined,
  };
  return commit(
    env,
    ctx,
    {
      changes: {
        status: event.type === "send" && t.status === "open" ? "responded" : t.status,
        firstRespondedAt: t.firstRespondedAt ?? now,
      },
      events: [{ type: quoteEventType[event.type], ...by(staff), public: true, ...(note ? { body: note } : {}), data }],
      extra: (db) => [
        current
          ? db
              .update(quotes)
              .set(values)
              .where(and(eq(quotes.ticketId, t.id), eq(quotes.revision, current.revision), eq(quotes.status, current.status)))
          : db.insert(quotes).values({ ticketId: t.id, merchantId: t.merchantId, ...values }),
      ],
    },
    now,
  );
}

/**
 * The out-of-hours choice time on a ticket is billed under: the customer's, where they were offered
 * one; otherwise waiting (standard terms), since nobody asked for the out-of-hours rate.
 */
export function billingChoice(t: Pick<TicketRow, "afterHoursChoice">): AfterHoursChoice {
  return t.afterHoursChoice ?? "wait";
}

/** Logs time on a ticket, priced by the policy at the time the work started. */
export async function logTime(
  env: Env,
  ctx: TicketContext,
  staff: StaffActor,
  entry: { startedAt: number; minutes: number; category?: string; note?: string },
  now: number,
): Promise<{ ticket: TicketRow; bill: ReturnType<typeof bill> }> {
  guard(ctx, "staff.time", staff);
  const policy = ctx.policy;
  if (!policy.billing) throw new ApiError("conflict", "This policy has no billing rules");
  let b: ReturnType<typeof bill>;
  try {
    // A customer who chose to wait is billed on standard terms, whenever the work is done.
    b = bill(policy, entry.startedAt, entry.minutes, entry.category, billingChoice(ctx.ticket));
  } catch (e) {
    if (e instanceof EngineError) throw new ApiError("validation-failed", e.message);
    throw e;
  }
  const t = ctx.ticket;
  const ticket = await commit(
    env,
    ctx,
    {
      changes: {},
      events: [
        {
          type: "time-logged",
          ...by(staff),
          public: false,
          data: { minutes: entry.minutes, billable: b.billable, billedMinutes: b.billedMinutes, rateClass: b.rateClass, amount: b.amount },
        },
      ],
      extra: (db) => [
        db.insert(timeEntries).values({
          id: randomId("te"),
          ticketId: t.id,
          merchantId: t.merchantId,
          staffId: staff.staffId,
          startedAt: entry.startedAt,
          minutes: entry.minutes,
          category: b.category,
          rateClass: b.rateClass,
          billable: b.billable,
          billedMinutes: b.billedMinutes,
          amount: b.amount.amount,
          currency: b.amount.currency,
          note: entry.note ?? null,
          createdAt: now,
        }),
      ],
    },
    now,
  );
  return { ticket, bill: b };
}

/** Whose meetings a ticket's are: cancellations count per customer, across their tickets. */
export function customerKey(t: Pick<TicketRow, "accountId" | "email">): string {
  return t.accountId ? `account:${t.accountId}` : `email:${t.email.toLowerCase()}`;
}

/** Books a meeting (call or video) with the ticket's customer. */
export async function scheduleMeeting(
  env: Env,
  ctx: TicketContext,
  staff: StaffActor,
  scheduledAt: number,
  now: number,
): Promise<TicketRow> {
  guard(ctx, "staff.meeting", staff);
  const t = ctx.ticket;
  if (!ctx.policy.meetings) throw new ApiError("conflict", "This policy has no meeting rules");
  return commit(
    env,
    ctx,
    {
      changes: {},
      events: [{ type: "meeting-scheduled", ...by(staff), public: false, data: { scheduledAt: iso(scheduledAt) } }],
      extra: (db) => [
        db.insert(meetings).values({
          id: randomId("mtg"),
          ticketId: t.id,
          merchantId: t.merchantId,
          customerKey: customerKey(t),
          scheduledAt,
          status: "scheduled",
          staffId: staff.staffId,
          createdAt: now,
          updatedAt: now,
        }),
      ],
    },
    now,
  );
}

/**
 * Records that the customer called a meeting off (cancelled it, or moved it to `rescheduleTo`) at
 * `cancelledAt`. The policy's rule decides the fee from the customer's earlier cancellations and the
 * notice given; a late one is billed as a time entry in the policy's meeting category, at the standard rate.
 */
export async function cancelMeeting(
  env: Env,
  ctx: TicketContext,
  staff: StaffActor,
  input: { meetingId: string; cancelledAt: number; rescheduleTo?: number | undefined },
  now: number,
): Promise<{ ticket: TicketRow; charge: ReturnType<typeof cancellationCharge> }> {
  guard(ctx, "staff.meeting", staff);
  const t = ctx.ticket;
  const policy = ctx.policy;
  const rules = policy.meetings;
  const billing = policy.billing;
  if (!rules || !billing) throw new ApiError("conflict", "This policy has no meeting rules");
  const db = database(env.DB);
  const meeting = await db.query.meetings.findFirst({
    where: and(eq(meetings.id, input.meetingId), eq(meetings.ticketId, t.id), eq(meetings.merchantId, t.merchantId)),
  });
  if (!meeting) throw new ApiError("not-found", "No such meeting");
  if (meeting.status !== "scheduled") throw new ApiError("conflict", "This meeting was already called off");
  const priorCancellations = await countRows(
    db,
    meetings,
    and(
      eq(meetings.merchantId, t.merchantId),
      eq(meetings.customerKey, meeting.customerKey),
      inArray(meetings.status, ["cancelled", "rescheduled"]),
    ),
  );
  const charge = cancellationCharge(policy, {
    priorCancellations,
    meetingAt: meeting.scheduledAt,
    cancelledAt: input.cancelledAt,
  });
  const feeEntryId = charge.chargeable ? randomId("te") : null;
  const status = input.rescheduleTo !== undefined ? "rescheduled" : "cancelled";
  const ticket = await commit(
    env,
    ctx,
    {
      changes: {},
      events: [
        {
          type: "meeting-cancelled",
          ...by(staff),
          public: false,
          data: {
            scheduledAt: iso(meeting.scheduledAt),
            cancelledAt: iso(input.cancelledAt),
            reason: charge.reason,
            ...(input.rescheduleTo !== undefined ? { rescheduledTo: iso(input.rescheduleTo) } : {}),
            ...(charge.chargeable ? { billedMinutes: charge.billedMinutes, amount: charge.amount } : {}),
          },
        },
      ],
      extra: (tx) => [
        // Only if nobody called it off meanwhile; the ticket's own guard then rolls everything back.
        tx
          .update(meetings)
          .set({ status, cancelledAt: input.cancelledAt, cancellationReason: charge.reason, feeEntryId, updatedAt: now })
          .where(and(eq(meetings.id, meeting.id), eq(meetings.status, "scheduled"))),
        ...(input.rescheduleTo !== undefined
          ? [
              tx.insert(meetings).values({
                id: randomId("mtg"),
                ticketId: t.id,
                merchantId: t.merchantId,
                customerKey: meeting.customerKey,
                scheduledAt: input.rescheduleTo,
                status: "scheduled",
                staffId: staff.staffId,
                createdAt: now,
                updatedAt: now,
              }),
            ]
          : []),
        ...(feeEntryId && charge.amount
          ? [
              tx.insert(timeEntries).values({
                id: feeEntryId,
                ticketId: t.id,
                merchantId: t.merchantId,
                staffId: staff.staffId,
                startedAt: input.cancelledAt,
                minutes: charge.billedMinutes,
                category: rules.category ?? billing.defaultCategory,
                rateClass: "standard",
                billable: true,
                billedMinutes: charge.billedMinutes,
                amount: charge.amount.amount,
                currency: charge.amount.currency,
                note: `Late cancellation of the meeting of ${formatInstant(meeting.scheduledAt, policy.timeZone, "en")}`,
                createdAt: now,
              }),
            ]
          : []),
      ],
    },
    now,
  );
  return { ticket, charge };
}

// ——— The system (cron) ———

/** Records that a ticket turned at risk or breached its next deadline (the cron selects by the SLA rule). */
export async function markSla(env: Env, ctx: TicketContext, state: Exclude<TimedSlaState, "on-track">, now: number): Promise<TicketRow> {
  guard(ctx, state === "breached" ? "system.breach" : "system.at-risk");
  const t = ctx.ticket;
  if (t.slaState === state || (state === "at-risk" && t.slaState === "breached")) return t;
  return commit(
    env,
    ctx,
    { changes: {}, events: [{ type: state, actor: "system", public: false, data: { dueAt: t.nextDueAt, priority: t.priority } }] },
    now,
  );
}

/** Expires the ticket's quote once its validity has passed. */
export async function expireQuote(env: Env, ctx: TicketContext, now: number): Promise<TicketRow> {
  guard(ctx, "system.quote-expiry");
  const current = await database(env.DB).query.quotes.findFirst({ where: eq(quotes.ticketId, ctx.ticket.id) });
  if (!current) return ctx.ticket;
  const next = nextQuote(quoteStateOf(current), { type: "expire" }, now);
  return commit(
    env,
    ctx,
    {
      changes: {},
      events: [{ type: "quote-expired", actor: "system", public: true, data: { revision: current.revision } }],
      extra: (db) => [
        db
          .update(quotes)
          .set({ status: next.status, updatedAt: now })
          .where(and(eq(quotes.ticketId, current.ticketId), eq(quotes.status, current.status), eq(quotes.revision, current.revision))),
      ],
    },
    now,
  );
}

/** Closes a resolved ticket whose reopen window has passed. */
export async function autoClose(env: Env, ctx: TicketContext, now: number): Promise<TicketRow> {
  guard(ctx, "system.auto-close");
  const t = ctx.ticket;
  if (reopenable(t, now)) throw new ApiError("conflict", "The reopen window is still open");
  return commit(
    env,
    ctx,
    {
      changes: { status: "closed", closedAt: now, reopenUntil: null, pauses: closePauses(t.pauses, now) },
      events: [{ type: "closed", actor: "system", public: true }],
    },
    now,
  );
}
