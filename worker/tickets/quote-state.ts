import { EngineError } from "../engine/errors.ts";
import { applyQuote, initialQuote, type QuoteEvent, type QuoteState } from "../engine/quote.ts";
import { ApiError } from "../errors.ts";
import type { QuoteRow } from "./rows.ts";

/** The engine's quote state of a stored quote (a ticket without one is a new request). */
export function quoteStateOf(q: QuoteRow | undefined): QuoteState {
  if (!q) return initialQuote;
  return {
    status: q.status,
    revision: q.revision,
    ...(q.amount !== null ? { amount: q.amount } : {}),
    ...(q.currency !== null ? { currency: q.currency } : {}),
    ...(q.validUntil !== null ? { validUntil: q.validUntil } : {}),
    ...(q.plannedFor !== null ? { plannedFor: q.plannedFor } : {}),
  };
}

/** The stored columns of a quote state. */
export function quoteColumns(s: QuoteState) {
  return {
    status: s.status,
    amount: s.amount ?? null,
    currency: s.currency ?? null,
    validUntil: s.validUntil ?? null,
    plannedFor: s.plannedFor ?? null,
    revision: s.revision,
  };
}

/** The quote machine's next state, or its refusal as a 409 with the engine's reason. */
export function nextQuote(state: QuoteState, event: QuoteEvent, now: number): QuoteState {
  try {
    return applyQuote(state, event, now);
  } catch (e) {
    if (e instanceof EngineError) throw new ApiError("conflict", e.message);
    throw e;
  }
}
