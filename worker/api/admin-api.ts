import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { accountSchema, accountUpdateSchema } from "../../schema/api.ts";
import { parseInstant } from "../../schema/instant.ts";
import { ApiError, type ProblemCode } from "../errors.ts";
import { database } from "../infra/db.ts";
import { type AppEnv, countMiss, jsonBody, refuseMissing } from "../infra/http.ts";
import { body, json, problems } from "../infra/openapi.ts";
import { validationHook } from "../infra/validation.ts";
import { accountOf, accountView, upsertAccount } from "../merchant/account-admin.ts";
import { merchantForKey } from "../merchant/api-keys.ts";

type AdminEnv = AppEnv & { Variables: { merchantId: string } };

/**
 * The merchant's own API, server to server: `Authorization: Bearer <API key>` from the dashboard's
 * API keys page. A key reaches only its own merchant's data; no browser origin is served (no CORS).
 */
export const adminApi = new OpenAPIHono<AdminEnv>({ defaultHook: validationHook });

/** A missing, unknown or revoked key: 401, and counted as a failed look-up like a wrong ticket token. */
const requireKey: MiddlewareHandler<AdminEnv> = async (c, next) => {
  refuseMissing(c, c.var.now);
  const merchantId = await merchantForKey(database(c.env.DB), c.req.header("Authorization"), c.var.now);
  if (!merchantId) {
    await countMiss(c, c.var.now);
    throw new ApiError("unauthorized", "Send a valid API key: Authorization: Bearer rbk_…", {
      headers: { "WWW-Authenticate": 'Bearer realm="replyby"' },
    });
  }
  c.set("merchantId", merchantId);
  await next();
};

adminApi.use("*", requireKey);
adminApi.use("*", jsonBody());

const params = z.object({
  id: z
    .string()
    .min(1)
    .max(120)
    .openapi({ description: "Your id of the account: the accountId your pages sign for identify", example: "acme" }),
});
const auth = z.object({ authorization: z.string().optional().openapi({ example: "Bearer rbk_…" }) });
const readErrors: ProblemCode[] = ["unauthorized", "not-found", "rate-limited"];

adminApi.openapi(
  createRoute({
    method: "get",
    path: "/accounts/{id}",
    summary: "One of your customer accounts",
    security: [{ apiKey: [] }],
    request: { params, headers: auth },
    responses: { 200: json(accountSchema, "The account"), ...problems(...readErrors) },
  }),
  async (c) => {
    const row = await accountOf(database(c.env.DB), c.var.merchantId, c.req.valid("param").id);
    if (!row) throw new ApiError("not-found", "No such account");
    return c.json(accountView(row), 200);
  },
);

adminApi.openapi(
  createRoute({
    method: "put",
    path: "/accounts/{id}",
    summary:
      "Creates or updates one of your customer accounts: plan, dues current, other flags, subscription date and cases used this period. Fields left out keep their value",
    security: [{ apiKey: [] }],
    request: { params, headers: auth, body: body(accountUpdateSchema) },
    responses: {
      200: json(accountSchema, "The updated account"),
      201: json(accountSchema, "The new account"),
      ...problems("unauthorized", "validation-failed", "malformed-request", "payload-too-large", "unsupported-media-type", "rate-limited"),
    },
  }),
  async (c) => {
    const input = c.req.valid("json");
    const { subscribedAt, ...rest } = input;
    const at = subscribedAt !== undefined ? parseInstant(subscribedAt) : undefined;
    if (at === null)
      throw new ApiError("validation-failed", undefined, { errors: [{ path: "subscribedAt", message: "Not a real instant" }] });
    const { created, account } = await upsertAccount(
      database(c.env.DB),
      c.var.merchantId,
      c.req.valid("param").id,
      { ...rest, ...(at !== undefined ? { subscribedAt: at } : {}) },
      c.var.now,
    );
    return created ? c.json(accountView(account), 201) : c.json(accountView(account), 200);
  },
);
