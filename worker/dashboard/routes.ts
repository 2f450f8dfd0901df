import { Hono, type MiddlewareHandler } from "hono";
import { ApiError, problemStatus } from "../errors.ts";
import { timingSafeEqual } from "../infra/crypto.ts";
import { database } from "../infra/db.ts";
import { css, js } from "./assets.ts";
import type { DashEnv } from "./env.ts";
import { readForm } from "./forms.ts";
import { account, publicAuth } from "./handlers/auth.tsx";
import { incidentRoutes } from "./handlers/incidents.tsx";
import { integrations } from "./handlers/integrations.tsx";
import { onboarding } from "./handlers/onboarding.tsx";
import { queue } from "./handlers/queue.tsx";
import { reports } from "./handlers/reports.tsx";
import { settings } from "./handlers/settings.tsx";
import { signup } from "./handlers/signup.tsx";
import { ticket } from "./handlers/ticket.tsx";
import { errorPage } from "./render.tsx";
import { formGuard, securityHeaders, uploadBody } from "./security.ts";
import { currentSession } from "./session.ts";

/** Pages need a signed-in staff member: a browser is sent to sign in, a form post is refused. */
const requireSession: MiddlewareHandler<DashEnv> = async (c, next) => {
  const session = await currentSession(c, database(c.env.DB));
  if (!session) {
    if (c.req.method === "GET" || c.req.method === "HEAD") {
      const url = new URL(c.req.url);
      return c.redirect(`/dashboard/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    }
    throw new ApiError("unauthorized", "Your session has ended. Sign in again.");
  }
  c.set("session", session);
  await next();
};

/** Every form post carries the session's form token (an HMAC keyed by the HttpOnly cookie). */
const requireFormToken: MiddlewareHandler<DashEnv> = async (c, next) => {
  if (c.req.method === "POST") {
    const form = await readForm(c);
    if (!timingSafeEqual(c.var.session.csrf, form._csrf ?? "")) {
      throw new ApiError("forbidden", "This form has expired. Reload the page and try again.");
    }
  }
  await next();
};

// Asset URLs carry a content fingerprint (assetUrls), so a response can be cached for good.
const asset =
  (body: string, type: string): MiddlewareHandler<DashEnv> =>
  (c) =>
    Promise.resolve(c.body(body, 200, { "Content-Type": type, "Cache-Control": "public, max-age=31536000, immutable" }));

/**
 * The staff dashboard, mounted at /dashboard: server-rendered Preact pages, forms that work
 * without JavaScript, one small external script. Every page and action is scoped to the
 * signed-in staff member's merchant; anything else is the same 404 as a missing resource.
 */
export const dashboard = new Hono<DashEnv>();

dashboard.use(securityHeaders);
dashboard.get("/assets/app.css", asset(css, "text/css; charset=utf-8"));
dashboard.get("/assets/app.js", asset(js, "text/javascript; charset=utf-8"));
dashboard.use(formGuard);
dashboard.route("/", publicAuth);
dashboard.route("/", signup);
dashboard.use(requireSession);
dashboard.use(uploadBody);
dashboard.use(requireFormToken);
dashboard.route("/", account);
dashboard.route("/", queue);
dashboard.route("/", ticket);
dashboard.route("/", incidentRoutes);
dashboard.route("/", settings);
dashboard.route("/", onboarding);
dashboard.route("/", integrations);
dashboard.route("/", reports);
// "/dashboard" is the queue's route; with Hono's strict paths "/dashboard/" lands here.
dashboard.all("*", (c) => {
  if (c.req.method === "GET" && c.req.path === "/dashboard/") return c.redirect("/dashboard/queue", 303);
  throw new ApiError("not-found", "No such page");
});

// Expected failures become pages with the problem's status; anything else goes on to the app's
// own error handler, which logs it and answers with a fixed message.
dashboard.onError((err, c) => {
  if (!(err instanceof ApiError)) throw err;
  const res = errorPage(c, err, problemStatus[err.code]);
  for (const [k, v] of Object.entries(err.headers ?? {})) res.headers.set(k, v);
  return res;
});
