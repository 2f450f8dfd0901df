import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { and, eq, isNull } from "drizzle-orm";
import { siteConfigSchema, ticketCreatedSchema, ticketCreateSchema, windowRequestSchema, windowResultSchema } from "../../schema/api.ts";
import { incidents } from "../../schema/db.ts";
import { ALWAYS, phoneText } from "../../schema/policy.ts";
import { localeOf, pick } from "../engine/format.ts";
import { classify, priorityOf } from "../engine/policy.ts";
import { coverageAt, iso } from "../engine/window.ts";
import { ApiError } from "../errors.ts";
import { sha256Hex } from "../infra/crypto.ts";
import { database } from "../infra/db.ts";
import {
  type AppEnv,
  burstLimit,
  checkOrigin,
  clientIp,
  clientNetwork,
  countMiss,
  jsonBody,
  localLimit,
  refuseMissing,
} from "../infra/http.ts";
import { body, json, problems } from "../infra/openapi.ts";
import type { Cap } from "../infra/rate-caps.ts";
import { validationHook } from "../infra/validation.ts";
import { verifiedAccount } from "../merchant/accounts.ts";
import { recordRefused, recordSeen } from "../merchant/installs.ts";
import { type SiteContext, siteByKey } from "../merchant/site-context.ts";
import { createTicket, windowFor } from "../tickets/create.ts";

type SiteEnv = AppEnv & { Variables: { site: SiteContext } };

/** Public, widget-facing endpoints of one site: config, window preview, ticket creation. */
export const sites = new OpenAPIHono<SiteEnv>({ defaultHook: validationHook });

const params = z.object({ siteKey: z.string().openapi({ example: "demo-ecellar" }) });

// Every request names its site in the path: unknown sites are 404 and other origins 403 before
// any body is read. A client that keeps naming unknown sites (preflights included) is refused
// before the look-up. Each route then applies the limit that fits it.
sites.use("/:siteKey/*", async (c, next) => {
  refuseMissing(c, c.var.now);
  const db = database(c.env.DB);
  const site = await siteByKey(db, c.req.param("siteKey") ?? "", c.var.now);
  if (!site) {
    await countMiss(c, c.var.now);
    throw new ApiError("not-found", "No such site");
  }
  const origin = c.req.header("Origin");
  let preflight: Response | undefined;
  try {
    preflight = checkOrigin(c, site.allowedOrigins);
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== "origin-not-allowed" || origin === undefined) throw e;
    // The install check names the refused origin to the merchant. The widget's first request
    // (config) may read the refusal, so it can say "not set up for this page" rather than
    // "couldn't reach support"; nothing else is answered to that origin.
    // Recorded only within the network's burst allowance: a flood of made-up origins is not a flood of writes.
    if ((await c.env.RL_PUBLIC.limit({ key: `refused:${clientNetwork(c)}` })).success) await recordRefused(db, site, origin, c.var.now);
    if (c.req.method === "GET" && c.req.path.endsWith("/config")) {
      throw new ApiError(
        "origin-not-allowed",
        `${origin} is not an allowed origin of site ${site.siteKey}: add it in the Replyby dashboard (site settings)`,
        { headers: { "Access-Control-Allow-Origin": origin, Vary: "Origin" } },
      );
    }
    throw e;
  }
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
    const origin = c.req.header("Origin");
    if (origin !== undefined) await recordSeen(database(c.env.DB), site, origin, c.var.now);
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
    const coverage = coverageName ? coverageAt(policy, coverageName, now) : undefined;
    const title = pick(site.branding.title, locale);
    const contact = policy.contact;
    return c.json(
      {
        siteKey: site.siteKey,
        name: title || site.merchantName,
        locale,
        locales: policy.locales,
        branding: { ...(site.branding.accent ? { accent: site.branding.accent } : {}), ...(title ? { title } : {}) },
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
        incidents: open.map((i) => ({
          id: i.id,
          title: pick(i.titleLocal ?? i.title, locale),
          body: pick(i.bodyLocal ?? i.body, locale),
          startedAt: iso(i.startedAt),
        })),
        ...(coverage ? { coverage } : {}),
        ...(contact
          ? {
              contact: {
                ...(contact.email ? { email: contact.email } : {}),
                ...(contact.phone ? { phone: { ...contact.phone, text: phoneText(contact.phone, locale) } } : {}),
                ...(contact.note ? { note: pick(contact.note, locale) } : {}),
              },
            }
          : {}),
      },
      200,
    );
  },
);

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
        "conflict",
        "payload-too-large",
        "unsupported-media-type",
        "rate-limited",
      ),
    },
  }),
  async (c) => {
    const site = c.var.site;
    const now = c.var.now;
    const input = c.req.valid("json");
    const { identity, ...fields } = input;
    // Creations are capped exactly, per client network (an IPv6 /64, one IPv4 address) and site,
    // inside their own D1 transaction. The site's own count never refuses anyone: past it, an
    // alarm is logged and each network gets the stricter spike limit, so a flood from a few
    // networks cannot shut out real customers from every other one.
    const siteCap = `tickets:site:${site.id}`;
    const spike = Number(c.env.TICKETS_PER_SITE_HOUR);
    const caps: Cap[] = [
      { key: siteCap, alarmAbove: spike },
      {
        key: `tickets:net:${clientNetwork(c)}:${site.id}`,
        limit: Number(c.env.TICKETS_PER_IP_HOUR),
        tighter: { when: siteCap, above: spike, limit: Number(c.env.TICKETS_PER_NETWORK_SPIKE_HOUR) },
      },
    ];
    const account = await verifiedAccount(database(c.env.DB), site, identity, now);
    const idempotency = { key: c.req.valid("header")["idempotency-key"], requestHash: await sha256Hex(JSON.stringify(input)) };
    const { created, replayed } = await createTicket(c.env, site, fields, { idempotency, caps, account, now });
    if (replayed) return c.json(created, 201, { "Idempotent-Replayed": "true" });
    return c.json(created, 201, { Location: `/v1/tickets/${created.reference}` });
  },
);
