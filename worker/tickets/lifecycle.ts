import { eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { incidents, outbox, quotes, timeEntries } from "../../schema/db.ts";
import type { Policy } from "../../schema/policy.ts";
import { bill } from "../engine/billing.ts";
import { EngineError } from "../engine/errors.ts";
import { priorityOf, quotable } from "../engine/policy.ts";
import { applyQuote, initialQuote, type QuoteEvent, type QuoteState } from "../engine/quote.ts";
import { iso } from "../engine/window.ts";
import { ApiError } from "../errors.ts";
import { randomId } from "../infra/crypto.ts";
import { database } from "../infra/db.ts";
import { type NewEvent, saveTicket } from "./commit.ts";
import type { QuoteRow, TicketRow } from "./rows.ts";

/** Who acts, and on what: every staff action is scoped to the staff member's merchant. */
export interface Actor {
  readonly staffId: string;
  readonly merchantId: string;
}

function own(actor: Actor, t: TicketRow): void {
  // A ticket of another merchant does not exist for this actor.
  if (t.merchantId !== actor.merchantId) throw new ApiError("not-found", "No such ticket");
}

function open(t: TicketRow): void {
  if (t.status === "closed") throw new ApiError("conflict", "This ticket is closed");
}

const closePauses = (t: TicketRow, now: number) => t.pauses.map(([from, to]): [number, number | null] => [from, to ?? now]);

/** A reply the customer sees; the first one is the first response. */
export async function staffReply(env: Env, policy: Policy, t: TicketRow, actor: Actor, body: string, now: number) {
  own(actor, t);
  open(t);
  const status = t.status === "waiting-on-customer" ? t.status : "responded";
  return saveTicket(
    env,
    policy,
    t,
    { status, firstRespondedAt: t.firstRespondedAt ?? now },
    [{ type: "reply", actor: "staff", staffId: actor.staffId, public: true, body }],
    now,
  );
}

/** Asks the customer for information: counts as a response and pauses the clock until they answer. */
export async function requestInfo(env: Env, policy: Policy, t: TicketRow, actor: Actor, body: string, now: number) {
  own(actor, t);
  open(t);
  if (t.status === "waiting-on-customer") throw new ApiError("conflict", "Already waiting on the customer");
  return saveTicket(
    env,
    policy,
    t,
    { status: "waiting-on-customer", firstRespondedAt: t.firstRespondedAt ?? now, pauses: [...t.pauses, [now, null]] },
    [{ type: "info-requested", actor: "staff", staffId: actor.staffId, public: true, body }],
    now,
  );
}

/** Marks the ticket resolved; the customer can confirm (close) or reply to reopen it. */
export async function resolveTicket(env: Env, policy: Policy, t: TicketRow, actor: Actor, body: string | undefined, now: number) {
  own(actor, t);
  open(t);
  if (t.status === "resolved") throw new ApiError("conflict", "Already resolved");
  return saveTicket(
    env,
    policy,
    t,
    { status: "resolved", resolvedAt: now, firstRespondedAt: t.firstRespondedAt ?? now, pauses: closePauses(t, now) },
    [{ type: "resolved", actor: "staff", staffId: actor.staffId, public: true, ...(body ? { body } : {}) }],
    now,
  );
}

/**
 * Sets the final priority. Due times are recomputed from the original contact; lowering a
 * priority that has a downgrade target (C1 → C2) records the downgrade for the customer.
 */
export async function setPriority(env: Env, policy: Policy, t: TicketRow, actor: Actor, priority: string, now: number) {
  own(actor, t);
  open(t);
  try {
    priorityOf(policy, priority);
  } catch {
    throw new ApiError("validation-failed", undefined, { errors: [{ path: "priority", message: `Unknown priority "${priority}"` }] });
  }
  if (priority === t.priority) return t;
  const downgrade = priorityOf(policy, t.priority).downgrade?.to === priority;
  const events: NewEvent[] = [
    downgrade
      ? { type: "downgraded", actor: "staff", staffId: actor.staffId, public: true, data: { from: t.priority, to: priority } }
      : { type: "priority-set", actor: "staff", staffId: actor.staffId, public: false, data: { from: t.priority, to: priority } },
  ];
  return saveTicket(env, policy, t, { priority }, events, now);
}

/** Records the analysis outcome (e.g. Level 1 "no bug"). */
export async function setOutcome(env: Env, policy: Policy, t: TicketRow, actor: Actor, outcome: string, now: number) {
  own(actor, t);
  if (!priorityOf(policy, t.priority).outcomes.some((o) => o.id === outcome)) {
    throw new ApiError("validation-failed", undefined, { errors: [{ path: "outcome", message: `Unknown outcome "${outcome}"` }] });
  }
  return saveTicket(
    env,
    policy,
    t,
    { outcome },
    [{ type: "outcome-set", actor: "staff", staffId: actor.staffId, public: true, data: { outcome } }],
    now,
  );
}

/** Links the ticket to a known incident of the same merchant. */
export async function linkIncident(env: Env, policy: Policy, t: TicketRow, actor: Actor, incidentId: string, now: number) {
  own(actor, t);
  const incident = await database(env.DB).query.incidents.findFirst({ where: eq(incidents.id, incidentId) });
  if (!incident || incident.merchantId !== actor.merchantId) throw new ApiError("not-found", "No such incident");
  return saveTicket(
    env,
    policy,
    t,
    { incidentId },
    [{ type: "incident-linked", actor: "staff", staffId: actor.staffId, public: true, body: incident.title }],
    now,
  );
}

function stateOf(q: QuoteRow | undefined): QuoteState {
  if (!q) return initialQuote;
  return {
    status: q.status,
    revision: q.revision,
    ...(q.amount !== null ? { amount: q.amount } : {}),
    ...(q.currency !== null ? { currency: q.currency } : {}),
    ...(q.validUntil !== null ? { validUntil: q.validUntil } : {}),
    ...(q.plannedFor !== null ? { plannedFor: q.plannedFor } : {}),
  };
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

/** Moves a ticket's quote through the state machine (send, revise, plan, deliver). */
export async function quoteAction(env: Env, policy: Policy, t: TicketRow, actor: Actor, event: QuoteEvent, now: number, note?: string) {
  own(actor, t);
  open(t);
  const db = database(env.DB);
  const current = await db.query.quotes.findFirst({ where: eq(quotes.ticketId, t.id) });
  // Only a quotable ticket starts a quote. A quote already on the ticket carries on if staff
  // later change the priority: the customer may have accepted it.
  if (!current && !quotable(policy, t.priority)) {
    throw new ApiError("conflict", `Priority ${t.priority} does not use the quote workflow, so this ticket cannot be quoted`);
  }
  let next: QuoteState;
  try {
    next = applyQuote(stateOf(current), event, now);
  } catch (e) {
    if (e instanceof EngineError) throw new ApiError("conflict", e.message);
    throw e;
  }
  const values = {
    status: next.status,
    amount: next.amount ?? null,
    currency: next.currency ?? null,
    validUntil: next.validUntil ?? null,
    plannedFor: next.plannedFor ?? null,
    revision: next.revision,
    note: note ?? current?.note ?? null,
    updatedAt: now,
  };
  const write: BatchItem<"sqlite"> = current
    ? db.update(quotes).set(values).where(eq(quotes.ticketId, t.id))
    : db.insert(quotes).values({ ticketId: t.id, merchantId: t.merchantId, ...values });
  const data = {
    revision: next.revision,
    amount: next.amount,
    currency: next.currency,
    validUntil: next.validUntil ? iso(next.validUntil) : undefined,
    plannedFor: next.plannedFor ? iso(next.plannedFor) : undefined,
  };
  const notify = db.insert(outbox).values({
    id: randomId("evt"),
    merchantId: t.merchantId,
    event: `quote.${next.status}`,
    payload: JSON.stringify({ reference: t.ref, ...data }),
    nextAttemptAt: now,
    createdAt: now,
  });
  const status = event.type === "send" && t.status === "open" ? "responded" : t.status;
  return saveTicket(
    env,
    policy,
    t,
    { status, firstRespondedAt: t.firstRespondedAt ?? now },
    [{ type: quoteEventType[event.type], actor: "staff", staffId: actor.staffId, public: true, ...(note ? { body: note } : {}), data }],
    now,
    [write, notify],
  );
}

/** Logs time on a ticket, priced by the policy at the time the work started. */
export async function logTime(
  env: Env,
  policy: Policy,
  t: TicketRow,
  actor: Actor,
  entry: { startedAt: number; minutes: number; category?: string; note?: string },
  now: number,
) {
  own(actor, t);
  if (!policy.billing) throw new ApiError("conflict", "This policy has no billing rules");
  let b: ReturnType<typeof bill>;
  try {
    b = bill(policy, entry.startedAt, entry.minutes, entry.category);
  } catch (e) {
    if (e instanceof EngineError) throw new ApiError("validation-failed", e.message);
    throw e;
  }
  const db = database(env.DB);
  const insert = db.insert(timeEntries).values({
    id: randomId("te"),
    ticketId: t.id,
    merchantId: t.merchantId,
    staffId: actor.staffId,
    startedAt: entry.startedAt,
    minutes: entry.minutes,
    category: b.category,
    rateClass: b.rateClass,
    billedMinutes: b.billedMinutes,
    amount: b.amount.amount,
    currency: b.amount.currency,
    note: entry.note ?? null,
    createdAt: now,
  });
  const row = await saveTicket(
    env,
    policy,
    t,
    {},
    [
      {
        type: "time-logged",
        actor: "staff",
        staffId: actor.staffId,
        public: false,
        data: { minutes: entry.minutes, billedMinutes: b.billedMinutes, rateClass: b.rateClass, amount: b.amount },
      },
    ],
    now,
    [insert],
  );
  return { ticket: row, bill: b };
}
