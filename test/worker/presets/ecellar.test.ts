import { describe, expect, it } from "vitest";
import { bill, cancellationCharge } from "../../../worker/engine/billing.ts";
import { quotable } from "../../../worker/engine/policy.ts";
import { ticketDue } from "../../../worker/engine/schedule.ts";
import { computeWindow } from "../../../worker/engine/window.ts";
import { preset } from "../../../worker/presets/index.ts";
import { at, itIsDue, windowOf, z } from "./helpers.ts";

const policy = preset("ecellar");

describe("ecellar: inbound emails acknowledged same day if left by 3PM Pacific Mon–Fri, otherwise next business day", () => {
  itIsDue("ecellar", "firstResponse", [
    [
      "a Tuesday message at 14:59 is due at Tuesday's close, 17:00",
      "question",
      "normal",
      "2026-11-17T14:59:00-08:00",
      "2026-11-17T17:00:00-08:00",
    ],
    ["a message at exactly 15:00 still counts as by 3PM", "question", "normal", "2026-11-17T15:00:00-08:00", "2026-11-17T17:00:00-08:00"],
    [
      "a Tuesday message at 15:01 is due at Wednesday's close",
      "question",
      "normal",
      "2026-11-17T15:01:00-08:00",
      "2026-11-18T17:00:00-08:00",
    ],
  ]);

  it("a Friday message at 16:05 is due at Monday's close and says it missed the cut-off", () => {
    const w = windowOf("ecellar", "question", "normal", "2026-11-20T16:05:00-08:00");
    expect(w.firstResponse?.dueAt).toBe(z("2026-11-23T17:00:00-08:00"));
    expect(w.explanation.join(" ")).toContain("after the 15:00 cut-off");
  });

  itIsDue("ecellar", "firstResponse", [
    [
      "a message before opening on a business day (07:00) is due that same day",
      "question",
      "normal",
      "2026-11-18T07:00:00-08:00",
      "2026-11-18T17:00:00-08:00",
    ],
    ["a Saturday message is due at Monday's close", "question", "normal", "2026-11-21T10:00:00-08:00", "2026-11-23T17:00:00-08:00"],
    [
      "Thanksgiving and the day after are not business days: Wednesday 16:00 is due Monday",
      "question",
      "normal",
      "2026-11-25T16:00:00-08:00",
      "2026-11-30T17:00:00-08:00",
    ],
  ]);

  it("across the daylight-saving weekend Friday 16:00 PDT is due Monday 17:00 PST", () => {
    expect(windowOf("ecellar", "question", "normal", "2026-10-30T16:00:00-07:00").firstResponse?.dueAt).toBe("2026-11-03T01:00:00Z");
  });

  it("across the spring-forward weekend Friday 16:00 PST is due Monday 17:00 PDT", () => {
    expect(windowOf("ecellar", "question", "normal", "2026-03-06T16:00:00-08:00").firstResponse?.dueAt).toBe("2026-03-10T00:00:00Z");
  });
});

describe("ecellar: eCellar errors that stop ordering or a launch get an immediate response around the clock", () => {
  it("a Saturday ordering outage is answered within an hour, on a 24/7 clock", () => {
    const w = windowOf("ecellar", "ordering-down", "blocking", "2026-11-21T10:00:00-08:00");
    expect(w.priority).toBe("immediate");
    expect(w.firstResponse?.dueAt).toBe(z("2026-11-21T11:00:00-08:00"));
    expect(w.coverage).toEqual({ openNow: true, aroundTheClock: true });
  });

  it("a launch blocked on a Wednesday night is immediate too", () => {
    const w = windowOf("ecellar", "launch-blocked", "normal", "2026-11-18T23:30:00-08:00");
    expect(w.priority).toBe("immediate");
    expect(w.firstResponse?.dueAt).toBe(z("2026-11-19T00:30:00-08:00"));
  });

  it("the midnight cut-off reads as the end of the next business day, never as received by 00:00", () => {
    const w = windowOf("ecellar", "ordering-down", "blocking", "2026-11-17T20:00:00-08:00");
    expect(w.resolution?.target).toBe("the end of the next business day");
    expect(w.explanation).toContain("Resolution by the end of the next business day: Wed, Nov 18, 17:00 PT.");
    expect(w.explanation.join(" ")).not.toContain("00:00");
  });

  itIsDue("ecellar", "resolution", [
    [
      "else fixed by the next business day: a Saturday outage is due by Monday's close",
      "ordering-down",
      "blocking",
      "2026-11-21T10:00:00-08:00",
      "2026-11-23T17:00:00-08:00",
    ],
    [
      "a Tuesday 20:00 outage is due by Wednesday's close",
      "ordering-down",
      "blocking",
      "2026-11-17T20:00:00-08:00",
      "2026-11-18T17:00:00-08:00",
    ],
  ]);

  it("eCellar errors are never billed, even after hours", () => {
    expect(windowOf("ecellar", "ordering-down", "blocking", "2026-11-21T10:00:00-08:00").billing?.billable).toBe(false);
    expect(windowOf("ecellar", "ordering-down", "blocking", "2026-11-18T10:00:00-08:00").billing?.billable).toBe(false);
  });

  it("after hours an eCellar error is included because it is eCellar's error, not because support is open", () => {
    const w = windowOf("ecellar", "ordering-down", "blocking", "2026-11-21T10:00:00-08:00");
    expect(w.billing?.reason).toBe("included-out-of-hours");
    expect(w.explanation).toContain("eCellar error: included, no charge, even outside support hours.");
  });

  it("after hours the emergency voicemail number is shown", () => {
    expect(windowOf("ecellar", "ordering-down", "blocking", "2026-11-21T10:00:00-08:00").explanation.join(" ")).toContain(
      "707-942-9700 Opt. 1",
    );
  });

  it("in business hours the voicemail note is not shown", () => {
    expect(windowOf("ecellar", "ordering-down", "blocking", "2026-11-18T10:00:00-08:00").explanation.join(" ")).not.toContain("voicemail");
  });
});

describe("ecellar: user error out of hours waits for the next business day or costs $225/hour ($300 holiday)", () => {
  it("on a Saturday the customer chooses: wait until Monday at $150/hour, or addressed now at $225/hour", () => {
    const w = windowOf("ecellar", "setup-problem", "normal", "2026-11-21T10:00:00-08:00");
    expect(w.billing?.options).toEqual([
      {
        choice: "wait",
        billable: true,
        rateClass: "standard",
        ratePerHour: { amount: 15000, currency: "USD" },
        firstResponseDueAt: z("2026-11-23T17:00:00-08:00"),
      },
      {
        choice: "now",
        billable: true,
        rateClass: "after-hours",
        ratePerHour: { amount: 22500, currency: "USD" },
        firstResponseDueAt: z("2026-11-21T11:00:00-08:00"),
      },
    ]);
    expect(w.billing?.resumesAt).toBe(z("2026-11-23T08:30:00-08:00"));
  });

  it("user error is never free support: waiting keeps the standard $150/hour", () => {
    const w = windowOf("ecellar", "setup-problem", "normal", "2026-11-21T10:00:00-08:00");
    expect(w.billing).toMatchObject({ reason: "out-of-hours", choice: "wait", billable: true, rateClass: "standard" });
    expect(w.explanation).toContain(
      "Outside support hours: User error can wait for support hours (reply by Mon, Nov 23, 17:00 PT, $150.00/hour) or be addressed now at $225.00/hour in 15-minute increments (reply by Sat, Nov 21, 11:00 PT).",
    );
    expect(w.explanation.join(" ")).not.toContain("free");
  });

  it("waiting is the default: the reply-by is Monday's close", () => {
    expect(windowOf("ecellar", "setup-problem", "normal", "2026-11-21T10:00:00-08:00").firstResponse?.dueAt).toBe(
      z("2026-11-23T17:00:00-08:00"),
    );
  });

  it("choosing to have it addressed now gives the after-hours terms and a reply within the hour", () => {
    const w = computeWindow(policy, {
      issueType: "setup-problem",
      severity: "normal",
      at: at("2026-11-21T10:00:00-08:00"),
      afterHoursChoice: "now",
    });
    expect(w.billing).toMatchObject({ choice: "now", rateClass: "after-hours", ratePerHour: { amount: 22500, currency: "USD" } });
    expect(w.firstResponse?.dueAt).toBe(z("2026-11-21T11:00:00-08:00"));
  });

  it("a ticket whose customer chose now is due within the hour", () => {
    const receivedAt = at("2026-11-21T10:00:00-08:00");
    expect(ticketDue(policy, { priority: "standard", receivedAt, afterHoursChoice: "now" }).firstResponseAt).toBe(receivedAt + 3_600_000);
    expect(ticketDue(policy, { priority: "standard", receivedAt, afterHoursChoice: "wait" }).firstResponseAt).toBe(
      at("2026-11-23T17:00:00-08:00"),
    );
  });

  it("on a weekday evening addressing it now is at the after-hours rate", () => {
    const now = windowOf("ecellar", "setup-problem", "normal", "2026-11-18T18:30:00-08:00").billing?.options?.[1];
    expect(now?.rateClass).toBe("after-hours");
  });

  it("on Thanksgiving addressing it now is at the holiday rate, $300/hour", () => {
    const now = windowOf("ecellar", "setup-problem", "normal", "2026-11-26T11:00:00-08:00").billing?.options?.[1];
    expect(now).toMatchObject({ rateClass: "holiday", ratePerHour: { amount: 30000, currency: "USD" } });
  });

  it("time on a ticket whose customer chose to wait is billed on standard terms, even if done at night", () => {
    expect(bill(policy, at("2026-11-21T22:00:00-08:00"), 60, "user-error", "wait")).toMatchObject({
      rateClass: "standard",
      amount: { amount: 15000, currency: "USD" },
    });
  });

  it("time on a ticket whose customer chose now is billed at the rate of when it is done", () => {
    expect(bill(policy, at("2026-11-21T22:00:00-08:00"), 60, "user-error", "now")).toMatchObject({
      rateClass: "after-hours",
      amount: { amount: 22500, currency: "USD" },
    });
  });

  it("on Christmas Day the holiday rate applies", () => {
    expect(bill(policy, at("2026-12-25T14:00:00-08:00"), 60, "user-error").amount).toEqual({ amount: 30000, currency: "USD" });
  });

  it("during business hours user error is billed at the standard $150/hour", () => {
    const w = windowOf("ecellar", "setup-problem", "normal", "2026-11-18T10:00:00-08:00");
    expect(w.billing?.rateClass).toBe("standard");
    expect(w.billing?.ratePerHour).toEqual({ amount: 15000, currency: "USD" });
  });

  it("in business hours the notice names user error as the reason it is billable", () => {
    const w = windowOf("ecellar", "setup-problem", "normal", "2026-11-18T10:00:00-08:00");
    expect(w.billing?.reason).toBe("billable-category");
    expect(w.explanation).toContain("User error is billable at $150.00/hour in 15-minute increments.");
  });

  it("the category is named in the visitor's language", () => {
    const w = windowOf("ecellar", "setup-problem", "normal", "2026-11-18T10:00:00-08:00", { locale: "es" });
    expect(w.billing?.category).toEqual({ id: "user-error", label: "Error de usuario" });
  });
});

describe("ecellar: general support to trained personnel M–F 8:30–5 is not billable", () => {
  it("a how-to question on Wednesday at 10:00 is included", () => {
    const w = windowOf("ecellar", "question", "normal", "2026-11-18T10:00:00-08:00");
    expect(w.billing?.billable).toBe(false);
    expect(w.billing?.reason).toBe("included");
    expect(w.explanation).toContain("General support: included in your plan, no charge.");
  });

  it("at 08:29, before hours, the same question is free if it waits for 08:30", () => {
    const w = windowOf("ecellar", "question", "normal", "2026-11-18T08:29:00-08:00");
    expect(w.billing?.options?.[0]).toMatchObject({ choice: "wait", billable: false, rateClass: "standard" });
    expect(w.billing?.resumesAt).toBe(z("2026-11-18T08:30:00-08:00"));
    expect(w.explanation.join(" ")).toContain(", free)");
  });

  it("at 17:00 sharp the office is closed: addressing it now is after-hours", () => {
    expect(windowOf("ecellar", "question", "normal", "2026-11-18T17:00:00-08:00").billing?.options?.[1]?.rateClass).toBe("after-hours");
  });
});

describe("ecellar: billable work is $150/hour in 15-minute increments", () => {
  it("20 minutes bill as 30 minutes, $75.00", () => {
    expect(bill(policy, at("2026-11-18T10:00:00-08:00"), 20, "training")).toMatchObject({
      billedMinutes: 30,
      rateClass: "standard",
      amount: { amount: 7500, currency: "USD" },
    });
  });

  it("15 minutes bill as one increment, $37.50", () => {
    expect(bill(policy, at("2026-11-18T10:00:00-08:00"), 15, "service").amount.amount).toBe(3750);
  });

  it("1 minute rounds up to 15", () => {
    expect(bill(policy, at("2026-11-18T10:00:00-08:00"), 1, "user-error").billedMinutes).toBe(15);
  });

  it("training, service and user error are billable; general support is not", () => {
    const t = at("2026-11-18T10:00:00-08:00");
    expect([
      bill(policy, t, 60, "training").billable,
      bill(policy, t, 60, "service").billable,
      bill(policy, t, 60, "user-error").billable,
    ]).toEqual([true, true, true]);
    expect(bill(policy, t, 60, "general").amount.amount).toBe(0);
  });

  it("offering help is client work delegated to eCellar: billable", () => {
    expect(windowOf("ecellar", "offering-help", "normal", "2026-11-18T10:00:00-08:00").billing?.billable).toBe(true);
  });
});

describe("ecellar: offering assistance takes 3–5 business days minimum", () => {
  it("a Monday 10:00 request is ready between Thursday 10:00 and the next Monday 10:00", () => {
    const w = windowOf("ecellar", "offering-help", "normal", "2026-11-16T10:00:00-08:00");
    expect(w.priority).toBe("offering");
    expect(w.resolution).toMatchObject({ earliestAt: z("2026-11-19T10:00:00-08:00"), latestAt: z("2026-11-23T10:00:00-08:00") });
  });

  it("the range reads as 3–5 business days", () => {
    const w = windowOf("ecellar", "offering-help", "normal", "2026-11-16T10:00:00-08:00");
    expect(w.resolution?.target).toBe("3–5 business days");
  });

  it("across Thanksgiving the range skips Thursday and Friday", () => {
    const w = windowOf("ecellar", "offering-help", "normal", "2026-11-24T10:00:00-08:00");
    expect(w.resolution).toMatchObject({ earliestAt: z("2026-12-01T10:00:00-08:00"), latestAt: z("2026-12-03T10:00:00-08:00") });
  });
});

describe("ecellar: desired functionality goes through a quote", () => {
  it("a feature request is a quote workflow acknowledged by the same-day rule", () => {
    const w = windowOf("ecellar", "feature", "normal", "2026-11-18T10:00:00-08:00");
    expect(w.workflow).toBe("quote");
    expect(w.firstResponse?.dueAt).toBe(z("2026-11-18T17:00:00-08:00"));
  });

  it("a feature request has no resolution promise", () => {
    expect(windowOf("ecellar", "feature", "normal", "2026-11-18T10:00:00-08:00").resolution).toBeUndefined();
  });
});

describe("ecellar: one cancellation is allowed; a second without 24 hours' notice is billed .25 h at the standard rate", () => {
  const meetingAt = at("2026-11-19T10:00:00-08:00");

  it("the first cancellation is free even at an hour's notice", () => {
    expect(cancellationCharge(policy, { priorCancellations: 0, meetingAt, cancelledAt: meetingAt - 3_600_000 }).chargeable).toBe(false);
  });

  it("a second cancellation at 23 hours' notice costs $37.50", () => {
    const c = cancellationCharge(policy, { priorCancellations: 1, meetingAt, cancelledAt: meetingAt - 23 * 3_600_000 });
    expect(c).toEqual({ reason: "late-cancellation", chargeable: true, billedMinutes: 15, amount: { amount: 3750, currency: "USD" } });
  });

  it("a second cancellation at exactly 24 hours' notice is free", () => {
    expect(cancellationCharge(policy, { priorCancellations: 1, meetingAt, cancelledAt: meetingAt - 24 * 3_600_000 }).chargeable).toBe(
      false,
    );
  });

  it("says why a cancellation is free: the allowed one, or enough notice", () => {
    expect(cancellationCharge(policy, { priorCancellations: 0, meetingAt, cancelledAt: meetingAt - 3_600_000 }).reason).toBe(
      "free-cancellation",
    );
    expect(cancellationCharge(policy, { priorCancellations: 1, meetingAt, cancelledAt: meetingAt - 24 * 3_600_000 }).reason).toBe(
      "enough-notice",
    );
  });
});

describe("ecellar: only feature requests go through a quote", () => {
  it("a feature request's priority is quotable", () => {
    const feature = windowOf("ecellar", "feature", "normal", "2026-11-18T10:00:00-08:00").priority;
    expect(quotable(policy, feature)).toBe(true);
  });

  it("a setup problem's priority is not", () => {
    expect(quotable(policy, windowOf("ecellar", "setup-problem", "normal", "2026-11-18T10:00:00-08:00").priority)).toBe(false);
  });
});
