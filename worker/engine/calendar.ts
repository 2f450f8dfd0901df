import { dayNumber, intervalSeconds, weekdays } from "../../schema/hours.ts";
import type { Calendar } from "../../schema/policy.ts";
import { EngineError } from "./errors.ts";
import { buildPattern, firstAt, firstIndexAtLeast, lastAt, measure, type Pattern, type Span, spansIn, subtract, union } from "./pattern.ts";
import {
  checkInstant,
  DAY,
  fromLocal,
  getZone,
  HOUR,
  MAX_INSTANT,
  MIN_INSTANT,
  offsetAt,
  previousTransition,
  SECOND,
  type Transition,
  toLocal,
  transitionsBetween,
  type Zone,
} from "./zone.ts";

/** A calendar prepared for arithmetic. Build with `compileCalendar`; reuse freely (immutable but for its growing timeline memo). */
export interface CompiledCalendar {
  readonly zone: Zone;
  /** Open local time. */
  readonly open: Pattern;
  /** One millisecond at the start of each business date: counts business dates like open time. */
  readonly business: Pattern;
  /** Effective opening spans (local ms) of a day after holidays and overrides, before breaks. */
  readonly daySpans: (day: number) => Span[];
  readonly holidays: ReadonlySet<number>;
  /** Open real time at each daylight-saving window, for the years reached so far (a memo, grown in place). */
  readonly timeline: Timeline;
}

const cache = new WeakMap<Calendar, CompiledCalendar>();

// Weekday index of a day number, Monday = 0 (1970-01-01 was a Thursday).
function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

function spansOfDay(day: number, list: readonly (readonly [string, string])[]): Span[] {
  return list.map((iv) => {
    const [s, e] = intervalSeconds(iv);
    return [day * DAY + s * SECOND, day * DAY + e * SECOND] as Span;
  });
}

/** Prepares a validated calendar; memoised per calendar object. */
export function compileCalendar(cal: Calendar): CompiledCalendar {
  const hit = cache.get(cal);
  if (hit) return hit;
  const zone = getZone(cal.timeZone);
  const holidays = new Set(cal.holidays.map(dayNumber));
  const overrides = new Map(Object.entries(cal.overrides).map(([d, list]) => [dayNumber(d), list]));
  const breaks = new Map(Object.entries(cal.breaks).map(([d, list]) => [dayNumber(d), list]));
  const regularSpans = (day: number) => spansOfDay(day, cal.hours[weekdays[weekdayOf(day)] as (typeof weekdays)[number]] ?? []);
  const daySpans = (day: number): Span[] => {
    const override = overrides.get(day);
    if (override) return spansOfDay(day, override);
    return holidays.has(day) ? [] : regularSpans(day);
  };

  // Mon 1970-01-05 is day 4: the weekly pattern is that week's regular spans, relative to it.
  const weekly: Span[] = [];
  for (let d = 0; d < 7; d++) for (const [s, e] of regularSpans(4 + d)) weekly.push([s - 4 * DAY, e - 4 * DAY]);

  // An exception on day x can change open time only in [x, x + 2): a day's spans end before
  // the next midnight but one. Overlapping ranges merge into one block.
  const exceptionDays = [...new Set([...holidays, ...overrides.keys(), ...breaks.keys()])].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const x of exceptionDays) {
    const last = ranges[ranges.length - 1];
    if (last && x <= last[1]) last[1] = x + 2;
    else ranges.push([x, x + 2]);
  }
  const blocks = ranges.map(([from, to]) => {
    const opens: Span[] = [];
    const holes: Span[] = [];
    for (let d = from - 1; d < to; d++) {
      opens.push(...daySpans(d));
      holes.push(...spansOfDay(d, breaks.get(d) ?? []));
    }
    return { start: from * DAY, end: to * DAY, spans: subtract(union(opens), union(holes)) };
  });

  const businessWeekly: Span[] = [];
  for (let d = 0; d < 7; d++) if (regularSpans(4 + d).length > 0) businessWeekly.push([d * DAY, d * DAY + 1]);
  const businessBlocks = [...new Set([...holidays, ...overrides.keys()])]
    .sort((a, b) => a - b)
    .map((x) => ({ start: x * DAY, end: (x + 1) * DAY, spans: daySpans(x).length > 0 ? [[x * DAY, x * DAY + 1] as Span] : [] }));

  const compiled: CompiledCalendar = {
    zone,
    open: buildPattern(weekly, blocks),
    business: buildPattern(businessWeekly, businessBlocks),
    daySpans,
    holidays,
    timeline: emptyTimeline(),
  };
  cache.set(cal, compiled);
  return compiled;
}

// ---- Daylight-saving windows ------------------------------------------------------------
// Around a transition at instant t with gap g = |after − before|, real time [t, t + g) is a
// "window": after a spring-forward both the skipped hour and the hour after it map there; after
// a fall-back it is the repeated hour, open only when a span runs through the switch point.
// Outside windows a real instant u is open exactly when its local reading u + offset is.

function gapOf(t: Transition): number {
  return Math.abs(t.after - t.before);
}

// Open real spans inside the window of t, merged.
function windowSpans(cal: CompiledCalendar, t: Transition): Span[] {
  const g = gapOf(t);
  const switchAt = t.at + Math.max(t.before, t.after);
  if (t.after < t.before) {
    const openLeft = measure(cal.open, switchAt) - measure(cal.open, switchAt - 1) > 0;
    return openLeft ? [[t.at, t.at + g]] : [];
  }
  const real = (l: number) => (l < switchAt ? l - t.before : l - t.after);
  const images = spansIn(cal.open, t.at + t.before, switchAt + g + 1).map(([s, e]) => [real(s), real(e)] as Span);
  return union(images.map(([s, e]) => [Math.max(s, t.at), Math.min(e, t.at + g)] as Span));
}

function openIn(spans: readonly Span[], from: number, to: number): number {
  let total = 0;
  for (const [s, e] of spans) total += Math.max(0, Math.min(e, to) - Math.max(s, from));
  return total;
}

function windowFirst(spans: readonly Span[], from: number, rem: number): number {
  for (const [s, e] of spans) {
    const cs = Math.max(s, from);
    if (e <= cs) continue;
    if (e - cs >= rem) return cs + rem;
    rem -= e - cs;
  }
  throw new Error("windowFirst: not enough open time");
}

function windowLast(spans: readonly Span[], to: number, rem: number): number {
  for (let i = spans.length - 1; i >= 0; i--) {
    const [s, e] = spans[i] as Span;
    const ce = Math.min(e, to);
    if (ce <= s) continue;
    if (ce - s >= rem) return ce - rem;
    rem -= ce - s;
  }
  throw new Error("windowLast: not enough open time");
}

// The transition whose window contains u, if any (windows are at most a few hours long).
function windowAt(cal: CompiledCalendar, u: number): Transition | undefined {
  const t = previousTransition(cal.zone, u + 1, u - 3 * HOUR);
  return t && u < t.at + gapOf(t) ? t : undefined;
}

// ---- Open real time, year by year -------------------------------------------------------
// Between windows a real instant u reads locally as u + offset, with one offset per stretch, so
// the open real time up to u is a constant of its stretch plus measure(open, u + offset). The
// timeline keeps that constant for every stretch, and the open time at both edges of every
// window, over the UTC years instants have reached: within, add and subtract then cost one
// binary search over transitions however far apart their instants are, not a step per
// transition. A year is worked out once per calendar, when an instant first comes near it.

/** Open real time along the covered years, from an arbitrary origin. */
export interface Timeline {
  /** Covered UTC years [firstYear, endYear), i.e. real instants [lo, hi); endYear 0 while empty. */
  firstYear: number;
  endYear: number;
  lo: number;
  hi: number;
  /** Every transition in [lo, hi), in order, with its window's open real spans. */
  readonly ts: Transition[];
  readonly spans: Span[][];
  /** Open time up to each window's start and end. */
  readonly a: number[];
  readonly b: number[];
  /** Stretch k ends at ts[k] (the last at hi); open time up to u in it is bases[k] + measure(open, u + offsets[k]). */
  readonly offsets: number[];
  readonly bases: number[];
}

// Windows last hours, so two days keep every instant asked about clear of the covered edges.
const MARGIN = 2 * DAY;
const FIRST_YEAR = new Date(MIN_INSTANT).getUTCFullYear() - 1;
const END_YEAR = new Date(MAX_INSTANT).getUTCFullYear() + 1;

function emptyTimeline(): Timeline {
  return { firstYear: 0, endYear: 0, lo: 0, hi: 0, ts: [], spans: [], a: [], b: [], offsets: [], bases: [] };
}

function yearStart(year: number): number {
  return Date.UTC(year, 0, 1);
}

function growForward(cal: CompiledCalendar, tl: Timeline): void {
  const year = tl.endYear;
  for (const t of transitionsBetween(cal.zone, yearStart(year), yearStart(year + 1))) {
    const k = tl.ts.length;
    const a = (tl.bases[k] as number) + measure(cal.open, t.at + (tl.offsets[k] as number));
    const spans = windowSpans(cal, t);
    const end = t.at + gapOf(t);
    const b = a + openIn(spans, t.at, end);
    tl.ts.push(t);
    tl.spans.push(spans);
    tl.a.push(a);
    tl.b.push(b);
    tl.offsets.push(t.after);
    tl.bases.push(b - measure(cal.open, end + t.after));
  }
  tl.endYear = year + 1;
  tl.hi = yearStart(year + 1);
}

function growBackward(cal: CompiledCalendar, tl: Timeline): void {
  const year = tl.firstYear - 1;
  const list = transitionsBetween(cal.zone, yearStart(year), yearStart(year + 1));
  for (let i = list.length - 1; i >= 0; i--) {
    const t = list[i] as Transition;
    const end = t.at + gapOf(t);
    const b = (tl.bases[0] as number) + measure(cal.open, end + (tl.offsets[0] as number));
    const spans = windowSpans(cal, t);
    const a = b - openIn(spans, t.at, end);
    tl.ts.unshift(t);
    tl.spans.unshift(spans);
    tl.a.unshift(a);
    tl.b.unshift(b);
    tl.offsets.unshift(t.before);
    tl.bases.unshift(a - measure(cal.open, t.at + t.before));
  }
  tl.firstYear = year;
  tl.lo = yearStart(year);
}

/** The calendar's timeline, grown to cover [from − MARGIN, to + MARGIN] within the supported years. */
function cover(cal: CompiledCalendar, from: number, to: number): Timeline {
  const tl = cal.timeline;
  if (tl.endYear === 0) {
    const year = new Date(from).getUTCFullYear();
    const at = yearStart(year);
    const o = offsetAt(cal.zone, at);
    Object.assign(tl, { firstYear: year, endYear: year, lo: at, hi: at });
    tl.offsets.push(o);
    tl.bases.push(-measure(cal.open, at + o));
  }
  while (tl.lo > from - MARGIN && tl.firstYear > FIRST_YEAR) growBackward(cal, tl);
  while (tl.hi <= to + MARGIN && tl.endYear < END_YEAR) growForward(cal, tl);
  return tl;
}

// Index of the last value <= v in ascending values, or -1.
function lastIndexAtMost(values: readonly number[], v: number): number {
  return firstIndexAtLeast(values, v, true) - 1;
}

// Open real time up to a covered instant u, on the timeline's scale.
function openUpTo(cal: CompiledCalendar, tl: Timeline, u: number): number {
  let lo = 0;
  let hi = tl.ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((tl.ts[mid] as Transition).at > u) hi = mid;
    else lo = mid + 1;
  }
  const t = tl.ts[lo - 1];
  if (t && u < t.at + gapOf(t)) return (tl.a[lo - 1] as number) + openIn(tl.spans[lo - 1] as Span[], t.at, u);
  return (tl.bases[lo] as number) + measure(cal.open, u + (tl.offsets[lo] as number));
}

// ---- Arithmetic on real instants (epoch ms) ---------------------------------------------

/** Whether the calendar is open at real instant `at`. */
export function isOpen(cal: CompiledCalendar, at: number): boolean {
  checkInstant(at);
  const t = windowAt(cal, at);
  if (t) return openIn(windowSpans(cal, t), at, at + 1) > 0;
  const l = toLocal(cal.zone, at);
  return measure(cal.open, l + 1) - measure(cal.open, l) > 0;
}

/** Open milliseconds between two instants; 0 when `to <= from`. */
export function within(cal: CompiledCalendar, from: number, to: number): number {
  checkInstant(from);
  checkInstant(to);
  if (to <= from) return 0;
  const z = cal.zone;
  if (z.fixedOffset !== null) return measure(cal.open, to + z.fixedOffset) - measure(cal.open, from + z.fixedOffset);
  const tl = cover(cal, from, to);
  return openUpTo(cal, tl, to) - openUpTo(cal, tl, from);
}

function beyond(): never {
  throw new EngineError("out-of-range", "The result falls outside 1971–2199");
}

function checkAmount(amount: number): void {
  if (!Number.isFinite(amount) || amount < 0 || !Number.isInteger(amount)) {
    throw new EngineError("invalid-amount", "The amount must be a non-negative whole number");
  }
}

/**
 * Walks `amount` ms of open time forward from `from`. A start outside hours begins at the next
 * opening; running out exactly at a closing returns that closing; adding 0 returns the start
 * if open, else the next opening.
 */
export function add(cal: CompiledCalendar, from: number, amount: number): number {
  checkInstant(from);
  checkAmount(amount);
  if (amount === 0) return add(cal, from, 1) - 1;
  const z = cal.zone;
  let result: number;
  if (z.fixedOffset !== null) {
    const o = z.fixedOffset;
    result = firstAt(cal.open, measure(cal.open, from + o) + amount) - o;
  } else {
    result = addZoned(cal, from, amount);
  }
  if (result >= MAX_INSTANT) beyond();
  return result;
}

function addZoned(cal: CompiledCalendar, from: number, amount: number): number {
  let tl = cover(cal, from, from);
  const v = openUpTo(cal, tl, from) + amount;
  for (;;) {
    // The first window whose end has v of open time: the answer is in it or in the stretch before it.
    const k = firstIndexAtLeast(tl.b, v);
    const t = tl.ts[k];
    if (t && (tl.a[k] as number) < v) return windowFirst(tl.spans[k] as Span[], t.at, v - (tl.a[k] as number));
    // firstAt reports "no-open-time" when no open time is left ahead.
    const u = firstAt(cal.open, v - (tl.bases[k] as number)) - (tl.offsets[k] as number);
    // Past the covered years the next transitions are not known yet: cover up to u and look again.
    if (t || u + MARGIN < tl.hi || tl.endYear >= END_YEAR) return u;
    tl = cover(cal, u, u);
  }
}

/**
 * Walks `amount` ms of open time backward from `from`. Running out exactly at an opening
 * returns that opening; subtracting 0 returns the start if open just before it, else the
 * previous closing.
 */
export function subtractTime(cal: CompiledCalendar, from: number, amount: number): number {
  checkInstant(from);
  checkAmount(amount);
  if (amount === 0) return subtractTime(cal, from, 1) + 1;
  const z = cal.zone;
  let result: number;
  if (z.fixedOffset !== null) {
    const o = z.fixedOffset;
    result = lastAt(cal.open, measure(cal.open, from + o) - amount) - o;
  } else {
    result = subtractZoned(cal, from, amount);
  }
  if (result < MIN_INSTANT) beyond();
  return result;
}

function subtractZoned(cal: CompiledCalendar, from: number, amount: number): number {
  let tl = cover(cal, from, from);
  const v = openUpTo(cal, tl, from) - amount;
  for (;;) {
    // The last window whose start has at most v of open time: the answer is in it or in the stretch after it.
    const k = lastIndexAtMost(tl.a, v);
    const t = tl.ts[k];
    if (t && (tl.b[k] as number) > v) return windowLast(tl.spans[k] as Span[], t.at + gapOf(t), (tl.b[k] as number) - v);
    // lastAt reports "no-open-time" when no open time is left behind.
    const u = lastAt(cal.open, v - (tl.bases[k + 1] as number)) - (tl.offsets[k + 1] as number);
    if (t || u - MARGIN >= tl.lo || tl.firstYear <= FIRST_YEAR) return u;
    tl = cover(cal, u, u);
  }
}

/** The start if open, else the next opening. */
export function nextOpening(cal: CompiledCalendar, at: number): number {
  return add(cal, at, 0);
}

/** Local date (day number) and time of day (ms) of a real instant in the calendar's zone. */
export function localDateTime(zone: Zone, at: number): { day: number; time: number } {
  const l = toLocal(zone, at);
  const day = Math.floor(l / DAY);
  return { day, time: l - day * DAY };
}

/** Whether a local date has opening hours after holidays and overrides. */
export function isBusinessDate(cal: CompiledCalendar, day: number): boolean {
  return measure(cal.business, day * DAY + 1) - measure(cal.business, day * DAY) > 0;
}

/** The n-th business date after `day` (n ≥ 1). */
export function nthBusinessDateAfter(cal: CompiledCalendar, day: number, n: number): number {
  const target = measure(cal.business, (day + 1) * DAY) + n;
  return Math.floor(firstAt(cal.business, target) / DAY);
}

/**
 * Shifts by n business days: to the local date `dateOf` the start's local date, at the same local
 * time, settled on open time by `settle` (the start itself, settled, when n is 0).
 */
function shiftBusinessDays(
  cal: CompiledCalendar,
  from: number,
  n: number,
  dateOf: (day: number) => number,
  settle: (cal: CompiledCalendar, at: number) => number,
): number {
  checkInstant(from);
  checkAmount(n);
  if (n === 0) return settle(cal, from);
  const { day, time } = localDateTime(cal.zone, from);
  const at = fromLocal(cal.zone, dateOf(day) * DAY + time);
  if (at < MIN_INSTANT || at >= MAX_INSTANT) beyond();
  return settle(cal, at);
}

/**
 * Adds n business days: the n-th business date after the start's local date, at the same
 * local time, then the first open instant at or after it.
 */
export function addBusinessDays(cal: CompiledCalendar, from: number, n: number): number {
  return shiftBusinessDays(cal, from, n, (day) => nthBusinessDateAfter(cal, day, n), nextOpening);
}

/** The n-th business date before `day` (n ≥ 1). */
export function nthBusinessDateBefore(cal: CompiledCalendar, day: number, n: number): number {
  // The date whose one business millisecond brings the count up to (dates before `day`) − n + 1.
  const target = measure(cal.business, day * DAY) - n + 1;
  return Math.floor(firstAt(cal.business, target) / DAY);
}

/** The start if open or exactly at a closing, else the previous closing. */
export function lastOpenAtOrBefore(cal: CompiledCalendar, at: number): number {
  return isOpen(cal, at) ? at : subtractTime(cal, at, 0);
}

/**
 * Subtracts n business days: the n-th business date before the start's local date, at the same
 * local time, then the last open instant at or before it (a closing instant counts).
 */
export function subtractBusinessDays(cal: CompiledCalendar, from: number, n: number): number {
  return shiftBusinessDays(cal, from, n, (day) => nthBusinessDateBefore(cal, day, n), lastOpenAtOrBefore);
}

/** The real instant a business date closes: the end of its last open span. */
export function closingOf(cal: CompiledCalendar, day: number): number {
  const spans = cal.daySpans(day);
  if (spans.length === 0) throw new EngineError("no-open-time", "That date is not a business date");
  const first = Math.min(...spans.map(([s]) => s));
  const last = Math.max(...spans.map(([, e]) => e));
  // A break covering the end moves the closing back to where open time last stops.
  const local = firstAt(cal.open, measure(cal.open, last));
  return fromLocal(cal.zone, local > first ? local : last);
}
