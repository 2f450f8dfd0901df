// Properties of calendar arithmetic on random calendars (weekly intervals including overnight
// and Sunday-into-Monday ones, times to the minute or to the second, holidays, overrides,
// breaks) and random instants clustered around daylight-saving changes, in four zones. On
// failure fast-check prints the seed and the shrunk counterexample; rerun with `{ seed, path }`
// in fc.assert's options to replay it.
import fc from "fast-check";
import { IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { type CalendarInput, parseCalendar } from "../../../schema/policy.ts";
import {
  add,
  addBusinessDays,
  type CompiledCalendar,
  compileCalendar,
  isOpen,
  subtractBusinessDays,
  subtractTime,
  within,
} from "../../../worker/engine/calendar.ts";
import { DAY, HOUR, MINUTE } from "../../../worker/engine/zone.ts";
import { ReferenceCalendar } from "./calendar.reference.ts";
import { propertyZones } from "./zones.ts";

/** Runs per property per zone: enough to meet every DST shape, small enough for CI. */
const RUNS = 120;

// Each zone with the instants of its 2026 offset changes (checked by the first test below).
const zones = propertyZones;

// ---- Generators ---------------------------------------------------------------------------

const SLOT = 15; // minutes: fine enough to put boundaries inside Lord Howe's 30-minute gap
const DAY_SLOTS = 1440 / SLOT;
const WEEK_SLOTS = 7 * DAY_SLOTS;
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const DAY_S = 86_400;
const WEEK_S = 7 * DAY_S;

/** "HH:MM", or "HH:MM:SS" when the seconds are not 0, of seconds since midnight (86400 is "24:00"). */
function hms(sec: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const hhmm = `${pad(Math.floor(sec / 3600))}:${pad(Math.floor(sec / 60) % 60)}`;
  return sec % 60 === 0 ? hhmm : `${hhmm}:${pad(sec % 60)}`;
}

/**
 * Weekly hours from sorted distinct points on the week (in seconds): consecutive pairs are the
 * open intervals; with `wrap`, the last point opens an interval that runs past Sunday into the
 * next week, up to the first point. Intervals longer than a day are cut into touching pieces.
 */
function weekHours(points: number[], wrap: boolean): CalendarInput["hours"] {
  const p = [...points].sort((a, b) => a - b);
  if (p.length % 2 === 1) p.pop();
  const spans: [number, number][] = [];
  if (wrap) {
    for (let i = 1; i + 1 < p.length; i += 2) spans.push([p[i] as number, p[i + 1] as number]);
    spans.push([p[p.length - 1] as number, (p[0] as number) + WEEK_S]);
  } else {
    for (let i = 0; i + 1 < p.length; i += 2) spans.push([p[i] as number, p[i + 1] as number]);
  }
  const hours: Record<string, [string, string][]> = {};
  for (const [s, e] of spans) {
    for (let x = s; x < e; x += DAY_S) {
      const end = Math.min(e, x + DAY_S);
      const day = WEEKDAYS[Math.floor(x / DAY_S) % 7] as string;
      const from = x % DAY_S;
      const to = from + (end - x);
      // Up to the next midnight: a time or "24:00"; beyond it: an overnight end (not after the start).
      const list = hours[day] ?? [];
      list.push([hms(from), to <= DAY_S ? hms(to) : hms(to - DAY_S)]);
      hours[day] = list;
    }
  }
  return hours;
}

/**
 * A slot of the week, often within two hours of `hot` (the local wall-clock slot of a change), so
 * that openings and closings regularly fall inside skipped and repeated hours.
 */
function slotArb(hot: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: 0, max }),
    fc.integer({ min: -8, max: 8 }).map((d) => Math.min(max, Math.max(0, hot + d))),
  );
}

/** Seconds past a slot: often none, else 1–59, so "HH:MM:SS" times meet every rule too. */
const jitterArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 59 }));

/** Points in seconds on distinct slots (the jitter keeps their order); a point at `midnight` stays "24:00". */
function pointsArb(slot: fc.Arbitrary<number>, midnight: number, size: { minLength?: number; maxLength: number }) {
  return fc
    .uniqueArray(fc.record({ slot, jitter: jitterArb }), { ...size, selector: (p) => p.slot })
    .map((list) => list.map(({ slot: k, jitter }) => k * SLOT * 60 + (k < midnight ? jitter : 0)));
}

function weekHoursArb(hot: number) {
  return fc
    .record({ points: pointsArb(slotArb(hot, WEEK_SLOTS - 1), WEEK_SLOTS, { minLength: 2, maxLength: 12 }), wrap: fc.boolean() })
    .map(({ points, wrap }) => weekHours(points, wrap));
}

/** A date's intervals: pairs of sorted points, the last lone point opening an overnight interval. */
function dayListArb(hot: number) {
  return fc
    .record({
      points: pointsArb(slotArb(hot % DAY_SLOTS, DAY_SLOTS), DAY_SLOTS, { maxLength: 6 }),
      overnightEnd: fc.record({ slot: fc.integer({ min: 0, max: DAY_SLOTS - 1 }), jitter: jitterArb }),
    })
    .map(({ points, overnightEnd }) => {
      const p = [...points].sort((a, b) => a - b);
      const list: [string, string][] = [];
      for (let i = 0; i + 1 < p.length; i += 2) list.push([hms(p[i] as number), hms(p[i + 1] as number)]);
      const lone = p.length % 2 === 1 ? (p[p.length - 1] as number) : undefined;
      const endAt = overnightEnd.slot * SLOT * 60 + overnightEnd.jitter;
      if (lone !== undefined && lone < DAY_S) list.push([hms(lone), hms(Math.min(endAt, lone))]);
      return list;
    });
}

function isoDate(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** A calendar in `timeZone` with exceptions on dates within four days of `centre`. */
function calendarArb(timeZone: string, centre: number): fc.Arbitrary<CalendarInput> {
  const centreDay = Math.floor(centre / DAY);
  // The wall-clock reading just before the change, as a slot of the (Monday-first) week.
  const local = centre + IANAZone.create(timeZone).offset(centre - 1) * MINUTE;
  const localDay = Math.floor(local / DAY);
  const hot = ((((localDay + 3) % 7) + 7) % 7) * DAY_SLOTS + Math.floor((local - localDay * DAY) / (SLOT * MINUTE));
  const near = fc.integer({ min: -4, max: 4 }).map((k) => isoDate(centreDay + k));
  return fc
    .record({
      hours: weekHoursArb(hot),
      holidays: fc.uniqueArray(near, { maxLength: 3 }),
      overrides: fc.dictionary(near, dayListArb(hot), { maxKeys: 3 }),
      breaks: fc.dictionary(near, dayListArb(hot), { maxKeys: 3 }),
    })
    .map((c) => ({ timeZone, ...c }));
}

/** An instant near `centre`: often to the minute within 3 h of it, else to the ms within 4 days. */
function instantArb(centre: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: -180, max: 180 }).map((m) => centre + m * MINUTE),
    fc.integer({ min: -4 * DAY, max: 4 * DAY }).map((ms) => centre + ms),
  );
}

/** An instant that is often exactly at or next to the change, where daylight-saving windows begin and end. */
function boundaryArb(centre: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.constantFrom(-HOUR, -30 * MINUTE, 0, 30 * MINUTE, HOUR, 2 * HOUR).map((d) => centre + d),
    fc.integer({ min: -180, max: 180 }).map((m) => centre + m * MINUTE),
    instantArb(centre),
  );
}

/** A positive amount: whole minutes up to 10 h, any ms up to 3 days, or 1 ms. */
const amountArb = fc.oneof(
  fc.integer({ min: 1, max: 600 }).map((m) => m * MINUTE),
  fc.integer({ min: 1, max: 3 * DAY }),
  fc.constant(1),
);

const spanArb = fc.integer({ min: 0, max: 3 * DAY });

/** A number of business days. */
const daysArb = fc.integer({ min: 0, max: 3 });

function compile(input: CalendarInput): CompiledCalendar {
  const r = parseCalendar(input);
  if (!r.ok) throw new Error(`generated calendar is invalid: ${JSON.stringify(r.errors)} in ${JSON.stringify(input)}`);
  return compileCalendar(r.calendar);
}

/** One scenario: a zone, one of its changes as the centre, a calendar, a start instant and a second instant near the change. */
function scenario(zone: (typeof zones)[number]) {
  return fc.constantFrom(...zone.changes).chain((centre) =>
    fc
      .record({ input: calendarArb(zone.timeZone, centre), t: instantArb(centre), b: boundaryArb(centre) })
      // The compiled calendar is not enumerable, so a counterexample prints as the calendar's JSON.
      .map(({ input, t, b }) => Object.defineProperty({ input, t, b }, "cal", { value: compile(input), enumerable: false }) as Scenario),
  );
}

interface Scenario {
  input: CalendarInput;
  cal: CompiledCalendar;
  t: number;
  b: number;
}

const iso = (t: number) => new Date(t).toISOString();

// ---- Properties -----------------------------------------------------------------------------

describe.each(zones)("calendar arithmetic properties in $timeZone", (zone) => {
  it("the centres are the zone's offset changes (none in Kolkata), so scenarios straddle them", () => {
    const iana = IANAZone.create(zone.timeZone);
    for (const c of zone.changes) expect(iana.offset(c - 1) !== iana.offset(c)).toBe(zone.timeZone !== "Asia/Kolkata");
  });

  it("generated calendars are valid (the generators themselves are sound)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zone.changes).chain((c) => calendarArb(zone.timeZone, c)),
        (input) => parseCalendar(input).ok,
      ),
      { numRuns: RUNS },
    );
  });

  it("add never returns an instant before its start", () => {
    fc.assert(
      fc.property(scenario(zone), fc.oneof(fc.constant(0), amountArb), ({ cal, t }, n) => add(cal, t, n) >= t),
      { numRuns: RUNS },
    );
  });

  it("a later start never gives an earlier result (monotone)", () => {
    fc.assert(
      fc.property(scenario(zone), spanArb, amountArb, ({ cal, t }, delta, n) => add(cal, t, n) <= add(cal, t + delta, n)),
      { numRuns: RUNS },
    );
  });

  it("add(t, a + b) = add(add(t, a), b) for a, b ≥ 1 ms", () => {
    fc.assert(
      fc.property(scenario(zone), amountArb, amountArb, ({ cal, t }, a, b) => {
        expect(iso(add(cal, add(cal, t, a), b))).toBe(iso(add(cal, t, a + b)));
      }),
      { numRuns: RUNS },
    );
  });

  it("within(t, add(t, n)) = n", () => {
    fc.assert(
      fc.property(scenario(zone), amountArb, ({ cal, t }, n) => {
        expect(within(cal, t, add(cal, t, n))).toBe(n);
      }),
      { numRuns: RUNS },
    );
  });

  it("amounts that run out exactly at an instant near the change: add(t, within(t, b)) is the first instant with that much open time", () => {
    fc.assert(
      fc.property(scenario(zone), ({ cal, t, b }) => {
        const [from, to] = t <= b ? [t, b] : [b, t];
        const n = within(cal, from, to);
        const r = add(cal, from, n);
        expect(within(cal, from, r)).toBe(n);
        expect(r <= to || n === 0).toBe(true);
        if (n > 0) expect(within(cal, r, to)).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it("walking back the open time between two instants near the change: subtract(b, within(t, b)) has that much open time before b", () => {
    fc.assert(
      fc.property(scenario(zone), ({ cal, t, b }) => {
        const [from, to] = t <= b ? [t, b] : [b, t];
        const n = within(cal, from, to);
        if (n === 0) return;
        const r = subtractTime(cal, to, n);
        expect(within(cal, r, to)).toBe(n);
        expect(r >= from).toBe(true);
        expect(within(cal, from, r)).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it("a result lies in open time or exactly at a closing: open just before it", () => {
    fc.assert(
      fc.property(scenario(zone), amountArb, ({ cal, t }, n) => isOpen(cal, add(cal, t, n) - 1)),
      { numRuns: RUNS },
    );
  });

  it("adding 0 gives an open instant, and nothing open before it since the start", () => {
    fc.assert(
      fc.property(scenario(zone), ({ cal, t }) => {
        const r = add(cal, t, 0);
        expect(isOpen(cal, r)).toBe(true);
        expect(within(cal, t, r)).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it("subtracting n from add(t, n) returns the first opening at or after t", () => {
    fc.assert(
      fc.property(scenario(zone), amountArb, ({ cal, t }, n) => {
        expect(iso(subtractTime(cal, add(cal, t, n), n))).toBe(iso(add(cal, t, 0)));
      }),
      { numRuns: RUNS },
    );
  });

  it("adding n to subtract(t, n) returns t if open just before t, else the previous closing", () => {
    fc.assert(
      fc.property(scenario(zone), amountArb, ({ cal, t }, n) => {
        expect(iso(add(cal, subtractTime(cal, t, n), n))).toBe(iso(subtractTime(cal, t, 0)));
      }),
      { numRuns: RUNS },
    );
  });

  it("within is additive: within(a, c) = within(a, b) + within(b, c)", () => {
    fc.assert(
      fc.property(scenario(zone), spanArb, spanArb, ({ cal, t }, d1, d2) => {
        const b = t + d1;
        const c = b + d2;
        expect(within(cal, t, c)).toBe(within(cal, t, b) + within(cal, b, c));
      }),
      { numRuns: RUNS },
    );
  });

  it("long walks: within(t, add(t, n)) = n and subtract(add(t, n), n) = add(t, 0) across up to two years", () => {
    fc.assert(
      fc.property(scenario(zone), fc.double({ min: 0, max: 1, noNaN: true }), ({ cal, t }, share) => {
        // Some share of the open time in the next two years, whatever the calendar's density.
        const n = Math.max(1, Math.floor(share * within(cal, t, t + 2 * 365 * DAY)));
        const r = add(cal, t, n);
        expect(within(cal, t, r)).toBe(n);
        expect(iso(subtractTime(cal, r, n))).toBe(iso(add(cal, t, 0)));
      }),
      { numRuns: RUNS / 2 },
    );
  });

  it("subtracting business days never returns an instant after the start", () => {
    fc.assert(
      fc.property(scenario(zone), daysArb, ({ cal, t }, days) => subtractBusinessDays(cal, t, days) <= t),
      { numRuns: RUNS },
    );
  });

  it("subtracting business days lands in open time or exactly at a closing", () => {
    fc.assert(
      fc.property(scenario(zone), daysArb, ({ cal, t }, days) => {
        const r = subtractBusinessDays(cal, t, days);
        return isOpen(cal, r) || isOpen(cal, r - 1);
      }),
      { numRuns: RUNS },
    );
  });

  it("long walks back agree with the naive reference model across up to two years", () => {
    fc.assert(
      fc.property(scenario(zone), fc.double({ min: 0, max: 1, noNaN: true }), ({ input, cal, t }, share) => {
        // Up to two years of weekly open time, walked back before anything else has looked behind t.
        const n = Math.max(1, Math.floor(share * 104 * cal.open.weekOpen));
        expect(iso(subtractTime(cal, t, n))).toBe(iso(new ReferenceCalendar(input).subtract(t, n)));
      }),
      { numRuns: RUNS / 2 },
    );
  });

  it("agrees with the naive reference model on subtracting business days", () => {
    fc.assert(
      fc.property(scenario(zone), daysArb, ({ input, cal, t }, days) => {
        expect(iso(subtractBusinessDays(cal, t, days))).toBe(iso(new ReferenceCalendar(input).subtractBusinessDays(t, days)));
      }),
      { numRuns: RUNS },
    );
  });

  it("agrees with a naive day-by-day reference model on isOpen, within, add, subtract and business days", () => {
    fc.assert(
      fc.property(scenario(zone), amountArb, spanArb, daysArb, ({ input, cal, t }, n, span, days) => {
        const ref = new ReferenceCalendar(input);
        expect(isOpen(cal, t)).toBe(ref.isOpen(t));
        expect(within(cal, t, t + span)).toBe(ref.within(t, t + span));
        expect(iso(add(cal, t, n))).toBe(iso(ref.add(t, n)));
        expect(iso(add(cal, t, 0))).toBe(iso(ref.add(t, 0)));
        expect(iso(subtractTime(cal, t, n))).toBe(iso(ref.subtract(t, n)));
        expect(iso(addBusinessDays(cal, t, days))).toBe(iso(ref.addBusinessDays(t, days)));
      }),
      { numRuns: RUNS },
    );
  });
});
