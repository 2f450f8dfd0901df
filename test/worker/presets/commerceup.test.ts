import { describe, expect, it } from "vitest";
import { quotable } from "../../../worker/engine/policy.ts";
import { ticketDue } from "../../../worker/engine/schedule.ts";
import { preset } from "../../../worker/presets/index.ts";
import { at, firstDue, itIsDue, windowOf, z } from "./helpers.ts";

const policy = preset("commerceup");

describe("commerceup: business hours 10:00–18:00 IST, Monday to Friday, except on holidays", () => {
  it("a C2 ticket on Monday 15:00 gets its 4-hour first response by Tuesday 11:00", () => {
    const w = windowOf("commerceup", "sales-impacting", "high", "2026-11-16T15:00:00+05:30");
    expect(w.priority).toBe("C2");
    expect(w.firstResponse).toEqual({ dueAt: z("2026-11-17T11:00:00+05:30"), target: "4 business hours" });
  });

  itIsDue("commerceup", "firstResponse", [
    [
      "a C2 ticket on Friday 17:00 is due Monday 13:00",
      "sales-impacting",
      "high",
      "2026-11-20T17:00:00+05:30",
      "2026-11-23T13:00:00+05:30",
    ],
    [
      "Gandhi Jayanti (Friday 2 October 2026) is a holiday: Thursday 17:00 is due Monday 13:00",
      "sales-impacting",
      "high",
      "2026-10-01T17:00:00+05:30",
      "2026-10-05T13:00:00+05:30",
    ],
    [
      "Republic Day (Tuesday 26 January 2027): Monday 17:00 is due Wednesday 13:00",
      "sales-impacting",
      "high",
      "2027-01-25T17:00:00+05:30",
      "2027-01-27T13:00:00+05:30",
    ],
  ]);
});

describe("commerceup: after-hours support is reserved for C1; C1 is answered within two hours", () => {
  it("a C1 on Saturday 02:00 IST is due Saturday 04:00", () => {
    const w = windowOf("commerceup", "site-down", "critical", "2026-11-21T02:00:00+05:30");
    expect(w.priority).toBe("C1");
    expect(w.firstResponse?.dueAt).toBe(z("2026-11-21T04:00:00+05:30"));
    expect(w.coverage).toEqual({ openNow: true, aroundTheClock: true });
  });

  it("a C1 on a weekday at noon is due at 14:00", () => {
    expect(firstDue("commerceup", "transactions", "critical", "2026-11-18T12:00:00+05:30")).toBe(z("2026-11-18T14:00:00+05:30"));
  });

  it("a C2 on Saturday waits: coverage reopens Monday 10:00", () => {
    expect(windowOf("commerceup", "sales-impacting", "high", "2026-11-21T02:00:00+05:30").coverage).toEqual({
      openNow: false,
      nextOpenAt: z("2026-11-23T10:00:00+05:30"),
    });
  });

  it("a C2 on Saturday counts only business hours: due Monday 14:00", () => {
    expect(firstDue("commerceup", "sales-impacting", "high", "2026-11-21T02:00:00+05:30")).toBe(z("2026-11-23T14:00:00+05:30"));
  });
});

describe("commerceup: C1 resolution — priority reduced to C2 within 2–6 hours", () => {
  it("a C1 at 09:00 is downgraded between 11:00 and 15:00", () => {
    expect(windowOf("commerceup", "reports-empty", "critical", "2026-11-18T09:00:00+05:30").downgrade).toEqual({
      earliestAt: z("2026-11-18T11:00:00+05:30"),
      latestAt: z("2026-11-18T15:00:00+05:30"),
      to: "C2",
    });
  });

  it("the downgrade reads as one range, within 2–6 hours", () => {
    const w = windowOf("commerceup", "reports-empty", "critical", "2026-11-18T09:00:00+05:30");
    expect(w.explanation.join(" ")).toContain("Priority reduced to C2 within 2–6 hours:");
    expect(w.explanation.join(" ")).not.toContain("2 hours to 6 hours");
  });

  it("and in Spanish as 2–6 horas", () => {
    const w = windowOf("commerceup", "reports-empty", "critical", "2026-11-18T09:00:00+05:30", { locale: "es" });
    expect(w.explanation.join(" ")).toContain("Prioridad reducida a C2 (2–6 horas):");
  });

  it("on a Sunday night too, around the clock", () => {
    expect(windowOf("commerceup", "interface-down", "critical", "2026-11-22T22:00:00+05:30").downgrade?.latestAt).toBe(
      z("2026-11-23T04:00:00+05:30"),
    );
  });
});

describe("commerceup: C2 resolution within 24 hours (business hours)", () => {
  itIsDue("commerceup", "resolution", [
    ["Monday 10:00 is resolved by Wednesday 18:00", "sales-impacting", "high", "2026-11-16T10:00:00+05:30", "2026-11-18T18:00:00+05:30"],
    ["Friday 14:00 is resolved by Wednesday 14:00", "sales-impacting", "normal", "2026-11-20T14:00:00+05:30", "2026-11-25T14:00:00+05:30"],
  ]);
});

describe("commerceup: C3 — first response within 1 business day, resolution within 5 business days", () => {
  it("Monday 11:00 gets a first response by Tuesday 11:00 and resolution by next Monday 11:00", () => {
    const w = windowOf("commerceup", "functionality", "normal", "2026-11-16T11:00:00+05:30");
    expect(w.priority).toBe("C3");
    expect(w.firstResponse?.dueAt).toBe(z("2026-11-17T11:00:00+05:30"));
    expect(w.resolution?.dueAt).toBe(z("2026-11-23T11:00:00+05:30"));
  });

  it("Friday 19:00: one business day later is Monday 19:00, closed, so Tuesday 10:00", () => {
    expect(firstDue("commerceup", "ui-design", "normal", "2026-11-20T19:00:00+05:30")).toBe(z("2026-11-24T10:00:00+05:30"));
  });

  it("app submission takes 3 extra business days: 8 in all", () => {
    const w = windowOf("commerceup", "app-submission", "normal", "2026-11-16T11:00:00+05:30");
    expect(w.resolution?.dueAt).toBe(z("2026-11-26T11:00:00+05:30"));
    expect(w.explanation.join(" ")).toContain("adds 3 business days");
  });

  it("a pause waiting on the merchant pushes the C3 resolution by the business time lost", () => {
    const receivedAt = at("2026-11-16T11:00:00+05:30");
    const due = ticketDue(policy, {
      priority: "C3",
      receivedAt,
      pauses: [{ from: at("2026-11-17T10:00:00+05:30"), to: at("2026-11-17T14:00:00+05:30") }],
    });
    expect(due.resolutionAt).toBe(at("2026-11-23T15:00:00+05:30"));
  });
});

describe("commerceup: C4 — first response within 2 business days, resolution in 5 to 10 business days", () => {
  it("Monday 11:00 gets a first response by Wednesday 11:00", () => {
    expect(firstDue("commerceup", "minor", "low", "2026-11-16T11:00:00+05:30")).toBe(z("2026-11-18T11:00:00+05:30"));
  });

  it("and resolution between next Monday and the Monday after", () => {
    expect(windowOf("commerceup", "feature-request", "normal", "2026-11-16T11:00:00+05:30").resolution).toMatchObject({
      earliestAt: z("2026-11-23T11:00:00+05:30"),
      latestAt: z("2026-11-30T11:00:00+05:30"),
    });
  });
});

describe("commerceup: classification by the seed's priority table", () => {
  it("site down marked critical is C1", () => {
    expect(windowOf("commerceup", "site-down", "critical", "2026-11-18T12:00:00+05:30").priority).toBe("C1");
  });

  it("site down marked high is C2", () => {
    expect(windowOf("commerceup", "site-down", "high", "2026-11-18T12:00:00+05:30").priority).toBe("C2");
  });

  it("a feature request is C4 even when marked critical", () => {
    expect(windowOf("commerceup", "feature-request", "critical", "2026-11-18T12:00:00+05:30").priority).toBe("C4");
  });

  it("a UI issue marked critical is C3: after hours are not for it", () => {
    expect(windowOf("commerceup", "ui-design", "critical", "2026-11-18T12:00:00+05:30").priority).toBe("C3");
  });

  it("a critical report asks to check known issues first", () => {
    expect(windowOf("commerceup", "site-down", "critical", "2026-11-18T12:00:00+05:30").explanation.join(" ")).toContain(
      "check the known issues",
    );
  });
});

describe("commerceup: additional cost by scope of work is informed in advance", () => {
  it("any priority can carry a quote (C2 and C4 alike)", () => {
    expect(quotable(policy, "C2")).toBe(true);
    expect(quotable(policy, "C4")).toBe(true);
  });

  it("quotes are in rupees and stay valid for fifteen days", () => {
    expect(policy.quotes).toMatchObject({ currency: "INR", validFor: "P15D" });
  });
});
