/** The closed list of reasons the engine refuses a request. */
export const engineErrorCodes = [
  "invalid-zone",
  "invalid-policy",
  "invalid-duration",
  "invalid-amount",
  "out-of-range",
  "no-open-time",
  "unknown-issue-type",
  "unknown-severity",
  "unknown-priority",
  "unknown-category",
  "illegal-transition",
] as const;

/** One engine refusal reason. */
export type EngineErrorCode = (typeof engineErrorCodes)[number];

/** A refusal caused by the input (never a bug): callers map it to a 4xx or a CLI error. */
export class EngineError extends Error {
  readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string) {
    super(message);
    this.name = "EngineError";
    this.code = code;
  }
}
