import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as tables from "../../../schema/db.ts";
import { hmacHex } from "../../../worker/infra/crypto.ts";
import { invalidateSites } from "../../../worker/merchant/site-context.ts";
import { call, count, createTicket, db, ORIGIN, seed, ticketBody, ticketRow } from "../helpers.ts";

beforeAll(async () => {
  await seed();
});

async function problem(res: Response) {
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  return (await res.json()) as { type: string; status: number; detail?: string; errors?: { path: string; message: string }[] };
}

describe("GET /v1/sites/:siteKey/config", () => {
  it("returns issue types, severities and coverage in the site's default locale", async () => {
    const res = await call("/v1/sites/demo-ecellar/config");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      locale: string;
      issueTypes: { id: string; label: string; workflow?: string }[];
      severities: unknown[];
      coverage?: unknown;
    };
    expect(body.locale).toBe("en");
    expect(body.issueTypes.find((t) => t.id === "ordering-down")?.label).toBe("Customers can't place orders");
    expect(body.issueTypes.find((t) => t.id === "feature")?.workflow).toBe("quote");
    expect(body.severities).toHaveLength(2);
    expect(body.coverage).toBeDefined();
  });

  it("gives the contact phone as E.164 with its menu option, and the text as the merchant wrote it", async () => {
    const body = (await (await call("/v1/sites/demo-ecellar/config")).json()) as { contact?: { phone?: unknown } };
    expect(body.contact?.phone).toEqual({ number: "+17079429700", option: "1", text: "707-942-9700 Opt. 1" });
  });

  it("localizes labels for ?locale=es", async () => {
    const body = (await (await call("/v1/sites/demo-ecellar/config?locale=es")).json()) as {
      locale: string;
      issueTypes: { id: string; label: string }[];
    };
    expect(body.locale).toBe("es");
    expect(body.issueTypes[0]?.label).toBe("Los clientes no pueden hacer pedidos");
  });

  it("lists open incidents so customers see known issues first", async () => {
    await db
      .insert(tables.incidents)
      .values({ id: "inc_1", merchantId: "m_commerceup", title: "Checkout errors", body: "We are on it.", startedAt: Date.now() });
    const body = (await (await call("/v1/sites/demo-commerceup/config")).json()) as { incidents: { title: string }[] };
    expect(body.incidents.map((i) => i.title)).toEqual(["Checkout errors"]);
  });

  it("gives an incident's title and body in the customer's locale, else English", async () => {
    await db.insert(tables.incidents).values({
      id: "inc_local",
      merchantId: "m_ecshops",
      title: "Pagos con tarjeta fallan",
      body: "Estamos en ello.",
      titleLocal: { es: "Pagos con tarjeta fallan", en: "Card payments failing" },
      bodyLocal: { es: "Estamos en ello.", en: "We are on it." },
      startedAt: Date.now(),
    });
    type Incidents = { incidents: { id: string; title: string; body: string }[] };
    const es = (await (await call("/v1/sites/demo-ecshops/config?locale=es")).json()) as Incidents;
    const en = (await (await call("/v1/sites/demo-ecshops/config?locale=en")).json()) as Incidents;
    expect(es.incidents.find((i) => i.id === "inc_local")).toMatchObject({ title: "Pagos con tarjeta fallan", body: "Estamos en ello." });
    expect(en.incidents.find((i) => i.id === "inc_local")).toMatchObject({ title: "Card payments failing", body: "We are on it." });
  });

  it("gives the site's title in the customer's locale", async () => {
    const original = (await db.query.sites.findFirst({ where: eq(tables.sites.id, "s_commerceup") }))?.branding ?? {};
    await db
      .update(tables.sites)
      .set({ branding: { title: { en: "CommerceUp Help", es: "Ayuda de CommerceUp" } } })
      .where(eq(tables.sites.id, "s_commerceup"));
    invalidateSites();
    type Named = { name: string; branding: { title?: string } };
    const es = (await (await call("/v1/sites/demo-commerceup/config?locale=es")).json()) as Named;
    const en = (await (await call("/v1/sites/demo-commerceup/config?locale=en")).json()) as Named;
    await db.update(tables.sites).set({ branding: original }).where(eq(tables.sites.id, "s_commerceup"));
    invalidateSites();
    expect([es.name, es.branding.title]).toEqual(["Ayuda de CommerceUp", "Ayuda de CommerceUp"]);
    expect([en.name, en.branding.title]).toEqual(["CommerceUp Help", "CommerceUp Help"]);
  });

  it("gives the policy's contact note in the customer's locale (CommerceUp: C1 in the subject)", async () => {
    type Contact = { contact?: { note?: string } };
    const es = (await (await call("/v1/sites/demo-commerceup/config?locale=es")).json()) as Contact;
    const en = (await (await call("/v1/sites/demo-commerceup/config?locale=en")).json()) as Contact;
    expect(es.contact?.note).toContain('escriba "C1" en el asunto');
    expect(en.contact?.note).toContain('put "C1" in the subject line');
  });

  it("gives a phone's text as written in the customer's locale, with the number and option to dial", async () => {
    type Phone = { contact?: { phone?: { number?: string; option?: string; text: string } } };
    const es = (await (await call("/v1/sites/demo-ecellar/config?locale=es")).json()) as Phone;
    const en = (await (await call("/v1/sites/demo-ecellar/config?locale=en")).json()) as Phone;
    expect(es.contact?.phone).toEqual({ number: "+17079429700", option: "1", text: "707-942-9700 opción 1" });
    expect(en.contact?.phone?.text).toBe("707-942-9700 Opt. 1");
  });

  it("answers allowed origins with exact CORS headers and Vary: Origin", async () => {
    const res = await call("/v1/sites/demo-ecellar/config");
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(ORIGIN);
    expect(res.headers.get("Vary")).toContain("Origin");
  });

  it("is 404 for an unknown site key", async () => {
    const res = await call("/v1/sites/nope/config");
    expect(res.status).toBe(404);
    expect((await problem(res)).type).toBe("https://replyby.dev/problems/not-found");
  });

  it("refuses a foreign origin with 403; only the config refusal is readable by that page, naming the origin", async () => {
    const res = await call("/v1/sites/demo-ecellar/config", { origin: "https://evil.test" });
    expect(res.status).toBe(403);
    // The widget's first request: its page may read the refusal and say "not set up for this page".
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("https://evil.test");
    const body = await problem(res);
    expect(body.type).toBe("https://replyby.dev/problems/origin-not-allowed");
    expect(body.detail).toBe(
      "https://evil.test is not an allowed origin of site demo-ecellar: add it in the Replyby dashboard (site settings)",
    );
    const preview = await call("/v1/sites/demo-ecellar/window", {
      origin: "https://evil.test",
      json: { issueType: "question", severity: "normal" },
    });
    expect(preview.status).toBe(403);
    expect(preview.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("refuses another merchant's allowed origin (origins are per site)", async () => {
    await db
      .update(tables.sites)
      .set({ allowedOrigins: ["https://shop.commerceup.test"] })
      .where(eq(tables.sites.id, "s_commerceup"));
    invalidateSites();
    const res = await call("/v1/sites/demo-ecellar/config", { origin: "https://shop.commerceup.test" });
    await db
      .update(tables.sites)
      .set({ allowedOrigins: [ORIGIN] })
      .where(eq(tables.sites.id, "s_commerceup"));
    invalidateSites();
    expect(res.status).toBe(403);
  });
});

describe("OPTIONS preflight", () => {
  it("answers an allowed origin with 204 and the allowed headers", async () => {
    const res = await call("/v1/sites/demo-ecellar/tickets", { method: "OPTIONS", headers: { "Access-Control-Request-Method": "POST" } });
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Headers")).toContain("Idempotency-Key");
  });

  it("refuses a foreign origin", async () => {
    expect((await call("/v1/sites/demo-ecellar/tickets", { method: "OPTIONS", origin: "https://evil.test" })).status).toBe(403);
  });
});

describe("POST /v1/sites/:siteKey/window", () => {
  /** A POST to a demo site's window preview (eCellar's unless told). */
  const postWindow = (init: Parameters<typeof call>[1], siteKey = "demo-ecellar") =>
    call(`/v1/sites/${siteKey}/window`, { method: "POST", ...init });

  it("returns the window for issue type and severity now", async () => {
    const res = await postWindow({ json: { issueType: "site-down", severity: "critical" } }, "demo-commerceup");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { priority: string; firstResponse: { dueAt: string }; explanation: string[] };
    expect(body.priority).toBe("C1");
    const due = Date.parse(body.firstResponse.dueAt);
    expect(due - Date.now()).toBeGreaterThan(119 * 60_000);
    expect(due - Date.now()).toBeLessThanOrEqual(120 * 60_000);
  });

  it("explains in Spanish when asked", async () => {
    const body = (await (
      await postWindow({ json: { issueType: "incident", severity: "degraded", locale: "es" } }, "demo-ecshops")
    ).json()) as {
      explanation: string[];
    };
    expect(body.explanation[0]).toMatch(/^Recibida/);
  });

  it("writes nothing", async () => {
    const before = await count("tickets");
    await postWindow({ json: { issueType: "question", severity: "normal" } });
    expect(await count("tickets")).toBe(before);
  });

  it("reports missing and unknown fields with their paths", async () => {
    const res = await postWindow({ json: { severity: 3, extra: true } });
    expect(res.status).toBe(400);
    const paths = (await problem(res)).errors?.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["issueType", "severity"]));
  });

  it("reports an issue type the policy does not have", async () => {
    const res = await postWindow({ json: { issueType: "teleport", severity: "normal" } });
    expect(res.status).toBe(400);
    expect((await problem(res)).errors).toEqual([{ path: "issueType", message: 'Unknown issue type "teleport"' }]);
  });

  it("rejects an unknown time zone", async () => {
    const res = await postWindow({ json: { issueType: "question", severity: "normal", timeZone: "Mars/Olympus" } });
    expect((await problem(res)).errors?.[0]?.path).toBe("timeZone");
  });

  it("is 400 for malformed JSON", async () => {
    const res = await postWindow({ body: "{nope", headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(400);
    expect((await problem(res)).type).toBe("https://replyby.dev/problems/malformed-request");
  });

  it("is 415 without a JSON content type", async () => {
    const res = await postWindow({ body: "issueType=question", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(415);
  });

  it("is 413 for a body over the cap, before parsing", async () => {
    const res = await postWindow({ json: { issueType: "question", severity: "normal", pad: "x".repeat(20_000) } });
    expect(res.status).toBe(413);
  });

  it("refuses a foreign origin", async () => {
    expect((await postWindow({ origin: "https://evil.test", json: { issueType: "question", severity: "normal" } })).status).toBe(403);
  });

  it("refuses an identity whose signature does not match", async () => {
    const res = await postWindow(
      { json: { issueType: "access", severity: "problem", identity: { accountId: "acme", signature: "0".repeat(64) } } },
      "demo-easy-commission",
    );
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.[0]?.path).toBe("identity.signature");
  });

  it("uses a verified account's facts: a customer behind on dues is told support is refused", async () => {
    const signature = await hmacHex("demo-identity-easy-commission", "lapsed");
    const body = (await (
      await postWindow(
        { json: { issueType: "access", severity: "problem", identity: { accountId: "lapsed", signature } } },
        "demo-easy-commission",
      )
    ).json()) as { eligibility: { eligible: boolean; reason: string } };
    expect(body.eligibility.eligible).toBe(false);
    expect(body.eligibility.reason).toContain("current with all dues");
  });

  it("counts a verified account's cases this year against its allowance", async () => {
    const signature = await hmacHex("demo-identity-easy-commission", "acme");
    for (let i = 0; i < 2; i++)
      await createTicket("demo-easy-commission", { issueType: "access", severity: "problem", identity: { accountId: "acme", signature } });
    const body = (await (
      await postWindow(
        { json: { issueType: "access", severity: "problem", identity: { accountId: "acme", signature } } },
        "demo-easy-commission",
      )
    ).json()) as { allowance: { used: number; included: number; chargeable: boolean } };
    expect(body.allowance).toMatchObject({ used: 2, included: 4, chargeable: false });
  });
});

describe("POST /v1/sites/:siteKey/tickets", () => {
  it("creates the ticket, its first event and the idempotency record, and returns reference, token and window", async () => {
    const [tickets, events, keys] = [await count("tickets"), await count("ticket_events"), await count("idempotency_keys")];
    const res = await call("/v1/sites/demo-ecellar/tickets", {
      method: "POST",
      json: ticketBody(),
      headers: { "Idempotency-Key": "create-happy-1" },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { reference: string; accessToken: string; window: { priority: string } };
    expect(body.reference).toMatch(/^RB-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(body.accessToken.length).toBeGreaterThan(30);
    expect(body.window.priority).toBe("standard");
    expect(res.headers.get("Location")).toBe(`/v1/tickets/${body.reference}`);
    expect([await count("tickets"), await count("ticket_events"), await count("idempotency_keys")]).toEqual([
      tickets + 1,
      events + 1,
      keys + 1,
    ]);
  });

  it("stores only a hash of the access token", async () => {
    const { reference, accessToken } = await createTicket();
    const row = await env.DB.prepare("SELECT access_token_hash FROM tickets WHERE ref = ?")
      .bind(reference)
      .first<{ access_token_hash: string }>();
    expect(row?.access_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.access_token_hash).not.toContain(accessToken);
  });

  it("replays the same response for the same key and body, marked Idempotent-Replayed", async () => {
    const init = { method: "POST", json: ticketBody(), headers: { "Idempotency-Key": "replay-key-1" } };
    const first = await call("/v1/sites/demo-ecellar/tickets", init);
    const before = await count("tickets");
    const second = await call("/v1/sites/demo-ecellar/tickets", init);
    expect(second.status).toBe(201);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    expect(await count("tickets")).toBe(before);
  });

  it("refuses the same key with a different body (422) and writes nothing", async () => {
    await call("/v1/sites/demo-ecellar/tickets", { method: "POST", json: ticketBody(), headers: { "Idempotency-Key": "reuse-key-1" } });
    const before = await count("tickets");
    const res = await call("/v1/sites/demo-ecellar/tickets", {
      method: "POST",
      json: ticketBody({ description: "Something else" }),
      headers: { "Idempotency-Key": "reuse-key-1" },
    });
    expect(res.status).toBe(422);
    expect(await count("tickets")).toBe(before);
  });

  it("scopes keys per site: the same key on another site creates another ticket", async () => {
    await call("/v1/sites/demo-ecellar/tickets", { method: "POST", json: ticketBody(), headers: { "Idempotency-Key": "scoped-key-1" } });
    const res = await call("/v1/sites/demo-ecshops/tickets", {
      method: "POST",
      json: ticketBody({ issueType: "incident", severity: "degraded" }),
      headers: { "Idempotency-Key": "scoped-key-1" },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("Idempotent-Replayed")).toBeNull();
  });

  it("creates exactly one ticket for 20 concurrent identical requests", async () => {
    const before = await count("tickets");
    const init = { method: "POST", json: ticketBody({ description: "Concurrent" }), headers: { "Idempotency-Key": "concurrent-key-1" } };
    const responses = await Promise.all(Array.from({ length: 20 }, () => call("/v1/sites/demo-ecellar/tickets", init)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const refs = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as { reference: string }).reference)));
    expect(refs.size).toBe(1);
    expect(await count("tickets")).toBe(before + 1);
  });

  it("requires an Idempotency-Key", async () => {
    const res = await call("/v1/sites/demo-ecellar/tickets", { method: "POST", json: ticketBody() });
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.[0]?.path).toBe("idempotency-key");
  });

  it("validates fields with field-level errors and writes nothing", async () => {
    const before = await count("tickets");
    const res = await call("/v1/sites/demo-ecellar/tickets", {
      method: "POST",
      json: ticketBody({ email: "not-an-email", description: "   " }),
      headers: { "Idempotency-Key": "invalid-fields-1" },
    });
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.map((e) => e.path)).toEqual(["email", "description"]);
    expect(await count("tickets")).toBe(before);
  });

  it("refuses a foreign origin with 403 and no row written", async () => {
    const before = [await count("tickets"), await count("idempotency_keys"), await count("ticket_events")];
    const res = await call("/v1/sites/demo-ecellar/tickets", {
      method: "POST",
      origin: "https://evil.test",
      json: ticketBody(),
      headers: { "Idempotency-Key": "foreign-1" },
    });
    expect(res.status).toBe(403);
    expect([await count("tickets"), await count("idempotency_keys"), await count("ticket_events")]).toEqual(before);
  });

  it("refuses an ineligible customer with the policy's message (403) and writes nothing", async () => {
    const before = await count("tickets");
    const signature = await hmacHex("demo-identity-easy-commission", "lapsed");
    const res = await call("/v1/sites/demo-easy-commission/tickets", {
      method: "POST",
      json: ticketBody({ issueType: "access", severity: "problem", identity: { accountId: "lapsed", signature } }),
      headers: { "Idempotency-Key": "ineligible-1" },
    });
    expect(res.status).toBe(403);
    const body = await problem(res);
    expect(body.type).toBe("https://replyby.dev/problems/ineligible");
    expect(body.detail).toContain("current with all dues");
    expect(await count("tickets")).toBe(before);
  });

  it("caps creations per IP and site per hour with 429 and Retry-After", async () => {
    const limit = Number(env.TICKETS_PER_IP_HOUR);
    const statuses: number[] = [];
    for (let i = 0; i <= limit; i++) {
      const res = await call("/v1/sites/demo-ecshops/tickets", {
        method: "POST",
        json: ticketBody({ issueType: "incident", severity: "question", description: `cap ${i}` }),
        headers: { "Idempotency-Key": `cap-key-${i}-xxxx`, "CF-Connecting-IP": "203.0.113.9" },
      });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(limit);
  });
});

describe("POST /v1/sites/:siteKey/tickets with follows", () => {
  async function followUp(siteKey: string, follows: string, email = "ana@example.test") {
    return call(`/v1/sites/${siteKey}/tickets`, {
      json: ticketBody({ email, follows }),
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
  }

  it("links a new request to the same customer's earlier one, shown to the customer", async () => {
    const earlier = await createTicket("demo-ecellar", { email: "Ana@Example.test" });
    const res = await followUp("demo-ecellar", earlier.reference);
    expect(res.status).toBe(201);
    const created = (await res.json()) as { reference: string; accessToken: string };
    expect((await ticketRow(created.reference)).followsRef).toBe(earlier.reference);
    const view = await call(`/v1/tickets/${created.reference}`, { headers: { Authorization: `Bearer ${created.accessToken}` } });
    expect(((await view.json()) as { follows?: string }).follows).toBe(earlier.reference);
  });

  it("refuses another customer's request with a field error, writing nothing", async () => {
    const earlier = await createTicket("demo-ecellar", { email: "someone-else@example.test" });
    const before = await count("tickets");
    const res = await followUp("demo-ecellar", earlier.reference);
    expect(res.status).toBe(400);
    expect((await problem(res)).errors).toEqual([{ path: "follows", message: "Not one of your earlier requests here" }]);
    expect(await count("tickets")).toBe(before);
  });

  it("answers another merchant's request exactly like an unknown reference", async () => {
    const other = await createTicket("demo-ecshops", { issueType: "incident", severity: "question" });
    const wrongTenant = await problem(await followUp("demo-ecellar", other.reference));
    const unknown = await problem(await followUp("demo-ecellar", "RB-0000-0000"));
    expect(wrongTenant).toEqual(unknown);
  });

  it("refuses a malformed reference", async () => {
    const res = await followUp("demo-ecellar", "not-a-reference");
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.map((e) => e.path)).toEqual(["follows"]);
  });
});
