// The policy's email and alerts sections: optional, and every id they name is checked against the
// policy's own issue types, severities, priorities and calendars, each as a field-level error.
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../schema/policy.ts";
import { presetInputs } from "../../worker/presets/index.ts";

const base = presetInputs.commerceup;

/** The field errors of the CommerceUp preset with these sections changed. */
function errorsWith(over: Record<string, unknown>) {
  const r = parsePolicy({ ...base, ...over });
  return r.ok ? [] : r.errors;
}

describe("policy email section", () => {
  it("is optional: a policy without it parses", () => {
    const { email: _e, alerts: _a, ...rest } = base;
    expect(parsePolicy(rest).ok).toBe(true);
  });

  it("names an unknown default issue type and severity as field errors", () => {
    expect(errorsWith({ email: { defaultIssueType: "nope", defaultSeverity: "meh" } })).toEqual([
      { path: "email.defaultIssueType", message: 'Unknown issue type "nope"' },
      { path: "email.defaultSeverity", message: 'Unknown severity "meh"' },
    ]);
  });

  it("checks each subject rule's priority, issue type and severity", () => {
    const email = {
      defaultIssueType: "functionality",
      defaultSeverity: "normal",
      subjectRules: [{ words: ["C9"], priority: "C9", issueType: "x", severity: "y" }],
    };
    expect(errorsWith({ email })).toEqual([
      { path: "email.subjectRules[0].priority", message: 'Unknown priority "C9"' },
      { path: "email.subjectRules[0].issueType", message: 'Unknown issue type "x"' },
      { path: "email.subjectRules[0].severity", message: 'Unknown severity "y"' },
    ]);
  });

  it("refuses a rule that sets nothing", () => {
    const email = { defaultIssueType: "functionality", defaultSeverity: "normal", subjectRules: [{ words: ["C1"] }] };
    expect(errorsWith({ email })).toEqual([{ path: "email.subjectRules[0]", message: "Give a priority, an issue type or a severity" }]);
  });

  it("refuses a rule word with no letter or digit", () => {
    const email = { defaultIssueType: "functionality", defaultSeverity: "normal", subjectRules: [{ words: ["!!"], priority: "C1" }] };
    expect(errorsWith({ email })).toEqual([{ path: "email.subjectRules[0].words[0]", message: "A word needs a letter or digit" }]);
  });
});

describe("policy alerts section", () => {
  it("names an unknown priority and an unknown hours calendar", () => {
    expect(errorsWith({ alerts: { to: ["oncall@x.test"], hours: "night", priorities: [{ priority: "C7", when: "always" }] } })).toEqual([
      { path: "alerts.hours", message: 'Unknown calendar "night"' },
      { path: "alerts.priorities[0].priority", message: 'Unknown priority "C7"' },
    ]);
  });

  it('needs an hours calendar for "outside-hours"', () => {
    expect(errorsWith({ alerts: { to: ["oncall@x.test"], priorities: [{ priority: "C1", when: "outside-hours" }] } })).toEqual([
      { path: "alerts.priorities[0].when", message: 'Name the calendar in alerts.hours for "outside-hours"' },
    ]);
  });

  it("refuses an address that is not an email", () => {
    expect(errorsWith({ alerts: { to: ["not an address"], priorities: [{ priority: "C1", when: "always" }] } }).map((e) => e.path)).toEqual(
      ["alerts.to[0]"],
    );
  });
});
