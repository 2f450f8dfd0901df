import { describe, expect, it } from "vitest";
import { applyQuote, initialQuote } from "../../../worker/engine/quote.ts";
import { ticketDue } from "../../../worker/engine/schedule.ts";
import { preset } from "../../../worker/presets/index.ts";
import { at, itIsDue, windowOf, z } from "./helpers.ts";

const policy = preset("ecshops");

describe("ecshops: every technical support request gets a response within 48 hours", () => {
  itIsDue("ecshops", "firstResponse", [
    ["Friday 10:00 is due Sunday 10:00 (elapsed hours)", "incident", "degraded", "2026-11-20T10:00:00+01:00", "2026-11-22T10:00:00+01:00"],
    [
      "across the October fall-back, Saturday 12:00 CEST is due Monday 11:00 CET",
      "incident",
      "interrupted",
      "2026-10-24T12:00:00+02:00",
      "2026-10-26T11:00:00+01:00",
    ],
    [
      "across the March spring-forward, Saturday 12:00 CET is due Monday 13:00 CEST",
      "incident",
      "question",
      "2026-03-28T12:00:00+01:00",
      "2026-03-30T13:00:00+02:00",
    ],
  ]);

  it("the explanation is in Spanish for Spanish visitors", () => {
    expect(windowOf("ecshops", "incident", "degraded", "2026-11-20T10:00:00+01:00", { locale: "es" }).explanation[1]).toContain(
      "Primera respuesta en 48 horas",
    );
  });

  it("no business hours are stated, so no coverage is claimed", () => {
    expect(windowOf("ecshops", "incident", "degraded", "2026-11-20T10:00:00+01:00").coverage).toBeUndefined();
  });
});

describe("ecshops: missing information is requested, and the request is analysed again on the reply", () => {
  const receivedAt = at("2026-11-16T10:00:00+01:00");

  it("without an info request the first response is due 48 hours after contact", () => {
    expect(ticketDue(policy, { priority: "incident", receivedAt }).firstResponseAt).toBe(at("2026-11-18T10:00:00+01:00"));
  });

  it("after the customer's reply the 48-hour clock restarts from the reply", () => {
    const reply = at("2026-11-19T16:30:00+01:00");
    const due = ticketDue(policy, {
      priority: "incident",
      receivedAt,
      restartedAt: reply,
      pauses: [{ from: at("2026-11-17T09:00:00+01:00"), to: reply }],
    });
    expect(due.firstResponseAt).toBe(at("2026-11-21T16:30:00+01:00"));
  });

  it("while waiting for the customer the clock is paused", () => {
    const due = ticketDue(policy, { priority: "incident", receivedAt, pauses: [{ from: at("2026-11-17T09:00:00+01:00"), to: null }] });
    expect(due.firstResponseAt).toBeNull();
  });

  it("the customer is told up front", () => {
    expect(windowOf("ecshops", "incident", "degraded", "2026-11-20T10:00:00+01:00").explanation.join(" ")).toContain(
      "starts again when you reply",
    );
  });
});

describe("ecshops: after analysis the request gets a service level (Level 1 no bug, Level 2 non-critical error)", () => {
  it("the incident priority offers both levels to staff", () => {
    const incident = policy.priorities.find((p) => p.id === "incident");
    expect(incident?.outcomes.map((o) => o.id)).toEqual(["level-1", "level-2"]);
  });

  it("features have no service levels", () => {
    expect(policy.priorities.find((p) => p.id === "feature")?.outcomes).toEqual([]);
  });
});

describe("ecshops: extra functionality is priced separately through an accepted quote", () => {
  it("a functionality request is a quote workflow answered within 48 hours", () => {
    const w = windowOf("ecshops", "feature", "question", "2026-11-20T10:00:00+01:00");
    expect(w.priority).toBe("feature");
    expect(w.workflow).toBe("quote");
    expect(w.firstResponse?.dueAt).toBe(z("2026-11-22T10:00:00+01:00"));
  });

  it("a sent quote the customer accepts is then planned with them", () => {
    const now = at("2026-11-20T10:00:00+01:00");
    const quoted = applyQuote(initialQuote, { type: "send", amount: 120000, currency: "EUR", validUntil: now + 30 * 86_400_000 }, now);
    const accepted = applyQuote(quoted, { type: "accept" }, now + 3_600_000);
    const planned = applyQuote(accepted, { type: "plan", plannedFor: at("2026-12-01T09:00:00+01:00") }, now + 7_200_000);
    expect(planned).toMatchObject({ status: "planned", amount: 120000, currency: "EUR" });
  });

  it("a quote past its validity cannot be accepted", () => {
    const now = at("2026-11-20T10:00:00+01:00");
    const quoted = applyQuote(initialQuote, { type: "send", amount: 120000, currency: "EUR", validUntil: now + 86_400_000 }, now);
    expect(() => applyQuote(quoted, { type: "accept" }, now + 2 * 86_400_000)).toThrow("expired");
  });
});
