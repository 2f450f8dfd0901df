/**
 * Every email Replyby sends, by template. A ticket event queues one outbox row per recipient with
 * one of these names (worker/tickets/notifications.ts decides which); delivery renders it in the
 * recipient's locale from the ticket as it is then (worker/email/render.ts). Team emails
 * (worker/staff/team.ts) go to staff, from MAIL_FROM, with a link made at delivery.
 */
export const emailTemplates = [
  /** To the customer: the request arrived, with its reference, reply-by time and status link. */
  "received",
  /** To the customer: a staff reply. */
  "reply",
  /** To the customer: staff need more information (the clock is paused until they answer). */
  "info-requested",
  /** To the customer: a quote to accept or decline (sent or revised). */
  "quote-sent",
  /** To the customer: the work is planned for a date. */
  "quote-planned",
  /** To the customer: the work is delivered. */
  "quote-delivered",
  /** To the customer: resolved, with "not fixed? reply or reopen". */
  "resolved",
  /** To a customer who asked: fresh links to their open requests on a site. */
  "links",
  /** To the merchant's on-call addresses: a new ticket of a priority the policy alerts on. */
  "alert-new",
  /** To the merchant's on-call addresses: a ticket breached its due time. */
  "alert-breach",
  /** To an invited staff member: join the merchant's team (link to accept and set a password). */
  "invitation",
  /** To a staff member who asked: a link to set a new password (one hour, once). */
  "password-reset",
  /** To a new merchant's admin: confirm the address (a single-use, expiring link) before signing in. */
  "verify-email",
] as const;

/** Emails about a staff login rather than a ticket (sign-up, team): sent from MAIL_FROM, not from a site's support address. */
export const accountTemplates = [
  "verify-email",
  "invitation",
  "password-reset",
] as const satisfies readonly (typeof emailTemplates)[number][];

/** Whether a template is an account email. */
export function isAccountTemplate(t: string): t is (typeof accountTemplates)[number] {
  return (accountTemplates as readonly string[]).includes(t);
}

/** One email template. */
export type EmailTemplate = (typeof emailTemplates)[number];
