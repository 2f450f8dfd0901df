import { and, eq } from "drizzle-orm";
import type { TicketCreated, WindowResult } from "../../schema/api.ts";
import { idempotencyKeys, ticketEvents, type ticketSources, tickets } from "../../schema/db.ts";
import type { AfterHoursChoice } from "../engine/billing.ts";
import { EngineError } from "../engine/errors.ts";
import { localeOf } from "../engine/format.ts";
import type { Account } from "../engine/policy.ts";
import { classify } from "../engine/policy.ts";
import { computeWindow, iso } from "../engine/window.ts";
import { ApiError } from "../errors.ts";
import { randomId, randomToken, seal, sha256Hex, unseal } from "../infra/crypto.ts";
import { constraintFailed, type Database, database } from "../infra/db.ts";
import { type Cap, capExceeded, capGuard, countCaps, reportAlarms } from "../infra/rate-caps.ts";
import { insertRow, statementOf } from "../infra/statements.ts";
import type { VerifiedAccount } from "../merchant/accounts.ts";
import type { SiteContext } from "../merchant/site-context.ts";
import { outboxInserts } from "../outbox/outbox.ts";
import { notificationsFor } from "./notifications.ts";
import { randomReference } from "./reference.ts";
import { scheduleOf, type TicketRow } from "./rows.ts";

/** What a new ticket says, whichever channel it came through. */
export interface TicketInput {
  readonly issueType: string;
  readonly severity: string;
  /** A priority decided before classification (an email subject rule); else the policy classifies. */
  readonly priority?: string | undefined;
  readonly email: string;
  readonly name?: string | null | undefined;
  readonly orderId?: string | null | undefined;
  readonly description: string;
  readonly locale?: string | null | undefined;
  readonly timeZone?: string | null | undefined;
  /** The reference of an earlier request of this customer that this one continues. */
  readonly follows?: string | undefined;
  /** The channel it came through (default: the widget or public API). */
  readonly source?: (typeof ticketSources)[number] | undefined;
  /** Out of hours, for work done then only if paid for: wait (the default) or have it addressed now. */
  readonly afterHoursChoice?: AfterHoursChoice | null | undefined;
  /**
   * False for a request that must get no automatic email (mail that was itself automatic: a
   * loop would follow). Carried as `data.autoReply: false` on the created event, which the
   * notifications read; default true.
   */
  readonly autoReply?: boolean | undefined;
}

/**
 * The earlier request a new one continues: only one of the same customer (email) at the same
 * merchant; any other reference gets the same field error as an unknown one, so it tells nothing.
 */
async function followedRef(env: Env, site: SiteContext, email: string, ref: string | undefined): Promise<string | null> {
  if (ref === undefined) return null;
  const earlier = await database(env.DB).query.tickets.findFirst({
    columns: { email: true },
    where: and(eq(tickets.ref, ref), eq(tickets.merchantId, site.merchantId)),
  });
  if (!earlier || earlier.email.toLowerCase() !== email.toLowerCase()) {
    throw new ApiError("validation-failed", undefined, { errors: [{ path: "follows", message: "Not one of your earlier requests here" }] });
  }
  return ref;
}

/**
 * The window for a request on this site now. Engine refusals about the request's own fields become
 * field-level validation errors.
 */
export function windowFor(
  site: SiteContext,
  input: {
    issueType: string;
    severity: string;
    priority?: string | undefined;
    locale?: string | null | undefined;
    afterHoursChoice?: AfterHoursChoice | null | undefined;
  },
  account: Account | undefined,
  now: number,
): WindowResult {
  try {
    return computeWindow(site.policy, {
      issueType: input.issueType,
      severity: input.severity,
      ...(input.priority !== undefined ? { priority: input.priority } : {}),
      at: now,
      locale: input.locale ?? site.defaultLocale,
      ...(input.afterHoursChoice ? { afterHoursChoice: input.afterHoursChoice } : {}),
      ...(account ? { account } : {}),
    });
  } catch (e) {
    if (e instanceof EngineError && (e.code === "unknown-issue-type" || e.code === "unknown-severity")) {
      throw new ApiError("validation-failed", undefined, {
        errors: [{ path: e.code === "unknown-issue-type" ? "issueType" : "severity", message: e.message }],
      });
    }
    throw e;
  }
}

/** How a creation is made exactly once: a key scoped to the site, and a hash of what was asked. */
export interface Idempotency {
  readonly key: string;
  readonly requestHash: string;
}

/** A created ticket: what the creator is told, and whether this is a replay of an earlier creation. */
export interface CreateResult {
  readonly created: TicketCreated;
  readonly replayed: boolean;
}

/*
 * The stored answer of a creation must not hold the ticket's access token: D1 keeps it for 24 h.
 * It holds the token sealed (AES-GCM) under a key derived from the Idempotency-Key, and the key
 * itself only as a hash — so the token can be re-derived only by the client that presents the
 * same key again, and a copy of the database alone opens no ticket.
 */
const keyHash = (site: SiteContext, idem: Idempotency) => sha256Hex(`${site.id}\n${idem.key}`);
const sealContext = (site: SiteContext) => `replyby-idempotent-token|${site.id}`;

async function storedResponse(site: SiteContext, idem: Idempotency, created: TicketCreated): Promise<string> {
  return JSON.stringify({ ...created, accessToken: await seal(idem.key, sealContext(site), created.accessToken) });
}

async function replayOf(env: Env, site: SiteContext, idem: Idempotency): Promise<CreateResult | undefined> {
  const prior = await database(env.DB).query.idempotencyKeys.findFirst({
    where: and(eq(idempotencyKeys.siteId, site.id), eq(idempotencyKeys.key, await keyHash(site, idem))),
  });
  if (!prior) return undefined;
  if (prior.requestHash !== idem.requestHash) throw new ApiError("idempotency-key-reused");
  const stored = JSON.parse(prior.response) as TicketCreated;
  const accessToken = await unseal(idem.key, sealContext(site), stored.accessToken);
  // Only a row written by another scheme (or tampered with) fails to open: never an answer without its token.
  if (accessToken === null)
    throw new ApiError("conflict", "This request was accepted earlier but cannot be replayed; use a new Idempotency-Key");
  return { created: { ...stored, accessToken }, replayed: true };
}

/**
 * Creates a ticket exactly once per idempotency key: the idempotency record, the ticket, its first
 * event, the hourly caps and its notifications are one D1 batch that lands whole or not at all. A
 * duplicate (retried or concurrent) fails on the key's primary key and gets the first answer; a cap
 * past its limit fails the write guard and nothing is written.
 */
export async function createTicket(
  env: Env,
  site: SiteContext,
  input: TicketInput,
  opts: {
    readonly idempotency: Idempotency;
    readonly caps: readonly Cap[];
    readonly account?: VerifiedAccount | undefined;
    readonly now: number;
    /** The new ticket's id, when files were put under it before it exists (attachments/store.ts). */
    readonly ticketId?: string | undefined;
    /** More data on its "created" event (the files it carries). */
    readonly eventData?: Record<string, unknown> | undefined;
    /** Rows written in the ticket's own batch (the inbound email it came from, its files), given its id; as in commit's Change. */
    readonly extra?:
      | ((db: Database, ticket: { id: string; reference: string }) => readonly { toSQL(): { sql: string; params: unknown[] } }[])
      | undefined;
  },
): Promise<CreateResult> {
  const { now, idempotency, caps, account } = opts;
  const d1 = env.DB;
  const window = windowFor(site, input, account?.facts, now);
  if (!window.eligibility.eligible) {
    // A retry of a request that was accepted earlier still gets its original answer.
    const earlier = await replayOf(env, site, idempotency);
    if (earlier) return earlier;
    throw new ApiError("ineligible", window.eligibility.reason);
  }
  const followsRef = await followedRef(env, site, input.email, input.follows);
  const token = randomToken();
  const base = {
    merchantId: site.merchantId,
    siteId: site.id,
    policyVersion: site.policyVersion,
    issueType: input.issueType,
    severity: input.severity,
    classifiedPriority: classify(site.policy, input.issueType, input.severity),
    priority: window.priority,
    status: "open" as const,
    email: input.email,
    name: input.name ?? null,
    orderId: input.orderId ?? null,
    description: input.description,
    followsRef,
    source: input.source ?? "web",
    locale: localeOf(input.locale ?? site.defaultLocale),
    timeZone: input.timeZone ?? null,
    accountId: account?.id ?? null,
    chargeable: window.allowance?.chargeable ?? false,
    allowanceReason: window.allowance?.reason ?? null,
    // Recorded only where the choice was offered; it decides the rate class time is billed at.
    afterHoursChoice: window.billing?.choice ?? null,
    receivedAt: now,
    pauses: [] as [number, number | null][],
    restartedAt: null,
    firstRespondedAt: null,
    accessTokenHash: await sha256Hex(token),
    createdAt: now,
    updatedAt: now,
  };
  const schedule = scheduleOf(site.policy, base, now);
  const storedKey = await keyHash(site, idempotency);

  // The statements are bound to SQL drizzle built once (infra/statements.ts): this is the hottest write.
  for (let attempt = 0; ; attempt++) {
    const id = opts.ticketId ?? randomId("tkt");
    const reference = randomReference();
    const created: TicketCreated = { reference, accessToken: token, status: "open", createdAt: iso(now), window };
    const row = {
      ...base,
      ...schedule,
      id,
      ref: reference,
      incidentId: null,
      assigneeId: null,
      outcome: null,
      resolvedAt: null,
      reopenUntil: null,
      closedAt: null,
    } satisfies TicketRow;
    const event = {
      type: "created",
      data: {
        priority: window.priority,
        issueType: input.issueType,
        severity: input.severity,
        ...(followsRef ? { follows: followsRef } : {}),
        ...(input.autoReply === false ? { autoReply: false } : {}),
        ...opts.eventData,
      },
    } as const;
    const queued = outboxInserts(d1, notificationsFor(event, row, { webhook: site.webhook, now, policy: site.policy, window }), now);
    const statements = [
      insertRow(d1, idempotencyKeys, {
        siteId: site.id,
        key: storedKey,
        requestHash: idempotency.requestHash,
        status: 201,
        response: await storedResponse(site, idempotency, created),
        createdAt: now,
      }),
      insertRow(d1, tickets, { ...base, ...schedule, id, ref: reference }),
      insertRow(d1, ticketEvents, {
        ticketId: id,
        merchantId: site.merchantId,
        at: now,
        type: event.type,
        actor: "customer",
        public: true,
        body: input.description,
        data: event.data,
      }),
      countCaps(d1, caps, now),
      capGuard(d1, caps, now),
      ...queued.statements,
      ...(opts.extra?.(database(d1), { id, reference }) ?? []).map((q) => statementOf(d1, q)),
    ];
    try {
      const results = await d1.batch(statements);
      reportAlarms(results[3], caps, now);
      queued.committed(env);
      return { created, replayed: false };
    } catch (e) {
      if (constraintFailed(e, "idempotency_keys")) {
        const winner = await replayOf(env, site, idempotency);
        if (winner) return winner;
      }
      if (constraintFailed(e, "write_guard")) throw capExceeded(now);
      // A reference collision (40 random bits) is retried with a fresh one.
      if (constraintFailed(e, "tickets.ref") && attempt < 2) continue;
      throw e;
    }
  }
}
