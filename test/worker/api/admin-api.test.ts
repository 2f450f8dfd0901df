import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { accounts, apiKeys } from "../../../schema/db.ts";
import { createApiKey, revokeApiKey } from "../../../worker/merchant/api-keys.ts";
import { identitySignature } from "../../../worker/merchant/identity-signature.ts";
import { call, createTicket, db, seed, ticketBody } from "../helpers.ts";
import { fingerprint } from "../security/support/state.ts";

const EASY = "m_easy-commission";
let easyKey = "";
let ecellarKey = "";

beforeAll(async () => {
  await seed();
  easyKey = (await createApiKey(db, EASY, "test", "st_easy-commission_admin", Date.now())).key;
  ecellarKey = (await createApiKey(db, "m_ecellar", "test", "st_ecellar_admin", Date.now())).key;
});

/** A server-to-server call of the admin API (no browser Origin); `body` is sent as it is, with the headers given. */
function admin(
  path: string,
  init: { method?: string; json?: unknown; body?: string; key?: string | null; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== null) headers.Authorization = `Bearer ${init.key ?? easyKey}`;
  return call(`/v1/admin${path}`, {
    method: init.method ?? (init.json === undefined && init.body === undefined ? "GET" : "PUT"),
    ...(init.json !== undefined ? { json: init.json } : {}),
    ...(init.body !== undefined ? { body: init.body } : {}),
    headers,
    origin: null,
  });
}

const accountRow = (merchantId: string, externalId: string) =>
  db.query.accounts.findFirst({ where: and(eq(accounts.merchantId, merchantId), eq(accounts.externalId, externalId)) });

describe("PUT /v1/admin/accounts/:id", () => {
  it("creates an account (201) with plan, dues current and cases used", async () => {
    const res = await admin("/accounts/new-co", { json: { plan: "professional", duesCurrent: true, casesUsed: 2 } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id: "new-co", plan: "professional", duesCurrent: true, flags: { duesCurrent: true }, casesUsed: 2 });
    expect(body.casesUsedAt).toMatch(/Z$/);
    const row = await accountRow(EASY, "new-co");
    expect(row).toMatchObject({ plan: "professional", flags: { duesCurrent: true }, casesUsed: 2 });
  });

  it("updates an existing account (200) and keeps the fields left out", async () => {
    await admin("/accounts/keep-co", { json: { plan: "standard", duesCurrent: true, casesUsed: 1, flags: { vip: true } } });
    const res = await admin("/accounts/keep-co", { json: { duesCurrent: false } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      plan: "standard",
      duesCurrent: false,
      flags: { duesCurrent: false, vip: true },
      casesUsed: 1,
    });
  });

  it("updates the seeded account behind identify, keeping its row id", async () => {
    const res = await admin("/accounts/acme", { json: { plan: "enterprise" } });
    expect(res.status).toBe(200);
    expect(await accountRow(EASY, "acme")).toMatchObject({ id: "a_acme", plan: "enterprise", flags: { duesCurrent: true } });
  });

  it("answers an invalid body with field errors and writes nothing", async () => {
    const before = await fingerprint();
    const res = await admin("/accounts/bad-co", { json: { plan: "", duesCurrent: "yes", casesUsed: -1, extra: 1 } });
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    const paths = ((await res.json()) as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["plan", "duesCurrent", "casesUsed"]));
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses a body that is not JSON (415)", async () => {
    const res = await admin("/accounts/x", { body: "plan=standard", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(415);
  });

  it("never touches another merchant's account of the same id", async () => {
    await admin("/accounts/shared-id", { json: { plan: "standard", duesCurrent: true } });
    const res = await admin("/accounts/shared-id", { json: { plan: "gold", duesCurrent: false }, key: ecellarKey });
    expect(res.status).toBe(201);
    expect(await accountRow(EASY, "shared-id")).toMatchObject({ plan: "standard", flags: { duesCurrent: true } });
    expect(await accountRow("m_ecellar", "shared-id")).toMatchObject({ plan: "gold", flags: { duesCurrent: false } });
  });

  it("refuses a body that is not valid JSON (400 malformed-request) and writes nothing", async () => {
    const before = await fingerprint();
    const res = await admin("/accounts/broken", { body: '{"plan": "standard"', headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { type: string }).type).toBe("https://replyby.dev/problems/malformed-request");
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses a body over the size cap (413) and writes nothing", async () => {
    const before = await fingerprint();
    const res = await admin("/accounts/huge", { json: { plan: "standard", flags: { pad: true }, pad: "x".repeat(300 * 1024) } });
    expect(res.status).toBe(413);
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses a subscribedAt that is not a real instant (400) and writes nothing", async () => {
    const before = await fingerprint();
    const res = await admin("/accounts/when-co", { json: { subscribedAt: "2026-02-30T10:00:00Z" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain("subscribedAt");
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses an account id over 120 characters (400)", async () => {
    const res = await admin(`/accounts/${"a".repeat(121)}`, { json: { plan: "standard" } });
    expect(res.status).toBe(400);
    expect(await accountRow(EASY, "a".repeat(121))).toBeUndefined();
  });

  it("stores subscribedAt and answers it as an instant", async () => {
    const res = await admin("/accounts/since-co", { json: { subscribedAt: "2026-11-01T09:30:00+01:00" } });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { subscribedAt: string }).subscribedAt).toBe("2026-11-01T08:30:00Z");
  });
});

describe("GET /v1/admin/accounts/:id", () => {
  it("answers one of the merchant's accounts", async () => {
    const res = await admin("/accounts/lapsed");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: "lapsed", plan: "standard", duesCurrent: false });
  });

  it("answers another merchant's account with the same 404 as a missing one", async () => {
    const foreign = await admin("/accounts/lapsed", { key: ecellarKey });
    const missing = await admin("/accounts/nobody-at-all", { key: ecellarKey });
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await foreign.json()).toEqual(await missing.json());
  });
});

describe("API keys", () => {
  it("refuses a request without a key (401 problem+json)", async () => {
    const res = await admin("/accounts/acme", { key: null });
    expect(res.status).toBe(401);
    expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    expect(res.headers.get("WWW-Authenticate")).toContain("Bearer");
  });

  it("refuses an unknown key (401) and writes nothing", async () => {
    const before = await fingerprint();
    const res = await admin("/accounts/intruder", { json: { plan: "standard" }, key: `rbk_${"A".repeat(43)}` });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { type: string }).type).toBe("https://replyby.dev/problems/unauthorized");
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses a revoked key (401), though it worked before", async () => {
    const { key, row } = await createApiKey(db, EASY, "soon revoked", "st_easy-commission_admin", Date.now());
    expect((await admin("/accounts/acme", { key })).status).toBe(200);
    await revokeApiKey(db, EASY, row.id, Date.now());
    const res = await admin("/accounts/acme", { json: { plan: "revoked-plan" }, key });
    expect(res.status).toBe(401);
    expect((await accountRow(EASY, "acme"))?.plan).not.toBe("revoked-plan");
  });

  it("stores only the key's SHA-256 and records its last use", async () => {
    const { key, row } = await createApiKey(db, EASY, "hashed", "st_easy-commission_admin", Date.now());
    await admin("/accounts/acme", { key });
    const stored = await db.query.apiKeys.findFirst({ where: eq(apiKeys.id, row.id) });
    expect(JSON.stringify(stored)).not.toContain(key.slice(12));
    expect(stored?.prefix).toBe(key.slice(0, 12));
    expect(stored?.lastUsedAt).not.toBeNull();
  });

  it("refuses another scheme than Bearer (401)", async () => {
    const res = await admin("/accounts/acme", { key: null, headers: { Authorization: `Basic ${btoa(`x:${easyKey}`)}` } });
    expect(res.status).toBe(401);
  });

  it("refuses a revoked key's write (401) and writes nothing", async () => {
    const { key, row } = await createApiKey(db, EASY, "revoked write", "st_easy-commission_admin", Date.now());
    await revokeApiKey(db, EASY, row.id, Date.now());
    const before = await fingerprint();
    const res = await admin("/accounts/after-revoke", { json: { plan: "standard" }, key });
    expect(res.status).toBe(401);
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses a key revoked in the dashboard for reads too (401)", async () => {
    const { key, row } = await createApiKey(db, EASY, "revoked read", "st_easy-commission_admin", Date.now());
    await revokeApiKey(db, EASY, row.id, Date.now());
    expect((await admin("/accounts/acme", { key })).status).toBe(401);
  });

  it("answers a revocation of another merchant's key with a 404 and leaves it working", async () => {
    const { key, row } = await createApiKey(db, "m_ecellar", "theirs", "st_ecellar_admin", Date.now());
    await expect(revokeApiKey(db, EASY, row.id, Date.now())).rejects.toMatchObject({ code: "not-found" });
    expect((await admin("/accounts/nobody", { key })).status).toBe(404);
  });
});

describe("allowances and eligibility read the accounts", () => {
  const window = async (accountId: string) => {
    const signature = await identitySignature("demo-identity-easy-commission", accountId);
    return call("/v1/sites/demo-easy-commission/window", {
      json: { issueType: "access", severity: "problem", identity: { accountId, signature } },
    });
  };

  it("refuses Easy-Commission support once the API says dues are not current, with the policy's words", async () => {
    await admin("/accounts/goes-lapsed", { json: { plan: "standard", duesCurrent: true } });
    expect(((await (await window("goes-lapsed")).json()) as { eligibility: { eligible: boolean } }).eligibility.eligible).toBe(true);
    await admin("/accounts/goes-lapsed", { json: { duesCurrent: false } });
    const res = await window("goes-lapsed");
    const body = (await res.json()) as { eligibility: { eligible: boolean; reason: string } };
    expect(body.eligibility).toEqual({
      eligible: false,
      reason: "Software maintenance and support is available only to customers who are current with all dues.",
    });
    const signature = await identitySignature("demo-identity-easy-commission", "goes-lapsed");
    const ticket = await call("/v1/sites/demo-easy-commission/tickets", {
      json: ticketBody({ issueType: "access", severity: "problem", identity: { accountId: "goes-lapsed", signature } }),
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(ticket.status).toBe(403);
    expect(((await ticket.json()) as { type: string }).type).toBe("https://replyby.dev/problems/ineligible");
  });

  it("counts the reported cases used, plus cases filed through Replyby after the report", async () => {
    await admin("/accounts/counted", { json: { plan: "standard", duesCurrent: true, casesUsed: 3 } });
    const allowance = async () => ((await (await window("counted")).json()) as { allowance: Record<string, unknown> }).allowance;
    expect(await allowance()).toMatchObject({ used: 3, included: 4, chargeable: false });
    const signature = await identitySignature("demo-identity-easy-commission", "counted");
    await createTicket("demo-easy-commission", { issueType: "access", severity: "problem", identity: { accountId: "counted", signature } });
    expect(await allowance()).toMatchObject({ used: 4, included: 4, chargeable: true });
    // A new report stands for everything up to its instant: the ticket above is not counted twice.
    await admin("/accounts/counted", { json: { casesUsed: 1 } });
    expect(await allowance()).toMatchObject({ used: 1, chargeable: false });
  });
});

describe("the OpenAPI contract", () => {
  it("documents PUT and GET /v1/admin/accounts/{id} with the bearer scheme", async () => {
    const doc = (await (await call("/openapi.json", { origin: null })).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
    };
    const path = doc.paths["/v1/admin/accounts/{id}"];
    expect(Object.keys(path ?? {})).toEqual(expect.arrayContaining(["get", "put"]));
    expect(path?.put?.security).toEqual([{ apiKey: [] }]);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.schemas).toHaveProperty("AccountUpdate");
  });
});
