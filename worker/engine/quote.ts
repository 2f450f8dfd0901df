import { EngineError } from "./errors.ts";

/** Every state a feature request's quote can be in. */
export const quoteStates = ["requested", "info-needed", "quoted", "accepted", "declined", "expired", "planned", "delivered"] as const;
/** One quote state. */
export type QuoteStatus = (typeof quoteStates)[number];

/** A quote's state: the status plus the offer and plan when they exist. */
export interface QuoteState {
  readonly status: QuoteStatus;
  readonly amount?: number;
  readonly currency?: string;
  readonly validUntil?: number;
  readonly plannedFor?: number;
  /** Increases each time a quote is sent or revised. */
  readonly revision: number;
}

/** Something that happens to a quote; `at` is when it happens. */
export type QuoteEvent =
  | { readonly type: "request-info" }
  | { readonly type: "answer" }
  | { readonly type: "send"; readonly amount: number; readonly currency: string; readonly validUntil: number }
  | { readonly type: "accept" }
  | { readonly type: "decline" }
  | { readonly type: "expire" }
  | { readonly type: "plan"; readonly plannedFor: number }
  | { readonly type: "deliver" };

/** The state of a new feature request. */
export const initialQuote: QuoteState = { status: "requested", revision: 0 };

const allowed: Record<QuoteEvent["type"], readonly QuoteStatus[]> = {
  "request-info": ["requested"],
  answer: ["info-needed"],
  // Sending again revises the offer; a declined or expired quote may be re-offered.
  send: ["requested", "quoted", "declined", "expired"],
  accept: ["quoted"],
  decline: ["quoted"],
  expire: ["quoted"],
  plan: ["accepted", "planned"],
  deliver: ["planned"],
};

const verbs: Record<QuoteEvent["type"], string> = {
  "request-info": "ask for information",
  answer: "answer an information request",
  send: "send a quote",
  accept: "accept the quote",
  decline: "decline the quote",
  expire: "expire the quote",
  plan: "plan the work",
  deliver: "deliver the work",
};

/** Applies an event at instant `at`, or refuses it with a reason (never mutates). */
export function applyQuote(state: QuoteState, event: QuoteEvent, at: number): QuoteState {
  const refuse = (why: string): never => {
    throw new EngineError("illegal-transition", why);
  };
  if (!allowed[event.type].includes(state.status)) {
    refuse(`Cannot ${verbs[event.type]} while the quote is ${state.status}`);
  }
  switch (event.type) {
    case "request-info":
      return { ...state, status: "info-needed" };
    case "answer":
      return { ...state, status: "requested" };
    case "send":
      if (!Number.isInteger(event.amount) || event.amount <= 0) refuse("A quote needs a positive amount in minor units");
      if (!/^[A-Z]{3}$/.test(event.currency)) refuse("A quote needs an ISO 4217 currency");
      if (event.validUntil <= at) refuse("A quote must be valid until a future time");
      return {
        status: "quoted",
        amount: event.amount,
        currency: event.currency,
        validUntil: event.validUntil,
        revision: state.revision + 1,
      };
    case "accept":
      if ((state.validUntil ?? 0) <= at) refuse("This quote has expired");
      return { ...state, status: "accepted" };
    case "decline":
      return { ...state, status: "declined" };
    case "expire":
      if ((state.validUntil ?? 0) > at) refuse("This quote is still valid");
      return { ...state, status: "expired" };
    case "plan":
      if (event.plannedFor <= at) refuse("Plan the work for a future date");
      return { ...state, status: "planned", plannedFor: event.plannedFor };
    case "deliver":
      return { ...state, status: "delivered" };
  }
}
