import { describe, expect, it } from "vitest";
import { ticketDue } from "../../../worker/engine/schedule.ts";
import { preset } from "../../../worker/presets/index.ts";
import { at, itIsDue, windowOf, z } from "./helpers.ts";

const policy = preset("easy-commission");
const current = { flags: { duesCurrent: true } };

describe("easy-commission: support only for customers current with all dues", () => {
  it("a customer behind on dues is refused with the policy's words and no promise", () => {
    const w = windowOf("easy-commission", "calculation", "calculation", "2026-11-18T10:00:00-08:00", {
      account: { flags: { duesCurrent: false } },
    });
    expect(w.eligibility).toEqual({
      eligible: false,
      reason: "Software maintenance and support is available only to customers who are current with all dues.",
    });
    expect(w.firstResponse).toBeUndefined();
  });

  it("a customer current with dues is eligible", () => {
    expect(
      windowOf("easy-commission", "calculation", "calculation", "2026-11-18T10:00:00-08:00", { account: current }).eligibility,
    ).toEqual({ eligible: true });
  });

  it("an unidentified customer is told the requirement but not refused", () => {
    const w = windowOf("easy-commission", "access", "problem", "2026-11-18T10:00:00-08:00");
    expect(w.eligibility.eligible).toBe(true);
    expect(w.explanation.join(" ")).toContain("current with all dues");
  });

  it("the refusal is translated for Spanish visitors", () => {
    const w = windowOf("easy-commission", "access", "problem", "2026-11-18T10:00:00-08:00", {
      account: { flags: { duesCurrent: false } },
      locale: "es",
    });
    expect(w.eligibility.reason).toContain("al corriente de pago");
  });
});

describe("easy-commission: the policy covers Easy-Commission only, not third-party software", () => {
  it("a third-party issue is refused", () => {
    const w = windowOf("easy-commission", "third-party", "problem", "2026-11-18T10:00:00-08:00", { account: current });
    expect(w.eligibility.eligible).toBe(false);
    expect(w.eligibility.reason).toContain("not third-party software");
  });

  it("a covered issue from the same customer is accepted", () => {
    expect(
      windowOf("easy-commission", "report-error", "cosmetic", "2026-11-18T10:00:00-08:00", { account: current }).eligibility.eligible,
    ).toBe(true);
  });
});

describe("easy-commission: covered items (access, calculation, data storage, reports) vs not covered (ease of use, formulas, report help, training)", () => {
  it("help with formulas is not covered and always chargeable", () => {
    const w = windowOf("easy-commission", "formulas-plans", "problem", "2026-11-18T10:00:00-08:00", {
      account: { ...current, plan: "standard", casesUsed: 0 },
    });
    expect(w.allowance).toMatchObject({ chargeable: true, used: 0, included: 4 });
    expect(w.explanation.join(" ")).toContain("Not covered by product support");
  });

  it("training is not covered either", () => {
    expect(windowOf("easy-commission", "training", "problem", "2026-11-18T10:00:00-08:00").allowance?.chargeable).toBe(true);
  });

  it("a not-covered case is chargeable because it is not covered, whatever free cases are left", () => {
    const w = windowOf("easy-commission", "training", "problem", "2026-11-18T10:00:00-08:00", {
      account: { ...current, plan: "standard", casesUsed: 0 },
    });
    expect(w.allowance?.reason).toBe("not-covered");
    expect(w.explanation).toContain("Not covered by product support: handled as a chargeable case.");
    expect(w.explanation.join(" ")).not.toContain("free cases used");
  });

  it("a covered case past the allowance is chargeable because the free cases are used", () => {
    const w = windowOf("easy-commission", "access", "problem", "2026-11-18T10:00:00-08:00", {
      account: { ...current, plan: "standard", casesUsed: 4 },
    });
    expect(w.allowance?.reason).toBe("allowance-used");
  });

  it("a data storage error is covered and free while the allowance lasts", () => {
    const w = windowOf("easy-commission", "data-storage", "problem", "2026-11-18T10:00:00-08:00", {
      account: { ...current, plan: "standard", casesUsed: 1 },
    });
    expect(w.allowance).toEqual({ reason: "allowance-left", used: 1, included: 4, chargeable: false, unit: "cases" });
  });
});

describe("easy-commission: editions include free cases; additional cases are chargeable", () => {
  it("the 4th case on a 4-case edition is free", () => {
    const w = windowOf("easy-commission", "access", "problem", "2026-11-18T10:00:00-08:00", {
      account: { ...current, plan: "standard", casesUsed: 3 },
    });
    expect(w.allowance?.chargeable).toBe(false);
  });

  it("the 5th case is chargeable", () => {
    const w = windowOf("easy-commission", "access", "problem", "2026-11-18T10:00:00-08:00", {
      account: { ...current, plan: "standard", casesUsed: 4 },
    });
    expect(w.allowance?.chargeable).toBe(true);
    expect(w.explanation.join(" ")).toContain("4 of 4 free cases used this year");
  });

  it("a bigger edition has more free cases", () => {
    expect(
      windowOf("easy-commission", "access", "problem", "2026-11-18T10:00:00-08:00", {
        account: { ...current, plan: "enterprise", casesUsed: 4 },
      }).allowance?.chargeable,
    ).toBe(false);
  });
});

describe("easy-commission: contacts are responded to within 24 hours from contact", () => {
  it("a Friday 16:00 contact is due Saturday 16:00, elapsed time", () => {
    expect(windowOf("easy-commission", "access", "problem", "2026-11-20T16:00:00-08:00").firstResponse).toEqual({
      dueAt: z("2026-11-21T16:00:00-08:00"),
      target: "24 hours",
    });
  });

  itIsDue("easy-commission", "firstResponse", [
    [
      "a Tuesday 09:30 contact is due Wednesday 09:30",
      "calculation",
      "system-down",
      "2026-11-17T09:30:00-08:00",
      "2026-11-18T09:30:00-08:00",
    ],
    [
      "24 hours are real hours across the fall-back night: Saturday 12:00 PDT is due Sunday 11:00 PST",
      "access",
      "problem",
      "2026-10-31T12:00:00-07:00",
      "2026-11-01T11:00:00-08:00",
    ],
    [
      "and across spring-forward: Saturday 12:00 PST is due Sunday 13:00 PDT",
      "access",
      "problem",
      "2026-03-07T12:00:00-08:00",
      "2026-03-08T13:00:00-07:00",
    ],
  ]);
});

describe("easy-commission: coverage Mon–Fri 9AM–5PM and 10PM–6AM Pacific, none on Saturday and Sunday", () => {
  it("Tuesday 12:00 is covered", () => {
    expect(windowOf("easy-commission", "access", "problem", "2026-11-17T12:00:00-08:00").coverage).toEqual({ openNow: true });
  });

  it("Tuesday 18:00 is not; the night shift opens at 22:00", () => {
    expect(windowOf("easy-commission", "access", "problem", "2026-11-17T18:00:00-08:00").coverage).toEqual({
      openNow: false,
      nextOpenAt: z("2026-11-17T22:00:00-08:00"),
    });
  });

  it("Friday's night shift still runs at Saturday 03:00", () => {
    expect(windowOf("easy-commission", "access", "problem", "2026-11-21T03:00:00-08:00").coverage?.openNow).toBe(true);
  });

  it("Saturday 07:00 has no coverage until Monday 09:00", () => {
    expect(windowOf("easy-commission", "access", "problem", "2026-11-21T07:00:00-08:00").coverage).toEqual({
      openNow: false,
      nextOpenAt: z("2026-11-23T09:00:00-08:00"),
    });
  });

  it("no night shift starts on Sunday: Sunday 23:00 waits for Monday 09:00", () => {
    expect(windowOf("easy-commission", "access", "problem", "2026-11-22T23:00:00-08:00").coverage?.nextOpenAt).toBe(
      z("2026-11-23T09:00:00-08:00"),
    );
  });

  it("after the fall-back weekend coverage opens Monday 09:00 PST", () => {
    expect(windowOf("easy-commission", "access", "problem", "2026-11-01T12:00:00-08:00").coverage?.nextOpenAt).toBe("2026-11-02T17:00:00Z");
  });

  it("outside coverage the visitor hears help may still come, by availability", () => {
    expect(windowOf("easy-commission", "access", "problem", "2026-11-21T07:00:00-08:00").explanation.join(" ")).toContain(
      "depending on who is available",
    );
  });
});

describe("easy-commission: the support person determines the priority", () => {
  it("the customer's pick classifies first: system down with payroll due is P1", () => {
    expect(windowOf("easy-commission", "access", "system-down", "2026-11-17T12:00:00-08:00").priority).toBe("P1");
  });

  it("cosmetic is P4", () => {
    expect(windowOf("easy-commission", "report-error", "cosmetic", "2026-11-17T12:00:00-08:00").priority).toBe("P4");
  });

  it("staff overriding to another priority recompute from the original contact", () => {
    const receivedAt = at("2026-11-17T12:00:00-08:00");
    expect(ticketDue(policy, { priority: "P3", receivedAt }).firstResponseAt).toBe(at("2026-11-18T12:00:00-08:00"));
  });
});

describe("easy-commission: setup assistance hours must be used within one month of subscription", () => {
  const subscribedAt = at("2026-11-01T09:00:00-08:00");

  it("within the month and with hours left, setup help is free", () => {
    const w = windowOf("easy-commission", "setup", "problem", "2026-11-20T10:00:00-08:00", {
      account: { ...current, plan: "standard", casesUsed: 4, subscribedAt, setupMinutesUsed: 60 },
    });
    expect(w.allowance).toMatchObject({ reason: "setup-assistance", chargeable: false, unit: "hours", used: 1, included: 2 });
  });

  it("after the month, setup help is an ordinary case: chargeable once the free cases are used", () => {
    const w = windowOf("easy-commission", "setup", "problem", "2026-12-02T10:00:00-08:00", {
      account: { ...current, plan: "standard", casesUsed: 4, subscribedAt, setupMinutesUsed: 60 },
    });
    expect(w.allowance).toMatchObject({ chargeable: true, unit: "cases" });
  });

  it("with the hours used up, setup help is an ordinary case too", () => {
    const w = windowOf("easy-commission", "setup", "problem", "2026-11-20T10:00:00-08:00", {
      account: { ...current, plan: "standard", casesUsed: 4, subscribedAt, setupMinutesUsed: 120 },
    });
    expect(w.allowance?.unit).toBe("cases");
  });
});

describe("easy-commission: no support phone numbers", () => {
  it("the visitor is told support is by form or email", () => {
    expect(windowOf("easy-commission", "access", "problem", "2026-11-17T12:00:00-08:00").explanation.join(" ")).toContain(
      "no phone support",
    );
  });

  it("and in Spanish", () => {
    expect(windowOf("easy-commission", "access", "problem", "2026-11-17T12:00:00-08:00", { locale: "es" }).explanation.join(" ")).toContain(
      "no hay soporte telefónico",
    );
  });
});
