/**
 * The floor for any route that writes to local D1: a worker with no framework whose one route
 * commits a single one-row upsert. `npm run bench` loads it beside its own bare route to show
 * what one D1 write costs in wrangler dev before any application code runs.
 */
let created = false;

export default {
  async fetch(request: Request, env: { DB: D1Database }): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/write") {
      if (!created) {
        await env.DB.exec("CREATE TABLE IF NOT EXISTS floor (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
        created = true;
      }
      await env.DB.batch([env.DB.prepare("INSERT INTO floor (id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1")]);
    }
    return Response.json({ ok: true });
  },
} satisfies ExportedHandler<{ DB: D1Database }>;
