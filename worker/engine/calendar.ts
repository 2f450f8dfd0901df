import { dayNumber, intervalSeconds, weekdays } from "../../schema/hours.ts";
import type { Calendar } from "../../schema/policy.ts";
import { EngineError } from "./errors.ts";
import {
  buildPattern,
  firstAt,
  hasOpenAfter,
  hasOpenBefore,
  lastAt,
  measure,
  noOpenTime,
  type Pattern,
  type Span,
  spansIn,
  subtract,
  union,
} from "./pattern.ts";
import {
  checkInstant,
  DAY,
  fromLocal,
  getZone,
  HOUR,
  MAX_INSTANT,
  MIN_INSTANT,
  nextTransition,
  offsetAt,
  previousTransition,
  SECOND,
  type Transition,
  toLocal,
  transitionsBetween,
  type Zone,
} from "./zone.ts";

/** A calendar prepared for arithmetic. Build with `compileCalendar`; reuse freely (immutable). */
export interface CompiledCalendar {
  readonly zone: Zone;
  /** Open local time. */
  readonly open: Pattern;
  /** One millisecond at the start of each business date: counts business dates like open time. */
  readonly business: Pattern;
  /** Effective opening spans (local ms) of a day after holidays and overrides, before breaks. */
  readonly daySpans: (day: number) => Span[];
  readonly holidays: ReadonlySet<number>;
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
  let total = 0;
  let x = from;
  for (const t of transitionsBetween(z, from - 3 * HOUR, to)) {
    const end = t.at + gapOf(t);
    if (end <= x) continue;
    if (x < t.at) {
      const stop = Math.min(t.at, to);
      total += measure(cal.open, stop + t.before) - measure(cal.open, x + t.before);
      x = stop;
      if (x >= to) return total;
    }
    const hi = Math.min(end, to);
    total += openIn(windowSpans(cal, t), x, hi);
    x = hi;
    if (x >= to) return total;
  }
  const o = offsetAt(z, x);
  return total + measure(cal.open, to + o) - measure(cal.open, x + o);
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
  const z = cal.zone;
  let rem = amount;
  let x = from;
  const inside = windowAt(cal, from);
  if (inside) {
    const spans = windowSpans(cal, inside);
    const end = inside.at + gapOf(inside);
    const m = openIn(spans, x, end);
    if (m >= rem) return windowFirst(spans, x, rem);
    rem -= m;
    x = end;
  }
  for (;;) {
    const t = nextTransition(z, x);
    const o = t ? t.before : offsetAt(z, x);
    const limit = t ? t.at : MAX_INSTANT;
    // A calendar with no open time ahead (no weekly hours, past its last override) would
    // otherwise walk every transition to 2200 and report "out-of-range"; the fixed-offset path
    // reports "no-open-time" from firstAt, so say the same here, at once.
    if (!hasOpenAfter(cal.open, x + o)) noOpenTime();
    const start = measure(cal.open, x + o);
    const avail = measure(cal.open, limit + o) - start;
    if (avail >= rem) return firstAt(cal.open, start + rem) - o;
    if (!t) beyond();
    rem -= avail;
    const spans = windowSpans(cal, t);
    const end = t.at + gapOf(t);
    const m = openIn(spans, t.at, end);
    if (m >= rem) return windowFirst(spans, t.at, rem);
    rem -= m;
    x = end;
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
  const z = cal.zone;
  let rem = amount;
  let x = from;
  const inside = windowAt(cal, from - 1);
  if (inside && inside.at < from) {
    const spans = windowSpans(cal, inside);
    const m = openIn(spans, inside.at, x);
    if (m >= rem) return windowLast(spans, x, rem);
    rem -= m;
    x = inside.at;
  }
  for (;;) {
    const t = previousTransition(z, x);
    const o = t ? t.after : offsetAt(z, x - 1);
    const limit = t ? t.at + gapOf(t) : MIN_INSTANT;
    // As in addZoned: no open time behind is "no-open-time", not a walk back to 1971.
    if (!hasOpenBefore(cal.open, x + o)) noOpenTime();
    const end = measure(cal.open, x + o);
    const avail = end - measure(cal.open, limit + o);
    if (avail >= rem) return lastAt(cal.open, end - rem) - o;
    if (!t) beyond();
    rem -= avail;
    const spans = windowSpans(cal, t);
    const m = openIn(spans, t.at, t.at + gapOf(t));
    if (m >= rem) return windowLast(spans, t.at + gapOf(t), rem);
    rem -= m;
    x = t.at;
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
 * Adds n business days: the n-th business date after the start's local date, at the same
 * local time, then the first open instant at or after it.
 */
export function addBusinessDays(cal: CompiledCalendar, from: number, n: number): number {
  checkInstant(from);
  checkAmount(n);
  if (n === 0) return nextOpening(cal, from);
  const { day, time } = localDateTime(cal.zone, from);
  const target = nthBusinessDateAfter(cal, day, n);
  const at = fromLocal(cal.zone, target * DAY + time);
  if (at >= MAX_INSTANT) beyond();
  return nextOpening(cal, at);
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
  checkInstant(from);
  checkAmount(n);
  if (n === 0) return lastOpenAtOrBefore(cal, from);
  const { day, time } = localDateTime(cal.zone, from);
  const target = nthBusinessDateBefore(cal, day, n);
  const at = fromLocal(cal.zone, target * DAY + time);
  if (at < MIN_INSTANT) beyond();
  return lastOpenAtOrBefore(cal, at);
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
