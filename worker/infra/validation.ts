import type { Hook } from "@hono/zod-openapi";
import { fieldErrors } from "../../schema/policy.ts";
import { ApiError } from "../errors.ts";

/** Turns a failed request validation into the one problem shape, with field-level errors. */
// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by routes of every input and env type
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (!result.success) throw new ApiError("validation-failed", undefined, { errors: fieldErrors(result.error) });
};
