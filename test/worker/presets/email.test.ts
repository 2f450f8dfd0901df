// Each preset's email section: what a mail to the support address is filed as, by its subject
// (rules apply when a ticket is created), and which priorities alert the on-call addresses.
import { describe, expect, it } from "vitest";
import { classifyMail } from "../../../worker/email/subject-rules.ts";
import { computeWindow } from "../../../worker/engine/window.ts";
import { type PresetId, preset } from "../../../worker/presets/index.ts";
import { at, z } from "./helpers.ts";

/** The priority a mail with this subject gets under a preset. */
function priorityOf(id: PresetId, subject: string): string {
  const policy = preset(id);
  return computeWindow(policy, { ...classifyMail(policy, subject), at: at("2026-11-18T12:00:00Z") }).priority;
}

/** The priorities mails with these subjects get under a preset, in order. */
function prioritiesOf(id: PresetId, subjects: string[]): string[] {
  return subjects.map((subject) => priorityOf(id, subject));
}

describe("commerceup: the subject line names the priority", () => {
  it('"System Down" in the subject is C1, answered within two hours', () => {
    const policy = preset("commerceup");
    const w = computeWindow(policy, { ...classifyMail(policy, "Our store: system down!"), at: at("2026-11-21T02:00:00+05:30") });
    expect(w.priority).toBe("C1");
    expect(w.firstResponse?.dueAt).toBe(z("2026-11-21T04:00:00+05:30"));
  });

  it('"C1" is a whole word, case-insensitive: "[c1] checkout broken" is C1', () => {
    expect(priorityOf("commerceup", "[c1] checkout broken")).toBe("C1");
  });

  it('"C1" inside another word is not a rule: "SC12 invoice" is the default C3', () => {
    expect(priorityOf("commerceup", "SC12 invoice")).toBe("C3");
  });

  it('"C2", "C3" and "C4" map to their priorities', () => {
    expect(prioritiesOf("commerceup", ["C2: slow search", "Re C3 banner", "C4 idea"])).toEqual(["C2", "C3", "C4"]);
  });

  it("a subject with no rule word is the default issue type and severity (C3)", () => {
    expect(classifyMail(preset("commerceup"), "Question about invoices")).toEqual({ issueType: "functionality", severity: "normal" });
  });

  it("alerts the on-call team of a C1 outside business hours", () => {
    expect(preset("commerceup").alerts).toEqual({
      to: ["oncall@commerceup.demo"],
      hours: "business",
      priorities: [{ priority: "C1", when: "outside-hours" }],
    });
  });
});

describe("ecellar: every mail is acknowledged as a standard request", () => {
  it("a mail is a standard how-to question whatever its subject", () => {
    expect(priorityOf("ecellar", "URGENT C1 system down")).toBe("standard");
  });

  it("alerts the on-call team of every Immediate ticket", () => {
    expect(preset("ecellar").alerts?.priorities).toEqual([{ priority: "immediate", when: "always" }]);
  });
});

describe("easy-commission: customers can report cases by email", () => {
  it('"Priority 1" in the subject is P1; without a rule word the default is P3', () => {
    expect(prioritiesOf("easy-commission", ["Priority 1: payroll run fails", "Login trouble"])).toEqual(["P1", "P3"]);
  });

  it("alerts the team of every P1 ticket", () => {
    expect(preset("easy-commission").alerts?.priorities).toEqual([{ priority: "P1", when: "always" }]);
  });
});

describe("ecshops: an incident unless the mail asks for extra functionality", () => {
  it('"Nueva funcionalidad" in the subject is a feature request (quote workflow)', () => {
    expect(prioritiesOf("ecshops", ["Nueva funcionalidad: exportar pedidos", "La web va lenta"])).toEqual(["feature", "incident"]);
  });
});
