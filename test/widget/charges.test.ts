import { describe, expect, it } from "vitest";
import { afterHoursOptions, chargeLines } from "../../widget/src/lib/charges.ts";
import { catalog } from "../../widget/src/locales/index.ts";
import type { Account } from "../../worker/engine/policy.ts";
import { computeWindow } from "../../worker/engine/window.ts";
import { type PresetId, preset } from "../../worker/presets/index.ts";

// The charges notice the review step shows, from the window the worker really computes.

/** The charges sentences a visitor reads for a preset's request at a local instant. */
function charges(id: PresetId, issueType: string, severity: string, at: string, opts: { account?: Account; lang?: string } = {}) {
  const lang = opts.lang ?? "en";
  const w = computeWindow(preset(id), {
    issueType,
    severity,
    at: Date.parse(at),
    locale: lang,
    ...(opts.account ? { account: opts.account } : {}),
  });
  return chargeLines(w, catalog(lang), lang === "es" ? "es-ES" : "en-US").map((l) => l.text);
}

const current = { flags: { duesCurrent: true } };

describe("charges: each sentence names its real cause", () => {
  it("Easy-Commission training is chargeable because it is not covered by product support", () => {
    const lines = charges("easy-commission", "training", "problem", "2026-11-18T10:00:00-08:00", {
      account: { ...current, plan: "standard", casesUsed: 0 },
    });
    expect(lines).toEqual(["This request is not covered by product support, so it is a chargeable case."]);
  });

  it("a not-covered request never says the free cases are used", () => {
    const lines = charges("easy-commission", "training", "problem", "2026-11-18T10:00:00-08:00");
    expect(lines.join(" ")).not.toContain("free cases");
  });

  it("a covered case past the allowance says the free cases are used", () => {
    const lines = charges("easy-commission", "access", "problem", "2026-11-18T10:00:00-08:00", {
      account: { ...current, plan: "standard", casesUsed: 4 },
    });
    expect(lines).toEqual(["You have used your 4 free cases for this period: this case is chargeable."]);
  });

  it("a covered case within the allowance says how many free cases are left", () => {
    const lines = charges("easy-commission", "access", "problem", "2026-11-18T10:00:00-08:00", {
      account: { ...current, plan: "standard", casesUsed: 1 },
    });
    expect(lines).toEqual(["Free cases: 3 of 4 left, this one included."]);
  });

  it("eCellar user error in hours is billable because it is user error", () => {
    expect(charges("ecellar", "setup-problem", "normal", "2026-11-18T10:00:00-08:00")).toEqual([
      "User error is billable: $150.00 per hour, billed in blocks of 15 minutes.",
    ]);
  });

  it("an eCellar how-to question in hours says it is included", () => {
    expect(charges("ecellar", "question", "normal", "2026-11-18T10:00:00-08:00")).toEqual([
      "General support: included in your plan, no charge.",
    ]);
  });

  it("Spanish names the same cause", () => {
    const lines = charges("easy-commission", "training", "problem", "2026-11-18T10:00:00-08:00", { lang: "es" });
    expect(lines).toEqual(["Esta solicitud no está cubierta por el soporte del producto, así que es un caso de pago."]);
  });
});

describe("eCellar user error out of hours: wait, or have it addressed now", () => {
  const saturday = "2026-11-21T10:00:00-08:00";
  const options = (lang = "en") => {
    const w = computeWindow(preset("ecellar"), { issueType: "setup-problem", severity: "normal", at: Date.parse(saturday), locale: lang });
    return afterHoursOptions(w, catalog(lang), lang === "es" ? "es-ES" : "en-US");
  };

  it("asks the customer to choose, naming user error", () => {
    expect(options()?.legend).toBe("Outside support hours: User error can wait for support hours or be addressed now.");
  });

  it("offers waiting at the standard $150/hour, never as free support", () => {
    expect(options()?.options[0]).toMatchObject({
      choice: "wait",
      label: "Wait for support hours",
      terms: "Billed at $150.00 per hour, in blocks of 15 minutes.",
    });
  });

  it("offers having it addressed now at the after-hours $225/hour", () => {
    expect(options()?.options[1]).toMatchObject({
      choice: "now",
      label: "Have it addressed now",
      terms: "Billed at the after-hours rate, $225.00 per hour, in blocks of 15 minutes.",
    });
  });

  it("gives each option its own reply-by", () => {
    const [wait, now] = options()?.options ?? [];
    expect(wait?.replyBy).toMatch(/^Reply by /);
    expect(now?.replyBy).toMatch(/^Reply by /);
    expect(wait?.replyBy).not.toBe(now?.replyBy);
  });

  it("leaves the terms to the options: no line says free support resumes", () => {
    expect(charges("ecellar", "setup-problem", "normal", saturday).join(" ")).not.toContain("free");
  });

  it("offers a how-to question's wait as no charge", () => {
    const w = computeWindow(preset("ecellar"), { issueType: "question", severity: "normal", at: Date.parse(saturday), locale: "en" });
    expect(afterHoursOptions(w, catalog("en"), "en-US")?.options[0]?.terms).toBe("No charge.");
  });

  it("speaks Spanish", () => {
    expect(options("es")?.options.map((o) => o.label)).toEqual(["Esperar al horario de soporte", "Que se atienda ahora"]);
  });
});
