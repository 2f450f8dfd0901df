import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { LocalText } from "./policy.ts";

/** Ticket lifecycle states. */
export const ticketStatuses = ["open", "waiting-on-customer", "responded", "resolved", "closed"] as const;
/** Where a ticket stands against its next due time. */
export const slaStates = ["on-track", "at-risk", "breached", "paused"] as const;
/** Staff roles. */
export const staffRoles = ["agent", "admin"] as const;
/**
 * Where a staff member stands: invited (no password yet; an invitation email is out), active (may
 * sign in), deactivated (may not sign in; can be reactivated), removed (gone from the team; the row
 * stays so their history keeps its name, and the email may be invited again).
 */
export const staffStatuses = ["invited", "active", "deactivated", "removed"] as const;
/** What a one-time staff token is for: accepting an invitation, resetting a password, choosing a merchant at sign-in. */
export const staffTokenPurposes = ["invite", "reset", "sign-in", "verify-email"] as const;
/** Who wrote a ticket event. */
export const actorKinds = ["customer", "staff", "system"] as const;
/** Event types on a ticket's append-only log. */
export const eventTypes = [
  "created",
  "reply",
  "info-requested",
  "customer-reply",
  "priority-set",
  "downgraded",
  "resolved",
  "reopened",
  "closed",
  "at-risk",
  "breached",
  "quote-sent",
  "quote-accepted",
  "quote-declined",
  "quote-expired",
  "quote-planned",
  "quote-delivered",
  "time-logged",
  "incident-linked",
  "outcome-set",
  "note",
  "meeting-scheduled",
  "meeting-cancelled",
  "assigned",
] as const;
/** Where a notification goes: the merchant's webhook, or an email. */
export const outboxChannels = ["webhook", "email"] as const;
/** A notification's delivery state. */
export const outboxStatuses = ["queued", "sent", "failed", "suppressed"] as const;
/** The channel a ticket arrived through: the widget or public API, or an email to the support address. */
export const ticketSources = ["web", "email"] as const;
/** What became of an inbound email. */
export const inboundOutcomes = ["created", "appended", "ignored", "bounce", "rejected"] as const;
/** Who attached a file. */
export const attachmentAuthors = ["customer", "staff"] as const;
/**
 * Why a new case is free or chargeable against the account's allowance: its issue type is not
 * covered by product support, free cases are left, the free cases are used up, or it is free
 * setup assistance.
 */
export const allowanceReasons = ["not-covered", "allowance-left", "allowance-used", "setup-assistance"] as const;
/**
 * What the customer chose for work the policy does out of hours only if paid for ("Wait until next
 * business day ... or $225/hour"): wait for support hours on standard terms, or have it addressed now
 * at the out-of-hours rate. It decides the rate class staff can bill the ticket at.
 */
export const afterHoursChoices = ["wait", "now"] as const;
/** A meeting's state: booked, or called off by the customer (cancelled, or moved to another time). */
export const meetingStatuses = ["scheduled", "cancelled", "rescheduled"] as const;
/**
 * Why calling a meeting off is or is not charged: within the cancellations the policy allows, with
 * enough notice, or late (billed by the policy's rule).
 */
export const cancellationReasons = ["free-cancellation", "enough-notice", "late-cancellation"] as const;
/** Quote states (the engine's state machine). */
export const quoteStatuses = ["requested", "info-needed", "quoted", "accepted", "declined", "expired", "planned", "delivered"] as const;

const createdAt = () => integer("created_at").notNull();

/** A business using Replyby. */
export const merchants = sqliteTable("merchants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** The policy version new tickets are created under. */
  policyVersion: integer("policy_version").notNull(),
  webhookUrl: text("webhook_url"),
  webhookSecret: text("webhook_secret"),
  /** The webhook events the merchant chose to receive; null: every event (merchants from before the choice existed). */
  webhookEvents: text("webhook_events", { mode: "json" }).$type<string[]>(),
  /** When the webhook secret was last generated (shown once then, never again). */
  webhookSecretAt: integer("webhook_secret_at"),
  /** HMAC key of the merchant's email reply tokens (`help+<token>@…`) and message ids; never shown. */
  replySecret: text("reply_secret"),
  /** A merchant that signed up itself: the first-run checklist's recorded steps; null for merchants set up otherwise. */
  onboarding: text("onboarding", { mode: "json" }).$type<Onboarding>(),
  createdAt: createdAt(),
});

/** What a signed-up merchant has done of the first-run checklist (epoch ms); the other steps are read from their data. */
export interface Onboarding {
  /** A starting policy was chosen (a preset, or the blank one kept). */
  policyAt?: number;
  /** Business hours were saved through the hours form. */
  hoursAt?: number;
  /** Every step was done and the checklist put away. */
  doneAt?: number;
}

/** A merchant's policy, versioned: a ticket keeps the version it was created under. */
export const policies = sqliteTable(
  "policies",
  {
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    version: integer("version").notNull(),
    preset: text("preset"),
    body: text("body", { mode: "json" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.version] })],
);

/** A site's look: accent colour and a title, one string or one per locale. */
export interface SiteBranding {
  accent?: string;
  title?: LocalText;
}

/** A storefront embedding the widget: public site key, allowed origins, branding. */
export const sites = sqliteTable(
  "sites",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    siteKey: text("site_key").notNull(),
    name: text("name").notNull(),
    allowedOrigins: text("allowed_origins", { mode: "json" }).$type<string[]>().notNull(),
    branding: text("branding", { mode: "json" }).$type<SiteBranding>().notNull(),
    defaultLocale: text("default_locale").notNull(),
    /** HMAC key merchants sign `identify` calls with, so account facts cannot be forged. */
    identitySecret: text("identity_secret").notNull(),
    /** When the current identity secret was generated (null: with the site). It is shown only then. */
    identitySecretAt: integer("identity_secret_at"),
    /** The secret before the last rotation: still accepted until `identityPreviousUntil`, so pages can switch over. */
    identityPreviousSecret: text("identity_previous_secret"),
    identityPreviousUntil: integer("identity_previous_until"),
    /** The support address Email Routing delivers to the worker (e.g. help@commerceup.demo), lower case. */
    inboundAddress: text("inbound_address"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("sites_site_key").on(t.siteKey),
    index("sites_merchant").on(t.merchantId),
    uniqueIndex("sites_inbound_address").on(t.inboundAddress),
  ],
);

/** A merchant's customer account: plan and flags some policies depend on. */
export const accounts = sqliteTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    externalId: text("external_id").notNull(),
    plan: text("plan"),
    flags: text("flags", { mode: "json" }).$type<Record<string, boolean>>().notNull(),
    subscribedAt: integer("subscribed_at"),
    /**
     * Cases used in the allowance period containing `casesUsedAt`, as the merchant reported them then
     * (API or CSV import); cases filed through Replyby after that instant are added to it.
     */
    casesUsed: integer("cases_used"),
    casesUsedAt: integer("cases_used_at"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at"),
  },
  (t) => [uniqueIndex("accounts_external").on(t.merchantId, t.externalId)],
);

/**
 * A merchant's key for the admin API (`Authorization: Bearer rbk_…`): only its SHA-256 is stored;
 * the dashboard shows the key once, then lists it by its prefix. A revoked key is refused (401).
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    name: text("name").notNull(),
    /** The key's first characters, to tell keys apart in the list (not enough to use it). */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.keyHash), index("api_keys_merchant").on(t.merchantId, t.createdAt)],
);

/** A customer's request. Instants are epoch milliseconds (UTC). */
export const tickets = sqliteTable(
  "tickets",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id),
    /** Public reference shown to the customer (e.g. RB-7K3M-Q9XD). */
    ref: text("ref").notNull(),
    policyVersion: integer("policy_version").notNull(),
    issueType: text("issue_type").notNull(),
    severity: text("severity").notNull(),
    /** The priority the policy's classification gave. */
    classifiedPriority: text("classified_priority").notNull(),
    /** The priority in force: staff may override; due times are recomputed from receivedAt. */
    priority: text("priority").notNull(),
    status: text("status", { enum: ticketStatuses }).notNull(),
    email: text("email").notNull(),
    name: text("name"),
    orderId: text("order_id"),
    description: text("description").notNull(),
    locale: text("locale").notNull(),
    timeZone: text("time_zone"),
    accountId: text("account_id"),
    incidentId: text("incident_id"),
    source: text("source", { enum: ticketSources }).notNull().default("web"),
    /** The reference of the customer's earlier request that this one continues (it had closed). */
    followsRef: text("follows_ref"),
    outcome: text("outcome"),
    chargeable: integer("chargeable", { mode: "boolean" }).notNull(),
    /** Why the case is free or chargeable against the allowance, when an allowance applies. */
    allowanceReason: text("allowance_reason", { enum: allowanceReasons }),
    /** Received out of hours for paid-or-wait work: the customer's choice; null where none was offered. */
    afterHoursChoice: text("after_hours_choice", { enum: afterHoursChoices }),
    receivedAt: integer("received_at").notNull(),
    /** Pauses while waiting on the customer: [[from, to|null], …]. */
    pauses: text("pauses", { mode: "json" }).$type<[number, number | null][]>().notNull(),
    /** Where the policy restarts the first-response clock at the customer's reply. */
    restartedAt: integer("restarted_at"),
    firstResponseDueAt: integer("first_response_due_at"),
    firstRespondedAt: integer("first_responded_at"),
    resolutionDueAt: integer("resolution_due_at"),
    resolutionEarliestAt: integer("resolution_earliest_at"),
    downgradeDueAt: integer("downgrade_due_at"),
    /** The next deadline still owed (first response, else resolution): what the queue sorts by. */
    nextDueAt: integer("next_due_at"),
    /** When the next deadline turns at-risk; the cron flips states by these two instants. */
    atRiskAt: integer("at_risk_at"),
    slaState: text("sla_state", { enum: slaStates }).notNull(),
    resolvedAt: integer("resolved_at"),
    /** While resolved: until when the customer may reopen it; the cron closes it then. */
    reopenUntil: integer("reopen_until"),
    closedAt: integer("closed_at"),
    /** SHA-256 of the customer's bearer access token. */
    accessTokenHash: text("access_token_hash").notNull(),
    /** The staff member the ticket is assigned to (a staff id of the same merchant), or null. */
    assigneeId: text("assignee_id"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("tickets_ref").on(t.ref),
    index("tickets_queue").on(t.merchantId, t.status, t.nextDueAt),
    index("tickets_open_due").on(t.merchantId, t.nextDueAt),
    index("tickets_received").on(t.merchantId, t.receivedAt),
    index("tickets_breach_scan").on(t.slaState, t.nextDueAt),
    index("tickets_risk_scan").on(t.slaState, t.atRiskAt),
    index("tickets_account").on(t.merchantId, t.accountId, t.receivedAt),
    index("tickets_email").on(t.merchantId, t.email),
    index("tickets_reopen_scan").on(t.status, t.reopenUntil),
    // The queue's "mine" and "unassigned" views (assignee_id = ? / IS NULL), as tickets_open_due and tickets_queue.
    index("tickets_assignee_due").on(t.merchantId, t.assigneeId, t.nextDueAt),
    index("tickets_assignee_queue").on(t.merchantId, t.assigneeId, t.status, t.nextDueAt),
  ],
);

/** The append-only log of everything that happened to a ticket. */
export const ticketEvents = sqliteTable(
  "ticket_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ticketId: text("ticket_id")
      .notNull()
      .references(() => tickets.id),
    merchantId: text("merchant_id").notNull(),
    at: integer("at").notNull(),
    type: text("type", { enum: eventTypes }).notNull(),
    actor: text("actor", { enum: actorKinds }).notNull(),
    staffId: text("staff_id"),
    /** Public events are shown to the customer; internal ones only to staff. */
    public: integer("public", { mode: "boolean" }).notNull(),
    body: text("body"),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [index("ticket_events_ticket").on(t.ticketId, t.at), index("ticket_events_merchant").on(t.merchantId, t.type, t.at)],
);

/** The quote on a feature request (one per ticket; revisions are events). */
export const quotes = sqliteTable("quotes", {
  ticketId: text("ticket_id")
    .primaryKey()
    .references(() => tickets.id),
  merchantId: text("merchant_id").notNull(),
  status: text("status", { enum: quoteStatuses }).notNull(),
  amount: integer("amount"),
  currency: text("currency"),
  validUntil: integer("valid_until"),
  plannedFor: integer("planned_for"),
  revision: integer("revision").notNull(),
  note: text("note"),
  updatedAt: integer("updated_at").notNull(),
});

/** Billable (or not) time staff logged on a ticket, priced when logged. */
export const timeEntries = sqliteTable(
  "time_entries",
  {
    id: text("id").primaryKey(),
    ticketId: text("ticket_id")
      .notNull()
      .references(() => tickets.id),
    merchantId: text("merchant_id").notNull(),
    staffId: text("staff_id").notNull(),
    startedAt: integer("started_at").notNull(),
    minutes: integer("minutes").notNull(),
    category: text("category").notNull(),
    rateClass: text("rate_class").notNull(),
    /** Whether the work is charged: a category included in the plan is logged but not billed. */
    billable: integer("billable", { mode: "boolean" }).notNull().default(true),
    billedMinutes: integer("billed_minutes").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [index("time_entries_merchant").on(t.merchantId, t.startedAt), index("time_entries_ticket").on(t.ticketId)],
);

/**
 * A meeting (call or video) with the customer about a ticket, as staff record it. Cancellations count
 * per customer (their account when known, else their email), so the policy's "one cancellation is
 * allowed" holds across their tickets; a late one is billed as a time entry.
 */
export const meetings = sqliteTable(
  "meetings",
  {
    id: text("id").primaryKey(),
    ticketId: text("ticket_id")
      .notNull()
      .references(() => tickets.id),
    merchantId: text("merchant_id").notNull(),
    /** Whose meeting: "account:<id>" or "email:<address>". */
    customerKey: text("customer_key").notNull(),
    scheduledAt: integer("scheduled_at").notNull(),
    status: text("status", { enum: meetingStatuses }).notNull(),
    cancelledAt: integer("cancelled_at"),
    cancellationReason: text("cancellation_reason", { enum: cancellationReasons }),
    /** The time entry a late cancellation's fee was billed as. */
    feeEntryId: text("fee_entry_id"),
    staffId: text("staff_id").notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("meetings_ticket").on(t.ticketId, t.scheduledAt), index("meetings_customer").on(t.merchantId, t.customerKey, t.status)],
);

/** A known issue announced by staff; shown in the widget before a customer files. */
export const incidents = sqliteTable(
  "incidents",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    /** In the policy's first locale: what the dashboard lists and the ticket timeline records. */
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** Title and body per locale, when staff wrote them in more than one; the widget picks the customer's. */
    titleLocal: text("title_local", { mode: "json" }).$type<LocalText>(),
    bodyLocal: text("body_local", { mode: "json" }).$type<LocalText>(),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at"),
  },
  (t) => [index("incidents_open").on(t.merchantId, t.endedAt)],
);

/**
 * Support staff of one merchant. One email may be staff of several merchants (a row, and a password,
 * per merchant); within a merchant an email is on the team once, removed rows apart.
 */
export const staff = sqliteTable(
  "staff",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: staffRoles }).notNull(),
    /** "pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>": upgradeable in place at login. */
    passwordHash: text("password_hash").notNull(),
    passwordChangedAt: integer("password_changed_at").notNull(),
    status: text("status", { enum: staffStatuses }).notNull().default("active"),
    /** While invited: until when the invitation can be accepted. */
    inviteExpiresAt: integer("invite_expires_at"),
    /** False for a sign-up's admin until the link in the verification email is followed: no sign-in before. */
    emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("staff_merchant_email").on(t.merchantId, t.email).where(sql`${t.status} <> 'removed'`),
    index("staff_email").on(t.email),
  ],
);

/**
 * A one-time token emailed to (or shown to) a staff member: only its SHA-256 is stored; it works
 * once (usedAt) and until it expires.
 */
export const staffTokens = sqliteTable(
  "staff_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    staffId: text("staff_id")
      .notNull()
      .references(() => staff.id),
    merchantId: text("merchant_id").notNull(),
    purpose: text("purpose", { enum: staffTokenPurposes }).notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("staff_tokens_staff").on(t.staffId, t.purpose)],
);

/**
 * The install check of a site: when the widget's first config request came from an allowed
 * origin, and the last origin refused. Diagnostics only, written on the public config path.
 */
export const siteInstalls = sqliteTable("site_installs", {
  siteId: text("site_id")
    .primaryKey()
    .references(() => sites.id),
  merchantId: text("merchant_id").notNull(),
  firstSeenAt: integer("first_seen_at"),
  firstSeenOrigin: text("first_seen_origin"),
  refusedOrigin: text("refused_origin"),
  refusedAt: integer("refused_at"),
});

/** A staff login session, stored only as the SHA-256 of its cookie token. */
export const sessions = sqliteTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    staffId: text("staff_id")
      .notNull()
      .references(() => staff.id),
    merchantId: text("merchant_id").notNull(),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_staff").on(t.staffId), index("sessions_expires").on(t.expiresAt)],
);

/**
 * A replayable response for an Idempotency-Key, scoped per site, kept 24 hours. `key` is the
 * SHA-256 of the site id and the client's key (the key itself is not stored); `response` holds the
 * access token only sealed under the client's key (worker/tickets/create.ts).
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    siteId: text("site_id").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    response: text("response").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.key] }), index("idempotency_created").on(t.createdAt)],
);

/** Fixed-window counters for hourly and daily caps (per site, per IP, per login). */
export const rateCounters = sqliteTable(
  "rate_counters",
  {
    key: text("key").primaryKey(),
    count: integer("count").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("rate_counters_expires").on(t.expiresAt)],
);

/**
 * Notifications waiting to be delivered: webhooks to the merchant and emails to customers and
 * on-call staff. Rows are written in the same batch as the event that causes them, and delivered
 * (leased, sent, marked) by the outbox's delivery; failures retry with backoff.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    channel: text("channel", { enum: outboxChannels }).notNull().default("webhook"),
    /** The webhook event name ("ticket.created") or the email's template ("received"). */
    event: text("event").notNull(),
    ticketId: text("ticket_id"),
    /** The email address an email goes to. */
    recipient: text("recipient"),
    payload: text("payload").notNull(),
    status: text("status", { enum: outboxStatuses }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    /** A delivery in progress holds the row until then; another may take it only after. */
    leasedUntil: integer("leased_until"),
    deliveredAt: integer("delivered_at"),
    /** The Message-ID the email service gave a sent email: a reply's In-Reply-To threads by it. */
    messageId: text("message_id"),
    lastError: text("last_error"),
    createdAt: createdAt(),
  },
  (t) => [
    index("outbox_due").on(t.status, t.nextAttemptAt),
    index("outbox_ticket").on(t.ticketId, t.createdAt),
    /** A merchant's recent deliveries per channel: the webhook delivery log. */
    index("outbox_merchant").on(t.merchantId, t.channel, t.createdAt),
    index("outbox_message_id").on(t.messageId),
    // The per-address caps count an address's recent emails before each send.
    index("outbox_recipient").on(t.recipient, t.deliveredAt),
  ],
);

/**
 * A one-row table whose CHECK aborts a D1 batch when the statement before the guard changed no
 * rows: `INSERT OR REPLACE INTO write_guard VALUES (1, changes())`. D1 has no BEGIN, so this is
 * how an optimistic update ("only if nobody changed the ticket meanwhile") rolls back its whole
 * batch — events, quotes, notifications — instead of leaving half a change.
 */
export const writeGuard = sqliteTable(
  "write_guard",
  {
    id: integer("id").primaryKey(),
    ok: integer("ok").notNull(),
  },
  (t) => [check("write_guard_ok", sql`${t.ok} = 1`)],
);

/** A link from an email to the status page: only the token's SHA-256, for one ticket, until it expires. */
export const ticketLinks = sqliteTable(
  "ticket_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    ticketId: text("ticket_id")
      .notNull()
      .references(() => tickets.id),
    merchantId: text("merchant_id").notNull(),
    expiresAt: integer("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("ticket_links_ticket").on(t.ticketId), index("ticket_links_expires").on(t.expiresAt)],
);

/** A browser that opened a status-page link: its cookie's SHA-256, for one ticket, until it expires. */
export const customerSessions = sqliteTable(
  "customer_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    ticketId: text("ticket_id")
      .notNull()
      .references(() => tickets.id),
    merchantId: text("merchant_id").notNull(),
    expiresAt: integer("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("customer_sessions_ticket").on(t.ticketId), index("customer_sessions_expires").on(t.expiresAt)],
);

/** Every inbound email the worker accepted, once per merchant and Message-ID (a second copy changes nothing). */
export const inboundMessages = sqliteTable(
  "inbound_messages",
  {
    merchantId: text("merchant_id").notNull(),
    messageId: text("message_id").notNull(),
    ticketId: text("ticket_id"),
    outcome: text("outcome", { enum: inboundOutcomes }).notNull(),
    sender: text("sender").notNull(),
    subject: text("subject").notNull(),
    /** The original message, capped, in R2 (FILES) under the merchant. */
    rawKey: text("raw_key"),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.messageId] }), index("inbound_messages_ticket").on(t.ticketId)],
);

/** Addresses a merchant must not email automatically (a bounce said they are undeliverable). */
export const suppressions = sqliteTable(
  "suppressions",
  {
    merchantId: text("merchant_id").notNull(),
    email: text("email").notNull(),
    reason: text("reason").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.email] })],
);

/** A file on a ticket, stored in R2 (FILES) under the merchant; downloaded only as an attachment. */
export const attachments = sqliteTable(
  "attachments",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    ticketId: text("ticket_id")
      .notNull()
      .references(() => tickets.id),
    author: text("author", { enum: attachmentAuthors }).notNull(),
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    r2Key: text("r2_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("attachments_ticket").on(t.ticketId)],
);

/** Local development only (DEV_MODE): a copy of every email the worker sent, for /dev/mailbox. */
export const devMailbox = sqliteTable(
  "dev_mailbox",
  {
    id: text("id").primaryKey(),
    sender: text("sender").notNull(),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    headers: text("headers", { mode: "json" }).$type<Record<string, string>>().notNull(),
    sentAt: integer("sent_at").notNull(),
  },
  (t) => [index("dev_mailbox_sent").on(t.sentAt)],
);
