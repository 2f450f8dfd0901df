import type { z } from "@hono/zod-openapi";
import { problemSchema } from "../../schema/api.ts";
import { type ProblemCode, problemStatus } from "../errors.ts";

/** A JSON response entry for an OpenAPI route. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description };
}

/** A required JSON request body. */
export function body<T extends z.ZodType>(schema: T) {
  return { content: { "application/json": { schema } }, required: true };
}

/** Problem responses for the codes a route can answer with, grouped by status. */
export function problems(...codes: ProblemCode[]) {
  const out: Record<number, { content: { "application/problem+json": { schema: typeof problemSchema } }; description: string }> = {};
  for (const code of codes) {
    const status = problemStatus[code];
    const prev = out[status];
    out[status] = {
      content: { "application/problem+json": { schema: problemSchema } },
      description: prev ? `${prev.description}, ${code}` : code,
    };
  }
  return out;
}
