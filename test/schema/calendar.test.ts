// Calendar validation: every problem comes back as a field-level error (path + message), and
// parseCalendar never throws, whatever it is given.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FieldError, parseCalendar } from "../../schema/policy.ts";

const LA = "America/Los_Angeles";
/** Weekly hours, for inputs whose point is elsewhere: a calendar needs some open time. */
const open = { mon: [["09:00", "17:00"]] };
const NO_OPEN_TIME = "No open time at all: give weekly hours or an override with open intervals";

/** The field errors for an input that must be invalid. */
function errorsOf(input: unknown): FieldError[] {
  const r = parseCalendar(input);
  if (r.ok) throw new Error(`expected an invalid calendar: ${JSON.stringify(input)}`);
  return r.errors;
}

describe("a valid calendar", () => {
  it("parses, with holidays, overrides and breaks defaulting to empty", () => {
    const r = parseCalendar({ timeZone: LA, hours: { mon: [["09:00", "17:00"]] } });
    expect(r).toEqual({
      ok: true,
      calendar: { timeZone: LA, hours: { mon: [["09:00", "17:00"]] }, holidays: [], overrides: {}, breaks: {} },
    });
  });

  it('accepts "24:00", overnight intervals and a Sunday overnight interval that ends as Monday opens', () => {
    const r = parseCalendar({
      timeZone: LA,
      hours: { sat: [["18:00", "24:00"]], sun: [["22:00", "06:00"]], mon: [["06:00", "09:00"]] },
    });
    expect(r.ok).toBe(true);
  });

  it('accepts times with seconds ("HH:MM:SS") and "24:00:00"', () => {
    const r = parseCalendar({ timeZone: LA, hours: { mon: [["09:00:30", "17:45:15"]], tue: [["18:00:00", "24:00:00"]] } });
    expect(r.ok).toBe(true);
  });

  it("accepts a leap day in a leap year (2028-02-29)", () => {
    expect(parseCalendar({ timeZone: LA, hours: open, holidays: ["2028-02-29"] }).ok).toBe(true);
  });
});

describe("field-level errors", () => {
  it("an unknown time zone is reported at timeZone", () => {
    expect(errorsOf({ timeZone: "Mars/Olympus_Mons", hours: open })).toEqual([{ path: "timeZone", message: "Unknown IANA time zone" }]);
  });

  it('a time without two-digit hours ("9:00") is reported at its position in the interval', () => {
    expect(errorsOf({ timeZone: LA, hours: { mon: [["9:00", "17:00"]] } })).toEqual([
      { path: "hours.mon[0][0]", message: 'Use "HH:MM" or "HH:MM:SS" between 00:00 and 24:00' },
    ]);
  });

  it('times past 24:00 or with 60 minutes ("24:01", "12:60") are reported', () => {
    expect(errorsOf({ timeZone: LA, hours: { tue: [["12:60", "24:01"]] } })).toEqual([
      { path: "hours.tue[0][0]", message: 'Use "HH:MM" or "HH:MM:SS" between 00:00 and 24:00' },
      { path: "hours.tue[0][1]", message: 'Use "HH:MM" or "HH:MM:SS" between 00:00 and 24:00' },
    ]);
  });

  it('seconds past 59 or past midnight ("09:00:60", "24:00:01") are reported', () => {
    expect(errorsOf({ timeZone: LA, hours: { wed: [["09:00:60", "24:00:01"]] } })).toEqual([
      { path: "hours.wed[0][0]", message: 'Use "HH:MM" or "HH:MM:SS" between 00:00 and 24:00' },
      { path: "hours.wed[0][1]", message: 'Use "HH:MM" or "HH:MM:SS" between 00:00 and 24:00' },
    ]);
  });

  it("intervals overlapping by a few seconds are reported (Mon 09:00–12:00:30 and 12:00:15–13:00)", () => {
    expect(
      errorsOf({
        timeZone: LA,
        hours: {
          mon: [
            ["09:00", "12:00:30"],
            ["12:00:15", "13:00"],
          ],
        },
      }),
    ).toEqual([{ path: "hours.mon[1]", message: "Overlaps another interval" }]);
  });

  it("an interval that is not a pair of times is reported at the interval", () => {
    expect(errorsOf({ timeZone: LA, hours: { mon: [["09:00"]] } })).toEqual([
      { path: "hours.mon[0]", message: 'An interval is two times, such as ["09:00", "17:00"]' },
    ]);
  });

  it("overlapping intervals on one day are reported at the later one", () => {
    expect(
      errorsOf({
        timeZone: LA,
        hours: {
          mon: [
            ["09:00", "17:00"],
            ["16:00", "18:00"],
          ],
        },
      }),
    ).toEqual([{ path: "hours.mon[1]", message: "Overlaps another interval" }]);
  });

  it("an overnight interval overlapping the next day's first interval is reported (Tue 22:00–06:00, Wed 05:00)", () => {
    expect(errorsOf({ timeZone: LA, hours: { tue: [["22:00", "06:00"]], wed: [["05:00", "07:00"]] } })).toEqual([
      { path: "hours.wed[0]", message: "Overlaps another interval" },
    ]);
  });

  it("Sunday's overnight interval overlapping Monday is reported at Monday's interval", () => {
    expect(errorsOf({ timeZone: LA, hours: { sun: [["22:00", "06:00"]], mon: [["05:00", "09:00"]] } })).toEqual([
      { path: "hours.mon[0]", message: "Overlaps the previous Sunday's overnight interval" },
    ]);
  });

  it("overlapping intervals in an override are reported at that date", () => {
    expect(
      errorsOf({
        timeZone: LA,
        hours: open,
        overrides: {
          "2026-04-01": [
            ["10:00", "12:00"],
            ["11:00", "13:00"],
          ],
        },
      }),
    ).toEqual([{ path: "overrides.2026-04-01", message: "Intervals overlap" }]);
  });

  it("an unknown weekday is reported at its key", () => {
    expect(errorsOf({ timeZone: LA, hours: { ...open, funday: [["09:00", "17:00"]] } })).toEqual([
      { path: "hours.funday", message: 'Unrecognized key: "funday"' },
    ]);
  });

  it("an unknown member is reported at its key", () => {
    expect(errorsOf({ timeZone: LA, hours: open, weekends: true })).toEqual([
      { path: "weekends", message: 'Unrecognized key: "weekends"' },
    ]);
  });

  it("a malformed holiday gets one message, at its index", () => {
    expect(errorsOf({ timeZone: LA, hours: open, holidays: ["2026-01-01", "2026-1-5", "tomorrow"] })).toEqual([
      { path: "holidays[1]", message: 'Use a date "YYYY-MM-DD"' },
      { path: "holidays[2]", message: 'Use a date "YYYY-MM-DD"' },
    ]);
  });

  it("impossible holidays (30 February, month 13, 29 February 2027) are reported", () => {
    expect(errorsOf({ timeZone: LA, hours: open, holidays: ["2026-02-30", "2026-13-01", "2027-02-29"] })).toEqual([
      { path: "holidays[0]", message: "Not a real calendar date" },
      { path: "holidays[1]", message: "Not a real calendar date" },
      { path: "holidays[2]", message: "Not a real calendar date" },
    ]);
  });

  it("dates outside the supported 1971–2199 are reported", () => {
    expect(errorsOf({ timeZone: LA, hours: open, holidays: ["1970-12-31", "2200-01-01"] })).toEqual([
      { path: "holidays[0]", message: "Not a real calendar date" },
      { path: "holidays[1]", message: "Not a real calendar date" },
    ]);
  });

  it("an impossible override date is reported at its key with the date's own message", () => {
    expect(errorsOf({ timeZone: LA, hours: open, overrides: { "2026-02-30": [] } })).toEqual([
      { path: "overrides.2026-02-30", message: "Not a real calendar date" },
    ]);
  });

  it("a malformed break date is reported at its key with the date's own message", () => {
    expect(errorsOf({ timeZone: LA, hours: open, breaks: { "26-01-01": [["12:00", "13:00"]] } })).toEqual([
      { path: "breaks.26-01-01", message: 'Use a date "YYYY-MM-DD"' },
    ]);
  });

  it("more than 12 intervals on one day is reported", () => {
    const many = Array.from({ length: 13 }, (_, i) => [`${String(i).padStart(2, "0")}:00`, `${String(i).padStart(2, "0")}:30`]);
    expect(errorsOf({ timeZone: LA, hours: { mon: many } })).toEqual([{ path: "hours.mon", message: "At most 12 intervals per day" }]);
  });

  it("every problem is reported at once, not just the first", () => {
    const paths = errorsOf({ timeZone: "Nowhere/Land", hours: { mon: [["9", "17:00"]] }, holidays: ["2026-02-30"] }).map((e) => e.path);
    expect(paths).toEqual(["timeZone", "hours.mon[0][0]", "holidays[0]"]);
  });

  it("a calendar with no open time at all is reported at hours", () => {
    expect(errorsOf({ timeZone: LA, hours: { sat: [], sun: [] } })).toEqual([{ path: "hours", message: NO_OPEN_TIME }]);
  });

  it("holidays and empty overrides alone are no open time", () => {
    expect(errorsOf({ timeZone: LA, hours: {}, holidays: ["2026-04-02"], overrides: { "2026-04-01": [] } })).toEqual([
      { path: "hours", message: NO_OPEN_TIME },
    ]);
  });

  it("an override whose hours a break removes entirely is no open time", () => {
    const input = {
      timeZone: LA,
      hours: {},
      overrides: { "2026-04-01": [["10:00", "12:00"]] },
      breaks: { "2026-04-01": [["09:00", "13:00"]] },
    };
    expect(errorsOf(input)).toEqual([{ path: "hours", message: NO_OPEN_TIME }]);
  });

  it("an overnight override cut by breaks on its date and the next is no open time", () => {
    const input = {
      timeZone: LA,
      hours: {},
      overrides: { "2026-04-01": [["22:00", "02:00"]] },
      breaks: { "2026-04-01": [["22:00", "24:00"]], "2026-04-02": [["00:00", "02:00"]] },
    };
    expect(errorsOf(input)).toEqual([{ path: "hours", message: NO_OPEN_TIME }]);
  });

  it("missing timeZone and hours are reported at their names", () => {
    expect(errorsOf({}).map((e) => e.path)).toEqual(["timeZone", "hours"]);
  });

  it.each([null, 42, "calendar", [], undefined])("a non-object (%s) is one error at the root", (input) => {
    const errors = errorsOf(input);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.path).toBe("(root)");
  });
});

describe("parseCalendar never throws", () => {
  const isFieldError = (e: FieldError) =>
    typeof e.path === "string" && e.path.length > 0 && typeof e.message === "string" && e.message.length > 0;

  it("on any value at all: it returns ok or field errors", () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true }), (input) => {
        const r = parseCalendar(input);
        return r.ok || (r.errors.length > 0 && r.errors.every(isFieldError));
      }),
      { numRuns: 300 },
    );
  });

  it("on calendar-shaped values with arbitrary times, dates and weekdays", () => {
    const time = fc.oneof(
      fc.constantFrom("00:00", "09:00", "17:00", "22:00", "06:00", "24:00", "24:01", "9:00", "12:60", ""),
      fc.string({ maxLength: 6 }),
    );
    const interval = fc.oneof(fc.tuple(time, time), fc.array(time, { maxLength: 3 }));
    const date = fc.oneof(
      fc.constantFrom("2026-02-29", "2028-02-29", "2026-13-01", "0000-00-00", "9999-12-31"),
      fc.string({ maxLength: 12 }),
    );
    const day = fc.constantFrom("mon", "tue", "wed", "thu", "fri", "sat", "sun", "funday", "Mon");
    const calendar = fc.record(
      {
        timeZone: fc.constantFrom("America/Los_Angeles", "Europe/Madrid", "UTC", "Not/AZone", ""),
        hours: fc.dictionary(day, fc.array(interval, { maxLength: 4 })),
        holidays: fc.array(date, { maxLength: 4 }),
        overrides: fc.dictionary(date, fc.array(interval, { maxLength: 3 })),
        breaks: fc.dictionary(date, fc.array(interval, { maxLength: 3 })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(calendar, (input) => {
        const r = parseCalendar(input);
        return r.ok || (r.errors.length > 0 && r.errors.every(isFieldError));
      }),
      { numRuns: 500 },
    );
  });
});
