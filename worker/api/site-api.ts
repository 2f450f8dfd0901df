import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { and, eq, isNull } from "drizzle-orm";
import {
  siteConfigSchema,
  type TicketCreated,
  ticketCreatedSchema,
  ticketCreateSchema,
  windowRequestSchema,
  windowResultSchema,
} from "../../schema/api.ts";
import { idempotencyKeys, incidents, outbox, ticketEvents, tickets } from "../../schema/db.ts";
import { ALWAYS } from "../../schema/policy.ts";
import { nextOpening } from "../engine/calendar.ts";
import { clockOf, runsAt } from "../engine/clock.ts";
import { EngineError } from "../engine/errors.ts";
import { localeOf, pick } from "../engine/format.ts";
import { classify, priorityOf } from "../engine/policy.ts";
import { computeWindow, iso } from "../engine/window.ts";
import { ApiError } from "../errors.ts";
import { randomId, randomReference, randomToken, sha256Hex } from "../infra/crypto.ts";
import { database } from "../infra/db.ts";
import { type AppEnv, burstLimit, checkOrigin, clientIp, jsonBody, localLimit } from "../infra/http.ts";
import { body, json, problems } from "../infra/openapi.ts";
import { capExceeded, capGuard, countCaps } from "../infra/rate-caps.ts";
import { insertRow } from "../infra/statements.ts";
import { validationHook } from "../infra/validation.ts";
import { verifiedAccount } from "../merchant/accounts.ts";
import { type SiteContext, siteByKey } from "../merchant/site-context.ts";
import { scheduleOf } from "../tickets/rows.ts";

type SiteEnv = AppEnv & { Variables: { site: SiteContext } };

/** Public, widget-facing endpoints of one site: config, window preview, ticket creation. */
export const sites = new OpenAPIHono<SiteEnv>({ defaultHook: validationHook });

const params = z.object({ siteKey: z.string().openapi({ example: "demo-ecellar" }) });

// Every request names its site in the path: unknown sites are 404 and other origins 403 before
// any body is read. Each route then applies the limit that fits it.
sites.use("/:siteKey/*", async (c, next) => {
  const db = database(c.env.DB);
  const site = await siteByKey(db, c.req.param("siteKey") ?? "", c.var.now);
  if (!site) throw new ApiError("not-found", "No such site");
  const preflight = checkOrigin(c, site.allowedOrigins);
  if (preflight) return preflight;
  c.set("site", site);
  await next();
});

// One visitor of one site: the key every per-visitor limit counts under.
const visitorKey = (c: { req: { header(name: string): string | undefined } }, site: SiteContext) => `${clientIp(c)}|${site.id}`;

/** Window previews one visitor may request per minute (they follow the customer's picks). */
const PREVIEWS_PER_MINUTE = 120;
sites.use("/:siteKey/*", jsonBody());

sites.openapi(
  createRoute({
    method: "get",
    path: "/{siteKey}/config",
    summary: "What the widget shows: issue types, severities, known incidents, coverage",
    request: { params, query: z.object({ locale: z.string().max(35).optional() }) },
    responses: {
      200: json(siteConfigSchema, "The site's widget configuration"),
      ...problems("validation-failed", "not-found", "origin-not-allowed", "rate-limited"),
    },
  }),
  async (c) => {
    const site = c.var.site;
    await burstLimit(c.env, visitorKey(c, site));
    const policy = site.policy;
    const locale = localeOf(c.req.valid("query").locale ?? site.defaultLocale);
    const now = c.var.now;
    const open = await database(c.env.DB)
      .select()
      .from(incidents)
      .where(and(eq(incidents.merchantId, site.merchantId), isNull(incidents.endedAt)))
      .orderBy(incidents.startedAt)
      .limit(20);
    const firstSeverity = policy.severities[0]?.id ?? "";
    const coverageName = policy.priorities.find((p) => p.coverage !== undefined && p.coverage !== ALWAYS)?.coverage;
    let coverage: { openNow: boolean; nextOpenAt?: string } | undefined;
    if (coverageName) {
      const clock = clockOf(policy, coverageName);
      const openNow = runsAt(clock, now);
      coverage =
        openNow || clock.kind !== "calendar" ? { openNow: true } : { openNow: false, nextOpenAt: iso(nextOpening(clock.cal, now)) };
    }
    return c.json(
      {
        siteKey: site.siteKey,
        name: site.branding.title ?? site.merchantName,
        locale,
        locales: policy.locales,
        branding: site.branding,
        issueTypes: policy.issueTypes.map((t) => ({
          id: t.id,
          label: pick(t.label, locale),
          ...(t.description !== undefined ? { description: pick(t.description, locale) } : {}),
          ...(priorityOf(policy, classify(policy, t.id, firstSeverity)).workflow === "quote" ? { workflow: "quote" as const } : {}),
        })),
        severities: policy.severities.map((s) => ({
          id: s.id,
          label: pick(s.label, locale),
          ...(s.description !== undefined ? { description: pick(s.description, locale) } : {}),
        })),
        incidents: open.map((i) => ({ id: i.id, title: i.title, body: i.body, startedAt: iso(i.startedAt) })),
        ...(coverage ? { coverage } : {}),
        ...(policy.contact
          ? {
              contact: {
                ...(policy.contact.email ? { email: policy.contact.email } : {}),
                ...(policy.contact.phone ? { phone: policy.contact.phone } : {}),
              },
            }
          : {}),
      },
      200,
    );
  },
);

// Engine refusals about the request's own fields become field-level validation errors.
function windowFor(
  site: SiteContext,
  input: { issueType: string; severity: string; locale?: string | null },
  account: Parameters<typeof computeWindow>[1]["account"],
  now: number,
) {
  try {
    return computeWindow(site.policy, {
      issueType: input.issueType,
      severity: input.severity,
      at: now,
      locale: input.locale ?? site.defaultLocale,
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

sites.openapi(
  createRoute({
    method: "post",
    path: "/{siteKey}/window",
    summary: "When the customer will hear back, and on what terms — without creating anything",
    request: { params, body: body(windowRequestSchema) },
    responses: {
      200: json(windowResultSchema, "The window for this issue type and severity now"),
      ...problems(
        "validation-failed",
        "malformed-request",
        "not-found",
        "origin-not-allowed",
        "payload-too-large",
        "unsupported-media-type",
        "rate-limited",
      ),
    },
  }),
  async (c) => {
    // Previews are read-only and follow the customer's picks: an in-memory limit, no I/O.
    localLimit(visitorKey(c, c.var.site), PREVIEWS_PER_MINUTE, c.var.now);
    const input = c.req.valid("json");
    const account = await verifiedAccount(database(c.env.DB), c.var.site, input.identity, c.var.now);
    return c.json(windowFor(c.var.site, input, account?.facts, c.var.now), 200);
  },
);

const idempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .regex(/^[\x21-\x7e]{8,255}$/, "Use 8–255 visible ASCII characters, e.g. a UUID")
    .openapi({ example: "4f9c1c52-8f3e-4d3a-9a51-3e3c2b8f7d10" }),
});

sites.openapi(
  createRoute({
    method: "post",
    path: "/{siteKey}/tickets",
    summary: "Create a ticket (exactly once per Idempotency-Key)",
    request: { params, headers: idempotencyHeader, body: body(ticketCreateSchema) },
    responses: {
      201: json(ticketCreatedSchema, "Created; a replay of the same request answers the same, with Idempotent-Replayed: true"),
      ...problems(
        "validation-failed",
        "malformed-request",
        "ineligible",
        "not-found",
        "origin-not-allowed",
        "idempotency-key-reused",
        "payload-too-large",
        "unsupported-media-type",
        "rate-limited",
      ),
    },
  }),
  async (c) => {
    const site = c.var.site;
    const now = c.var.now;
    const d1 = c.env.DB;
    const db = database(d1);
    const input = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const requestHash = await sha256Hex(JSON.stringify(input));

    const replay = async () => {
      const prior = await db.query.idempotencyKeys.findFirst({
        where: and(eq(idempotencyKeys.siteId, site.id), eq(idempotencyKeys.key, key)),
      });
      if (!prior) return undefined;
      if (prior.requestHash !== requestHash) throw new ApiError("idempotency-key-reused");
      return c.json(JSON.parse(prior.response) as TicketCreated, 201, { "Idempotent-Replayed": "true" });
    };

    // Creations are capped exactly, per IP and per site, inside their own D1 transaction.
    const ip = clientIp(c);
    const caps = [
      { key: `tickets:site:${site.id}`, limit: Number(c.env.TICKETS_PER_SITE_HOUR) },
      { key: `tickets:ip:${ip}:${site.id}`, limit: Number(c.env.TICKETS_PER_IP_HOUR) },
    ];
    const account = await verifiedAccount(db, site, input.identity, now);
    const window = windowFor(site, input, account?.facts, now);
    if (!window.eligibility.eligible) {
      // A retry of a request that was accepted earlier still gets its original answer.
      const earlier = await replay();
      if (earlier) return earlier;
      throw new ApiError("ineligible", window.eligibility.reason);
    }

    const token = randomToken();
    const base = {
      merchantId: site.merchantId,
      siteId: site.id,
      policyVersion: site.policyVersion,
      issueType: input.issueType,
      severity: input.severity,
      classifiedPriority: window.priority,
      priority: window.priority,
      status: "open" as const,
      email: input.email,
      name: input.name ?? null,
      orderId: input.orderId ?? null,
      description: input.description,
      locale: localeOf(input.locale ?? site.defaultLocale),
      timeZone: input.timeZone ?? null,
      accountId: account?.id ?? null,
      chargeable: window.allowance?.chargeable ?? false,
      receivedAt: now,
      pauses: [] as [number, number | null][],
      restartedAt: null,
      firstRespondedAt: null,
      accessTokenHash: await sha256Hex(token),
      createdAt: now,
      updatedAt: now,
    };
    const schedule = scheduleOf(site.policy, base, now);

    // One atomic batch, one round trip: the idempotency record, the ticket, its first event, the
    // hourly counters and the webhook notification land together or not at all. The statements
    // are bound to SQL drizzle built once (lib/statements.ts): this is the hottest write. A duplicate
    // (retried or concurrent) fails on the idempotency primary key and gets the first response;
    // a counter past its cap fails the write guard and nothing is written.
    for (let attempt = 0; ; attempt++) {
      const id = randomId("tkt");
      const reference = randomReference();
      const response: TicketCreated = { reference, accessToken: token, status: "open", createdAt: iso(now), window };
      const created = JSON.stringify(response);
      const statements = [
        insertRow(d1, idempotencyKeys, { siteId: site.id, key, requestHash, status: 201, response: created, createdAt: now }),
        insertRow(d1, tickets, { ...base, ...schedule, id, ref: reference }),
        insertRow(d1, ticketEvents, {
          ticketId: id,
          merchantId: site.merchantId,
          at: now,
          type: "created",
          actor: "customer",
          public: true,
          body: input.description,
          data: { priority: window.priority, issueType: input.issueType, severity: input.severity },
        }),
        countCaps(d1, caps, now),
        capGuard(d1, caps, now),
        ...(site.webhook
          ? [
              insertRow(d1, outbox, {
                id: randomId("evt"),
                merchantId: site.merchantId,
                event: "ticket.created",
                payload: JSON.stringify({
                  reference,
                  priority: window.priority,
                  firstResponseDueAt: window.firstResponse?.dueAt ?? null,
                  receivedAt: iso(now),
                }),
                nextAttemptAt: now,
                createdAt: now,
              }),
            ]
          : []),
      ];
      try {
        await d1.batch(statements);
        return c.json(response, 201, { Location: `/v1/tickets/${reference}` });
      } catch (e) {
        const message = String((e as Error).message ?? e);
        if (message.includes("idempotency_keys")) {
          const winner = await replay();
          if (winner) return winner;
        }
        if (message.includes("write_guard")) throw capExceeded(now);
        // A reference collision (40 random bits) is retried with a fresh one.
        if (message.includes("tickets.ref") && attempt < 2) continue;
        throw e;
      }
    }
  },
);
