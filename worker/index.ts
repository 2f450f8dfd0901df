import { Hono } from "hono";

/** Builds the one Hono app used by production and by the tests. */
export function createApp() {
  const app = new Hono<{ Bindings: Env }>();
  app.get("/health", (c) => c.json({ ok: true }));
  return app;
}

export default { fetch: createApp().fetch } satisfies ExportedHandler<Env>;
