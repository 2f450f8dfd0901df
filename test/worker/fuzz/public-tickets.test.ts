import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ticketViewSchema } from "../../../schema/api.ts";
import { quoteAction, requestInfo } from "../../../worker/tickets/lifecycle.ts";
import { freshIp, HOST, ORIGIN, seed, ticketBody, ticketContext } from "../helpers.ts";
import { type Body, encodeSegment, hostile, hostileHeader, jsonBody, pairs } from "./support/arbitraries.ts";
import { documentedLookup, publicRequest, type RequestParts, requestParts } from "./support/public.ts";
import { checkPublic, exchange, fail, fuzz, RUNS, timeoutFor, touched } from "./support/runner.ts";

// Fuzz of the customer's ticket endpoints (bearer access token): status, replies, quote
// decisions, closing, and their preflights. See support/runner.ts for the invariants checked.

/** A ticket the fuzz holds the access token of. */
interface Held {
  readonly ref: string;
  readonly token: string;
}

type State = "open" | "quoted" | "waiting" | "closed";

const pool: Held[] = [];
let documented: (operation: string) => number[];

async function create(siteKey: string, over: Record<string, unknown>): Promise<Held> {
  const res = await fetchWorker(`/v1/sites/${siteKey}/tickets`, "POST", JSON.stringify(ticketBody(over)), {
    "Content-Type": "application/json",
    "Idempotency-Key": crypto.randomUUID(),
  });
  if (res.status !== 201) throw new Error(`create failed ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { reference: string; accessToken: string };
  return { ref: body.reference, token: body.accessToken };
}

function fetchWorker(path: string, method: string, body: string | null, headers: Record<string, string>) {
  return exports.default.fetch(
    new Request(`${HOST}${path}`, { method, body, headers: { "CF-Connecting-IP": freshIp(), Origin: ORIGIN, ...headers } }),
  );
}

/** A ticket created on a preset's demo site, then acted on by that merchant's demo agent. */
async function createThen(
  presetId: string,
  over: Record<string, unknown>,
  act: (ticket: Awaited<ReturnType<typeof ticketContext>>, agent: { staffId: string; merchantId: string }) => Promise<unknown>,
): Promise<Held> {
  const held = await create(`demo-${presetId}`, over);
  await act(await ticketContext(held.ref), { staffId: `st_${presetId}_agent`, merchantId: `m_${presetId}` });
  return held;
}

/** A ticket in a given state, made the way customers and staff make it. */
async function ticketIn(state: State): Promise<Held> {
  touched();
  const now = Date.now();
  if (state === "quoted") {
    return createThen("ecshops", { issueType: "feature", severity: "question" }, (ticket, agent) =>
      quoteAction(env, ticket, agent, { type: "send", amount: 125_000, currency: "EUR", validUntil: now + 30 * 86_400_000 }, now),
    );
  }
  if (state === "waiting") {
    return createThen("commerceup", { issueType: "functionality", severity: "normal" }, (ticket, agent) =>
      requestInfo(env, ticket, agent, "Which page?", now),
    );
  }
  const held = await create("demo-ecellar", {});
  if (state === "closed") {
    await fetchWorker(`/v1/tickets/${held.ref}/close`, "POST", "{}", {
      "Content-Type": "application/json",
      Authorization: `Bearer ${held.token}`,
    });
  }
  return held;
}

beforeAll(async () => {
  await seed();
  documented = await documentedLookup();
  for (const state of ["open", "open", "quoted", "quoted", "quoted", "waiting", "closed"] as const) pool.push(await ticketIn(state));
});

/** Which ticket a case addresses. */
type Target = { kind: "pool"; i: number } | { kind: "fresh"; state: State } | { kind: "missing" } | { kind: "raw"; raw: string };
/** Which credential it presents. */
type Credential = { kind: "own" } | { kind: "other"; i: number } | { kind: "none" } | { kind: "raw"; value: string };

/** The ticket a case addresses; fresh ones are made in the states where the endpoint can succeed. */
const target = (fresh: State[]): fc.Arbitrary<Target> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.nat().map((i) => ({ kind: "pool" as const, i })) },
    { weight: 3, arbitrary: fc.constantFrom<State>(...fresh).map((state) => ({ kind: "fresh" as const, state })) },
    { weight: 1, arbitrary: fc.constant({ kind: "missing" as const }) },
    { weight: 1, arbitrary: hostile.map((raw) => ({ kind: "raw" as const, raw: raw.slice(0, 300) })) },
  );

const credential: fc.Arbitrary<Credential> = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ kind: "own" as const }) },
  { weight: 1, arbitrary: fc.nat().map((i) => ({ kind: "other" as const, i })) },
  { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
  { weight: 1, arbitrary: hostileHeader.map((value) => ({ kind: "raw" as const, value })) },
);

const scheme = fc.oneof(
  { weight: 12, arbitrary: fc.constant("Bearer ") },
  { weight: 1, arbitrary: fc.constantFrom("bearer ", "Bearer  ", "", "Basic ", "Token ", "Bearer\t") },
);

interface TicketCase extends RequestParts {
  target: Target;
  credential: Credential;
  scheme: string;
}

const ticketCase = (body?: fc.Arbitrary<Body>, fresh: State[] = ["open", "quoted", "waiting"]) =>
  fc.record({
    target: target(fresh),
    credential,
    scheme,
    query: pairs({}),
    ...requestParts(body),
  }) as fc.Arbitrary<TicketCase>;

/** Resolves a case into a request (creating the fresh ticket it asks for first). */
async function build(method: string, sub: string, c: TicketCase) {
  let held: Held | undefined;
  let ref: string;
  if (c.target.kind === "pool") held = pool[c.target.i % pool.length];
  if (c.target.kind === "fresh") {
    held = await ticketIn(c.target.state);
    pool.push(held);
  }
  if (held) ref = held.ref;
  else if (c.target.kind === "missing") ref = "RB-0000-0000";
  else ref = encodeSegment((c.target as { raw: string }).raw);
  const token =
    c.credential.kind === "own"
      ? (held?.token ?? "x".repeat(43))
      : c.credential.kind === "other"
        ? (pool[c.credential.i % pool.length] as Held).token
        : undefined;
  const headers: [string, string][] = [];
  if (token !== undefined) headers.push(["Authorization", `${c.scheme}${token}`]);
  if (c.credential.kind === "raw") headers.push(["Authorization", c.credential.value]);
  return {
    ...publicRequest(method, `/v1/tickets/${ref}${sub}`, c, headers),
    // Whether the request presents this very ticket's token: nothing else may ever open it.
    rightful: held !== undefined && token === held.token && c.scheme === "Bearer ",
  };
}

const bodies = {
  "/replies": jsonBody({ body: fc.string({ minLength: 1, maxLength: 300 }) }),
  "/quote": jsonBody({ decision: fc.constantFrom("accept", "decline") }),
  "/close": jsonBody({}),
};
const freshFor: Record<keyof typeof bodies, State[]> = {
  "/replies": ["open", "waiting"],
  "/quote": ["quoted"],
  "/close": ["open", "waiting", "quoted"],
};

describe("fuzz: customer ticket endpoints", () => {
  it(
    "GET /v1/tickets/:ref answers only documented statuses, writes nothing, and opens only for the ticket's own token",
    async () => {
      const statusesOf = documented("GET /v1/tickets/{ref}");
      const tally = await fuzz("GET ticket", ticketCase(), async (c) => {
        const { req, origin: from, rightful } = await build("GET", "", c);
        const ex = await exchange(req);
        checkPublic(ex, { statuses: statusesOf, writes: false, schema: ticketViewSchema, origin: from });
        if (!rightful && ex.res.status < 300) fail(ex, "a ticket opened without its own access token");
      });
      expect(tally.get(200)).toBeGreaterThan(0);
    },
    timeoutFor(RUNS),
  );

  it.each(["/replies", "/quote", "/close"] as const)(
    "POST /v1/tickets/:ref%s answers only documented statuses and writes only when accepted",
    async (sub) => {
      const statusesOf = documented(`POST /v1/tickets/{ref}${sub}`);
      const tally = await fuzz(`POST ticket${sub}`, ticketCase(bodies[sub], freshFor[sub]), async (c) => {
        const { req, origin: from, rightful } = await build("POST", sub, c);
        const ex = await exchange(req);
        checkPublic(ex, { statuses: statusesOf, writes: true, schema: ticketViewSchema, origin: from });
        if (!rightful && ex.res.status < 300) fail(ex, "a ticket changed without its own access token");
      });
      expect(tally.get(200)).toBeGreaterThan(0);
    },
    timeoutFor(RUNS, 400),
  );

  it(
    "OPTIONS /v1/tickets/:ref[/*] (preflights) answers 204, 403 or 404 and writes nothing",
    async () => {
      const sub = fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom("", "/replies", "/quote", "/close") },
        { weight: 1, arbitrary: hostile.map((s) => `/${encodeSegment(s.slice(0, 100))}`) },
      );
      await fuzz("OPTIONS ticket", fc.tuple(ticketCase(), sub), async ([c, path]) => {
        const { req, origin: from } = await build("OPTIONS", path, c);
        const ex = await exchange(req);
        checkPublic(ex, { statuses: [204, 403, 404], writes: false, origin: from });
      });
    },
    timeoutFor(RUNS),
  );
});
