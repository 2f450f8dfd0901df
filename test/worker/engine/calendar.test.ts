// Concrete cases for every arithmetic rule in DESIGN.md ("The policy" → Calendar, Arithmetic).
// Expected values are worked out by hand; the reasoning is in each test's name or a comment.
// January 2026: Mon 5, Tue 6, Wed 7, Thu 8, Fri 9, Sat 10, Sun 11, Mon 12, Tue 13 (PST, −08:00).
import { describe, expect, it } from "vitest";
import { type CalendarInput, parseCalendar } from "../../../schema/policy.ts";
import {
  add,
  addBusinessDays,
  type CompiledCalendar,
  closingOf,
  compileCalendar,
  isBusinessDate,
  isOpen,
  nextOpening,
  nthBusinessDateAfter,
  nthBusinessDateBefore,
  subtractBusinessDays,
  subtractTime,
  within,
} from "../../../worker/engine/calendar.ts";
import { EngineError } from "../../../worker/engine/errors.ts";
import { HOUR, MINUTE } from "../../../worker/engine/zone.ts";

type Hours = [string, string][];

function compile(input: CalendarInput): CompiledCalendar {
  const r = parseCalendar(input);
  if (!r.ok) throw new Error(`test calendar is invalid: ${JSON.stringify(r.errors)}`);
  return compileCalendar(r.calendar);
}

/** Epoch ms of an ISO instant written with its offset. */
function at(text: string): number {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new Error(`bad instant in test: ${text}`);
  return t;
}

/** UTC ISO text: comparing text gives readable failures. */
function iso(t: number): string {
  return new Date(t).toISOString();
}

function expectAt(actual: number, expected: string): void {
  expect(iso(actual)).toBe(iso(at(expected)));
}

/** The EngineError code `fn` throws, or "no error". Other errors propagate. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof EngineError) return e.code;
    throw e;
  }
  return "no error";
}

/** Day number (days since 1970-01-01) of a date. */
function day(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 86_400_000;
}

const nine: Hours = [["09:00", "17:00"]];
const weekdays = { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine };
const always: Hours = [["00:00", "24:00"]];
const everyDay = (h: Hours) => ({ mon: h, tue: h, wed: h, thu: h, fri: h, sat: h, sun: h });

/** Mon–Fri 09:00–17:00 in Los Angeles. */
const office = compile({ timeZone: "America/Los_Angeles", hours: weekdays });

describe("add: walking forward through open time", () => {
  it("a start outside hours begins at the next opening (Sat 12:00 + 1 h → Mon 09:00 + 1 h = Mon 10:00)", () => {
    expectAt(add(office, at("2026-01-10T12:00:00-08:00"), HOUR), "2026-01-12T10:00:00-08:00");
  });

  it("a start before the day's opening begins at the opening (Mon 07:00 + 30 min = Mon 09:30)", () => {
    expectAt(add(office, at("2026-01-05T07:00:00-08:00"), 30 * MINUTE), "2026-01-05T09:30:00-08:00");
  });

  it("open time carries over the night (Mon 16:00 + 2 h = 1 h on Mon + 1 h on Tue → Tue 10:00)", () => {
    expectAt(add(office, at("2026-01-05T16:00:00-08:00"), 2 * HOUR), "2026-01-06T10:00:00-08:00");
  });

  it("running out exactly at a closing returns that closing, not the next opening (Mon 13:00 + 4 h = Mon 17:00)", () => {
    expectAt(add(office, at("2026-01-05T13:00:00-08:00"), 4 * HOUR), "2026-01-05T17:00:00-08:00");
  });

  it("running out at a closing after crossing a night returns it (Mon 16:00 + 9 h = 1 h + 8 h → Tue 17:00)", () => {
    expectAt(add(office, at("2026-01-05T16:00:00-08:00"), 9 * HOUR), "2026-01-06T17:00:00-08:00");
  });

  it("1 ms from 16:59:59.999 runs out at the closing 17:00", () => {
    expectAt(add(office, at("2026-01-05T16:59:59.999-08:00"), 1), "2026-01-05T17:00:00-08:00");
  });

  it("adding 0 to an open instant returns the start (Mon 10:15)", () => {
    expectAt(add(office, at("2026-01-05T10:15:00-08:00"), 0), "2026-01-05T10:15:00-08:00");
  });

  it("adding 0 exactly at an opening returns the opening (Mon 09:00)", () => {
    expectAt(add(office, at("2026-01-05T09:00:00-08:00"), 0), "2026-01-05T09:00:00-08:00");
  });

  it("adding 0 at a closing returns the next opening: intervals are [start, end) (Mon 17:00 → Tue 09:00)", () => {
    expectAt(add(office, at("2026-01-05T17:00:00-08:00"), 0), "2026-01-06T09:00:00-08:00");
  });

  it("adding 0 outside hours returns the next opening, as nextOpening does (Sat 12:00 → Mon 09:00)", () => {
    expectAt(add(office, at("2026-01-10T12:00:00-08:00"), 0), "2026-01-12T09:00:00-08:00");
    expectAt(nextOpening(office, at("2026-01-10T12:00:00-08:00")), "2026-01-12T09:00:00-08:00");
  });

  it("a 40-hour amount is one whole working week (Mon 09:00 + 40 h = Fri 17:00)", () => {
    expectAt(add(office, at("2026-01-05T09:00:00-08:00"), 40 * HOUR), "2026-01-09T17:00:00-08:00");
  });
});

describe("subtractTime: walking backward", () => {
  it("walks back through the night (Tue 10:00 − 2 h = 1 h on Tue + 1 h on Mon → Mon 16:00)", () => {
    expectAt(subtractTime(office, at("2026-01-06T10:00:00-08:00"), 2 * HOUR), "2026-01-05T16:00:00-08:00");
  });

  it("running out exactly at an opening returns that opening, not the previous closing (Tue 11:00 − 2 h = Tue 09:00)", () => {
    expectAt(subtractTime(office, at("2026-01-06T11:00:00-08:00"), 2 * HOUR), "2026-01-06T09:00:00-08:00");
  });

  it("a start outside hours walks back from the previous closing (Sat 12:00 − 1 h = Fri 16:00)", () => {
    expectAt(subtractTime(office, at("2026-01-10T12:00:00-08:00"), HOUR), "2026-01-09T16:00:00-08:00");
  });

  it("subtracting 0 outside hours returns the previous closing (Sat 12:00 → Fri 17:00)", () => {
    expectAt(subtractTime(office, at("2026-01-10T12:00:00-08:00"), 0), "2026-01-09T17:00:00-08:00");
  });

  it("subtracting 0 inside hours returns the start (Mon 10:15)", () => {
    expectAt(subtractTime(office, at("2026-01-05T10:15:00-08:00"), 0), "2026-01-05T10:15:00-08:00");
  });
});

describe("addBusinessDays: the N-th business date after the start's local date, same local time", () => {
  it("1 business day from Fri 10:00 is Mon 10:00 (Sat and Sun have no hours)", () => {
    expectAt(addBusinessDays(office, at("2026-01-09T10:00:00-08:00"), 1), "2026-01-12T10:00:00-08:00");
  });

  it("2 business days from Thu 15:00 is Mon 15:00 (Fri is the 1st, Mon the 2nd)", () => {
    expectAt(addBusinessDays(office, at("2026-01-08T15:00:00-08:00"), 2), "2026-01-12T15:00:00-08:00");
  });

  it("from a Saturday the 1st business date after it is Monday, same local time (Sat 12:00 + 1 = Mon 12:00)", () => {
    expectAt(addBusinessDays(office, at("2026-01-10T12:00:00-08:00"), 1), "2026-01-12T12:00:00-08:00");
  });

  it("a local time after closing moves on to the next opening (Fri 18:00 + 1 → Mon 18:00, closed → Tue 09:00)", () => {
    expectAt(addBusinessDays(office, at("2026-01-09T18:00:00-08:00"), 1), "2026-01-13T09:00:00-08:00");
  });

  it("a local time before opening moves on to that day's opening (Fri 07:00 + 1 → Mon 07:00 → Mon 09:00)", () => {
    expectAt(addBusinessDays(office, at("2026-01-09T07:00:00-08:00"), 1), "2026-01-12T09:00:00-08:00");
  });

  it("a holiday is not a business date (Mon 12 Jan a holiday: Fri 10:00 + 1 = Tue 10:00)", () => {
    const cal = compile({ timeZone: "America/Los_Angeles", hours: weekdays, holidays: ["2026-01-12"] });
    expectAt(addBusinessDays(cal, at("2026-01-09T10:00:00-08:00"), 1), "2026-01-13T10:00:00-08:00");
  });

  it("an override opening a Saturday makes it a business date (Sat 10:00–14:00: Fri 11:00 + 1 = Sat 11:00)", () => {
    const cal = compile({ timeZone: "America/Los_Angeles", hours: weekdays, overrides: { "2026-01-10": [["10:00", "14:00"]] } });
    expectAt(addBusinessDays(cal, at("2026-01-09T11:00:00-08:00"), 1), "2026-01-10T11:00:00-08:00");
  });

  it("an empty override is not a business date (Mon closed: Fri 10:00 + 1 = Tue 10:00)", () => {
    const cal = compile({ timeZone: "America/Los_Angeles", hours: weekdays, overrides: { "2026-01-12": [] } });
    expectAt(addBusinessDays(cal, at("2026-01-09T10:00:00-08:00"), 1), "2026-01-13T10:00:00-08:00");
  });

  it("0 business days is the start if open, else the next opening", () => {
    expectAt(addBusinessDays(office, at("2026-01-05T10:00:00-08:00"), 0), "2026-01-05T10:00:00-08:00");
    expectAt(addBusinessDays(office, at("2026-01-10T10:00:00-08:00"), 0), "2026-01-12T09:00:00-08:00");
  });

  it("5 business days from Mon 10:00 is the next Mon 10:00", () => {
    expectAt(addBusinessDays(office, at("2026-01-05T10:00:00-08:00"), 5), "2026-01-12T10:00:00-08:00");
  });
});

describe("subtractBusinessDays: the N-th business date before the start's local date, same local time, then the last open instant at or before it", () => {
  it("1 business day before Mon 10:00 is Fri 10:00 (Sat and Sun have no hours)", () => {
    expectAt(subtractBusinessDays(office, at("2026-01-12T10:00:00-08:00"), 1), "2026-01-09T10:00:00-08:00");
  });

  it("2 business days before Tue 15:00 is Fri 15:00 (Mon is the 1st, Fri the 2nd)", () => {
    expectAt(subtractBusinessDays(office, at("2026-01-13T15:00:00-08:00"), 2), "2026-01-09T15:00:00-08:00");
  });

  it("from a Sunday the 1st business date before it is Friday, same local time (Sun 12:00 − 1 = Fri 12:00)", () => {
    expectAt(subtractBusinessDays(office, at("2026-01-11T12:00:00-08:00"), 1), "2026-01-09T12:00:00-08:00");
  });

  it("the local time is kept to the millisecond (Tue 10:15:30.250 − 1 = Mon 10:15:30.250)", () => {
    expectAt(subtractBusinessDays(office, at("2026-01-13T10:15:30.250-08:00"), 1), "2026-01-12T10:15:30.250-08:00");
  });

  it("a local time after closing moves back to that day's closing (Tue 18:00 − 1 → Mon 18:00, closed → Mon 17:00)", () => {
    expectAt(subtractBusinessDays(office, at("2026-01-13T18:00:00-08:00"), 1), "2026-01-12T17:00:00-08:00");
  });

  it("a local time before opening moves back to the previous closing (Tue 07:00 − 1 → Mon 07:00 → Fri 17:00)", () => {
    expectAt(subtractBusinessDays(office, at("2026-01-13T07:00:00-08:00"), 1), "2026-01-09T17:00:00-08:00");
  });

  it("landing exactly on a closing keeps it (Tue 17:00 − 1 = Mon 17:00)", () => {
    expectAt(subtractBusinessDays(office, at("2026-01-13T17:00:00-08:00"), 1), "2026-01-12T17:00:00-08:00");
  });

  it("landing exactly on an opening keeps it (Tue 09:00 − 1 = Mon 09:00)", () => {
    expectAt(subtractBusinessDays(office, at("2026-01-13T09:00:00-08:00"), 1), "2026-01-12T09:00:00-08:00");
  });

  it("a holiday is not a business date (Mon 12 Jan a holiday: Tue 10:00 − 1 = Fri 10:00)", () => {
    const cal = compile({ timeZone: "America/Los_Angeles", hours: weekdays, holidays: ["2026-01-12"] });
    expectAt(subtractBusinessDays(cal, at("2026-01-13T10:00:00-08:00"), 1), "2026-01-09T10:00:00-08:00");
  });

  it("an override opening a Saturday makes it a business date (Sat 10:00–14:00: Mon 11:00 − 1 = Sat 11:00)", () => {
    const cal = compile({ timeZone: "America/Los_Angeles", hours: weekdays, overrides: { "2026-01-10": [["10:00", "14:00"]] } });
    expectAt(subtractBusinessDays(cal, at("2026-01-12T11:00:00-08:00"), 1), "2026-01-10T11:00:00-08:00");
  });

  it("an empty override is not a business date (Fri closed: Mon 10:00 − 1 = Thu 10:00)", () => {
    const cal = compile({ timeZone: "America/Los_Angeles", hours: weekdays, overrides: { "2026-01-09": [] } });
    expectAt(subtractBusinessDays(cal, at("2026-01-12T10:00:00-08:00"), 1), "2026-01-08T10:00:00-08:00");
  });

  it("5 business days before Mon 10:00 is the previous Mon 10:00", () => {
    expectAt(subtractBusinessDays(office, at("2026-01-12T10:00:00-08:00"), 5), "2026-01-05T10:00:00-08:00");
  });

  it("0 business days from an open instant is the start (Mon 10:15)", () => {
    expectAt(subtractBusinessDays(office, at("2026-01-05T10:15:00-08:00"), 0), "2026-01-05T10:15:00-08:00");
  });

  it("0 business days from an opening is that opening (Mon 09:00)", () => {
    expectAt(subtractBusinessDays(office, at("2026-01-05T09:00:00-08:00"), 0), "2026-01-05T09:00:00-08:00");
  });

  it("0 business days from a closing is that closing (Mon 17:00)", () => {
    expectAt(subtractBusinessDays(office, at("2026-01-05T17:00:00-08:00"), 0), "2026-01-05T17:00:00-08:00");
  });

  it("0 business days outside hours is the previous closing (Sat 10:00 → Fri 17:00)", () => {
    expectAt(subtractBusinessDays(office, at("2026-01-10T10:00:00-08:00"), 0), "2026-01-09T17:00:00-08:00");
  });
});

describe("business dates and closings", () => {
  const cal = compile({
    timeZone: "America/Los_Angeles",
    hours: { ...weekdays, tue: [["22:00", "06:00"]] },
    holidays: ["2026-01-07"],
    overrides: { "2026-01-10": [["10:00", "14:00"]], "2026-01-08": [] },
    breaks: { "2026-01-05": [["16:00", "17:00"]] },
  });

  it("a business date is a local date with opening hours after holidays and overrides", () => {
    expect(isBusinessDate(cal, day("2026-01-05"))).toBe(true); // Mon, weekly hours
    expect(isBusinessDate(cal, day("2026-01-07"))).toBe(false); // Wed, holiday
    expect(isBusinessDate(cal, day("2026-01-08"))).toBe(false); // Thu, empty override
    expect(isBusinessDate(cal, day("2026-01-10"))).toBe(true); // Sat, override
    expect(isBusinessDate(cal, day("2026-01-11"))).toBe(false); // Sun, no hours
  });

  it("nthBusinessDateAfter skips the holiday and the empty override (after Tue 6: Fri 9, Sat 10, Mon 12)", () => {
    expect(nthBusinessDateAfter(cal, day("2026-01-06"), 1)).toBe(day("2026-01-09"));
    expect(nthBusinessDateAfter(cal, day("2026-01-06"), 2)).toBe(day("2026-01-10"));
    expect(nthBusinessDateAfter(cal, day("2026-01-06"), 3)).toBe(day("2026-01-12"));
  });

  it("nthBusinessDateBefore skips the empty override and the holiday (before Mon 12: Sat 10, Fri 9, Tue 6)", () => {
    expect(nthBusinessDateBefore(cal, day("2026-01-12"), 1)).toBe(day("2026-01-10"));
    expect(nthBusinessDateBefore(cal, day("2026-01-12"), 2)).toBe(day("2026-01-09"));
    expect(nthBusinessDateBefore(cal, day("2026-01-12"), 3)).toBe(day("2026-01-06"));
  });

  it("a date closes at the end of its last open span (Fri 9 → 17:00)", () => {
    expectAt(closingOf(cal, day("2026-01-09")), "2026-01-09T17:00:00-08:00");
  });

  it("a break covering the end of the day moves the closing to the break's start (Mon 5 → 16:00)", () => {
    expectAt(closingOf(cal, day("2026-01-05")), "2026-01-05T16:00:00-08:00");
  });

  it("an overnight span closes the next morning (Tue 6 22:00–06:00 → Wed 06:00)", () => {
    expectAt(closingOf(cal, day("2026-01-06")), "2026-01-07T06:00:00-08:00");
  });

  it("a date that is not a business date has no closing (no-open-time)", () => {
    expect(codeOf(() => closingOf(cal, day("2026-01-07")))).toBe("no-open-time");
  });
});

describe("within: open time between two instants", () => {
  it("counts only open time (Mon 08:00 → Mon 18:00 = 8 h)", () => {
    expect(within(office, at("2026-01-05T08:00:00-08:00"), at("2026-01-05T18:00:00-08:00"))).toBe(8 * HOUR);
  });

  it("counts across a weekend (Fri 16:00 → Mon 10:00 = 1 h + 1 h)", () => {
    expect(within(office, at("2026-01-09T16:00:00-08:00"), at("2026-01-12T10:00:00-08:00"))).toBe(2 * HOUR);
  });

  it("a whole week of Mon–Fri 09:00–17:00 is 40 h", () => {
    expect(within(office, at("2026-01-05T00:00:00-08:00"), at("2026-01-12T00:00:00-08:00"))).toBe(40 * HOUR);
  });

  it("is 0 when the end is before the start", () => {
    expect(within(office, at("2026-01-05T12:00:00-08:00"), at("2026-01-05T10:00:00-08:00"))).toBe(0);
  });

  it("is 0 when the end equals the start", () => {
    expect(within(office, at("2026-01-05T12:00:00-08:00"), at("2026-01-05T12:00:00-08:00"))).toBe(0);
  });
});

describe("isOpen: intervals are [start, end)", () => {
  it("is open at the opening instant", () => {
    expect(isOpen(office, at("2026-01-05T09:00:00-08:00"))).toBe(true);
  });

  it("is open 1 ms before the closing", () => {
    expect(isOpen(office, at("2026-01-05T16:59:59.999-08:00"))).toBe(true);
  });

  it("is closed at the closing instant", () => {
    expect(isOpen(office, at("2026-01-05T17:00:00-08:00"))).toBe(false);
  });

  it("is closed 1 ms before the opening", () => {
    expect(isOpen(office, at("2026-01-05T08:59:59.999-08:00"))).toBe(false);
  });

  it("is closed on a weekday without hours (Sat 12:00)", () => {
    expect(isOpen(office, at("2026-01-10T12:00:00-08:00"))).toBe(false);
  });
});

describe("hours: several intervals a day, 24:00 and overnight intervals", () => {
  const split = compile({
    timeZone: "America/Los_Angeles",
    hours: {
      mon: [
        ["09:00", "12:00"],
        ["13:00", "17:00"],
      ],
    },
  });

  it("several intervals a day: the gap between them is skipped (Mon 11:00 + 2 h = 1 h + 1 h → 14:00)", () => {
    expectAt(add(split, at("2026-01-05T11:00:00-08:00"), 2 * HOUR), "2026-01-05T14:00:00-08:00");
  });

  it("several intervals a day: running out at the first interval's end returns 12:00", () => {
    expectAt(add(split, at("2026-01-05T11:00:00-08:00"), HOUR), "2026-01-05T12:00:00-08:00");
  });

  it("several intervals a day: the gap is closed and the day holds 3 h + 4 h", () => {
    expect(isOpen(split, at("2026-01-05T12:30:00-08:00"))).toBe(false);
    expect(within(split, at("2026-01-05T00:00:00-08:00"), at("2026-01-06T00:00:00-08:00"))).toBe(7 * HOUR);
  });

  const lateSaturday = compile({ timeZone: "America/Los_Angeles", hours: { sat: [["18:00", "24:00"]] } });

  it('"24:00" is the next midnight: open at Sat 23:59:59.999, closed at Sun 00:00', () => {
    expect(isOpen(lateSaturday, at("2026-01-10T23:59:59.999-08:00"))).toBe(true);
    expect(isOpen(lateSaturday, at("2026-01-11T00:00:00-08:00"))).toBe(false);
  });

  it('"24:00": adding runs out at the midnight closing (Sat 23:00 + 1 h = Sun 00:00)', () => {
    expectAt(add(lateSaturday, at("2026-01-10T23:00:00-08:00"), HOUR), "2026-01-11T00:00:00-08:00");
  });

  const tuesdayNight = compile({ timeZone: "America/Los_Angeles", hours: { tue: [["22:00", "06:00"]] } });

  it("an interval whose end is not after its start runs overnight into the next day (open Wed 05:00)", () => {
    expect(isOpen(tuesdayNight, at("2026-01-07T05:00:00-08:00"))).toBe(true);
  });

  it("an overnight interval belongs to the day it starts (Tue 05:00 is closed: Monday has no hours)", () => {
    expect(isOpen(tuesdayNight, at("2026-01-06T05:00:00-08:00"))).toBe(false);
  });

  it("adding through an overnight interval runs out at its morning closing (Tue 23:00 + 7 h = Wed 06:00)", () => {
    expectAt(add(tuesdayNight, at("2026-01-06T23:00:00-08:00"), 7 * HOUR), "2026-01-07T06:00:00-08:00");
  });

  it("within over Tue and Wed counts the overnight interval once (22:00 → 06:00 = 8 h)", () => {
    expect(within(tuesdayNight, at("2026-01-06T00:00:00-08:00"), at("2026-01-08T00:00:00-08:00"))).toBe(8 * HOUR);
  });

  it("an interval whose end equals its start runs 24 hours (Mon 10:00 → Tue 10:00)", () => {
    const cal = compile({ timeZone: "America/Los_Angeles", hours: { mon: [["10:00", "10:00"]] } });
    expect(within(cal, at("2026-01-05T00:00:00-08:00"), at("2026-01-07T00:00:00-08:00"))).toBe(24 * HOUR);
    expect(isOpen(cal, at("2026-01-06T09:59:59.999-08:00"))).toBe(true);
    expect(isOpen(cal, at("2026-01-06T10:00:00-08:00"))).toBe(false);
  });

  const sundayNight = { timeZone: "America/Los_Angeles", hours: { sun: [["22:00", "06:00"]] as Hours } };

  it("Sunday's overnight interval runs into Monday (Mon 12 Jan 03:00 is open)", () => {
    expect(isOpen(compile(sundayNight), at("2026-01-12T03:00:00-08:00"))).toBe(true);
  });

  it("Sunday's overnight interval is 8 h across the week's end (Sun 00:00 → Mon 12:00)", () => {
    expect(within(compile(sundayNight), at("2026-01-11T00:00:00-08:00"), at("2026-01-12T12:00:00-08:00"))).toBe(8 * HOUR);
  });

  it("a Monday holiday keeps Sunday's overnight interval running into it (it started on Sunday)", () => {
    const cal = compile({ ...sundayNight, holidays: ["2026-01-12"] });
    expect(isOpen(cal, at("2026-01-12T03:00:00-08:00"))).toBe(true);
  });

  it("a Sunday holiday drops Sunday's overnight interval, its Monday morning included", () => {
    const cal = compile({ ...sundayNight, holidays: ["2026-01-11"] });
    expect(isOpen(cal, at("2026-01-11T23:00:00-08:00"))).toBe(false);
    expect(isOpen(cal, at("2026-01-12T03:00:00-08:00"))).toBe(false);
  });
});

describe('times with seconds ("HH:MM:SS")', () => {
  // Mon–Fri 09:00:30–17:45:15 in Los Angeles: 8 h 44 min 45 s a day.
  const precise = compile({ timeZone: "America/Los_Angeles", hours: { mon: [["09:00:30", "17:45:15"]], tue: [["09:00:30", "17:45:15"]] } });

  it("opens on the second: closed at 09:00:29.999, open at 09:00:30", () => {
    expect(isOpen(precise, at("2026-01-05T09:00:29.999-08:00"))).toBe(false);
    expect(isOpen(precise, at("2026-01-05T09:00:30-08:00"))).toBe(true);
  });

  it("closes on the second: open at 17:45:14.999, closed at 17:45:15", () => {
    expect(isOpen(precise, at("2026-01-05T17:45:14.999-08:00"))).toBe(true);
    expect(isOpen(precise, at("2026-01-05T17:45:15-08:00"))).toBe(false);
  });

  it("adding from before hours starts at the opening's second (Mon 08:00 + 1 h = 10:00:30)", () => {
    expectAt(add(precise, at("2026-01-05T08:00:00-08:00"), HOUR), "2026-01-05T10:00:30-08:00");
  });

  it("adding runs out at the closing's second (Mon 17:00 + 45 min 15 s = 17:45:15)", () => {
    expectAt(add(precise, at("2026-01-05T17:00:00-08:00"), 45 * MINUTE + 15_000), "2026-01-05T17:45:15-08:00");
  });

  it("subtracting walks back past the opening's second into the day before (Tue 10:00:30 − 1 h 10 s = Mon 17:45:05)", () => {
    expectAt(subtractTime(precise, at("2026-01-06T10:00:30-08:00"), HOUR + 10_000), "2026-01-05T17:45:05-08:00");
  });

  it("within counts the seconds (a day is 8 h 44 min 45 s)", () => {
    expect(within(precise, at("2026-01-05T00:00:00-08:00"), at("2026-01-06T00:00:00-08:00"))).toBe(8 * HOUR + 44 * MINUTE + 45_000);
  });

  it("a date closes at its closing's second (Mon → 17:45:15)", () => {
    expectAt(closingOf(precise, day("2026-01-05")), "2026-01-05T17:45:15-08:00");
  });

  it("a break with seconds removes exactly that time (break 12:00:00–12:00:45: Mon 8 h 44 min)", () => {
    const cal = compile({
      timeZone: "America/Los_Angeles",
      hours: { mon: [["09:00:30", "17:45:15"]] },
      breaks: { "2026-01-05": [["12:00:00", "12:00:45"]] },
    });
    expect(within(cal, at("2026-01-05T00:00:00-08:00"), at("2026-01-06T00:00:00-08:00"))).toBe(8 * HOUR + 44 * MINUTE);
  });

  it("a skipped opening with seconds moves one hour later (Sun 8 Mar 02:30:45 → 03:30:45 PDT)", () => {
    const cal = compile({ timeZone: "America/Los_Angeles", hours: { sun: [["02:30:45", "05:00"]] } });
    expectAt(nextOpening(cal, at("2026-03-08T00:00:00-08:00")), "2026-03-08T03:30:45-07:00");
  });
});

describe("holidays, overrides and breaks", () => {
  // Every night 22:00–06:00, Wednesday 7 January a holiday.
  const nightly = compile({ timeZone: "America/Los_Angeles", hours: everyDay([["22:00", "06:00"]]), holidays: ["2026-01-07"] });

  it("an overnight interval that started the day before still runs into the holiday (Wed 05:00 open)", () => {
    expect(isOpen(nightly, at("2026-01-07T05:00:00-08:00"))).toBe(true);
  });

  it("the interval that starts on the holiday is dropped (Wed 23:00 closed)", () => {
    expect(isOpen(nightly, at("2026-01-07T23:00:00-08:00"))).toBe(false);
  });

  it("the dropped interval's next morning is closed too (Thu 05:00 closed)", () => {
    expect(isOpen(nightly, at("2026-01-08T05:00:00-08:00"))).toBe(false);
  });

  it("the interval after the holiday opens again (Thu 23:00 open)", () => {
    expect(isOpen(nightly, at("2026-01-08T23:00:00-08:00"))).toBe(true);
  });

  it("within Tue 00:00 → Fri 00:00 around the holiday: Tue 00–06 + Tue 22–Wed 06 + Thu 22–24 = 16 h", () => {
    expect(within(nightly, at("2026-01-06T00:00:00-08:00"), at("2026-01-09T00:00:00-08:00"))).toBe(16 * HOUR);
  });

  const holidayMonday = compile({ timeZone: "America/Los_Angeles", hours: weekdays, holidays: ["2026-01-12"] });

  it("a holiday has no open time (Mon 12 Jan: 0 h)", () => {
    expect(within(holidayMonday, at("2026-01-12T00:00:00-08:00"), at("2026-01-13T00:00:00-08:00"))).toBe(0);
  });

  it("adding skips a holiday (Fri 16:00 + 2 h = Fri 1 h + Tue 1 h → Tue 10:00)", () => {
    expectAt(add(holidayMonday, at("2026-01-09T16:00:00-08:00"), 2 * HOUR), "2026-01-13T10:00:00-08:00");
  });

  it("an override replaces the date's intervals (Mon 10:00–12:00 instead of 09:00–17:00)", () => {
    const cal = compile({ timeZone: "America/Los_Angeles", hours: weekdays, overrides: { "2026-01-05": [["10:00", "12:00"]] } });
    expect(isOpen(cal, at("2026-01-05T09:30:00-08:00"))).toBe(false);
    expect(isOpen(cal, at("2026-01-05T11:00:00-08:00"))).toBe(true);
    expect(isOpen(cal, at("2026-01-05T13:00:00-08:00"))).toBe(false);
  });

  it("an empty override closes the date (Mon closed: Mon 08:00 + 1 h = Tue 10:00)", () => {
    const cal = compile({ timeZone: "America/Los_Angeles", hours: weekdays, overrides: { "2026-01-05": [] } });
    expectAt(add(cal, at("2026-01-05T08:00:00-08:00"), HOUR), "2026-01-06T10:00:00-08:00");
  });

  it("an override opens a date without weekly hours (Sat 10:00–14:00: 4 h)", () => {
    const cal = compile({ timeZone: "America/Los_Angeles", hours: weekdays, overrides: { "2026-01-10": [["10:00", "14:00"]] } });
    expect(within(cal, at("2026-01-10T00:00:00-08:00"), at("2026-01-11T00:00:00-08:00"))).toBe(4 * HOUR);
  });

  const lunch = compile({ timeZone: "America/Los_Angeles", hours: weekdays, breaks: { "2026-01-05": [["12:00", "13:00"]] } });

  it("a break removes time from the open period (Mon: 8 h − 1 h = 7 h)", () => {
    expect(within(lunch, at("2026-01-05T00:00:00-08:00"), at("2026-01-06T00:00:00-08:00"))).toBe(7 * HOUR);
  });

  it("adding skips a break (Mon 11:00 + 2 h = 11–12 + 13–14 → 14:00)", () => {
    expectAt(add(lunch, at("2026-01-05T11:00:00-08:00"), 2 * HOUR), "2026-01-05T14:00:00-08:00");
  });

  it("the calendar is closed during a break (Mon 12:30)", () => {
    expect(isOpen(lunch, at("2026-01-05T12:30:00-08:00"))).toBe(false);
  });

  it("a break applies only on its date (Tue 12:30 is open)", () => {
    expect(isOpen(lunch, at("2026-01-06T12:30:00-08:00"))).toBe(true);
  });

  it("a break at the end of the day makes its start the closing (break 16:00–17:00: Mon 15:00 + 1 h = 16:00)", () => {
    const cal = compile({ timeZone: "America/Los_Angeles", hours: weekdays, breaks: { "2026-01-05": [["16:00", "17:00"]] } });
    expectAt(add(cal, at("2026-01-05T15:00:00-08:00"), HOUR), "2026-01-05T16:00:00-08:00");
  });

  it("a break outside open hours changes nothing (break 18:00–19:00: Mon still 8 h)", () => {
    const cal = compile({ timeZone: "America/Los_Angeles", hours: weekdays, breaks: { "2026-01-05": [["18:00", "19:00"]] } });
    expect(within(cal, at("2026-01-05T00:00:00-08:00"), at("2026-01-06T00:00:00-08:00"))).toBe(8 * HOUR);
  });
});

describe("refusals", () => {
  const t = at("2026-01-05T10:00:00-08:00");

  it("add refuses a negative amount (invalid-amount)", () => {
    expect(codeOf(() => add(office, t, -1))).toBe("invalid-amount");
  });

  it("subtractTime refuses a negative amount (invalid-amount)", () => {
    expect(codeOf(() => subtractTime(office, t, -HOUR))).toBe("invalid-amount");
  });

  it("addBusinessDays refuses a negative number of days (invalid-amount)", () => {
    expect(codeOf(() => addBusinessDays(office, t, -1))).toBe("invalid-amount");
  });

  it("subtractBusinessDays refuses a negative number of days (invalid-amount)", () => {
    expect(codeOf(() => subtractBusinessDays(office, t, -1))).toBe("invalid-amount");
  });

  it("subtractBusinessDays back before 1971 is out of range (Tue 5 Jan 1971 − 5 → Tue 29 Dec 1970)", () => {
    expect(codeOf(() => subtractBusinessDays(office, at("1971-01-05T10:00:00-08:00"), 5))).toBe("out-of-range");
  });

  it("fractional and non-finite amounts are refused (invalid-amount)", () => {
    expect(codeOf(() => add(office, t, 1.5))).toBe("invalid-amount");
    expect(codeOf(() => add(office, t, Number.NaN))).toBe("invalid-amount");
    expect(codeOf(() => add(office, t, Number.POSITIVE_INFINITY))).toBe("invalid-amount");
  });

  // The fixed-offset zones and the zones with daylight saving take different paths.
  describe.each(["UTC", "Asia/Kolkata", "America/Los_Angeles", "Australia/Lord_Howe"])("a calendar with no open time in %s", (timeZone) => {
    // The schema refuses such a calendar; the engine must still refuse to walk it, not loop.
    const closed = compileCalendar({ timeZone, hours: {}, holidays: [], overrides: {}, breaks: {} });

    it("add throws no-open-time instead of walking on", () => {
      expect(codeOf(() => add(closed, t, HOUR))).toBe("no-open-time");
    });

    it("nextOpening throws no-open-time", () => {
      expect(codeOf(() => nextOpening(closed, t))).toBe("no-open-time");
    });

    it("subtractTime throws no-open-time", () => {
      expect(codeOf(() => subtractTime(closed, t, HOUR))).toBe("no-open-time");
    });

    it("addBusinessDays throws no-open-time", () => {
      expect(codeOf(() => addBusinessDays(closed, t, 1))).toBe("no-open-time");
    });

    it("subtractBusinessDays throws no-open-time", () => {
      expect(codeOf(() => subtractBusinessDays(closed, t, 1))).toBe("no-open-time");
    });

    it("within is 0 and isOpen is false", () => {
      expect(within(closed, t, t + 1000 * 24 * HOUR)).toBe(0);
      expect(isOpen(closed, t)).toBe(false);
    });

    it("with only a past override, adding from after it throws no-open-time", () => {
      const cal = compile({ timeZone, hours: {}, overrides: { "2025-12-01": [["09:00", "10:00"]] } });
      expect(codeOf(() => add(cal, t, HOUR))).toBe("no-open-time");
    });

    it("with only a future override, subtracting from before it throws no-open-time", () => {
      const cal = compile({ timeZone, hours: {}, overrides: { "2026-02-02": [["09:00", "10:00"]] } });
      expect(codeOf(() => subtractTime(cal, t, HOUR))).toBe("no-open-time");
    });

    it("an override's open time is still found, and asking for more than it holds throws no-open-time", () => {
      const cal = compile({ timeZone, hours: {}, overrides: { "2026-02-02": [["09:00", "10:00"]] } });
      expect(within(cal, t, add(cal, t, HOUR))).toBe(HOUR);
      expect(codeOf(() => add(cal, t, HOUR + 1))).toBe("no-open-time");
    });
  });
});

describe("daylight saving: America/Los_Angeles (PST −08:00 / PDT −07:00; 2026-03-08 02:00 → 03:00, 2026-11-01 02:00 → 01:00)", () => {
  const satNight = compile({ timeZone: "America/Los_Angeles", hours: { sat: [["22:00", "06:00"]] } });
  const allDay = compile({ timeZone: "America/Los_Angeles", hours: everyDay(always) });

  it("spring forward: Sat 22:00 PST → Sun 06:00 PDT is 7 real hours", () => {
    expect(within(satNight, at("2026-03-07T00:00:00-08:00"), at("2026-03-09T00:00:00-07:00"))).toBe(7 * HOUR);
  });

  it("spring forward: adding 7 h from Sat 22:00 PST runs out at the closing Sun 06:00 PDT", () => {
    expectAt(add(satNight, at("2026-03-07T22:00:00-08:00"), 7 * HOUR), "2026-03-08T06:00:00-07:00");
  });

  it("spring forward: subtracting 7 h from Sun 06:00 PDT runs out at the opening Sat 22:00 PST", () => {
    expectAt(subtractTime(satNight, at("2026-03-08T06:00:00-07:00"), 7 * HOUR), "2026-03-07T22:00:00-08:00");
  });

  it("fall back: Sat 22:00 PDT → Sun 06:00 PST is 9 real hours", () => {
    expect(within(satNight, at("2026-10-31T00:00:00-07:00"), at("2026-11-02T00:00:00-08:00"))).toBe(9 * HOUR);
  });

  it("fall back: adding 9 h from Sat 22:00 PDT runs out at the closing Sun 06:00 PST", () => {
    expectAt(add(satNight, at("2026-10-31T22:00:00-07:00"), 9 * HOUR), "2026-11-01T06:00:00-08:00");
  });

  it("durations are real elapsed time: 24 open hours from Sat 12:00 PST end Sun 13:00 PDT", () => {
    expectAt(add(allDay, at("2026-03-07T12:00:00-08:00"), 24 * HOUR), "2026-03-08T13:00:00-07:00");
  });

  it("durations are real elapsed time: 24 open hours from Sat 12:00 PDT end Sun 11:00 PST", () => {
    expectAt(add(allDay, at("2026-10-31T12:00:00-07:00"), 24 * HOUR), "2026-11-01T11:00:00-08:00");
  });

  it("an always-open calendar counts the 23-hour and 25-hour days as they are", () => {
    expect(within(allDay, at("2026-03-08T00:00:00-08:00"), at("2026-03-09T00:00:00-07:00"))).toBe(23 * HOUR);
    expect(within(allDay, at("2026-11-01T00:00:00-07:00"), at("2026-11-02T00:00:00-08:00"))).toBe(25 * HOUR);
  });

  const skippedOpening = compile({ timeZone: "America/Los_Angeles", hours: { sun: [["02:30", "05:00"]] } });

  it("spring forward: an opening at the skipped 02:30 moves one hour later, to 03:30 PDT", () => {
    expectAt(nextOpening(skippedOpening, at("2026-03-08T00:00:00-08:00")), "2026-03-08T03:30:00-07:00");
  });

  it("spring forward: 03:15 PDT, before the moved opening, is closed", () => {
    expect(isOpen(skippedOpening, at("2026-03-08T03:15:00-07:00"))).toBe(false);
  });

  it("spring forward: the interval 02:30–05:00 is 1.5 real hours (03:30 PDT → 05:00 PDT)", () => {
    expect(within(skippedOpening, at("2026-03-08T00:00:00-08:00"), at("2026-03-09T00:00:00-07:00"))).toBe(1.5 * HOUR);
  });

  it("fall back: an opening at the repeated 01:30 is its first occurrence (01:30 PDT), 4.5 real hours to 05:00 PST", () => {
    const cal = compile({ timeZone: "America/Los_Angeles", hours: { sun: [["01:30", "05:00"]] } });
    expectAt(nextOpening(cal, at("2026-11-01T00:00:00-07:00")), "2026-11-01T01:30:00-07:00");
    expect(within(cal, at("2026-11-01T00:00:00-07:00"), at("2026-11-02T00:00:00-08:00"))).toBe(4.5 * HOUR);
  });

  it("fall back: a closing at the repeated 01:30 is its first occurrence, so the repeated 01:00–01:30 PST is closed", () => {
    const cal = compile({ timeZone: "America/Los_Angeles", hours: { sun: [["00:00", "01:30"]] } });
    expect(within(cal, at("2026-11-01T00:00:00-07:00"), at("2026-11-02T00:00:00-08:00"))).toBe(1.5 * HOUR);
    expect(isOpen(cal, at("2026-11-01T01:15:00-08:00"))).toBe(false);
  });

  it("N business days onto a skipped local time moves later by the gap (Sat 02:30 PST + 1 → Sun 02:30 → 03:30 PDT)", () => {
    expectAt(addBusinessDays(allDay, at("2026-03-07T02:30:00-08:00"), 1), "2026-03-08T03:30:00-07:00");
  });

  it("N business days onto a repeated local time means the first occurrence (Sat 01:30 PDT + 1 → Sun 01:30 PDT)", () => {
    expectAt(addBusinessDays(allDay, at("2026-10-31T01:30:00-07:00"), 1), "2026-11-01T01:30:00-07:00");
  });

  it("N business days back onto a skipped local time moves later by the gap (Mon 02:30 PDT − 1 → Sun 02:30 → 03:30 PDT)", () => {
    expectAt(subtractBusinessDays(allDay, at("2026-03-09T02:30:00-07:00"), 1), "2026-03-08T03:30:00-07:00");
  });

  it("N business days back onto a repeated local time means the first occurrence (Mon 01:30 PST − 1 → Sun 01:30 PDT)", () => {
    expectAt(subtractBusinessDays(allDay, at("2026-11-02T01:30:00-08:00"), 1), "2026-11-01T01:30:00-07:00");
  });

  it("N business days back across the change keep the local time (office: Mon 9 Mar 10:00 PDT − 1 = Fri 6 Mar 10:00 PST)", () => {
    expectAt(subtractBusinessDays(office, at("2026-03-09T10:00:00-07:00"), 1), "2026-03-06T10:00:00-08:00");
  });
});

describe("daylight saving: Europe/Madrid (CET +01:00 / CEST +02:00; 2026-03-29 02:00 → 03:00, 2026-10-25 03:00 → 02:00)", () => {
  const satNight = compile({ timeZone: "Europe/Madrid", hours: { sat: [["22:00", "06:00"]] } });
  const allDay = compile({ timeZone: "Europe/Madrid", hours: everyDay(always) });

  it("spring forward: Sat 22:00 CET → Sun 06:00 CEST is 7 real hours", () => {
    expect(within(satNight, at("2026-03-28T00:00:00+01:00"), at("2026-03-30T00:00:00+02:00"))).toBe(7 * HOUR);
  });

  it("fall back: Sat 22:00 CEST → Sun 06:00 CET is 9 real hours, and adding 9 h runs out at that closing", () => {
    expect(within(satNight, at("2026-10-24T00:00:00+02:00"), at("2026-10-26T00:00:00+01:00"))).toBe(9 * HOUR);
    expectAt(add(satNight, at("2026-10-24T22:00:00+02:00"), 9 * HOUR), "2026-10-25T06:00:00+01:00");
  });

  it("spring forward: an opening at the skipped 02:30 moves one hour later, to 03:30 CEST", () => {
    const cal = compile({ timeZone: "Europe/Madrid", hours: { sun: [["02:30", "05:00"]] } });
    expectAt(nextOpening(cal, at("2026-03-29T00:00:00+01:00")), "2026-03-29T03:30:00+02:00");
  });

  it("fall back: an opening at the repeated 02:30 is its first occurrence (CEST), 3.5 real hours to 05:00 CET", () => {
    const cal = compile({ timeZone: "Europe/Madrid", hours: { sun: [["02:30", "05:00"]] } });
    expectAt(nextOpening(cal, at("2026-10-25T00:00:00+02:00")), "2026-10-25T02:30:00+02:00");
    expect(within(cal, at("2026-10-25T00:00:00+02:00"), at("2026-10-26T00:00:00+01:00"))).toBe(3.5 * HOUR);
  });

  it("N business days onto a skipped local time moves later by the gap (Sat 02:30 CET + 1 → Sun 03:30 CEST)", () => {
    expectAt(addBusinessDays(allDay, at("2026-03-28T02:30:00+01:00"), 1), "2026-03-29T03:30:00+02:00");
  });

  it("N business days onto a repeated local time means the first occurrence (Sat 02:30 CEST + 1 → Sun 02:30 CEST)", () => {
    expectAt(addBusinessDays(allDay, at("2026-10-24T02:30:00+02:00"), 1), "2026-10-25T02:30:00+02:00");
  });

  it("office hours keep their local times across the change (Fri 16:00 CET + 2 h = Mon 10:00 CEST)", () => {
    const cal = compile({ timeZone: "Europe/Madrid", hours: weekdays });
    expectAt(add(cal, at("2026-03-27T16:00:00+01:00"), 2 * HOUR), "2026-03-30T10:00:00+02:00");
  });
});

describe("daylight saving: Australia/Lord_Howe, a 30-minute shift (+10:30 / +11:00; 2026-04-05 02:00 → 01:30, 2026-10-04 02:00 → 02:30)", () => {
  const satNight = compile({ timeZone: "Australia/Lord_Howe", hours: { sat: [["22:00", "06:00"]] } });
  const allDay = compile({ timeZone: "Australia/Lord_Howe", hours: everyDay(always) });

  it("spring forward: Sat 22:00 (+10:30) → Sun 06:00 (+11:00) is 7.5 real hours", () => {
    expect(within(satNight, at("2026-10-03T00:00:00+10:30"), at("2026-10-05T00:00:00+11:00"))).toBe(7.5 * HOUR);
  });

  it("fall back: Sat 22:00 (+11:00) → Sun 06:00 (+10:30) is 8.5 real hours", () => {
    expect(within(satNight, at("2026-04-04T00:00:00+11:00"), at("2026-04-06T00:00:00+10:30"))).toBe(8.5 * HOUR);
  });

  it("spring forward: adding 7.5 h from Sat 22:00 runs out at the closing Sun 06:00 (+11:00)", () => {
    expectAt(add(satNight, at("2026-10-03T22:00:00+10:30"), 7.5 * HOUR), "2026-10-04T06:00:00+11:00");
  });

  it("spring forward: an opening at the skipped 02:10 moves 30 minutes later, to 02:40 (+11:00); 2 h 20 min to 05:00", () => {
    const cal = compile({ timeZone: "Australia/Lord_Howe", hours: { sun: [["02:10", "05:00"]] } });
    expectAt(nextOpening(cal, at("2026-10-04T00:00:00+10:30")), "2026-10-04T02:40:00+11:00");
    expect(within(cal, at("2026-10-04T00:00:00+10:30"), at("2026-10-05T00:00:00+11:00"))).toBe(2 * HOUR + 20 * MINUTE);
  });

  it("fall back: an opening at the repeated 01:45 is its first occurrence (+11:00); 3 h 45 min to 05:00 (+10:30)", () => {
    const cal = compile({ timeZone: "Australia/Lord_Howe", hours: { sun: [["01:45", "05:00"]] } });
    expectAt(nextOpening(cal, at("2026-04-05T00:00:00+11:00")), "2026-04-05T01:45:00+11:00");
    expect(within(cal, at("2026-04-05T00:00:00+11:00"), at("2026-04-06T00:00:00+10:30"))).toBe(3 * HOUR + 45 * MINUTE);
  });

  it("the always-open days are 23.5 h (October) and 24.5 h (April)", () => {
    expect(within(allDay, at("2026-10-04T00:00:00+10:30"), at("2026-10-05T00:00:00+11:00"))).toBe(23.5 * HOUR);
    expect(within(allDay, at("2026-04-05T00:00:00+11:00"), at("2026-04-06T00:00:00+10:30"))).toBe(24.5 * HOUR);
  });

  it("N business days onto a skipped local time moves later by the gap (Sat 02:15 + 1 → Sun 02:15 → 02:45 +11:00)", () => {
    expectAt(addBusinessDays(allDay, at("2026-10-03T02:15:00+10:30"), 1), "2026-10-04T02:45:00+11:00");
  });

  it("N business days onto a repeated local time means the first occurrence (Sat 01:45 + 1 → Sun 01:45 +11:00)", () => {
    expectAt(addBusinessDays(allDay, at("2026-04-04T01:45:00+11:00"), 1), "2026-04-05T01:45:00+11:00");
  });

  it("N business days back onto a skipped local time moves later by the gap (Mon 02:15 − 1 → Sun 02:15 → 02:45 +11:00)", () => {
    expectAt(subtractBusinessDays(allDay, at("2026-10-05T02:15:00+11:00"), 1), "2026-10-04T02:45:00+11:00");
  });
});
