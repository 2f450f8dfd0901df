// Due times of cut-off targets ("sameDayIfBefore") on the eCellar business calendar
// (Mon–Fri 08:30–17:00 America/Los_Angeles). Friday 20 November 2026 is a business date (PST).
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../worker/engine/targets.ts";
import { preset } from "../../../worker/presets/index.ts";

const policy = preset("ecellar");
const iso = (t: number | null) => (t === null ? "paused" : new Date(t).toISOString());

describe("a cut-off with seconds (15:00:30)", () => {
  const target = { sameDayIfBefore: "15:00:30", clock: "business" };

  it("a request at 15:00:15, before the cut-off's second, is due at that day's closing (Fri 17:00)", () => {
    const due = evaluate(policy, target, Date.parse("2026-11-20T15:00:15-08:00"));
    expect(iso(due.dueAt)).toBe("2026-11-21T01:00:00.000Z");
  });

  it("a request exactly at the cut-off's second (15:00:30) is still due that day (Fri 17:00)", () => {
    const due = evaluate(policy, target, Date.parse("2026-11-20T15:00:30-08:00"));
    expect(iso(due.dueAt)).toBe("2026-11-21T01:00:00.000Z");
  });
});
