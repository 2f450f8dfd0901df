import type { ComponentChildren } from "preact";
import type { WindowResult } from "../../../schema/api.ts";
import type { FieldError, Policy } from "../../../schema/policy.ts";
import { fileSize } from "../../attachments/content.ts";
import { EventFileList } from "../../attachments/file-list.tsx";
import type { AllowanceReason } from "../../engine/account.ts";
import type { Bill, BillingReason, CancellationReason } from "../../engine/billing.ts";
import { parseDuration } from "../../engine/duration.ts";
import { messages } from "../../engine/messages.ts";
import { quotable } from "../../engine/policy.ts";
import { allowed, type TicketAction } from "../../tickets/machine.ts";
import type { EventRow, MeetingRow, QuoteRow, TicketRow } from "../../tickets/rows.ts";
import { Lines } from "../../ui/lines.tsx";
import { Countdown, Csrf, Field, liveState, PostOutcome, Select, SlaBadge } from "../components/ui.tsx";
import type { StaffSession } from "../env.ts";
import { decimal, label, localDateTimeValue, localDateValue, money, when } from "../format.ts";

/** A timeline event with the name of the staff member who wrote it. */
export type TimelineEvent = EventRow & { staffName: string | null };

/** A logged time entry. */
export interface TimeEntryView {
  readonly id: string;
  readonly startedAt: number;
  readonly minutes: number;
  readonly billedMinutes: number;
  readonly category: string;
  readonly rateClass: string;
  readonly billable: boolean;
  readonly amount: number;
  readonly currency: string;
  readonly note: string | null;
  readonly staffName: string | null;
}

/** Everything the ticket page shows. */
export interface TicketPageData {
  readonly ticket: TicketRow;
  readonly policy: Policy;
  readonly siteName: string;
  readonly account: { externalId: string; plan: string | null } | null;
  readonly events: readonly TimelineEvent[];
  readonly quote: QuoteRow | undefined;
  readonly timeEntries: readonly TimeEntryView[];
  readonly meetings: readonly MeetingRow[];
  readonly openIncidents: readonly { id: string; title: string }[];
  readonly linkedIncident: { title: string; endedAt: number | null } | null;
  readonly explanation: readonly string[];
  /** The billing terms when the ticket arrived, when the policy bills. */
  readonly billing?: WindowResult["billing"];
  readonly billPreview: { minutes: number; category: string; bill: Bill | null };
  readonly quoteDefaults: { currency: string; validUntil: number };
  /** The emails this ticket caused, with their delivery state. */
  readonly emails: readonly EmailView[];
  /** The merchant's active staff, whom the ticket can be assigned to. */
  readonly team: readonly { id: string; name: string }[];
  /** The assignee's name (also when they have left the team since), or null when unassigned. */
  readonly assigneeName: string | null;
  /** Every file on the ticket, from the customer and staff. */
  readonly files: readonly { id: string; name: string; size: number; contentType: string; author: string; createdAt: number }[];
}

/** The files a timeline event carries (download links) and those a mail carried that were not kept. */
function EventFiles({ e, ref }: { e: { data: unknown }; ref: string }) {
  return (
    <EventFileList data={e.data} href={(id) => `/dashboard/tickets/${ref}/files/${encodeURIComponent(id)}`} notAttached="Not attached" />
  );
}

/** An email about the ticket, as its outbox row stands. */
export interface EmailView {
  readonly id: string;
  readonly template: string;
  readonly recipient: string | null;
  readonly status: string;
  readonly createdAt: number;
  readonly deliveredAt: number | null;
  readonly attempts: number;
  readonly lastError: string | null;
}

const emailText: Record<string, string> = {
  received: "Acknowledgement",
  reply: "Reply",
  "info-requested": "Information request",
  "quote-sent": "Quote",
  "quote-planned": "Planned date",
  "quote-delivered": "Delivered",
  resolved: "Resolution",
  "alert-new": "On-call alert",
  "alert-breach": "Breach alert",
};

/** One email's line on the timeline: what, to whom, and where its delivery stands. */
function EmailItem({ e, at }: { e: EmailView; at: (ms: number | null) => string }) {
  const state =
    e.status === "sent"
      ? `sent ${at(e.deliveredAt)}`
      : e.status === "queued"
        ? e.attempts > 0
          ? `queued, retrying after ${e.attempts} failed attempt${e.attempts === 1 ? "" : "s"} (${e.lastError ?? "unknown error"})`
          : "queued"
        : `${e.status}: ${e.lastError ?? "unknown error"}`;
  return (
    <li class="email">
      <div class="meta">
        <strong>Email: {emailText[e.template] ?? e.template}</strong> · to {e.recipient ?? "—"} · {at(e.createdAt)}{" "}
        <span class={`badge email-${e.status}`}>{e.status}</span>
      </div>
      <div>{state}</div>
    </li>
  );
}

const eventText: Record<string, string> = {
  created: "Ticket created",
  reply: "Reply",
  "info-requested": "Information requested (clock paused)",
  "customer-reply": "Customer replied",
  "priority-set": "Priority set",
  downgraded: "Downgraded",
  resolved: "Resolved",
  reopened: "Reopened",
  closed: "Closed",
  "at-risk": "At risk",
  breached: "Breached",
  "quote-sent": "Quote sent",
  "quote-accepted": "Quote accepted",
  "quote-declined": "Quote declined",
  "quote-expired": "Quote expired",
  "quote-planned": "Delivery planned",
  "quote-delivered": "Delivered",
  "time-logged": "Time logged",
  "incident-linked": "Linked to incident",
  "outcome-set": "Outcome set",
  note: "Internal note — not shown to the customer",
  assigned: "Assigned",
  "meeting-scheduled": "Meeting scheduled",
  "meeting-cancelled": "Meeting called off",
};

/** Why the case is free or chargeable against the allowance, as staff read it. */
const allowanceText: Record<AllowanceReason, string> = {
  "not-covered": "yes: not covered by product support",
  "allowance-used": "yes: beyond the free allowance",
  "allowance-left": "no: within the free allowance",
  "setup-assistance": "no: free setup assistance",
};

type Billing = NonNullable<WindowResult["billing"]>;

/** Why work on the request is charged or included, as staff read it. */
const billingText: Record<BillingReason, (b: Billing) => string> = {
  included: (b) => `no: ${b.category.label} is included in the plan`,
  "included-out-of-hours": (b) => `no: ${b.category.label} is included, even out of hours`,
  "billable-category": (b) => `yes: ${b.category.label} is billable`,
  "out-of-hours": (b) =>
    b.choice === "now"
      ? `yes: the customer chose to have it addressed out of hours, at the ${b.rateClass} rate`
      : b.billable
        ? `yes: ${b.category.label} is billable on standard terms (the customer chose to wait for support hours)`
        : `no: ${b.category.label} is included (the customer chose to wait for support hours)`,
};

/** The customer's out-of-hours choice, and the rate class it lets staff bill at. */
const choiceText: Record<NonNullable<TicketRow["afterHoursChoice"]>, string> = {
  wait: "wait for support hours: time is billed on standard terms",
  now: "addressed now: time out of hours is billed at the out-of-hours rate",
};

/**
 * The ticket's "Chargeable" line, in agreement with what was billed: billed time says what it cost
 * and for which categories; otherwise the allowance's reason, else the billing terms at arrival.
 */
export function chargeableText(
  t: Pick<TicketRow, "allowanceReason" | "chargeable">,
  billing: WindowResult["billing"],
  entries: readonly TimeEntryView[],
  categoryLabel: (id: string) => string,
): string {
  const billed = entries.filter((e) => e.billable && e.amount > 0);
  const first = billed[0];
  if (first) {
    const amount = billed.reduce((sum, e) => sum + e.amount, 0);
    const minutes = billed.reduce((sum, e) => sum + e.billedMinutes, 0);
    const categories = [...new Set(billed.map((e) => categoryLabel(e.category)))].join(", ");
    return `yes: ${money(amount, first.currency)} billed for ${minutes} min (${categories})`;
  }
  const cause = t.allowanceReason
    ? allowanceText[t.allowanceReason]
    : billing
      ? billingText[billing.reason](billing)
      : t.chargeable
        ? "yes"
        : "no";
  return cause.startsWith("yes") && entries.length ? `${cause}; no time billed yet` : cause;
}

const statusText: Record<string, string> = {
  open: "open",
  responded: "responded",
  "waiting-on-customer": "waiting on customer",
  resolved: "resolved",
  closed: "closed",
};

/** A short summary of an event's data, as text. */
function dataSummary(e: TimelineEvent, tz: string, priorityLabel: (id: string) => string): string {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");
  switch (e.type) {
    case "priority-set":
    case "downgraded":
      return `${priorityLabel(str(d.from))} → ${priorityLabel(str(d.to))}`;
    case "time-logged": {
      const amount = d.amount as { amount?: number; currency?: string } | undefined;
      const billed = typeof d.billable === "boolean" ? d.billable : (amount?.amount ?? 0) > 0;
      if (!billed) return `${str(d.minutes)} min · not billed`;
      const price = amount && typeof amount.amount === "number" && amount.currency ? money(amount.amount, amount.currency) : "";
      return `${str(d.minutes)} min, billed ${str(d.billedMinutes)} min · ${str(d.rateClass)} rate · ${price}`;
    }
    case "quote-sent":
    case "quote-planned":
    case "quote-accepted":
    case "quote-declined":
    case "quote-delivered": {
      const parts = [`revision ${str(d.revision)}`];
      if (typeof d.amount === "number" && typeof d.currency === "string") parts.push(money(d.amount, d.currency));
      if (typeof d.validUntil === "string") parts.push(`valid until ${when(Date.parse(d.validUntil), tz)}`);
      if (typeof d.plannedFor === "string") parts.push(`planned for ${when(Date.parse(d.plannedFor), tz)}`);
      return parts.join(" · ");
    }
    case "outcome-set":
      return str(d.outcome);
    case "assigned":
      return d.to ? `to ${str(d.toName) || "a former member"}` : "to nobody (unassigned)";
    case "meeting-scheduled":
      return typeof d.scheduledAt === "string" ? `for ${when(Date.parse(d.scheduledAt), tz)}` : "";
    case "meeting-cancelled": {
      const parts = typeof d.scheduledAt === "string" ? [`the meeting of ${when(Date.parse(d.scheduledAt), tz)}`] : [];
      if (typeof d.rescheduledTo === "string") parts.push(`moved to ${when(Date.parse(d.rescheduledTo), tz)}`);
      const amount = d.amount as { amount?: number; currency?: string } | undefined;
      parts.push(
        typeof amount?.amount === "number" && amount.currency ? `${money(amount.amount, amount.currency)} billed (late)` : "no fee",
      );
      return parts.join(" · ");
    }
    case "at-risk":
    case "breached":
      return typeof d.dueAt === "number" ? `due ${when(d.dueAt, tz)}` : "";
    case "created":
      return [str(d.issueType), str(d.severity), d.priority ? priorityLabel(str(d.priority)) : ""].filter(Boolean).join(" · ");
    default:
      return "";
  }
}

/** The text of a bill preview (also what the live preview endpoint answers). */
export function billText(b: Bill): string {
  const rate = `${b.rateClass} rate ${money(b.ratePerHour.amount, b.ratePerHour.currency)}/h`;
  return b.billable
    ? `${b.billedMinutes} min billed at the ${rate}: ${money(b.amount.amount, b.amount.currency)}`
    : `${b.billedMinutes} min, ${b.rateClass}: not billed (included)`;
}

/** What calling a meeting off cost, and why, as staff read it. */
const cancellationText: Record<CancellationReason, (rules: Meetings, fee: string) => string> = {
  "free-cancellation": (r) =>
    `no fee: within the ${r.freeCancellations === 1 ? "one cancellation" : `${r.freeCancellations} cancellations`} allowed`,
  "enough-notice": (r) => `no fee: at least ${messages("en").duration(parseDuration(r.notice), false)} notice given`,
  "late-cancellation": (r, fee) => `${fee} billed: late, with less than ${messages("en").duration(parseDuration(r.notice), false)} notice`,
};

type Meetings = NonNullable<Policy["meetings"]>;

/** The policy's meeting rule in a sentence, from its numbers. */
function meetingRule(rules: Meetings, standardRate: number, currency: string): string {
  const m = messages("en");
  const allowed =
    rules.freeCancellations === 1 ? "One cancellation or rescheduling is" : `${rules.freeCancellations} cancellations or reschedulings are`;
  const charge = parseDuration(rules.lateCancellationCharge);
  const minutes = (charge.days * 1440 * 60_000 + charge.ms) / 60_000;
  const fee = money(Math.round((standardRate * minutes) / 60), currency);
  return `${allowed} allowed; after that, calling a meeting off with less than ${m.duration(parseDuration(rules.notice), false)} notice is billed ${m.duration(charge, false)} at the standard rate (${fee}).`;
}

/** Meetings with the customer: book one, record a cancellation or rescheduling, see what each cost. */
function MeetingsCard({
  rules,
  policy,
  meetings,
  feeOf,
  action,
  csrf,
  now,
}: {
  rules: Meetings;
  policy: Policy;
  meetings: readonly MeetingRow[];
  feeOf: (entryId: string | null) => string;
  action: (name: string) => string;
  csrf: preact.JSX.Element;
  now: number;
}) {
  const tz = policy.timeZone;
  const billing = policy.billing;
  return (
    <section class="card" aria-labelledby="meetings-h">
      <h2 id="meetings-h">Meetings</h2>
      {billing ? <p class="muted">{meetingRule(rules, billing.rates.standard, billing.currency)}</p> : null}
      {meetings.length ? (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Status</th>
              <th>Fee</th>
              <th>Record a cancellation</th>
            </tr>
          </thead>
          <tbody>
            {meetings.map((mt) => (
              <tr key={mt.id}>
                <td>{when(mt.scheduledAt, tz)}</td>
                <td>
                  {mt.status}
                  {mt.cancelledAt !== null ? ` ${when(mt.cancelledAt, tz)}` : ""}
                </td>
                <td>{mt.cancellationReason ? cancellationText[mt.cancellationReason](rules, feeOf(mt.feeEntryId)) : "—"}</td>
                <td>
                  {mt.status === "scheduled" ? (
                    <form method="post" action={action("meeting-cancel")} class="actions">
                      {csrf}
                      <input type="hidden" name="meetingId" value={mt.id} />
                      <Field label={`Called off at (${tz})`} htmlFor={`cancelled-${mt.id}`}>
                        <input
                          id={`cancelled-${mt.id}`}
                          name="cancelledAt"
                          type="datetime-local"
                          required
                          value={localDateTimeValue(now, tz)}
                        />
                      </Field>
                      <Field label="Moved to (empty if cancelled)" htmlFor={`moved-${mt.id}`}>
                        <input id={`moved-${mt.id}`} name="rescheduleTo" type="datetime-local" />
                      </Field>
                      <button type="submit" class="secondary">
                        Record cancellation
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No meetings on this ticket.</p>
      )}
      <form method="post" action={action("meeting")} class="actions">
        {csrf}
        <Field label={`Meeting time (${tz})`} htmlFor="meeting-at">
          <input id="meeting-at" name="scheduledAt" type="datetime-local" required />
        </Field>
        <button type="submit" class="secondary">
          Schedule meeting
        </button>
      </form>
    </section>
  );
}

/** A ticket: customer, due times and why, every action, the full timeline and logged time. */
/** Events and emails in the order they happened (an event's emails right after it). */
function timeline(data: TicketPageData): (TimelineEvent | EmailView)[] {
  const at = (x: TimelineEvent | EmailView) => ("template" in x ? x.createdAt : x.at);
  return [...data.events, ...data.emails].sort((a, b) => at(a) - at(b) || ("template" in a ? 1 : 0) - ("template" in b ? 1 : 0));
}

export function TicketPage({
  data,
  session,
  now,
  notice,
  error,
  errors,
}: {
  data: TicketPageData;
  session: StaffSession;
  now: number;
  notice?: string | undefined;
  error?: string | undefined;
  errors?: readonly FieldError[] | undefined;
}) {
  const { ticket: t, policy } = data;
  const tz = policy.timeZone;
  const at = (ms: number | null) => (ms === null ? "—" : when(ms, tz));
  const priorities = policy.priorities.map((p) => ({ id: p.id, label: label(p.label, p.id) }));
  const priorityLabel = (id: string) => priorities.find((p) => p.id === id)?.label ?? id;
  const current = policy.priorities.find((p) => p.id === t.priority);
  const issueType = policy.issueTypes.find((i) => i.id === t.issueType);
  const severity = policy.severities.find((s) => s.id === t.severity);
  const outcomes = (current?.outcomes ?? []).map((o) => ({ id: o.id, label: label(o.label, o.id) }));
  const closed = t.status === "closed";
  // The forms shown are the actions the state machine allows now.
  const can = (a: TicketAction) => allowed(a, t.status);
  const action = (name: string) => `/dashboard/tickets/${t.ref}/${name}`;
  const csrf = <Csrf token={session.csrf} />;
  const quote = data.quote;
  const showQuote = quote !== undefined || (current !== undefined && quotable(policy, current.id));
  // Without a quote row the next step is sending the first one, as from "requested".
  const quoteStatus = quote?.status ?? "requested";
  const categories = Object.entries(policy.billing?.categories ?? {}).map(([id, c]) => ({ id, label: label(c.label, id) }));
  const categoryLabel = (id: string) => categories.find((c) => c.id === id)?.label ?? id;
  // The late-cancellation fee is billed by its rule (Meetings), not logged by hand.
  const loggable = categories.filter((c) => c.id !== policy.meetings?.category);

  return (
    <>
      <h1>
        {t.ref} <SlaBadge state={liveState({ status: t.status, next_due_at: t.nextDueAt, at_risk_at: t.atRiskAt }, now)} />
      </h1>
      <PostOutcome notice={notice} error={error} errors={errors} />
      <div class="grid">
        <section class="card" aria-labelledby="customer-h">
          <h2 id="customer-h">Customer</h2>
          <dl class="facts">
            <dt>Email</dt>
            <dd>{t.email}</dd>
            <dt>Name</dt>
            <dd>{t.name ?? "—"}</dd>
            <dt>Order</dt>
            <dd>{t.orderId ?? "—"}</dd>
            <dt>Account</dt>
            <dd>{data.account ? `${data.account.externalId}${data.account.plan ? ` (${data.account.plan})` : ""}` : "—"}</dd>
            <dt>Language</dt>
            <dd>{t.locale}</dd>
            <dt>Time zone</dt>
            <dd>{t.timeZone ?? "—"}</dd>
            <dt>Site</dt>
            <dd>{data.siteName}</dd>
            {t.followsRef ? (
              <>
                <dt>Follows</dt>
                <dd>
                  <a href={`/dashboard/tickets/${t.followsRef}`}>{t.followsRef}</a>{" "}
                  <span class="muted">(the customer's earlier request)</span>
                </dd>
              </>
            ) : null}
            <dt>Chargeable</dt>
            <dd>{chargeableText(t, data.billing, data.timeEntries, categoryLabel)}</dd>
            {t.afterHoursChoice ? (
              <>
                <dt>Out of hours</dt>
                <dd>{choiceText[t.afterHoursChoice]}</dd>
              </>
            ) : null}
          </dl>
        </section>
        <section class="card" aria-labelledby="due-h">
          <h2 id="due-h">Due times</h2>
          <dl class="facts">
            <dt>Status</dt>
            <dd>{statusText[t.status] ?? t.status}</dd>
            <dt>Assigned to</dt>
            <dd>
              {t.assigneeId === null ? (
                <span class="muted">nobody</span>
              ) : t.assigneeId === session.staff.id ? (
                `${data.assigneeName ?? "you"} (you)`
              ) : (
                (data.assigneeName ?? "a former member")
              )}
            </dd>
            <dt>Priority</dt>
            <dd>
              {priorityLabel(t.priority)}
              {t.classifiedPriority !== t.priority ? <span class="muted"> (classified {priorityLabel(t.classifiedPriority)})</span> : null}
            </dd>
            <dt>Type</dt>
            <dd>
              {issueType ? label(issueType.label, t.issueType) : t.issueType} · {severity ? label(severity.label, t.severity) : t.severity}
            </dd>
            <dt>Received</dt>
            <dd>{at(t.receivedAt)}</dd>
            <dt>First response</dt>
            <dd>
              {t.firstRespondedAt !== null
                ? `answered ${at(t.firstRespondedAt)}${t.firstResponseDueAt !== null ? ` (due ${at(t.firstResponseDueAt)})` : ""}`
                : t.firstResponseDueAt !== null
                  ? `due ${at(t.firstResponseDueAt)}`
                  : t.status === "waiting-on-customer"
                    ? "paused"
                    : "—"}
            </dd>
            <dt>Resolution</dt>
            <dd>
              {t.resolutionEarliestAt !== null
                ? `between ${at(t.resolutionEarliestAt)} and ${at(t.resolutionDueAt)}`
                : t.resolutionDueAt !== null
                  ? `due ${at(t.resolutionDueAt)}`
                  : "—"}
              {t.resolvedAt !== null ? ` · resolved ${at(t.resolvedAt)}` : ""}
            </dd>
            {t.downgradeDueAt !== null ? (
              <>
                <dt>Downgrade</dt>
                <dd>
                  to {priorityLabel(current?.downgrade?.to ?? "")} by {at(t.downgradeDueAt)}
                </dd>
              </>
            ) : null}
            <dt>Next due</dt>
            <dd>{t.nextDueAt !== null ? <Countdown due={t.nextDueAt} now={now} /> : "—"}</dd>
            <dt>At risk from</dt>
            <dd>{at(t.atRiskAt)}</dd>
            <dt>Paused</dt>
            <dd>{t.pauses.length ? t.pauses.map(([from, to]) => `${at(from)} → ${to === null ? "now" : at(to)}`).join("; ") : "never"}</dd>
            <dt>Policy</dt>
            <dd>version {t.policyVersion}</dd>
            {data.linkedIncident ? (
              <>
                <dt>Incident</dt>
                <dd>
                  {data.linkedIncident.title}
                  {data.linkedIncident.endedAt !== null ? " (ended)" : ""}
                </dd>
              </>
            ) : null}
            {t.outcome ? (
              <>
                <dt>Outcome</dt>
                <dd>{outcomes.find((o) => o.id === t.outcome)?.label ?? t.outcome}</dd>
              </>
            ) : null}
          </dl>
          <h3>Why these times</h3>
          <Lines lines={data.explanation} />
        </section>
      </div>

      <section class="card" aria-labelledby="request-h">
        <h2 id="request-h">Request</h2>
        <p class="prewrap">{t.description}</p>
        <EventFiles e={data.events.find((e) => e.type === "created") ?? { data: null }} ref={t.ref} />
      </section>

      {data.files.length ? (
        <section class="card" aria-labelledby="files-h">
          <h2 id="files-h">Files</h2>
          <ul class="files">
            {data.files.map((f) => (
              <li key={f.id}>
                <a href={`/dashboard/tickets/${t.ref}/files/${encodeURIComponent(f.id)}`} download>
                  {f.name}
                </a>{" "}
                <span class="muted">
                  ({fileSize(f.size)}, {f.contentType === "application/octet-stream" ? "unrecognised type" : f.contentType.split(";")[0]},{" "}
                  from {f.author === "staff" ? "staff" : "the customer"}, {at(f.createdAt)})
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {closed ? <p class="flash">This ticket was closed {at(t.closedAt)}. The customer can no longer reply to it.</p> : null}
      <section class="card" aria-labelledby="actions-h">
        <h2 id="actions-h">Respond</h2>
        {can("staff.reply") ? (
          <form method="post" action={action("reply")} enctype="multipart/form-data">
            {csrf}
            <Field label="Reply to the customer (visible to them; the first one is the first response)" htmlFor="reply-body">
              <textarea id="reply-body" name="body" maxLength={5000} />
            </Field>
            <Field
              label="Attach files (optional; up to 10, 10 MB each, 25 MB per ticket; the customer downloads them)"
              htmlFor="reply-files"
            >
              <input id="reply-files" type="file" name="file" multiple />
            </Field>
            <button type="submit">Send reply</button>
          </form>
        ) : null}
        <div class="grid">
          {can("staff.request-info") ? (
            <MessageForm
              action={action("request-info")}
              csrf={csrf}
              id="info-body"
              label="Ask for information (pauses the clock until they answer)"
              button="Request info"
              secondary
            />
          ) : null}
          {can("staff.resolve") ? (
            <MessageForm
              action={action("resolve")}
              csrf={csrf}
              id="resolve-body"
              label="Resolution note (optional, visible to the customer)"
              button="Resolve"
              optional
            />
          ) : null}
          <MessageForm
            action={action("note")}
            csrf={csrf}
            id="note-body"
            label="Internal note — not shown to the customer"
            button="Add note"
            secondary
          />
        </div>
      </section>

      <section class="card" aria-labelledby="triage-h">
        <h2 id="triage-h">Triage</h2>
        {can("staff.assign") ? (
          <div class="actions assign">
            {t.assigneeId !== session.staff.id ? (
              <form method="post" action={action("assign")}>
                {csrf}
                <input type="hidden" name="assignee" value={session.staff.id} />
                <button type="submit">Take this ticket</button>
              </form>
            ) : null}
            <form method="post" action={action("assign")} class="actions">
              {csrf}
              <Field label="Assign to" htmlFor="assignee">
                <Select
                  id="assignee"
                  name="assignee"
                  blank="nobody"
                  options={data.team.map((m) => ({ id: m.id, label: m.id === session.staff.id ? `${m.name} (you)` : m.name }))}
                  value={t.assigneeId ?? ""}
                />
              </Field>
              <button type="submit" class="secondary">
                Assign
              </button>
            </form>
          </div>
        ) : null}
        <div class="actions">
          {!can("staff.priority") ? null : (
            <form method="post" action={action("priority")} class="actions">
              {csrf}
              <Field label="Final priority (due times are recomputed from the original contact)" htmlFor="priority">
                <Select id="priority" name="priority" options={priorities} value={t.priority} />
              </Field>
              <button type="submit" class="secondary">
                Set priority
              </button>
            </form>
          )}
          {can("staff.priority") && current?.downgrade ? (
            <form method="post" action={action("downgrade")}>
              {csrf}
              <button type="submit" class="secondary">
                Downgrade to {priorityLabel(current.downgrade.to)}
              </button>
            </form>
          ) : null}
          {can("staff.outcome") && outcomes.length ? (
            <form method="post" action={action("outcome")} class="actions">
              {csrf}
              <Field label="Outcome of the analysis" htmlFor="outcome">
                <Select id="outcome" name="outcome" options={outcomes} value={t.outcome ?? undefined} />
              </Field>
              <button type="submit" class="secondary">
                Set outcome
              </button>
            </form>
          ) : null}
          {can("staff.incident") && data.openIncidents.length ? (
            <form method="post" action={action("incident")} class="actions">
              {csrf}
              <Field label="Known incident" htmlFor="incident">
                <Select
                  id="incident"
                  name="incidentId"
                  options={data.openIncidents.map((i) => ({ id: i.id, label: i.title }))}
                  value={t.incidentId ?? undefined}
                />
              </Field>
              <button type="submit" class="secondary">
                Link incident
              </button>
            </form>
          ) : null}
        </div>
      </section>

      {showQuote ? (
        <section class="card" aria-labelledby="quote-h">
          <h2 id="quote-h">Quote</h2>
          {quote === undefined ? (
            <p class="muted">No quote on this ticket.</p>
          ) : (
            <dl class="facts">
              <dt>Status</dt>
              <dd>{quote.status}</dd>
              {quote.amount != null && quote.currency ? (
                <>
                  <dt>Amount</dt>
                  <dd>{money(quote.amount, quote.currency)}</dd>
                </>
              ) : null}
              {quote.validUntil != null ? (
                <>
                  <dt>Valid until</dt>
                  <dd>{at(quote.validUntil)}</dd>
                </>
              ) : null}
              {quote.plannedFor != null ? (
                <>
                  <dt>Planned for</dt>
                  <dd>{at(quote.plannedFor)}</dd>
                </>
              ) : null}
              <dt>Revision</dt>
              <dd>{quote.revision}</dd>
              {quote.note ? (
                <>
                  <dt>Scope</dt>
                  <dd class="prewrap">{quote.note}</dd>
                </>
              ) : null}
            </dl>
          )}
          {!can("staff.quote") ? null : (
            <>
              {["requested", "quoted", "declined", "expired"].includes(quoteStatus) ? (
                <form method="post" action={action("quote")}>
                  {csrf}
                  <input type="hidden" name="action" value={quoteStatus === "quoted" ? "revise" : "send"} />
                  <div class="actions">
                    <Field label="Amount" htmlFor="quote-amount">
                      <input
                        id="quote-amount"
                        name="amount"
                        type="text"
                        inputMode="decimal"
                        required
                        value={quote?.amount != null && quote.currency ? decimal(quote.amount, quote.currency) : ""}
                      />
                    </Field>
                    <Field label="Currency" htmlFor="quote-currency">
                      <input
                        id="quote-currency"
                        name="currency"
                        type="text"
                        required
                        maxLength={3}
                        value={quote?.currency ?? data.quoteDefaults.currency}
                      />
                    </Field>
                    <Field label="Valid until" htmlFor="quote-valid">
                      <input
                        id="quote-valid"
                        name="validUntil"
                        type="date"
                        required
                        value={localDateValue(quote?.validUntil ?? data.quoteDefaults.validUntil, tz)}
                      />
                    </Field>
                  </div>
                  <Field label="Note to the customer (scope, assumptions)" htmlFor="quote-note">
                    <textarea id="quote-note" name="note" maxLength={5000} />
                  </Field>
                  <button type="submit">{quoteStatus === "quoted" ? "Revise quote" : "Send quote"}</button>
                </form>
              ) : null}
              {quoteStatus === "accepted" || quoteStatus === "planned" ? (
                <form method="post" action={action("quote")} class="actions">
                  {csrf}
                  <input type="hidden" name="action" value="plan" />
                  <Field label="Planned delivery date" htmlFor="quote-plan">
                    <input id="quote-plan" name="plannedFor" type="date" required />
                  </Field>
                  <button type="submit" class="secondary">
                    Plan delivery
                  </button>
                </form>
              ) : null}
              {quoteStatus === "planned" ? (
                <form method="post" action={action("quote")}>
                  {csrf}
                  <input type="hidden" name="action" value="deliver" />
                  <button type="submit">Mark delivered</button>
                </form>
              ) : null}
              {quoteStatus === "info-needed" ? <p class="muted">Waiting for the customer's answer before quoting.</p> : null}
            </>
          )}
        </section>
      ) : null}

      <section class="card" aria-labelledby="time-h">
        <h2 id="time-h">Time</h2>
        {policy.billing ? (
          <form method="post" action={action("time")} data-bill-preview={action("bill-preview")}>
            {csrf}
            <div class="actions">
              <Field label={`Started (${tz})`} htmlFor="time-start">
                <input id="time-start" name="startedAt" type="datetime-local" required value={localDateTimeValue(now, tz)} />
              </Field>
              <Field label="Minutes" htmlFor="time-minutes">
                <input
                  id="time-minutes"
                  name="minutes"
                  type="number"
                  min={1}
                  max={100000}
                  required
                  value={String(data.billPreview.minutes)}
                />
              </Field>
              <Field label="Category" htmlFor="time-category">
                <Select id="time-category" name="category" options={loggable} value={data.billPreview.category} />
              </Field>
            </div>
            <Field label="Note (internal)" htmlFor="time-note">
              <input id="time-note" name="note" type="text" maxLength={500} />
            </Field>
            <output class="bill" htmlFor="time-start time-minutes time-category" aria-live="polite">
              {data.billPreview.bill ? billText(data.billPreview.bill) : ""}
            </output>
            <button type="submit" class="secondary">
              Log time
            </button>
          </form>
        ) : (
          <p class="muted">This policy has no billing rules, so time is not logged.</p>
        )}
        {data.timeEntries.length ? (
          <table>
            <thead>
              <tr>
                <th>Started</th>
                <th>By</th>
                <th>Category</th>
                <th>Rate class</th>
                <th class="num">Minutes</th>
                <th class="num">Billed</th>
                <th class="num">Amount</th>
                <th>Note</th>
              </tr>
            </thead>
            <tbody>
              {data.timeEntries.map((e) => (
                <tr key={e.id}>
                  <td>{at(e.startedAt)}</td>
                  <td>{e.staffName ?? "—"}</td>
                  <td>{categoryLabel(e.category)}</td>
                  <td>{e.rateClass}</td>
                  <td class="num">{e.minutes}</td>
                  <td class="num">{e.billable ? e.billedMinutes : "—"}</td>
                  <td class="num">{e.billable ? money(e.amount, e.currency) : "not billed"}</td>
                  <td>{e.note ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      {policy.meetings ? (
        <MeetingsCard
          rules={policy.meetings}
          policy={policy}
          meetings={data.meetings}
          feeOf={(id) => {
            const entry = data.timeEntries.find((e) => e.id === id);
            return entry ? money(entry.amount, entry.currency) : "the fee";
          }}
          action={action}
          csrf={csrf}
          now={now}
        />
      ) : null}

      <section class="card" aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline</h2>
        <ol class="timeline">
          {timeline(data).map((item) => {
            if ("template" in item) return <EmailItem key={item.id} e={item} at={at} />;
            const e = item;
            const summary = dataSummary(e, tz, priorityLabel);
            return (
              <li key={e.id} class={e.type === "note" ? "internal note" : e.public ? "public" : "internal"}>
                <div class="meta">
                  <strong>{eventText[e.type] ?? e.type}</strong> ·{" "}
                  {e.actor === "customer" ? t.email : e.actor === "staff" ? (e.staffName ?? "staff") : "Replyby"} · {at(e.at)}{" "}
                  {e.public ? null : <span class="badge internal">internal</span>}
                </div>
                {summary ? <div>{summary}</div> : null}
                {e.body ? <p class="prewrap">{e.body}</p> : null}
                <EventFiles e={e} ref={t.ref} />
              </li>
            );
          })}
        </ol>
      </section>
    </>
  );
}

/** A form of one message (`body`) and its button: an info request, a resolution note, an internal note. */
function MessageForm(props: {
  action: string;
  csrf: ComponentChildren;
  id: string;
  label: string;
  button: string;
  secondary?: boolean;
  optional?: boolean;
}) {
  return (
    <form method="post" action={props.action}>
      {props.csrf}
      <Field label={props.label} htmlFor={props.id}>
        <textarea id={props.id} name="body" required={!props.optional} maxLength={5000} />
      </Field>
      <button type="submit" class={props.secondary ? "secondary" : undefined}>
        {props.button}
      </button>
    </form>
  );
}
