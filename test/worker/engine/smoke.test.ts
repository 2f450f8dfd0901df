import { describe, expect, it } from "vitest";
import { parseCalendar } from "../../../schema/policy.ts";
import { add, compileCalendar } from "../../../worker/engine/calendar.ts";

describe("harness", () => {
  it("runs the engine inside workerd", () => {
    const r = parseCalendar({ timeZone: "America/Los_Angeles", hours: { fri: [["08:30", "17:00"]], mon: [["08:30", "17:00"]] } });
    if (!r.ok) throw new Error("invalid");
    const at = add(compileCalendar(r.calendar), Date.parse("2026-11-20T16:00:00-08:00"), 4 * 3_600_000);
    expect(new Date(at).toISOString()).toBe("2026-11-23T19:30:00.000Z");
  });
});
