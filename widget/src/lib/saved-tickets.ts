import { ticketsKey } from "./keys.ts";
import { read, write } from "./storage.ts";

/** A ticket created from this browser: what the status view needs to find it again. */
export interface SavedTicket {
  reference: string;
  /** Bearer token for GET /v1/tickets/:ref. Stored like the page's own data: it only reveals this ticket. */
  accessToken: string;
  createdAt: string;
  issueType: string;
  /** The first-response due instant at creation, shown in the list without a request. */
  dueAt?: string;
  /** The status last seen (the list shows it, and refreshes it when opened). */
  status?: string;
}

// A browser keeps the newest tickets only: enough for a customer, bounded for storage.
const MAX = 30;

/** Tickets remembered for a site, newest first. */
export function savedTickets(site: string): SavedTicket[] {
  const list = read<SavedTicket[]>(ticketsKey(site), []);
  return Array.isArray(list) ? list.filter((t) => t && typeof t.reference === "string" && typeof t.accessToken === "string") : [];
}

/** Remembers a ticket (once per reference, however many tabs saw it land). */
export function saveTicket(site: string, ticket: SavedTicket): void {
  const rest = savedTickets(site).filter((t) => t.reference !== ticket.reference);
  write(ticketsKey(site), [ticket, ...rest].slice(0, MAX));
}

/** Forgets a ticket (its token no longer works, or the customer asked). */
export function forgetTicket(site: string, reference: string): void {
  write(
    ticketsKey(site),
    savedTickets(site).filter((t) => t.reference !== reference),
  );
}

/** Records the status last seen for a ticket this browser remembers. */
export function noteStatus(site: string, reference: string, status: string): void {
  const list = savedTickets(site);
  const ticket = list.find((t) => t.reference === reference);
  if (!ticket || ticket.status === status) return;
  ticket.status = status;
  write(ticketsKey(site), list);
}
