import type { WindowResult } from "../../../schema/api.ts";

type BillingReason = NonNullable<WindowResult["billing"]>["reason"];
type AllowanceReason = NonNullable<WindowResult["allowance"]>["reason"];
type BillingOption = NonNullable<NonNullable<WindowResult["billing"]>["options"]>[number];
type AfterHoursChoice = BillingOption["choice"];
type RateClass = BillingOption["rateClass"];

/** What a billing sentence may say, already formatted: the category's label, the hourly rate, the increment. */
export interface ChargeFacts {
  readonly category: string;
  readonly rate: string;
  readonly increment: string;
}

/** What an allowance sentence may say, already formatted ("" when the policy states no price). */
export interface CaseFacts {
  readonly used: number;
  readonly included: number;
  /** Free cases left, or the free setup time left. */
  readonly left: string;
  readonly price: string;
  readonly until: string;
}

/**
 * English: the reference catalog. Every other locale must implement every key (the type is
 * derived from this object), so a missing translation is a type error, not a blank label.
 * Functions take already formatted values (dates, money, durations come from Intl).
 */
export const en = {
  dir: "ltr" as "ltr" | "rtl",
  /** The one Intl locale and hour cycle every date and time of this language is written with (the worker's too). */
  intlTag: "en-US",
  hourCycle: "h23" as "h12" | "h23",
  launcher: "Help",
  title: "Help",
  close: "Close",
  back: "Back",
  newRequest: "New request",
  myRequests: "Your requests",
  loading: "Loading…",
  retry: "Try again",
  configError: "We couldn't reach support. Check your connection and try again.",
  notSetUp: "Support isn't set up for this page yet.",
  aroundTheClock: "This kind of issue is handled around the clock.",
  openNow: "Support is working now.",
  closedUntil: (at: string) => `Support is closed now. Back ${at}.`,
  contact: "Other ways to reach us",
  knownIssues: "Known issues right now",
  knownIssuesHint: "If one of these is your problem, we're already on it.",
  since: (at: string) => `Since ${at}`,
  step: (n: number, total: number) => `Step ${n} of ${total}`,

  topicHeading: "What do you need help with?",
  issueType: "Type of request",
  severity: "How much does it affect you?",
  quoteNote: "You'll get a priced quote before any work starts.",
  continue: "Continue",

  detailsHeading: "Tell us more",
  description: "What happened?",
  descriptionHint: "What you did, what you saw, and what you expected.",
  email: "Email",
  emailHint: "We'll reply to this address.",
  name: "Your name (optional)",
  orderId: "Order or account number (optional)",
  charsLeft: (n: number) => `${n} characters left`,
  fixErrors: (n: number) => (n === 1 ? "Please fix 1 field." : `Please fix ${n} fields.`),
  errors: {
    issueType: "Choose a type of request.",
    severity: "Choose how much it affects you.",
    description: "Describe the problem.",
    email: "Enter a valid email address, like name@example.com.",
  },

  reviewHeading: "Before you send",
  computing: "Working out when you'll hear back…",
  replyBy: (at: string) => `Reply by ${at}`,
  resolutionBy: (at: string) => `Resolution expected by ${at}.`,
  resolutionBetween: (a: string, b: string) => `Resolution expected between ${a} and ${b}.`,
  quoteFirst: "We'll send you a quote to accept before any work is planned.",
  windowUnavailable: "We'll confirm when you'll hear back as soon as your request reaches us.",
  why: "How we worked this out",
  charges: "Charges",
  /** One sentence per reason the request is charged or included (see ChargeFacts). */
  billing: {
    included: (f: ChargeFacts) => `${f.category}: included in your plan, no charge.`,
    "included-out-of-hours": (f: ChargeFacts) => `${f.category}: included, no charge, even outside support hours.`,
    "billable-category": (f: ChargeFacts) => `${f.category} is billable: ${f.rate} per hour, billed in blocks of ${f.increment}.`,
    "out-of-hours": (f: ChargeFacts) => `Outside support hours: ${f.category} can wait for support hours or be addressed now.`,
  } satisfies Record<BillingReason, (f: ChargeFacts) => string>,
  /** Out of hours, the two options the customer chooses between. */
  afterHoursOption: { wait: "Wait for support hours", now: "Have it addressed now" } satisfies Record<AfterHoursChoice, string>,
  /** An option's terms, per rate class. */
  optionTerms: {
    standard: (rate: string, increment: string) => `Billed at ${rate} per hour, in blocks of ${increment}.`,
    "after-hours": (rate: string, increment: string) => `Billed at the after-hours rate, ${rate} per hour, in blocks of ${increment}.`,
    holiday: (rate: string, increment: string) => `Billed at the holiday rate, ${rate} per hour, in blocks of ${increment}.`,
  } satisfies Record<RateClass, (rate: string, increment: string) => string>,
  optionFree: "No charge.",
  /** One sentence per reason the case is free or chargeable against the allowance (see CaseFacts). */
  allowance: {
    "not-covered": (f: CaseFacts) =>
      `This request is not covered by product support, so it is a chargeable case${f.price ? ` (${f.price})` : ""}.`,
    "allowance-left": (f: CaseFacts) => `Free cases: ${f.left} of ${f.included} left, this one included.`,
    "allowance-used": (f: CaseFacts) =>
      `You have used your ${f.included} free cases for this period: this case is chargeable${f.price ? ` (${f.price})` : ""}.`,
    "setup-assistance": (f: CaseFacts) => `Free setup assistance: ${f.left} left, usable until ${f.until}.`,
  } satisfies Record<AllowanceReason, (f: CaseFacts) => string>,
  ineligible: "Support can't take this request",
  summary: "Your request",
  edit: "Edit",
  send: "Send request",
  sending: "Sending…",

  queuedHeading: "Saved on this device",
  queuedBody:
    "We couldn't reach support, so your request is kept in this browser and will be sent automatically — even if you reload or close the page. You'll get a reference when it arrives.",
  queuedRetrying: "Trying again automatically.",
  queuedOffline: "You seem to be offline. We'll send it when you're back online.",
  queuedCount: (n: number) => (n === 1 ? "1 request waiting to be sent" : `${n} requests waiting to be sent`),
  retryNow: "Retry now",

  sentHeading: "Request sent",
  reference: "Reference",
  sentReplyBy: (at: string) => `We'll reply by ${at}.`,
  sentNoDue: "We'll reply as soon as we can.",
  sentSaved: "This request is saved in this browser under “Your requests”.",
  sentEmailed: "We've also emailed you a link to follow it from any device.",
  viewStatus: "View status",
  another: "Ask something else",

  ticketsHeading: "Your requests",
  noTickets: "No requests from this browser yet.",
  sentOn: (at: string) => `Sent ${at}`,
  queuedItem: "Waiting to be sent",

  ticketHeading: (ref: string) => `Request ${ref}`,
  ticketError: "We couldn't load this request.",
  ticketGone: "This request can no longer be viewed from this browser.",
  forget: "Remove from this browser",
  refresh: "Refresh",
  otherDevice: "Open on another device",
  otherDeviceHint:
    "Open this link on your phone or another computer. Anyone with it can see and act on this request; it works for 30 days.",
  otherDeviceLabel: "Link to this request",
  copy: "Copy link",
  copied: "Link copied.",
  status: {
    open: "Open",
    "waiting-on-customer": "Waiting for your answer",
    responded: "Answered",
    resolved: "Resolved",
    closed: "Closed",
  } as Record<string, string>,
  sla: {
    "on-track": "On track",
    "at-risk": "Due soon",
    breached: "Overdue",
    paused: "Paused",
  } as Record<string, string>,
  firstResponseDue: "First reply due",
  resolutionDue: "Resolution due",
  dueIn: (d: string) => `in ${d}`,
  overdueBy: (d: string) => `overdue by ${d}`,
  answeredAt: (at: string) => `First reply sent ${at}.`,
  pausedNote: "The clock is paused until you answer.",
  infoNeeded: "We need more information",
  yourAnswer: "Your answer",
  sendAnswer: "Send answer",
  answerSent: "Answer sent.",
  followUpHeading: "Add to this request",
  attach: "Attach files",
  yourMessage: "Your message",
  sendMessage: "Send message",
  messageSent: "Message sent.",
  notFixedHeading: "Not fixed?",
  notFixedHint: (until: string) => `Tell us what is still wrong and we'll reopen this request. You can do this until ${until}.`,
  whatIsWrong: "What is still not working?",
  reopen: "Reopen the request",
  reopenedDone: "Request reopened.",
  closedHint: "This request is closed. Still need help? A new request will mention this one.",
  newFollowUp: "Open a new request",
  continues: (ref: string) => `This request continues ${ref}.`,
  quoteHeading: "Quote",
  quoteStatus: {
    requested: "We're preparing a quote.",
    "info-needed": "We need more information to prepare the quote.",
    quoted: "Quote ready for your decision.",
    accepted: "You accepted the quote.",
    declined: "You declined the quote.",
    expired: "The quote expired.",
    planned: "Work is planned.",
    delivered: "Delivered.",
  } as Record<string, string>,
  validUntil: (at: string) => `Valid until ${at}.`,
  plannedFor: (at: string) => `Planned for ${at}.`,
  revision: (n: number) => `Revision ${n}`,
  scope: "What it covers",
  nextSteps: "Next, we plan the work with you and tell you the delivery date.",
  accept: "Accept quote",
  decline: "Decline quote",
  confirmHeading: "Accept this quote?",
  confirmBody: (amount: string) => `You agree to pay ${amount} for the work this quote covers.`,
  confirmAccept: "Yes, accept the quote",
  cancelAccept: "Not now",
  quoteAccepted: "Quote accepted.",
  quoteDeclined: "Quote declined.",
  fixed: "This is fixed — close the request",
  closedDone: "Request closed. Thank you!",
  history: "History",
  author: { customer: "You", staff: "Support", system: "" } as Record<string, string>,
  events: {
    created: "Request received",
    reply: "Reply from support",
    "info-requested": "Support asked for more information",
    "customer-reply": "Your message",
    "priority-set": "Priority updated",
    downgraded: "Priority reduced",
    resolved: "Marked as resolved",
    reopened: "Reopened",
    closed: "Closed",
    "at-risk": "Reply due soon",
    breached: "Reply overdue",
    "quote-sent": "Quote sent",
    "quote-accepted": "Quote accepted",
    "quote-declined": "Quote declined",
    "quote-expired": "Quote expired",
    "quote-planned": "Work planned",
    "quote-delivered": "Delivered",
    "outcome-set": "Analysis result",
    "incident-linked": "Linked to a known issue",
  } as Record<string, string>,
  genericError: "Something went wrong. Please try again.",
  networkError: "We couldn't reach support. Check your connection and try again.",
};

/** A complete message catalog. */
export type Catalog = typeof en;
