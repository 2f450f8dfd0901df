import { z } from "@hono/zod-openapi";
import { createSchemaFactory } from "drizzle-zod";
import { IANAZone } from "luxon";
import { afterHoursChoices, allowanceReasons, quoteStatuses, slaStates, ticketStatuses, tickets } from "./db.ts";
import { isoInstantPattern } from "./instant.ts";
import { billingReasons, rateClasses } from "./policy.ts";
import { referencePattern } from "./reference.ts";

const { createInsertSchema } = createSchemaFactory({ zodInstance: z });

const id = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
const instant = z.string().regex(isoInstantPattern).openapi({ example: "2026-11-24T01:00:00Z" });
const reference = z.string().regex(referencePattern, "Use a reference such as RB-7K3M-Q9XD").openapi({ example: "RB-7K3M-Q9XD" });
const money = z.object({ amount: z.number().int(), currency: z.string() }).openapi("Money");

/**
 * Whether someone is working on this kind of request now: around the clock (a 24/7 priority), open
 * now, or closed until `nextOpenAt`.
 */
const coverage = z
  .object({ openNow: z.boolean(), nextOpenAt: instant.optional(), aroundTheClock: z.literal(true).optional() })
  .openapi("Coverage");

// Field rules come from the tickets table; each request picks the fields it takes.
const ticketFields = createInsertSchema(tickets, {
  issueType: (s) => s.regex(id, "Unknown issue type").openapi({ example: "setup-problem" }),
  severity: (s) => s.regex(id, "Unknown severity").openapi({ example: "normal" }),
  email: () => z.email("Enter a valid email address").max(254),
  name: (s) => s.trim().max(120),
  orderId: (s) => s.trim().max(80),
  description: (s) => s.trim().min(1, "Describe the problem").max(5000, "Keep the description under 5000 characters"),
  locale: (s) => s.regex(/^[a-zA-Z]{2}(?:[-_][A-Za-z0-9]{2,8})*$/, "Use a locale such as en or es-MX").max(35),
  timeZone: (s) => s.max(64).refine((zone) => IANAZone.isValidZone(zone), "Unknown IANA time zone"),
  afterHoursChoice: (s) =>
    s.openapi({ description: "Out of hours: wait for support hours, or have it addressed now at the out-of-hours rate" }),
});

/** A signed customer identity: HMAC-SHA256(accountId) with the site's identity secret, hex. */
export const identitySchema = z
  .strictObject({
    accountId: z.string().min(1).max(120),
    signature: z.string().regex(/^[0-9a-f]{64}$/, "Use the hex HMAC-SHA256 of accountId"),
  })
  .openapi("Identity");

/** POST /v1/sites/:siteKey/window */
export const windowRequestSchema = z
  .strictObject({
    ...ticketFields.pick({ issueType: true, severity: true }).shape,
    ...ticketFields.pick({ locale: true, timeZone: true, afterHoursChoice: true }).partial().shape,
    identity: identitySchema.optional(),
  })
  .openapi("WindowRequest");

/** POST /v1/sites/:siteKey/tickets */
export const ticketCreateSchema = z
  .strictObject({
    ...ticketFields.pick({ issueType: true, severity: true, email: true, description: true }).shape,
    ...ticketFields.pick({ name: true, orderId: true, locale: true, timeZone: true, afterHoursChoice: true }).partial().shape,
    identity: identitySchema.optional(),
    /** An earlier request of the same customer that this one continues (it is closed, or past its reopen window). */
    follows: reference.optional(),
  })
  .openapi("TicketCreate");

/** POST /v1/tickets/:ref/replies */
export const replySchema = z.strictObject({ body: z.string().trim().min(1, "Write a reply").max(5000) }).openapi("Reply");

/** A file on a ticket as the customer sees it (download: GET /v1/tickets/:ref/attachments/:id). */
export const attachmentViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    size: z.number().int().openapi({ description: "Bytes" }),
    contentType: z.string().openapi({ description: "Decided from the file's bytes, not its name" }),
  })
  .openapi("Attachment");

/**
 * POST /v1/tickets/:ref/attachments, as multipart/form-data: a customer message with files (the
 * text may be empty when files are sent). Per file at most 10 MB, per message 10 files, per
 * ticket 25 MB and 50 files in total.
 */
export const attachmentUploadSchema = z
  .object({
    body: z.string().max(5000).optional().openapi({ description: "The message (optional with files)" }),
    file: z.any().openapi({
      type: "array",
      items: { type: "string", format: "binary" },
      description: "One part per file (repeat the field); the name is kept without any path",
    }),
  })
  .openapi("AttachmentUpload");

/** POST /v1/tickets/:ref/reopen: "not fixed", with what is still wrong. */
export const reopenSchema = z.strictObject({ body: z.string().trim().min(1, "Say what is still not working").max(5000) }).openapi("Reopen");

/** POST /v1/tickets/:ref/link: a fresh status-page link, to open the request on another device. */
export const ticketLinkSchema = z
  .object({
    url: z.string().openapi({ example: "https://replyby.example/t/RB-7K3M-Q9XD?k=…" }),
    expiresAt: z.string().openapi({ example: "2026-12-24T10:00:00Z" }),
  })
  .openapi("TicketLink");

/** A status-page link. */
export type TicketLink = z.infer<typeof ticketLinkSchema>;

/** POST /v1/tickets/:ref/quote */
export const quoteDecisionSchema = z.strictObject({ decision: z.enum(["accept", "decline"]) }).openapi("QuoteDecision");

/** The window result shared by the API and the CLI; members that do not apply are omitted. */
export const windowResultSchema = z
  .object({
    priority: z.string(),
    workflow: z.literal("quote").optional(),
    firstResponse: z
      .object({ dueAt: instant, target: z.string(), earliestAt: instant.optional(), latestAt: instant.optional() })
      .optional(),
    resolution: z.object({ dueAt: instant, target: z.string(), earliestAt: instant.optional(), latestAt: instant.optional() }).optional(),
    downgrade: z.object({ earliestAt: instant.optional(), latestAt: instant, to: z.string() }).optional(),
    coverage: coverage.optional(),
    billing: z
      .object({
        billable: z.boolean(),
        /** Why it is charged or included: the sentence the customer reads names this cause. */
        reason: z.enum(billingReasons),
        /** The billing category the request falls in, with its label in the request's locale. */
        category: z.object({ id: z.string(), label: z.string() }),
        rateClass: z.enum(rateClasses),
        ratePerHour: money.optional(),
        increment: z.string(),
        resumesAt: instant.optional(),
        /** Out of hours, for work done then only if paid for: the option in force (wait unless asked otherwise). */
        choice: z.enum(afterHoursChoices).optional(),
        /** Both options, each with its terms and reply-by: wait for support hours, or have it addressed now. */
        options: z
          .array(
            z.object({
              choice: z.enum(afterHoursChoices),
              billable: z.boolean(),
              rateClass: z.enum(rateClasses),
              ratePerHour: money.optional(),
              firstResponseDueAt: instant.optional(),
            }),
          )
          .optional(),
      })
      .optional(),
    allowance: z
      .object({
        /** Why the case is free or chargeable: the sentence the customer reads names this cause. */
        reason: z.enum(allowanceReasons),
        used: z.number().optional(),
        included: z.number().optional(),
        chargeable: z.boolean(),
        unit: z.enum(["cases", "hours"]),
        extraCase: money.optional(),
        /** Setup assistance: free until this instant. */
        freeUntil: instant.optional(),
      })
      .optional(),
    eligibility: z.object({ eligible: z.boolean(), reason: z.string().optional() }),
    explanation: z.array(z.string()),
  })
  .openapi("Window");

/** The window result. */
export type WindowResult = z.infer<typeof windowResultSchema>;

const option = z.object({ id: z.string(), label: z.string(), description: z.string().optional() });

/** GET /v1/sites/:siteKey/config */
export const siteConfigSchema = z
  .object({
    siteKey: z.string(),
    name: z.string(),
    locale: z.string(),
    locales: z.array(z.string()),
    branding: z.object({ accent: z.string().optional(), title: z.string().optional() }),
    issueTypes: z.array(option.extend({ workflow: z.literal("quote").optional() })),
    severities: z.array(option),
    incidents: z.array(z.object({ id: z.string(), title: z.string(), body: z.string(), startedAt: instant })),
    coverage: coverage.optional(),
    contact: z
      .object({
        email: z.string().optional(),
        /** E.164 number and the digits dialled after it (dial `tel:<number>,<option>`); `text` as the merchant writes it. */
        phone: z.object({ number: z.string().optional(), option: z.string().optional(), text: z.string() }).optional(),
        /** A line shown with the contact details, in the customer's locale (such as what to put in an email's subject). */
        note: z.string().optional(),
      })
      .optional(),
  })
  .openapi("SiteConfig");

const quoteView = z.object({
  status: z.enum(quoteStatuses),
  amount: z.number().int().optional(),
  currency: z.string().optional(),
  validUntil: instant.optional(),
  plannedFor: instant.optional(),
  revision: z.number().int(),
  /** What the quote covers, as staff wrote it with the offer. */
  scope: z.string().optional(),
});

/** What the customer sees of a ticket. */
export const ticketViewSchema = z
  .object({
    reference: z.string(),
    status: z.enum(ticketStatuses),
    priority: z.string(),
    issueType: z.string(),
    severity: z.string(),
    receivedAt: instant,
    firstResponseDueAt: instant.optional(),
    firstRespondedAt: instant.optional(),
    resolutionDueAt: instant.optional(),
    resolutionEarliestAt: instant.optional(),
    slaState: z.enum(slaStates),
    /** Coverage of the ticket's priority now. */
    coverage: coverage.optional(),
    awaitingCustomer: z.boolean(),
    /** While resolved: until when the customer may reopen it ("not fixed"). */
    reopenUntil: instant.optional(),
    /** The earlier request this one continues. */
    follows: reference.optional(),
    outcome: z.string().optional(),
    events: z.array(
      z.object({
        at: instant,
        type: z.string(),
        author: z.enum(["customer", "staff", "system"]),
        body: z.string().optional(),
        /** The files this message carries. */
        attachments: z.array(attachmentViewSchema).optional(),
      }),
    ),
    quote: quoteView.optional(),
  })
  .openapi("Ticket");

/** What the customer sees of a ticket. */
export type TicketView = z.infer<typeof ticketViewSchema>;

/** 201 from POST /v1/sites/:siteKey/tickets */
export const ticketCreatedSchema = z
  .object({
    reference: z.string(),
    accessToken: z.string(),
    status: z.enum(ticketStatuses),
    createdAt: instant,
    window: windowResultSchema,
  })
  .openapi("TicketCreated");

/** RFC 9457 problem details: the one error shape. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

/** The site config the widget reads. */
export type SiteConfig = z.infer<typeof siteConfigSchema>;
/** The body of a created ticket. */
export type TicketCreated = z.infer<typeof ticketCreatedSchema>;
/** A problem+json body. */
export type Problem = z.infer<typeof problemSchema>;
/** A window preview request. */
export type WindowRequest = z.input<typeof windowRequestSchema>;
/** A ticket creation request. */
export type TicketCreate = z.input<typeof ticketCreateSchema>;

const flagName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/, "Use a flag name such as duesCurrent");

/**
 * PUT /v1/admin/accounts/:id: what the merchant says about one customer account. A field left out
 * keeps its stored value (a new account starts with none); flags are merged into the stored ones.
 */
export const accountUpdateSchema = z
  .strictObject({
    plan: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .optional()
      .openapi({ description: "The plan or edition, as the policy's allowances name it", example: "professional" }),
    duesCurrent: z.boolean().optional().openapi({ description: "Whether the customer is current with all dues (the duesCurrent flag)" }),
    flags: z
      .record(flagName, z.boolean())
      .refine((f) => Object.keys(f).length <= 20, "At most 20 flags")
      .optional()
      .openapi({ description: "Other flags the policy's eligibility may require", example: { duesCurrent: true } }),
    subscribedAt: instant.optional().openapi({ description: "When the customer subscribed: setup assistance counts from it" }),
    casesUsed: z.number().int().min(0).max(999_999).optional().openapi({
      description:
        "Cases used in the current allowance period as of this request, as your systems count them; cases filed through Replyby afterwards are added to it",
      example: 3,
    }),
  })
  .openapi("AccountUpdate");

/** A customer account as the admin API answers it. */
export const accountSchema = z
  .object({
    id: z.string().openapi({ example: "acme" }),
    plan: z.string().nullable(),
    duesCurrent: z.boolean().nullable(),
    flags: z.record(z.string(), z.boolean()),
    subscribedAt: instant.nullable(),
    casesUsed: z.number().int().nullable(),
    /** When casesUsed was reported: it counts for the allowance period containing this instant. */
    casesUsedAt: instant.nullable(),
    updatedAt: instant,
  })
  .openapi("Account");

/** A customer account update. */
export type AccountUpdateInput = z.infer<typeof accountUpdateSchema>;
