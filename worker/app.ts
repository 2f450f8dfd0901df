import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { adminApi } from "./api/admin-api.ts";
import { sites } from "./api/site-api.ts";
import { customerTickets } from "./api/ticket-api.ts";
import { dashboard } from "./dashboard/routes.ts";
import { demo } from "./demo/storefronts.ts";
import { EngineError } from "./engine/errors.ts";
import { ApiError, type ProblemCode, problemBody, problemStatus } from "./errors.ts";
import { lazySession } from "./infra/db.ts";
import type { AppEnv } from "./infra/http.ts";
import { validationHook } from "./infra/validation.ts";
import { mailbox } from "./mailbox/mailbox-routes.tsx";
import { statusPage } from "./status/routes.tsx";

function problem(
  code: ProblemCode,
  detail?: string,
  extra: { errors?: { path: string; message: string }[]; headers?: Record<string, string> } = {},
) {
  return new Response(JSON.stringify(problemBody(code, detail, extra.errors)), {
    status: problemStatus[code],
    headers: { "Content-Type": "application/problem+json", ...extra.headers },
  });
}

/** The Strict-Transport-Security value of every response (the widget's static files: widget/build.ts). */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/** Builds the one Hono app used by production and by the tests. */
export function createApp() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use(async (c, next) => {
    c.set("now", Date.now());
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    // A sub-app may set a stricter one (the status page: no-referrer).
    if (!c.res.headers.has("Referrer-Policy")) c.header("Referrer-Policy", "strict-origin-when-cross-origin");
    // HTTPS only, for two years: sign-in cookies and bearer tokens never travel in clear text
    // after a first visit (browsers ignore it on plain-HTTP local runs).
    c.header("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  });

  // D1 read replication: each public request runs in a D1 session. Reads may be served by a
  // nearby replica; a client that sends back the D1-Bookmark it last received never reads
  // older data than it has seen (read-your-writes across requests). Writes start on the primary.
  app.use("/v1/*", async (c, next) => {
    const sent = c.req.header("D1-Bookmark");
    const bookmark = sent && /^[\w-]{1,200}$/.test(sent) ? sent : c.req.method === "GET" ? "first-unconstrained" : "first-primary";
    const session = lazySession(c.env.DB, bookmark);
    c.env = { ...c.env, DB: session.db };
    await next();
    const latest = session.bookmark();
    if (latest) c.header("D1-Bookmark", latest);
  });

  app.get("/health", (c) => c.json({ ok: true }));
  app.route("/v1/admin", adminApi);
  app.route("/v1/sites", sites);
  app.route("/v1/tickets", customerTickets);
  // The demo storefronts exist only where DEV_MODE is set (`npm start`, the tests); production's
  // wrangler.toml does not set it, so there /demo is the same 404 as any unknown path.
  app.use("/demo/*", async (c, next) => {
    if (c.env.DEV_MODE !== "true") throw new ApiError("not-found", "No such resource");
    await next();
  });
  app.route("/demo", demo);
  app.route("/dashboard", dashboard);
  app.route("/dev", mailbox);
  app.route("/t", statusPage);

  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "A merchant API key (rbk_…), created on the dashboard's API keys page",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Replyby API",
      version: "1.0.0",
      description: "When a store's customer will hear back — computed from the merchant's support policy.",
    },
  });

  app.notFound(() => problem("not-found", "No such resource"));

  // The only place error bodies are built: expected failures keep their code; anything else
  // is logged and answered with a fixed message.
  app.onError((err, c) => {
    const cors = c.res.headers.get("Access-Control-Allow-Origin");
    const corsHeaders: Record<string, string> = cors ? { "Access-Control-Allow-Origin": cors, Vary: "Origin" } : {};
    if (err instanceof ApiError) {
      return problem(err.code, err.message, { ...(err.errors ? { errors: err.errors } : {}), headers: { ...corsHeaders, ...err.headers } });
    }
    if (err instanceof EngineError) {
      return problem("validation-failed", err.message, { headers: corsHeaders });
    }
    if (err instanceof HTTPException) {
      const code: ProblemCode = err.status === 413 ? "payload-too-large" : err.status === 405 ? "method-not-allowed" : "malformed-request";
      return problem(code, err.status === 400 ? "The body is not valid JSON" : undefined, { headers: corsHeaders });
    }
    console.error("unhandled", c.req.method, new URL(c.req.url).pathname, err);
    return problem("internal", undefined, { headers: corsHeaders });
  });

  return app;
}
