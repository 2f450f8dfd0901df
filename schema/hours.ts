/** Weekday keys of a calendar's `hours`, Monday first. */
export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** One weekday key. */
export type Weekday = (typeof weekdays)[number];

/** Local seconds since midnight of "HH:MM" or "HH:MM:SS" ("24:00" is 86400). */
export function secondsOf(time: string): number {
  const [h, m, sec = 0] = time.split(":").map(Number) as [number, number, number?];
  return h * 3600 + m * 60 + sec;
}

/** Local seconds from the day's midnight: an end not after its start runs into the next day. */
export function intervalSeconds([start, end]: readonly [string, string]): [number, number] {
  const s = secondsOf(start);
  const e = secondsOf(end);
  return [s, e > s ? e : e + 86_400];
}

/** Day number (days since 1970-01-01) of a "YYYY-MM-DD" date. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

type Intervals = readonly (readonly [string, string])[];

/** The calendar members `hasOpenTime` reads. */
export interface CalendarHours {
  readonly hours: Partial<Record<Weekday, Intervals>>;
  readonly holidays?: readonly string[];
  readonly overrides?: Readonly<Record<string, Intervals>>;
  readonly breaks?: Readonly<Record<string, Intervals>>;
}

const FIRST_DAY = dayNumber("1971-01-01");
const LAST_DAY = dayNumber("2199-12-31");

// Whether [s, e) keeps any time outside the holes.
function uncovered(s: number, e: number, holes: readonly [number, number][]): boolean {
  let at = s;
  for (const [hs, he] of [...holes].sort((a, b) => a[0] - b[0])) {
    if (hs > at) return true;
    at = Math.max(at, he);
    if (at >= e) return false;
  }
  return true;
}

/**
 * Whether a calendar has any open time on the supported dates (1971–2199). A date's intervals
 * lie within that date and the next, so only breaks dated the day before, the day itself or the
 * day after can cut them: a weekday with hours is open on its first date no exception touches,
 * so each weekday's scan stops there, after at most one step per exception.
 */
export function hasOpenTime(cal: CalendarHours): boolean {
  const holidays = new Set((cal.holidays ?? []).map(dayNumber));
  const overrides = new Map(Object.entries(cal.overrides ?? {}).map(([d, list]) => [dayNumber(d), list]));
  const breaks = new Map(Object.entries(cal.breaks ?? {}).map(([d, list]) => [dayNumber(d), list]));
  const spans = (day: number, list: Intervals) => list.map((iv) => intervalSeconds(iv).map((x) => day * 86_400 + x) as [number, number]);
  const openOn = (day: number, list: Intervals) => {
    const holes = [day - 1, day, day + 1].flatMap((d) => spans(d, breaks.get(d) ?? []));
    return spans(day, list).some(([s, e]) => uncovered(s, e, holes));
  };
  for (const [day, list] of overrides) if (openOn(day, list)) return true;
  for (const [i, key] of weekdays.entries()) {
    const list = cal.hours[key] ?? [];
    if (list.length === 0) continue;
    // Day 4 (1970-01-05) was a Monday.
    for (let d = FIRST_DAY + ((((i - FIRST_DAY + 4) % 7) + 7) % 7); d <= LAST_DAY; d += 7) {
      if (!overrides.has(d) && !holidays.has(d) && openOn(d, list)) return true;
    }
  }
  return false;
}
