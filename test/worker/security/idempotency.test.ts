import { beforeAll, describe, expect, it } from "vitest";
import { hmacHex } from "../../../worker/infra/crypto.ts";
import { call, seed, ticketBody } from "../helpers.ts";
import { around } from "./support/http.ts";
import { changed } from "./support/state.ts";

// Idempotency misuse. Cells proven elsewhere: routes/sites.test.ts ("replays the same response
// for the same key and body, marked Idempotent-Replayed", "refuses the same key with a
// different body (422) and writes nothing", "scopes keys per site: the same key on another site
// creates another ticket", "creates exactly one ticket for 20 concurrent identical requests",
// "requires an Idempotency-Key").

beforeAll(async () => {
  await seed();
});

function create(body: unknown, key: string, siteKey = "demo-ecellar") {
  return call(`/v1/sites/${siteKey}/tickets`, { json: body, headers: { "Idempotency-Key": key } });
}

async function first(body: unknown = ticketBody()) {
  const key = crypto.randomUUID();
  const res = await create(body, key);
  expect(res.status).toBe(201);
  return { key, text: await res.text() };
}

const otherBodies: [string, Record<string, unknown>][] = [
  ["another description", { description: "Something else entirely" }],
  ["another email", { email: "mallory@example.test" }],
  ["another issue type", { issueType: "setup-problem" }],
  ["another severity", { severity: "blocking", issueType: "ordering-down" }],
  ["an added name", { name: "Mallory" }],
  ["an added order id", { orderId: "HC-1" }],
  ["an added locale", { locale: "es" }],
  ["an added time zone", { timeZone: "Europe/Madrid" }],
];

describe("the same key with another body", () => {
  it.each(otherBodies)("with %s is 422 idempotency-key-reused and writes nothing", async (_, over) => {
    const { key } = await first();
    const { result: res, before, after } = await around(() => create(ticketBody(over), key));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { type: string }).type).toBe("https://replyby.dev/problems/idempotency-key-reused");
    expect(changed(before, after)).toEqual([]);
  });

  it("with an added signed identity is 422 and writes nothing", async () => {
    const body = ticketBody({ issueType: "report-error", severity: "cosmetic" });
    const key = crypto.randomUUID();
    expect((await create(body, key, "demo-easy-commission")).status).toBe(201);
    const identity = { accountId: "acme", signature: await hmacHex("demo-identity-easy-commission", "acme") };
    const { result: res, before, after } = await around(() => create({ ...body, identity }, key, "demo-easy-commission"));
    expect(res.status).toBe(422);
    expect(changed(before, after)).toEqual([]);
  });

  it("leaves the first request replayable", async () => {
    const { key, text } = await first();
    await create(ticketBody({ description: "Something else" }), key);
    const again = await create(ticketBody(), key);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.text()).toBe(text);
  });
});

describe("the same request written differently", () => {
  it("replays when only the order of the fields differs", async () => {
    const { key, text } = await first();
    const b = ticketBody();
    const reordered = Object.fromEntries(Object.entries(b).reverse());
    const { result: res, before, after } = await around(() => create(reordered, key));
    expect([res.status, res.headers.get("Idempotent-Replayed")]).toEqual([201, "true"]);
    expect(await res.text()).toBe(text);
    expect(changed(before, after)).toEqual([]);
  });

  it("replays when only what validation trims differs", async () => {
    const { key, text } = await first();
    const res = await create(ticketBody({ description: `  ${ticketBody().description}\n` }), key);
    expect(res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await res.text()).toBe(text);
  });
});

describe("keys across sites", () => {
  it("never hands one site's response (its access token) to a request on another site", async () => {
    const key = crypto.randomUUID();
    const body = ticketBody({ issueType: "incident", severity: "degraded" });
    const a = (await (await create(ticketBody(), key)).json()) as { reference: string; accessToken: string };
    const res = await create(body, key, "demo-ecshops");
    const b = (await res.json()) as { reference: string; accessToken: string };
    expect(res.headers.get("Idempotent-Replayed")).toBeNull();
    expect(b.reference).not.toBe(a.reference);
    expect(b.accessToken).not.toBe(a.accessToken);
  });
});

describe("keys that were never used", () => {
  it("a refused request (invalid body) does not use up its key", async () => {
    const key = crypto.randomUUID();
    expect((await create(ticketBody({ email: "not-an-email" }), key)).status).toBe(400);
    const res = await create(ticketBody(), key);
    expect([res.status, res.headers.get("Idempotent-Replayed")]).toEqual([201, null]);
  });

  it("an ineligible request (403) does not use up its key", async () => {
    const key = crypto.randomUUID();
    const lapsed = { accountId: "lapsed", signature: await hmacHex("demo-identity-easy-commission", "lapsed") };
    const body = ticketBody({ issueType: "access", severity: "problem" });
    expect((await create({ ...body, identity: lapsed }, key, "demo-easy-commission")).status).toBe(403);
    const res = await create(body, key, "demo-easy-commission");
    expect([res.status, res.headers.get("Idempotent-Replayed")]).toEqual([201, null]);
  });
});

const badKeys: [string, string][] = [
  ["7 characters", "1234567"],
  ["256 characters", "k".repeat(256)],
  ["a space", "has a space"],
  ["a tab", "has\ta-tab-in-it"],
  ["a non-ASCII letter", "clave-ñandú-01"],
];

describe("key format", () => {
  it.each(badKeys)("a key of %s is 400 on the idempotency-key field and writes nothing", async (_, key) => {
    const { result: res, before, after } = await around(() => create(ticketBody(), key));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("idempotency-key");
    expect(changed(before, after)).toEqual([]);
  });

  it.each([
    ["8 characters", "12345678"],
    ["255 characters", "k".repeat(255)],
    ["quotes and semicolons (visible ASCII)", `k';--"x"<>`],
  ])("a key of %s is accepted", async (_, key) => {
    expect((await create(ticketBody(), key)).status).toBe(201);
  });
});
