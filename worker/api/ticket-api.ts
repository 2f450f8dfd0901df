import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { Context, Next } from "hono";
import { quoteDecisionSchema, replySchema, ticketViewSchema } from "../../schema/api.ts";
import { outbox, quotes, tickets } from "../../schema/db.ts";
import { EngineError } from "../engine/errors.ts";
import { priorityOf } from "../engine/policy.ts";
import { applyQuote } from "../engine/quote.ts";
import { iso } from "../engine/window.ts";
import { ApiError } from "../errors.ts";
import { randomId } from "../infra/crypto.ts";
import { database } from "../infra/db.ts";
import { type AppEnv, burstLimit, checkOrigin, clientIp, jsonBody } from "../infra/http.ts";
import { body, json, problems } from "../infra/openapi.ts";
import { validationHook } from "../infra/validation.ts";
import { policyAt } from "../merchant/policy-versions.ts";
import { siteById } from "../merchant/site-context.ts";
import { type NewEvent, saveTicket } from "../tickets/commit.ts";
import { customerParts, type TicketRow, ticketForCustomer, ticketView } from "../tickets/rows.ts";

type TicketEnv = AppEnv & { Variables: { ticket: TicketRow } };

/** Customer endpoints of one ticket, authorised by the access token returned at creation. */
export const customerTickets = new OpenAPIHono<TicketEnv>({ defaultHook: validationHook });

const params = z.object({ ref: z.string().openapi({ example: "RB-7K3M-Q9XD" }) });
const auth = z.object({ authorization: z.string().optional().openapi({ example: "Bearer <accessToken from ticket creation>" }) });
const errors = problems("unauthorized", "not-found", "origin-not-allowed", "rate-limited");

// Preflights carry no token: they are answered from the ticket's site origins alone.
customerTickets.options("/:ref/*", async (c) => preflight(c));
customerTickets.options("/:ref", async (c) => preflight(c));

async function preflight(c: Context<TicketEnv>): Promise<Response> {
  const db = database(c.env.DB);
  const row = await db.query.tickets.findFirst({ where: eq(tickets.ref, c.req.param("ref") ?? "") });
  const site = row ? await siteById(db, row.siteId) : null;
  if (!site) throw new ApiError("not-found", "No such ticket");
  return checkOrigin(c, site.allowedOrigins) ?? new Response(null, { status: 204 });
}

customerTickets.use("/:ref", ticketGuard);
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

async function view(c: { env: Env; var: { ticket: TicketRow } }, row?: TicketRow) {
  const ticket = row ?? c.var.ticket;
  const { events, quote } = await customerParts(database(c.env.DB), ticket.id);
  return ticketView(ticket, events, quote);
}

customerTickets.openapi(
  createRoute({
    method: "get",
    path: "/{ref}",
    summary: "The ticket's status, due times, public replies and quote",
    request: { params, headers: auth },
    responses: { 200: json(ticketViewSchema, "The ticket as the customer sees it"), ...errors },
  }),
  async (c) => c.json(await view(c), 200),
);

customerTickets.openapi(
  createRoute({
    method: "post",
    path: "/{ref}/replies",
    summary: "The customer's reply; answering an info request resumes (or restarts) the clock",
    request: { params, headers: auth, body: body(replySchema) },
    responses: {
      200: json(ticketViewSchema, "The updated ticket"),
      ...problems(
        "unauthorized",
        "not-found",
        "validation-failed",
        "malformed-request",
        "conflict",
        "origin-not-allowed",
        "rate-limited",
        "payload-too-large",
        "unsupported-media-type",
      ),
    },
  }),
  async (c) => {
    const t = c.var.ticket;
    const now = c.var.now;
    if (t.status === "closed") throw new ApiError("conflict", "This request is closed; please open a new one");
    const policy = await policyAt(database(c.env.DB), t.merchantId, t.policyVersion);
    const events: NewEvent[] = [{ type: "customer-reply", actor: "customer", public: true, body: c.req.valid("json").body }];
    let { pauses, restartedAt, firstRespondedAt } = t;
    if (t.status === "waiting-on-customer") {
      pauses = pauses.map(([from, to]) => [from, to ?? now]);
      // Where the policy analyses the request again on the reply, the first-response clock restarts.
      if (priorityOf(policy, t.priority).restartOnReply) {
        restartedAt = now;
        firstRespondedAt = null;
      }
    }
    if (t.status === "resolved") events.push({ type: "reopened", actor: "customer", public: true });
    const row = await saveTicket(c.env, policy, t, { status: "open", pauses, restartedAt, firstRespondedAt }, events, now);
    return c.json(await view(c, row), 200);
  },
);

customerTickets.openapi(
  createRoute({
    method: "post",
    path: "/{ref}/quote",
    summary: "Accept or decline the quote on a feature request",
    request: { params, headers: auth, body: body(quoteDecisionSchema) },
    responses: {
      200: json(ticketViewSchema, "The updated ticket"),
      ...problems(
        "unauthorized",
        "not-found",
        "validation-failed",
        "malformed-request",
        "conflict",
        "origin-not-allowed",
        "rate-limited",
        "payload-too-large",
        "unsupported-media-type",
      ),
    },
  }),
  async (c) => {
    const t = c.var.ticket;
    const now = c.var.now;
    const db = database(c.env.DB);
    const quote = await db.query.quotes.findFirst({ where: eq(quotes.ticketId, t.id) });
    if (!quote) throw new ApiError("conflict", "There is no quote on this request yet");
    const decision = c.req.valid("json").decision;
    const state = {
      status: quote.status,
      revision: quote.revision,
      ...(quote.amount !== null ? { amount: quote.amount } : {}),
      ...(quote.currency !== null ? { currency: quote.currency } : {}),
      ...(quote.validUntil !== null ? { validUntil: quote.validUntil } : {}),
    };
    let next: ReturnType<typeof applyQuote>;
    try {
      next = applyQuote(state, { type: decision }, now);
    } catch (e) {
      if (e instanceof EngineError) throw new ApiError("conflict", e.message);
      throw e;
    }
    const policy = await policyAt(db, t.merchantId, t.policyVersion);
    // The quote changes only if nobody changed it meanwhile (same status and revision).
    const quoteUpdate = db
      .update(quotes)
      .set({ status: next.status, updatedAt: now })
      .where(and(eq(quotes.ticketId, t.id), eq(quotes.status, quote.status), eq(quotes.revision, quote.revision)));
    const row = await saveTicket(
      c.env,
      policy,
      t,
      {},
      [
        {
          type: decision === "accept" ? "quote-accepted" : "quote-declined",
          actor: "customer",
          public: true,
          data: { revision: quote.revision, amount: quote.amount, currency: quote.currency },
        },
      ],
      now,
      [
        quoteUpdate,
        db.insert(outbox).values({
          id: randomId("evt"),
          merchantId: t.merchantId,
          event: decision === "accept" ? "quote.accepted" : "quote.declined",
          payload: JSON.stringify({
            reference: t.ref,
            revision: quote.revision,
            amount: quote.amount,
            currency: quote.currency,
            at: iso(now),
          }),
          nextAttemptAt: now,
          createdAt: now,
        }),
      ],
    );
    return c.json(await view(c, row), 200);
  },
);

customerTickets.openapi(
  createRoute({
    method: "post",
    path: "/{ref}/close",
    summary: "The customer confirms the fix and closes the ticket (closing twice is harmless)",
    request: { params, headers: auth, body: body(z.strictObject({}).openapi("Close")) },
    responses: {
      200: json(ticketViewSchema, "The closed ticket"),
      ...errors,
      ...problems("validation-failed", "malformed-request", "payload-too-large", "unsupported-media-type"),
    },
  }),
  async (c) => {
    const t = c.var.ticket;
    if (t.status === "closed") return c.json(await view(c), 200);
    const now = c.var.now;
    const policy = await policyAt(database(c.env.DB), t.merchantId, t.policyVersion);
    const pauses = t.pauses.map(([from, to]): [number, number | null] => [from, to ?? now]);
    const row = await saveTicket(
      c.env,
      policy,
      t,
      { status: "closed", closedAt: now, pauses },
      [{ type: "closed", actor: "customer", public: true }],
      now,
    );
    return c.json(await view(c, row), 200);
  },
);
