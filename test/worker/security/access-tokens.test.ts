import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../../worker/dashboard/session.ts";
import { sha256Hex } from "../../../worker/infra/crypto.ts";
import { signedIn } from "../dashboard/helpers.ts";
import { call, createTicket, seed, ticketBody } from "../helpers.ts";
import { around, callCustomerEndpoint, customerEndpoints } from "./support/http.ts";
import { changed } from "./support/state.ts";

// Stolen, wrong and malformed credentials × every customer ticket endpoint. A malformed or
// missing credential is 401 (WWW-Authenticate: Bearer); a well-formed wrong one — another
// ticket's token, a tampered token, the stored hash — is the same 404 as a missing ticket.
// Nothing is ever written. Cells proven elsewhere: tickets.test.ts ("is 401 without a token",
// "is 404 with a wrong token", "is 404 with another ticket's token, the same as a missing
// ticket", "is 404 for a malformed reference"); cross-tenant.test.ts pairs every merchant's tokens.

interface Held {
  reference: string;
  accessToken: string;
}

let mine: Held;
let sameMerchant: Held;
let otherMerchant: Held;
let staffCookie: string;

beforeAll(async () => {
  await seed();
  mine = await createTicket();
  sameMerchant = await createTicket();
  otherMerchant = await createTicket("demo-commerceup", { issueType: "minor", severity: "low" });
  staffCookie = `${SESSION_COOKIE}=${(await signedIn("admin@ecellar.demo")).cookies.get(SESSION_COOKIE)}`;
});

const flip = (t: string) => `${t.slice(0, -1)}${t.endsWith("A") ? "B" : "A"}`;

/** What a request presents, given the victim's ticket. */
const credentials: { name: string; headers: () => Promise<Record<string, string>> | Record<string, string>; expect: 401 | 404 }[] = [
  { name: "no Authorization header", headers: () => ({}), expect: 401 },
  { name: "an empty Authorization header", headers: () => ({ Authorization: "" }), expect: 401 },
  { name: "Basic credentials", headers: () => ({ Authorization: `Basic ${btoa(`x:${mine.accessToken}`)}` }), expect: 401 },
  { name: "the token without a scheme", headers: () => ({ Authorization: mine.accessToken }), expect: 401 },
  { name: "a bearer scheme with no token", headers: () => ({ Authorization: "Bearer " }), expect: 401 },
  { name: "a token too short to be one", headers: () => ({ Authorization: "Bearer abc" }), expect: 401 },
  {
    name: "a token with characters tokens never have",
    headers: () => ({ Authorization: `Bearer ${mine.accessToken.slice(0, 20)}'--` }),
    expect: 401,
  },
  { name: "two tokens", headers: () => ({ Authorization: `Bearer ${mine.accessToken} Bearer ${mine.accessToken}` }), expect: 401 },
  { name: "a staff session cookie instead of a token", headers: () => ({ Cookie: staffCookie }), expect: 401 },
  { name: "another ticket's token (same merchant)", headers: () => ({ Authorization: `Bearer ${sameMerchant.accessToken}` }), expect: 404 },
  { name: "another merchant's ticket's token", headers: () => ({ Authorization: `Bearer ${otherMerchant.accessToken}` }), expect: 404 },
  { name: "the token with one character changed", headers: () => ({ Authorization: `Bearer ${flip(mine.accessToken)}` }), expect: 404 },
  {
    name: "the token's stored SHA-256 (a leaked database row)",
    headers: async () => ({ Authorization: `Bearer ${await sha256Hex(mine.accessToken)}` }),
    expect: 404,
  },
  { name: "a random well-formed token", headers: () => ({ Authorization: `Bearer ${"Q".repeat(43)}` }), expect: 404 },
];

const cells = customerEndpoints.flatMap((e) => credentials.map((c) => [e.name, c.name, e, c] as const));

describe("credentials", () => {
  it.each(cells)("%s with %s is refused and writes nothing", async (_, __, endpoint, credential) => {
    const headers = await credential.headers();
    const { result: res, before, after } = await around(() => callCustomerEndpoint(endpoint, mine.reference, headers));
    expect(res.status).toBe(credential.expect);
    if (credential.expect === 401) expect(res.headers.get("WWW-Authenticate")).toBe("Bearer");
    else expect(await res.text()).toBe(await (await callCustomerEndpoint(endpoint, "RB-0000-0000", headers)).text());
    expect(changed(before, after)).toEqual([]);
  });

  // The control: the ticket's own token opens it.
  it("the ticket's own token opens it", async () => {
    const res = await callCustomerEndpoint(customerEndpoints[0], mine.reference, { Authorization: `Bearer ${mine.accessToken}` });
    expect(res.status).toBe(200);
  });

  it("a ticket's token opens nothing in the dashboard", async () => {
    const res = await call("/dashboard/queue", { headers: { Authorization: `Bearer ${mine.accessToken}` }, origin: null });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(/^\/dashboard\/login/);
  });
});

describe("tokens at rest", () => {
  /** Every row of every table, as text. */
  async function everything(): Promise<string> {
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    ).all<{
      name: string;
    }>();
    const rows = [];
    for (const { name } of tables.results) rows.push(...(await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results);
    return JSON.stringify(rows);
  }

  it("neither the access token nor the Idempotency-Key is stored; a replay with the key still returns the token, which opens the ticket", async () => {
    const key = crypto.randomUUID();
    const first = await call("/v1/sites/demo-ecellar/tickets", { json: ticketBody(), headers: { "Idempotency-Key": key } });
    expect(first.status).toBe(201);
    const created = (await first.json()) as Held;
    const stored = await everything();
    expect(stored).not.toContain(created.accessToken);
    expect(stored).not.toContain(key);

    const replay = await call("/v1/sites/demo-ecellar/tickets", { json: ticketBody(), headers: { "Idempotency-Key": key } });
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    const again = (await replay.json()) as Held;
    expect(again).toEqual(created);
    const res = await call(`/v1/tickets/${again.reference}`, { headers: { Authorization: `Bearer ${again.accessToken}` } });
    expect(res.status).toBe(200);
  });

  it("a stored answer that was tampered with is a 409, not a response without its token, and writes nothing", async () => {
    const key = crypto.randomUUID();
    expect((await call("/v1/sites/demo-ecellar/tickets", { json: ticketBody(), headers: { "Idempotency-Key": key } })).status).toBe(201);
    await env.DB.prepare(
      "UPDATE idempotency_keys SET response = json_set(response, '$.accessToken', 'AAAA.BBBB') WHERE created_at = (SELECT max(created_at) FROM idempotency_keys)",
    ).run();
    const {
      result: res,
      before,
      after,
    } = await around(() => call("/v1/sites/demo-ecellar/tickets", { json: ticketBody(), headers: { "Idempotency-Key": key } }));
    expect(res.status).toBe(409);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(changed(before, after)).toEqual([]);
  });
});
