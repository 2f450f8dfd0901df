import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../worker/app.ts";
import { HOST } from "../helpers.ts";

// The demo storefronts are a local tool (issue 14, point 6): mounted only where DEV_MODE is set
// (`npm start`, the tests), never by production's wrangler.toml.

declare global {
  interface ImportMeta {
    glob(pattern: string, options: { query: "?raw"; import: "default"; eager: true }): Record<string, string>;
  }
}

const wranglerToml = Object.values(import.meta.glob("/wrangler.toml", { query: "?raw", import: "default", eager: true }))[0] ?? "";

/** The app as production runs it: the same bindings, without DEV_MODE. */
function production(path: string): Promise<Response> {
  const { DEV_MODE: _, ...bindings } = env;
  return Promise.resolve(createApp().fetch(new Request(`${HOST}${path}`), bindings as Env));
}

const paths = ["/demo", "/demo/", "/demo/ecellar", "/demo/commerceup?lang=en", "/demo/store.css", "/demo/store.js"];

describe("/demo", () => {
  it("production's wrangler.toml sets no DEV_MODE (only `npm start` and the test config do)", () => {
    expect(wranglerToml).toContain("[vars]");
    expect(wranglerToml).not.toMatch(/DEV_MODE/);
    expect(env.DEV_MODE).toBe("true");
  });

  it.each(paths)("%s without DEV_MODE is the same 404 problem+json as any unknown path", async (path) => {
    const [res, unknown] = [await production(path), await production("/v2/nothing")];
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await res.text()).toBe(await unknown.text());
  });

  it("/demo/ecellar with DEV_MODE is the storefront", async () => {
    const res = await createApp().fetch(new Request(`${HOST}/demo/ecellar`), env);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
  });
});
