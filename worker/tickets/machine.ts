import { ticketStatuses } from "../../schema/db.ts";
import { ApiError } from "../errors.ts";

/** One ticket status. */
export type TicketStatus = (typeof ticketStatuses)[number];

const notClosed = ticketStatuses.filter((s) => s !== "closed");
const working = ["open", "responded", "waiting-on-customer"] as const satisfies readonly TicketStatus[];

/**
 * The ticket state machine: every action any channel can take on a ticket, by who takes it, and
 * the statuses it may be taken from. The widget, the status page, email, the dashboard and the
 * cron all ask `assertAllowed` before they write, so a rule holds whichever way a request arrives.
 */
export const ticketActions = {
  /** A follow-up message, or the answer to an info request; on a resolved ticket it reopens it. */
  "customer.message": { actor: "customer", from: notClosed },
  /** "Not fixed": reopens a resolved ticket within the policy's reopen window. */
  "customer.reopen": { actor: "customer", from: ["resolved"] },
  /** The customer confirms the fix (or withdraws the request); closing a closed ticket changes nothing. */
  "customer.close": { actor: "customer", from: ticketStatuses },
  /** Accepts or declines the quote (the quote machine decides the rest). */
  "customer.quote": { actor: "customer", from: notClosed },
  "staff.reply": { actor: "staff", from: notClosed },
  "staff.request-info": { actor: "staff", from: ["open", "responded"] },
  "staff.resolve": { actor: "staff", from: working },
  "staff.priority": { actor: "staff", from: notClosed },
  "staff.outcome": { actor: "staff", from: notClosed },
  "staff.quote": { actor: "staff", from: notClosed },
  "staff.incident": { actor: "staff", from: notClosed },
  /** Billable time may be logged after the fact, on any ticket. */
  "staff.time": { actor: "staff", from: ticketStatuses },
  /** Meetings and their cancellations are recorded as they happen or after the fact, on any ticket. */
  "staff.meeting": { actor: "staff", from: ticketStatuses },
  /** Assigns the ticket to a staff member of its merchant (or to nobody); staff-only, no customer email. */
  "staff.assign": { actor: "staff", from: notClosed },
  /** Internal notes, never shown to the customer, on any ticket. */
  "staff.note": { actor: "staff", from: ticketStatuses },
  "system.at-risk": { actor: "system", from: ["open", "responded"] },
  "system.breach": { actor: "system", from: ["open", "responded"] },
  "system.quote-expiry": { actor: "system", from: ticketStatuses },
  /** Closes a resolved ticket once its reopen window has passed. */
  "system.auto-close": { actor: "system", from: ["resolved"] },
} as const satisfies Record<string, { actor: "customer" | "staff" | "system"; from: readonly TicketStatus[] }>;

/** One action of the state machine. */
export type TicketAction = keyof typeof ticketActions;

/** Every action, in declaration order. */
export const ticketActionNames = Object.keys(ticketActions) as TicketAction[];

/** Whether `action` may be taken on a ticket in `status`. */
export function allowed(action: TicketAction, status: TicketStatus): boolean {
  return (ticketActions[action].from as readonly TicketStatus[]).includes(status);
}

// What a refusal says: the action's own reason for a status where one reads better, else the status's.
const specific: Partial<Record<TicketAction, Partial<Record<TicketStatus, string>>>> = {
  "customer.reopen": {
    open: "This request is still open: write a follow-up instead",
    responded: "This request is still open: write a follow-up instead",
    "waiting-on-customer": "This request is still open: answer the question instead",
  },
  "staff.request-info": {
    "waiting-on-customer": "Already waiting on the customer",
    resolved: "This ticket is resolved: reply instead",
  },
  "staff.resolve": { resolved: "Already resolved" },
  "system.at-risk": { "waiting-on-customer": "Paused while waiting on the customer", resolved: "Resolved" },
  "system.breach": { "waiting-on-customer": "Paused while waiting on the customer", resolved: "Resolved" },
  "system.auto-close": { open: "Not resolved", responded: "Not resolved", "waiting-on-customer": "Not resolved" },
};

const byStatus: Record<"customer" | "staff" | "system", Partial<Record<TicketStatus, string>>> = {
  customer: { closed: "This request is closed: open a new request, and it will link to this one" },
  staff: { closed: "This ticket is closed" },
  system: { closed: "Closed" },
};

/** Why `action` is refused in `status` (only meaningful when it is not allowed). */
export function refusal(action: TicketAction, status: TicketStatus): string {
  return specific[action]?.[status] ?? byStatus[ticketActions[action].actor][status] ?? `Not possible while the ticket is ${status}`;
}

/** Refuses an action the machine does not allow from the ticket's status: 409 with the reason. */
export function assertAllowed(action: TicketAction, status: TicketStatus): void {
  if (!allowed(action, status)) throw new ApiError("conflict", refusal(action, status));
}
