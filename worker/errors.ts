import type { FieldError } from "../schema/policy.ts";

/** Every problem the API reports, with its HTTP status: the one place statuses are decided. */
export const problemStatus = {
  "malformed-request": 400,
  "validation-failed": 400,
  unauthorized: 401,
  forbidden: 403,
  ineligible: 403,
  "origin-not-allowed": 403,
  "not-found": 404,
  "method-not-allowed": 405,
  conflict: 409,
  "payload-too-large": 413,
  "unsupported-media-type": 415,
  "idempotency-key-reused": 422,
  "attachments-refused": 422,
  "rate-limited": 429,
  internal: 500,
} as const;

/** One problem code. */
export type ProblemCode = keyof typeof problemStatus;

const titles: Record<ProblemCode, string> = {
  "malformed-request": "The request could not be read",
  "validation-failed": "Some fields are not valid",
  unauthorized: "Authentication is required",
  forbidden: "This action is not allowed",
  ineligible: "Support is not available for this request",
  "origin-not-allowed": "This site does not accept requests from this origin",
  "not-found": "Not found",
  "method-not-allowed": "Method not allowed",
  conflict: "The request conflicts with the current state",
  "payload-too-large": "The request body is too large",
  "unsupported-media-type": "Send JSON (Content-Type: application/json)",
  "idempotency-key-reused": "This Idempotency-Key was used with a different request",
  "attachments-refused": "Some files cannot be attached",
  "rate-limited": "Too many requests",
  internal: "Something went wrong on our side",
};

/** Base of the stable `type` URIs of problem documents. */
export const PROBLEM_BASE = "https://replyby.dev/problems/";

/** An expected failure: `app.onError` turns it into RFC 9457 problem+json. */
export class ApiError extends Error {
  readonly code: ProblemCode;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(code: ProblemCode, detail?: string, extra: { errors?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(detail ?? titles[code]);
    this.name = "ApiError";
    this.code = code;
    if (extra.errors) this.errors = extra.errors;
    if (extra.headers) this.headers = extra.headers;
  }
}

/** The problem+json body for a code. */
export function problemBody(code: ProblemCode, detail?: string, errors?: FieldError[]) {
  return {
    type: `${PROBLEM_BASE}${code}`,
    title: titles[code],
    status: problemStatus[code],
    ...(detail !== undefined && detail !== titles[code] ? { detail } : {}),
    ...(errors?.length ? { errors } : {}),
  };
}
