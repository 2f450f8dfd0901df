import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context, Next } from "hono";
import {
  attachmentUploadSchema,
  quoteDecisionSchema,
  reopenSchema,
  replySchema,
  ticketLinkSchema,
  ticketViewSchema,
} from "../../schema/api.ts";
import { downloadFile } from "../attachments/download.ts";
import { customerMessageWithFiles, messageBody } from "../attachments/messages.ts";
import { formFiles, isMultipart, readUpload } from "../attachments/upload.ts";
import { iso } from "../engine/window.ts";
import { ApiError, type ProblemCode } from "../errors.ts";
import { database } from "../infra/db.ts";
import { type AppEnv, burstLimit, checkOrigin, clientIp, corsHeaders, countMiss, jsonBody, refuseMissing } from "../infra/http.ts";
import { body, json, problems } from "../infra/openapi.ts";
import { validationHook } from "../infra/validation.ts";
import { policyAt } from "../merchant/policy-versions.ts";
import { originServed, siteById } from "../merchant/site-context.ts";
import { issueLink, LINK_TTL_MS } from "../status/links.ts";
import { ticketForCustomer } from "../tickets/access.ts";
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

// Preflights carry no token, and are answered without looking the ticket up: the same answer
// whatever the reference, so they cannot tell which references exist. An origin no site allows
// is refused; an allowed one gets CORS, and the request itself is then held to its own ticket's
// site origins by ticketGuard. ("/:ref/*" also matches "/:ref": one registration, so each
// middleware runs once per request.)
customerTickets.options("/:ref/*", async (c) => preflight(c));

async function preflight(c: Context<TicketEnv>): Promise<Response> {
  const origin = c.req.header("Origin");
  if (origin === undefined) return new Response(null, { status: 204 });
  refuseMissing(c, c.var.now);
  if (!(await originServed(database(c.env.DB), origin, c.var.now))) {
    await countMiss(c, c.var.now);
    throw new ApiError("origin-not-allowed", `Origin ${origin} is not allowed for this site`);
  }
  return new Response(null, { status: 204, headers: corsHeaders(origin) });
}

customerTickets.use("/:ref/*", ticketGuard);
// Files come as multipart, read through the capped reader only once the token opened the ticket;
// every other body is JSON.
const json16k = jsonBody<TicketEnv>();
customerTickets.use("/:ref/*", async (c, next) => {
  if (c.req.method !== "POST" || !/\/attachments$/.test(c.req.path)) return json16k(c, next);
  if (!isMultipart(c)) throw new ApiError("unsupported-media-type", "Send the files as multipart/form-data");
  await readUpload(c);
  await next();
});

async function ticketGuard(c: Context<TicketEnv>, next: Next) {
  if (c.req.method === "OPTIONS") return next();
  // A client guessing references or tokens is refused before it can make another look-up.
  refuseMissing(c, c.var.now);
  const db = database(c.env.DB);
  const ticket = await ticketForCustomer(db, c.req.param("ref") ?? "", c.req.header("Authorization")).catch(async (e: unknown) => {
    if (e instanceof ApiError && e.code === "not-found") await countMiss(c, c.var.now);
    throw e;
  });
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

/** A customer transition's route: a POST with a JSON body, answered with the ticket as it is after it. */
function transitionRoute<B extends z.ZodType>(path: `/{ref}/${string}`, summary: string, schema: B, answer: string) {
  return createRoute({
    method: "post",
    path,
    summary,
    request: { params, headers: auth, body: body(schema) },
    responses: { 200: json(ticketViewSchema, answer), ...problems(...writeErrors) },
  });
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
  transitionRoute(
    "/{ref}/replies",
    "A message from the customer: a follow-up, or the answer to an info request (the clock resumes, or restarts where the policy says so); on a resolved ticket it reopens it",
    replySchema,
    "The updated ticket",
  ),
  (c) => act(c, (ctx) => customerMessage(c.env, ctx, c.req.valid("json").body, c.var.now)),
);

customerTickets.openapi(
  transitionRoute(
    "/{ref}/reopen",
    "Not fixed: reopens a resolved ticket within the policy's reopen window, saying what is still wrong",
    reopenSchema,
    "The reopened ticket",
  ),
  (c) => act(c, (ctx) => reopenTicket(c.env, ctx, c.req.valid("json").body, c.var.now)),
);

customerTickets.openapi(
  transitionRoute("/{ref}/quote", "Accept or decline the quote on a feature request", quoteDecisionSchema, "The updated ticket"),
  (c) => act(c, (ctx) => decideQuote(c.env, ctx, c.req.valid("json").decision, c.var.now)),
);

customerTickets.openapi(
  transitionRoute(
    "/{ref}/close",
    "The customer confirms the fix and closes the ticket (closing twice is harmless)",
    z.strictObject({}).openapi("Close"),
    "The closed ticket",
  ),
  (c) => act(c, (ctx) => closeByCustomer(c.env, ctx, c.var.now)),
);

customerTickets.openapi(
  createRoute({
    method: "post",
    path: "/{ref}/link",
    summary:
      "A fresh link to the ticket's status page, to open it on another device (valid 30 days; anyone holding it can act on the ticket)",
    request: { params, headers: auth, body: body(z.strictObject({}).openapi("NewLink")) },
    responses: { 201: json(ticketLinkSchema, "The link"), ...problems(...writeErrors) },
  }),
  async (c) => {
    const path = await issueLink(database(c.env.DB), c.var.ticket, c.var.now);
    c.header("Cache-Control", "no-store");
    return c.json({ url: `${new URL(c.req.url).origin}${path}`, expiresAt: iso(c.var.now + LINK_TTL_MS) }, 201);
  },
);

customerTickets.openapi(
  createRoute({
    method: "post",
    path: "/{ref}/attachments",
    summary:
      "A message from the customer with files (multipart/form-data: `body`, and one `file` part per file), as POST /replies otherwise. Files over 10 MB are 413; past 10 per message, 50 or 25 MB per ticket, 422 (attachments-refused); nothing is written then",
    request: {
      params,
      headers: auth,
      body: { content: { "multipart/form-data": { schema: attachmentUploadSchema } }, required: true },
    },
    responses: { 200: json(ticketViewSchema, "The updated ticket"), ...problems(...writeErrors, "attachments-refused") },
  }),
  async (c) => {
    const { fields, files } = await formFiles(c);
    const text = messageBody(fields.body, files);
    return act(c, (ctx) => customerMessageWithFiles(c.env, ctx, text, files, c.var.now));
  },
);

const fileParams = params.extend({ id: z.string().openapi({ example: "att_Q2x9…" }) });

customerTickets.openapi(
  createRoute({
    method: "get",
    path: "/{ref}/attachments/{id}",
    summary:
      "A file of the ticket, always as a download (Content-Disposition: attachment, X-Content-Type-Options: nosniff, a sandboxing CSP); another ticket's file is 404",
    request: { params: fileParams, headers: auth },
    responses: {
      200: { content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } }, description: "The file" },
      ...problems(...readErrors),
    },
  }),
  async (c) => downloadFile(c.env, database(c.env.DB), c.var.ticket, c.req.valid("param").id),
);
