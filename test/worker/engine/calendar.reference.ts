// A deliberately naive model of DESIGN.md's calendar semantics, for property tests to compare
// the engine against. It shares no code with worker/engine: it reads the calendar JSON itself,
// asks luxon for UTC offsets instant by instant (no transition tables), enumerates local days
// one by one and maps every open local span [s, e) to real time as [fromLocal(s), fromLocal(e)),
// where fromLocal moves a skipped local time later by the gap and reads a repeated one as its
// first occurrence. Slow, short-range and obviously right is the point.
import { IANAZone } from "luxon";
import type { CalendarInput } from "../../../schema/policy.ts";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

type Span = [number, number];
type Hours = readonly (readonly [string, string])[];

// Seconds since midnight of "HH:MM" or "HH:MM:SS".
function seconds(time: string): number {
  const [h = 0, m = 0, sec = 0] = time.split(":").map(Number);
  return h * 3600 + m * 60 + sec;
}

function dayOf(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY;
}

// Local spans of a day's intervals; an end not after its start runs into the next day.
function spansOf(day: number, list: Hours): Span[] {
  return list.map(([a, b]) => {
    const s = seconds(a);
    const e = seconds(b) > s ? seconds(b) : seconds(b) + 86_400;
    return [day * DAY + s * 1000, day * DAY + e * 1000];
  });
}

function merge(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const [s, e] of spans.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function minus(spans: readonly Span[], holes: readonly Span[]): Span[] {
  let out = [...spans];
  for (const [hs, he] of holes) {
    const next: Span[] = [];
    for (const [s, e] of out) {
      if (he <= s || hs >= e) next.push([s, e]);
      else {
        if (hs > s) next.push([s, hs]);
        if (he < e) next.push([he, e]);
      }
    }
    out = next;
  }
  return out;
}

export class ReferenceCalendar {
  private readonly zone: IANAZone;
  private readonly hours: Partial<Record<(typeof WEEKDAYS)[number], Hours>>;
  private readonly holidays: Set<number>;
  private readonly overrides: Map<number, Hours>;
  private readonly breaks: Map<number, Hours>;

  constructor(cal: CalendarInput) {
    this.zone = IANAZone.create(cal.timeZone);
    this.hours = cal.hours;
    this.holidays = new Set((cal.holidays ?? []).map(dayOf));
    this.overrides = new Map(Object.entries(cal.overrides ?? {}).map(([d, list]) => [dayOf(d), list]));
    this.breaks = new Map(Object.entries(cal.breaks ?? {}).map(([d, list]) => [dayOf(d), list]));
  }

  /** UTC offset (ms) at a real instant, straight from the tz database. */
  offset(u: number): number {
    return this.zone.offset(u) * MINUTE;
  }

  /** The day's intervals after holidays and overrides (before breaks). */
  daySpans(day: number): Span[] {
    const override = this.overrides.get(day);
    if (override) return spansOf(day, override);
    if (this.holidays.has(day)) return [];
    const weekday = WEEKDAYS[(((day + 3) % 7) + 7) % 7] as (typeof WEEKDAYS)[number];
    return spansOf(day, this.hours[weekday] ?? []);
  }

  isBusinessDate(day: number): boolean {
    return this.daySpans(day).length > 0;
  }

  /** The real instant of local wall-clock time l (local ms, read as if UTC). */
  fromLocal(l: number): number {
    const candidates = [this.offset(l - DAY), this.offset(l), this.offset(l + DAY)].map((o) => l - o);
    const real = candidates.filter((u) => u + this.offset(u) === l);
    // Repeated: the first occurrence. Skipped: the offset before the change, i.e. later by the gap.
    return real.length > 0 ? Math.min(...real) : l - this.offset(l - DAY);
  }

  /** Open real spans, merged, exact over at least [a − 2 days, b + 2 days]. */
  realSpans(a: number, b: number): Span[] {
    const first = Math.floor(a / DAY) - 3;
    const last = Math.floor(b / DAY) + 3;
    const opens: Span[] = [];
    const holes: Span[] = [];
    for (let d = first; d <= last; d++) {
      opens.push(...this.daySpans(d));
      holes.push(...spansOf(d, this.breaks.get(d) ?? []));
    }
    // Local time is known exactly from the day after `first` (the night before it may run into
    // it) to the end of `last` (the next day's breaks may cut its overnight interval).
    const exact = minus(merge(opens), merge(holes))
      .map(([s, e]) => [Math.max(s, (first + 1) * DAY), Math.min(e, (last + 1) * DAY)] as Span)
      .filter(([s, e]) => e > s);
    return merge(exact.map(([s, e]) => [this.fromLocal(s), this.fromLocal(e)] as Span));
  }

  isOpen(u: number): boolean {
    return this.realSpans(u, u).some(([s, e]) => s <= u && u < e);
  }

  within(a: number, b: number): number {
    if (b <= a) return 0;
    let total = 0;
    for (const [s, e] of this.realSpans(a, b)) total += Math.max(0, Math.min(e, b) - Math.max(s, a));
    return total;
  }

  /** Walks n ms of open time forward; n = 0 gives the first open instant at or after t. */
  add(t: number, n: number): number {
    for (let horizon = 14 * DAY; horizon < 20 * 366 * DAY; horizon *= 2) {
      let rem = n;
      for (const [s, e] of this.realSpans(t, t + horizon)) {
        if (e <= t) continue;
        const from = Math.max(s, t);
        if (e - from >= rem) return from + rem;
        rem -= e - from;
      }
    }
    throw new Error("reference: no open time within 20 years");
  }

  /** Walks n ms of open time backward; n = 0 gives t if open just before it, else the previous closing. */
  subtract(t: number, n: number): number {
    for (let horizon = 14 * DAY; horizon < 20 * 366 * DAY; horizon *= 2) {
      let rem = n;
      const spans = this.realSpans(t - horizon, t);
      for (let i = spans.length - 1; i >= 0; i--) {
        const [s, e] = spans[i] as Span;
        if (s >= t) continue;
        const to = Math.min(e, t);
        if (to - s >= rem) return to - rem;
        rem -= to - s;
      }
    }
    throw new Error("reference: no open time within 20 years");
  }

  /** The last instant at or before t that is open or exactly a closing. */
  lastOpen(t: number): number {
    for (let horizon = 14 * DAY; horizon < 20 * 366 * DAY; horizon *= 2) {
      const spans = this.realSpans(t - horizon, t);
      for (let i = spans.length - 1; i >= 0; i--) {
        const [s, e] = spans[i] as Span;
        if (s <= t) return Math.min(e, t);
      }
    }
    throw new Error("reference: no open time within 20 years");
  }

  /** The n-th business date before t's local date, same local time, then the last open instant at or before it. */
  subtractBusinessDays(t: number, n: number): number {
    if (n === 0) return this.lastOpen(t);
    const local = t + this.offset(t);
    const start = Math.floor(local / DAY);
    let d = start;
    for (let k = 0; k < n; ) {
      d -= 1;
      if (d < start - 3660) throw new Error("reference: no business date within 10 years");
      if (this.isBusinessDate(d)) k += 1;
    }
    return this.lastOpen(this.fromLocal(d * DAY + (local - start * DAY)));
  }

  /** The n-th business date after t's local date, same local time, then the first open instant. */
  addBusinessDays(t: number, n: number): number {
    if (n === 0) return this.add(t, 0);
    const local = t + this.offset(t);
    const start = Math.floor(local / DAY);
    let d = start;
    for (let k = 0; k < n; ) {
      d += 1;
      if (d > start + 3660) throw new Error("reference: no business date within 10 years");
      if (this.isBusinessDate(d)) k += 1;
    }
    return this.add(this.fromLocal(d * DAY + (local - start * DAY)), 0);
  }
}
