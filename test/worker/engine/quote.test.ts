// The feature-request quote: requested → (info needed) → quoted → accepted / declined / expired
// → planned → delivered. Every legal step, and refusals with a reason for illegal ones.
import { describe, expect, it } from "vitest";
import { EngineError } from "../../../worker/engine/errors.ts";
import { applyQuote, initialQuote, type QuoteEvent, type QuoteState, type QuoteStatus } from "../../../worker/engine/quote.ts";

const DAY = 86_400_000;
const now = Date.parse("2026-06-01T12:00:00Z");

const send = (amount = 150_000, validUntil = now + 14 * DAY): QuoteEvent => ({ type: "send", amount, currency: "USD", validUntil });

/** A quote in a given status, reached by legal steps (so the fixtures are themselves checked). */
function inStatus(status: QuoteStatus): QuoteState {
  const paths: Record<QuoteStatus, QuoteEvent[]> = {
    requested: [],
    "info-needed": [{ type: "request-info" }],
    quoted: [send()],
    accepted: [send(), { type: "accept" }],
    declined: [send(), { type: "decline" }],
    expired: [send(150_000, now + 1), { type: "expire" }],
    planned: [send(), { type: "accept" }, { type: "plan", plannedFor: now + 30 * DAY }],
    delivered: [send(), { type: "accept" }, { type: "plan", plannedFor: now + 30 * DAY }, { type: "deliver" }],
  };
  let state = initialQuote;
  for (const event of paths[status]) state = applyQuote(state, event, event.type === "expire" ? now + 2 : now);
  return state;
}

/** The refusal `fn` throws: its code and message. */
function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof EngineError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a refusal, got a new state");
}

describe("legal transitions", () => {
  it("a new feature request is requested, revision 0", () => {
    expect(initialQuote).toEqual({ status: "requested", revision: 0 });
  });

  it("requested → info-needed when staff ask for information", () => {
    expect(applyQuote(inStatus("requested"), { type: "request-info" }, now).status).toBe("info-needed");
  });

  it("info-needed → requested when the customer answers", () => {
    expect(applyQuote(inStatus("info-needed"), { type: "answer" }, now).status).toBe("requested");
  });

  it("requested → quoted when a quote is sent: amount, currency, valid-until and revision 1", () => {
    expect(applyQuote(inStatus("requested"), send(150_000, now + 14 * DAY), now)).toEqual({
      status: "quoted",
      amount: 150_000,
      currency: "USD",
      validUntil: now + 14 * DAY,
      revision: 1,
    });
  });

  it("quoted → quoted when the quote is revised: the new offer replaces the old, revision 2", () => {
    const revised = applyQuote(inStatus("quoted"), send(120_000, now + 7 * DAY), now);
    expect(revised).toMatchObject({ status: "quoted", amount: 120_000, validUntil: now + 7 * DAY, revision: 2 });
  });

  it("quoted → accepted when the customer accepts before valid-until, keeping the offer", () => {
    expect(applyQuote(inStatus("quoted"), { type: "accept" }, now + DAY)).toMatchObject({
      status: "accepted",
      amount: 150_000,
      currency: "USD",
    });
  });

  it("quoted → declined when the customer declines", () => {
    expect(applyQuote(inStatus("quoted"), { type: "decline" }, now).status).toBe("declined");
  });

  it("quoted → expired once valid-until has passed", () => {
    const quoted = inStatus("quoted");
    expect(applyQuote(quoted, { type: "expire" }, now + 14 * DAY).status).toBe("expired");
  });

  it("declined → quoted when a new offer is sent", () => {
    expect(applyQuote(inStatus("declined"), send(), now)).toMatchObject({ status: "quoted", revision: 2 });
  });

  it("expired → quoted when a new offer is sent", () => {
    expect(applyQuote(inStatus("expired"), send(), now + 3)).toMatchObject({ status: "quoted", revision: 2 });
  });

  it("accepted → planned with a future date", () => {
    expect(applyQuote(inStatus("accepted"), { type: "plan", plannedFor: now + 10 * DAY }, now)).toMatchObject({
      status: "planned",
      plannedFor: now + 10 * DAY,
    });
  });

  it("planned → planned when the date is moved", () => {
    expect(applyQuote(inStatus("planned"), { type: "plan", plannedFor: now + 40 * DAY }, now)).toMatchObject({
      status: "planned",
      plannedFor: now + 40 * DAY,
    });
  });

  it("planned → delivered", () => {
    expect(applyQuote(inStatus("planned"), { type: "deliver" }, now).status).toBe("delivered");
  });

  it("never changes the state it is given", () => {
    const quoted = Object.freeze(inStatus("quoted"));
    const copy = { ...quoted };
    applyQuote(quoted, { type: "accept" }, now);
    expect(quoted).toEqual(copy);
  });
});

describe("illegal transitions are refused with a reason (illegal-transition)", () => {
  it.each<[QuoteStatus, QuoteEvent]>([
    ["requested", { type: "accept" }],
    ["requested", { type: "answer" }],
    ["info-needed", send()],
    ["quoted", { type: "request-info" }],
    ["quoted", { type: "plan", plannedFor: now + DAY }],
    ["quoted", { type: "deliver" }],
    ["accepted", { type: "decline" }],
    ["accepted", { type: "expire" }],
    ["accepted", { type: "deliver" }],
    ["accepted", send()],
    ["declined", { type: "accept" }],
    ["expired", { type: "accept" }],
    ["delivered", { type: "plan", plannedFor: now + DAY }],
    ["delivered", send()],
  ])("%s: %o is refused, and the reason names the state", (status, event) => {
    const r = refusal(() => applyQuote(inStatus(status), event, now));
    expect(r.code).toBe("illegal-transition");
    expect(r.message).toContain(`while the quote is ${status}`);
  });

  it("delivered is final: every event is refused", () => {
    const events: QuoteEvent[] = [
      { type: "request-info" },
      { type: "answer" },
      send(),
      { type: "accept" },
      { type: "decline" },
      { type: "expire" },
      { type: "plan", plannedFor: now + DAY },
      { type: "deliver" },
    ];
    for (const event of events) expect(refusal(() => applyQuote(inStatus("delivered"), event, now)).code).toBe("illegal-transition");
  });

  it("accepting at or after valid-until is refused: the quote has expired", () => {
    expect(refusal(() => applyQuote(inStatus("quoted"), { type: "accept" }, now + 14 * DAY))).toEqual({
      code: "illegal-transition",
      message: "This quote has expired",
    });
  });

  it("expiring a quote that is still valid is refused", () => {
    expect(refusal(() => applyQuote(inStatus("quoted"), { type: "expire" }, now + DAY))).toEqual({
      code: "illegal-transition",
      message: "This quote is still valid",
    });
  });

  it("a quote with a zero, negative or fractional amount is refused", () => {
    for (const amount of [0, -100, 99.5]) {
      expect(refusal(() => applyQuote(inStatus("requested"), send(amount), now))).toEqual({
        code: "illegal-transition",
        message: "A quote needs a positive amount in minor units",
      });
    }
  });

  it("a quote without an ISO 4217 currency is refused", () => {
    const event: QuoteEvent = { type: "send", amount: 100, currency: "usd", validUntil: now + DAY };
    expect(refusal(() => applyQuote(inStatus("requested"), event, now))).toEqual({
      code: "illegal-transition",
      message: "A quote needs an ISO 4217 currency",
    });
  });

  it("a quote valid only until now or earlier is refused", () => {
    expect(refusal(() => applyQuote(inStatus("requested"), send(100, now), now)).message).toBe("A quote must be valid until a future time");
  });

  it("planning for a past date is refused", () => {
    expect(refusal(() => applyQuote(inStatus("accepted"), { type: "plan", plannedFor: now - DAY }, now))).toEqual({
      code: "illegal-transition",
      message: "Plan the work for a future date",
    });
  });
});
