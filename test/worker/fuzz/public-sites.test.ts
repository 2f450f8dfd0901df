import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { siteConfigSchema, ticketCreatedSchema, windowResultSchema } from "../../../schema/api.ts";
import { hmacHex } from "../../../worker/infra/crypto.ts";
import { preset, presetIds } from "../../../worker/presets/index.ts";
import { seed } from "../helpers.ts";
import {
  type Body,
  bookmark,
  encodeSegment,
  hostile,
  hostileHeader,
  jsonBody,
  origin,
  type Pair,
  pairs,
  segment,
} from "./support/arbitraries.ts";
import { documentedLookup, originOf, publicRequest, type RequestParts, requestParts } from "./support/public.ts";
import { checkPublic, type Exchange, exchange, fail, fuzz, type Outgoing, RUNS, timeoutFor } from "./support/runner.ts";

// Fuzz of the public, per-site endpoints: config, window preview, ticket creation, their
// preflights, and the OpenAPI document. See support/runner.ts for the invariants checked.

const siteKeys = presetIds.map((p) => `demo-${p}`);
const policies = presetIds.map((p) => preset(p));
const issueTypes = [...new Set(policies.flatMap((p) => p.issueTypes.map((t) => t.id)))];
const severities = [...new Set(policies.flatMap((p) => p.severities.map((s) => s.id)))];
// Mostly the site's own ids (so requests reach the engine and the write), sometimes another site's.
const idsOf = (site: number, pick: (p: (typeof policies)[number]) => string[], all: string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...pick(policies[site] as (typeof policies)[number])) },
    { weight: 1, arbitrary: fc.constantFrom(...all) },
  );
// Identities each site verifies (easy-commission knows acme, in good standing, and lapsed,
// behind on dues; elsewhere they are unknown accounts, i.e. anonymous).
const identities = await Promise.all(
  presetIds.map((p) =>
    Promise.all(
      ["acme", "lapsed", "unknown-account"].map(async (accountId) => ({
        accountId,
        signature: await hmacHex(`demo-identity-${p}`, accountId),
      })),
    ),
  ),
);

let documented: (operation: string) => number[];

beforeAll(async () => {
  await seed();
  documented = await documentedLookup();
});

const unknownSite = fc.stringMatching(/^[a-z0-9_-]{1,24}$/);

const windowFields = (site: number) => ({
  issueType: idsOf(site, (p) => p.issueTypes.map((t) => t.id), issueTypes),
  severity: idsOf(site, (p) => p.severities.map((s) => s.id), severities),
  locale: fc.constantFrom("en", "es", "es-MX", "fr", "en_US", "zz-ZZZZ"),
  timeZone: fc.constantFrom("America/Los_Angeles", "Europe/Madrid", "UTC", "Asia/Kolkata", "Etc/GMT+12", "Pacific/Kiritimati"),
  identity: fc.oneof(
    fc.constantFrom(...(identities[site] ?? [])),
    fc.record({ accountId: fc.string({ maxLength: 130 }), signature: fc.stringMatching(/^[0-9a-f]{64}$/) }),
  ),
});
const optionalWindowFields = ["locale", "timeZone", "identity"];

const ticketFields = (site: number) => ({
  ...windowFields(site),
  email: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom("ana@example.test", "a@b.co", "O'Brien+tag@example.test") },
    { weight: 1, arbitrary: fc.emailAddress() },
  ),
  description: fc.string({ minLength: 1, maxLength: 200 }),
  name: fc.string({ maxLength: 130 }),
  orderId: fc.string({ maxLength: 90 }),
});

/** The parts of a request to one site's endpoint that the fuzz varies. */
interface SiteCase extends RequestParts {
  site: string | { raw: string };
}

function build(method: string, endpoint: string, c: SiteCase, extra: [string, string][] = []) {
  const key = typeof c.site === "string" ? c.site : encodeSegment(c.site.raw);
  return publicRequest(method, `/v1/sites/${key}/${endpoint}`, c, extra);
}

/** A case for one site's endpoint; the body (if any) is drawn for the chosen site. */
const siteCase = (extra: { query?: fc.Arbitrary<Pair[]>; body?: (site: number) => fc.Arbitrary<Body> }) =>
  fc
    .oneof(
      { weight: 8, arbitrary: fc.nat({ max: siteKeys.length - 1 }).map((i) => ({ i, key: siteKeys[i] as string | { raw: string } })) },
      { weight: 1, arbitrary: unknownSite.map((key) => ({ i: 0, key: key as string | { raw: string } })) },
      { weight: 1, arbitrary: segment(fc.constant("")).map((key) => ({ i: 0, key })) },
    )
    .chain(({ i, key }) =>
      fc.record({
        site: fc.constant(key),
        query: extra.query ?? pairs({}),
        ...requestParts(extra.body?.(i)),
      }),
    ) as fc.Arbitrary<SiteCase>;

describe("fuzz: public site endpoints", () => {
  it.each([
    ["GET", "config", siteConfigSchema, siteCase({ query: pairs({ locale: windowFields(0).locale }) })],
    ["POST", "window", windowResultSchema, siteCase({ body: (i) => jsonBody(windowFields(i), optionalWindowFields) })],
  ] as const)(
    "%s /v1/sites/:siteKey/%s answers only documented statuses and writes nothing",
    async (method, endpoint, schema, cases) => {
      const spec = { statuses: documented(`${method} /v1/sites/{siteKey}/${endpoint}`), writes: false, schema };
      await fuzz(`${method} ${endpoint}`, cases, async (c) => {
        const { req, origin: from } = build(method, endpoint, c);
        checkPublic(await exchange(req), { ...spec, origin: from });
      });
    },
    timeoutFor(RUNS),
  );

  it(
    "POST /v1/sites/:siteKey/tickets answers only documented statuses and writes exactly one ticket per new 201",
    async () => {
      const spec = { statuses: documented("POST /v1/sites/{siteKey}/tickets"), writes: true, schema: ticketCreatedSchema };
      const created: { req: Outgoing; text: string }[] = [];
      const key = fc.oneof(
        { weight: 10, arbitrary: fc.constant({ kind: "fresh" as const }) },
        { weight: 2, arbitrary: fc.nat().map((i) => ({ kind: "reuse" as const, i })) },
        { weight: 2, arbitrary: fc.nat().map((i) => ({ kind: "replay" as const, i })) },
        { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
        {
          weight: 2,
          arbitrary: fc
            .oneof(hostileHeader, fc.constantFrom("short", "x".repeat(256), "has a space in it", "tab\there-and-there"))
            .map((value) => ({ kind: "raw" as const, value })),
        },
      );
      await fuzz(
        "POST tickets",
        fc.tuple(siteCase({ body: (i) => jsonBody(ticketFields(i), ["locale", "timeZone", "identity", "name", "orderId"]) }), key),
        async ([c, k]) => {
          if (k.kind === "replay" && created.length) {
            // The same request again: the first answer, byte for byte, marked as a replay.
            const first = created[k.i % created.length] as { req: Outgoing; text: string };
            const ex = await exchange(first.req);
            checkPublic(ex, { ...spec, origin: originOf(first.req.headers.find(([h]) => h === "Origin")?.[1]) });
            if (ex.res.status === 201) {
              if (ex.res.headers.get("Idempotent-Replayed") !== "true") fail(ex, "a replay without Idempotent-Replayed: true");
              if (ex.text !== first.text) fail(ex, "a replay that differs from the first response");
              if (ex.after.tickets !== ex.before.tickets) fail(ex, "a replay created a ticket");
            }
            return;
          }
          const idem: [string, string][] =
            k.kind === "fresh" || (k.kind === "replay" && !created.length)
              ? [["Idempotency-Key", crypto.randomUUID()]]
              : k.kind === "reuse"
                ? created.length
                  ? [
                      [
                        "Idempotency-Key",
                        (created[k.i % created.length] as { req: Outgoing }).req.headers.find(([h]) => h === "Idempotency-Key")?.[1] ?? "",
                      ],
                    ]
                  : []
                : k.kind === "raw"
                  ? [["Idempotency-Key", k.value]]
                  : [];
          const { req, origin: from } = build("POST", "tickets", c, idem);
          const ex = await exchange(req);
          checkPublic(ex, { ...spec, origin: from });
          checkCreation(ex);
          if (ex.res.status === 201 && ex.res.headers.get("Idempotent-Replayed") === null) created.push({ req, text: ex.text });
        },
      );
      // The fuzz reached the success path, not only the refusals.
      expect(created.length).toBeGreaterThan(0);
    },
    timeoutFor(RUNS),
  );

  const preflightCase = fc.tuple(
    siteCase({}),
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom("config", "window", "tickets") }, { weight: 1, arbitrary: hostile }),
    fc.option(fc.oneof(fc.constantFrom("POST", "GET", "DELETE", "PUT"), hostileHeader), { nil: undefined }),
    fc.option(fc.oneof(fc.constantFrom("content-type, idempotency-key", "authorization", "x-evil"), hostileHeader), { nil: undefined }),
  );

  it(
    "OPTIONS /v1/sites/:siteKey/* (preflights) answers 204, 403 or 404 and writes nothing",
    async () => {
      await fuzz("OPTIONS site", preflightCase, async ([c, endpoint, method, requested]) => {
        const extra: [string, string][] = [];
        if (method !== undefined) extra.push(["Access-Control-Request-Method", method]);
        if (requested !== undefined) extra.push(["Access-Control-Request-Headers", requested]);
        const { req, origin: from } = build("OPTIONS", encodeSegment(endpoint), c, extra);
        const ex = await exchange(req);
        checkPublic(ex, { statuses: [204, 403, 404], writes: false, origin: from });
        if (ex.res.status === 204 && ex.res.headers.get("Access-Control-Allow-Origin") !== from?.value)
          fail(ex, "a preflight without exact CORS");
      });
    },
    timeoutFor(RUNS),
  );

  const openapiSchema = z.object({ openapi: z.literal("3.1.0"), paths: z.record(z.string(), z.unknown()) });

  it.each([
    ["/openapi.json", openapiSchema],
    ["/health", z.object({ ok: z.literal(true) })],
  ] as const)(
    "GET %s answers 200 whatever the query and headers",
    async (path, schema) => {
      const cases = fc.record({ query: pairs({}), origin, ip: fc.constant(""), bookmark });
      await fuzz(`GET ${path}`, cases, async (c) => {
        const ex = await exchange(publicRequest("GET", path, c).req);
        checkPublic(ex, { statuses: [200], writes: false, schema });
      });
    },
    timeoutFor(RUNS),
  );
});

/** A new 201 adds exactly one ticket, its first event and its idempotency record. */
function checkCreation(ex: Exchange): void {
  if (ex.res.status !== 201 || ex.res.headers.get("Idempotent-Replayed") === "true") return;
  for (const table of ["tickets", "ticket_events", "idempotency_keys"]) {
    if ((ex.after[table] ?? 0) - (ex.before[table] ?? 0) !== 1)
      fail(ex, `a 201 changed ${table} by ${(ex.after[table] ?? 0) - (ex.before[table] ?? 0)}`);
  }
}
