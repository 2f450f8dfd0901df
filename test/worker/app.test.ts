import { beforeAll, describe, expect, it } from "vitest";
import { call, seed } from "./helpers.ts";

beforeAll(async () => {
  await seed();
});

describe("createApp", () => {
  it("answers unknown routes with a problem+json 404", async () => {
    const res = await call("/v2/nothing");
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ type: "https://replyby.dev/problems/not-found", status: 404 });
  });

  it("serves the OpenAPI document generated from the request schemas", async () => {
    const res = await call("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/sites/{siteKey}/config",
        "/v1/sites/{siteKey}/window",
        "/v1/sites/{siteKey}/tickets",
        "/v1/tickets/{ref}",
        "/v1/tickets/{ref}/replies",
        "/v1/tickets/{ref}/quote",
        "/v1/tickets/{ref}/close",
      ]),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["TicketCreate", "Window", "Problem"]));
  });

  it("documents the ticket creation body's field rules", async () => {
    const doc = (await (await call("/openapi.json")).json()) as {
      components: { schemas: { TicketCreate: { required: string[]; properties: Record<string, { maxLength?: number }> } } };
    };
    expect(doc.components.schemas.TicketCreate.required).toEqual(expect.arrayContaining(["issueType", "severity", "email", "description"]));
    expect(doc.components.schemas.TicketCreate.properties.description?.maxLength).toBe(5000);
  });

  it("sets nosniff and a referrer policy on every response", async () => {
    const res = await call("/health");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
  });

  it("answers a method the route does not have with a 4xx problem, never a 500", async () => {
    const res = await call("/v1/sites/demo-ecellar/window", { method: "DELETE" });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe("D1 sessions", () => {
  it("returns a D1-Bookmark on API responses so clients can read their own writes", async () => {
    const res = await call("/v1/sites/demo-ecellar/config");
    expect(res.headers.get("D1-Bookmark")).toMatch(/^[\w-]+$/);
  });

  it("accepts the bookmark back and ignores a malformed one", async () => {
    const first = await call("/v1/sites/demo-ecellar/config");
    const again = await call("/v1/sites/demo-ecellar/config", { headers: { "D1-Bookmark": first.headers.get("D1-Bookmark") ?? "" } });
    const junk = await call("/v1/sites/demo-ecellar/config", { headers: { "D1-Bookmark": "'; DROP TABLE tickets; --" } });
    expect([again.status, junk.status]).toEqual([200, 200]);
  });
});

describe("demo storefront", () => {
  it("is served by the worker", async () => {
    const res = await call("/demo/ecellar", { origin: null });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-site="demo-ecellar"');
  });
});
