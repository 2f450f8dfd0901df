import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context, Next } from "hono";
import { quoteDecisionSchema, reopenSchema, replySchema, ticketViewSchema } from "../../schema/api.ts";
import type { ProblemCode } from "../errors.ts";
import { database } from "../infra/db.ts";
import { type AppEnv, burstLimit, checkOrigin, clientIp, jsonBody } from "../infra/http.ts";
import { body, json, problems } from "../infra/openapi.ts";
import { validationHook } from "../infra/validation.ts";
import { policyAt } from "../merchant/policy-versions.ts";
import { siteById } from "../merchant/site-context.ts";
import { noSuchTicket, ticketForCustomer } from "../tickets/access.ts";
import { contextOf, type TicketContext } from "../tickets/commit.ts";
import { closeByCustomer, customerMessage, decideQuote, reopenTicket } from "../tickets/lifecycle.ts";
import type { TicketRow } from "../tickets/rows.ts";
import { customerParts, ticketView } from "../tickets/view.ts";

type TicketEnv = AppEnv & { Variables: { ticket: TicketRow } };

/** Customer endpoints of one ticket, authorised by the access token returned at creation. */
export const customerTickets = new OpenAPIHono<TicketEnv>({ defaultHook: validationHook });

const params = z.object({ ref: z.string().openapi({ example: "RB-7K3M-Q9XD" }) });
const auth = z.object({ authorization: z.string().optional().openapi({ example: "Bearer <accessToken from ticket creation>" }) });
const readErrors: ProblemCode[] = ["unauthorized", "not-found", "origin-not-allowed", "rate-limited"];
const writeErrors: ProblemCode[] = [
  ...readErrors,
  "validation-failed",
  "malformed-request",
  "conflict",
  "payload-too-large",
  "unsupported-media-type",
];

// Preflights carry no token: they are answered from the ticket's site origins alone.
// ("/:ref/*" also matches "/:ref": one registration, so each middleware runs once per request.)
customerTickets.options("/:ref/*", async (c) => preflight(c));

async function preflight(c: Context<TicketEnv>): Promise<Response> {
  const db = database(c.env.DB);
  const row = await db.query.tickets.findFirst({ where: (t, { eq }) => eq(t.ref, c.req.param("ref") ?? "") });
  const site = row ? await siteById(db, row.siteId) : null;
  if (!site) throw noSuchTicket();
  return checkOrigin(c, site.allowedOrigins) ?? new Response(null, { status: 204 });
}

customerTickets.use("/:ref/*", ticketGuard);
customerTickets.use("/:ref/*", jsonBody());

async function ticketGuard(c: Context<TicketEnv>, next: Next) {
  if (c.req.method === "OPTIONS") return next();
  const db = database(c.env.DB);
  const ticket = await ticketForCustomer(db, c.req.param("ref") ?? "", c.req.header("Authorization"));
  const site = await siteById(db, ticket.siteId);
  if (site) checkOrigin(c, site.allowedOrigins);
  await burstLimit(c.env, `${clientIp(c)}|${ticket.siteId}`);
  c.set("ticket", ticket);
  await next();
}

async function view(c: { env: Env; var: { now: number } }, ticket: TicketRow) {
  const db = database(c.env.DB);
  const [{ events, quote }, policy] = await Promise.all([
    customerParts(db, ticket.id),
    policyAt(db, ticket.merchantId, ticket.policyVersion),
  ]);
  return ticketView(ticket, events, quote, policy, c.var.now);
}

/** Runs one customer transition on the request's ticket and answers with the ticket as it is after it. */
async function act(c: Context<TicketEnv>, run: (ctx: TicketContext) => Promise<TicketRow>) {
  const ctx = await contextOf(database(c.env.DB), c.var.ticket);
  return c.json(await view(c, await run(ctx)), 200);
}

customerTickets.openapi(
  createRoute({
    method: "get",
    path: "/{ref}",
    summary: "The ticket's status, due times, public replies and quote",
    request: { params, headers: auth },
    responses: { 200: json(ticketViewSchema, "The ticket as the customer sees it"), ...problems(...readErrors) },
  }),
  async (c) => c.json(await view(c, c.var.ticket), 200),
);

customerTickets.openapi(
  createRoute({
    method: "post",
    path: "/{ref}/replies",
    summary:
      "A message from the customer: a follow-up, or the answer to an info request (the clock resumes, or restarts where the policy says so); on a resolved ticket it reopens it",
    request: { params, headers: auth, body: body(replySchema) },
    responses: { 200: json(ticketViewSchema, "The updated ticket"), ...problems(...writeErrors) },
  }),
  (c) => act(c, (ctx) => customerMessage(c.env, ctx, c.req.valid("json").body, c.var.now)),
);

customerTickets.openapi(
  createRoute({
    method: "post",
    path: "/{ref}/reopen",
    summary: "Not fixed: reopens a resolved ticket within the policy's reopen window, saying what is still wrong",
    request: { params, headers: auth, body: body(reopenSchema) },
    responses: { 200: json(ticketViewSchema, "The reopened ticket"), ...problems(...writeErrors) },
  }),
  (c) => act(c, (ctx) => reopenTicket(c.env, ctx, c.req.valid("json").body, c.var.now)),
);

customerTickets.openapi(
  createRoute({
    method: "post",
    path: "/{ref}/quote",
    summary: "Accept or decline the quote on a feature request",
    request: { params, headers: auth, body: body(quoteDecisionSchema) },
    responses: { 200: json(ticketViewSchema, "The updated ticket"), ...problems(...writeErrors) },
  }),
  (c) => act(c, (ctx) => decideQuote(c.env, ctx, c.req.valid("json").decision, c.var.now)),
);

customerTickets.openapi(
  createRoute({
    method: "post",
    path: "/{ref}/close",
    summary: "The customer confirms the fix and closes the ticket (closing twice is harmless)",
    request: { params, headers: auth, body: body(z.strictObject({}).openapi("Close")) },
    responses: { 200: json(ticketViewSchema, "The closed ticket"), ...problems(...writeErrors) },
  }),
  (c) => act(c, (ctx) => closeByCustomer(c.env, ctx, c.var.now)),
);
