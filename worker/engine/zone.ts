import { IANAZone } from "luxon";
import { EngineError } from "./errors.ts";

/** Milliseconds in common units; the engine counts everything in epoch milliseconds. */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

/** The engine answers for instants in [1971, 2200): wide enough for any SLA, small enough to bound every walk. */
export const MIN_INSTANT = Date.UTC(1971, 0, 1);
export const MAX_INSTANT = Date.UTC(2200, 0, 1);

/** One change of a zone's UTC offset: at instant `at` the offset goes from `before` to `after` (ms). */
export interface Transition {
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

interface YearInfo {
  readonly startOffset: number;
  readonly transitions: readonly Transition[];
}

/** A time zone with its offset transitions, discovered lazily one UTC year at a time and memoised. */
export interface Zone {
  readonly name: string;
  /** The offset when it never changes in the supported range (UTC, fixed zones), else null. */
  readonly fixedOffset: number | null;
  readonly years: Map<number, YearInfo>;
  readonly iana: IANAZone;
}

const zones = new Map<string, Zone>();
const SAMPLE_STEP = 7 * DAY;

/** True when `name` is an IANA time zone this runtime knows. */
export function isValidZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/** Returns the memoised zone for an IANA name; throws EngineError for an unknown name. */
export function getZone(name: string): Zone {
  let zone = zones.get(name);
  if (zone) return zone;
  if (!isValidZone(name)) throw new EngineError("invalid-zone", `Unknown time zone "${name}"`);
  const iana = IANAZone.create(name);
  const fixed = hasNoTransitions(iana) ? iana.offset(MIN_INSTANT) * MINUTE : null;
  zone = { name, fixedOffset: fixed, years: new Map(), iana };
  zones.set(name, zone);
  return zone;
}

// A zone whose offset is the same at every monthly sample over the supported range never
// changes: a one-off cost of a few milliseconds that spares the year walk forever after.
function hasNoTransitions(iana: IANAZone): boolean {
  const first = iana.offset(MIN_INSTANT);
  for (let y = 1971; y < 2200; y++) {
    for (let m = 0; m < 12; m++) if (iana.offset(Date.UTC(y, m, 15)) !== first) return false;
  }
  return true;
}

function offsetMs(zone: Zone, at: number): number {
  return zone.iana.offset(at) * MINUTE;
}

function yearInfo(zone: Zone, year: number): YearInfo {
  let info = zone.years.get(year);
  if (info) return info;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const transitions: Transition[] = [];
  const startOffset = offsetMs(zone, start);
  let prevAt = start;
  let prevOffset = startOffset;
  // Sample weekly and bisect each change to the second: offsets change a few times a year
  // at most, and never twice within a week anywhere in the tz database's modern era.
  for (let at = Math.min(start + SAMPLE_STEP, end); ; at = Math.min(at + SAMPLE_STEP, end)) {
    const offset = offsetMs(zone, at);
    if (offset !== prevOffset) {
      let lo = prevAt;
      let hi = at;
      while (hi - lo > SECOND) {
        const mid = lo + Math.floor((hi - lo) / 2 / SECOND) * SECOND;
        if (offsetMs(zone, mid) === prevOffset) lo = mid;
        else hi = mid;
      }
      transitions.push({ at: hi, before: prevOffset, after: offset });
      prevOffset = offset;
    }
    prevAt = at;
    if (at >= end) break;
  }
  // A change exactly at the year boundary belongs to the next year.
  const last = transitions[transitions.length - 1];
  if (last && last.at >= end) transitions.pop();
  info = { startOffset, transitions };
  zone.years.set(year, info);
  return info;
}

/** Asserts an instant is inside the supported range. */
export function checkInstant(at: number, what = "instant"): void {
  if (!Number.isFinite(at) || at < MIN_INSTANT || at >= MAX_INSTANT) {
    throw new EngineError("out-of-range", `The ${what} must be between 1971 and 2199`);
  }
}

function yearOf(at: number): number {
  return new Date(at).getUTCFullYear();
}

/** The zone's UTC offset (ms) at a real instant. */
export function offsetAt(zone: Zone, at: number): number {
  if (zone.fixedOffset !== null) return zone.fixedOffset;
  const info = yearInfo(zone, yearOf(at));
  let offset = info.startOffset;
  for (const t of info.transitions) {
    if (t.at > at) break;
    offset = t.after;
  }
  return offset;
}

/** Transitions with `from <= at < to`, in order. */
export function transitionsBetween(zone: Zone, from: number, to: number): Transition[] {
  if (zone.fixedOffset !== null || to <= from) return [];
  const out: Transition[] = [];
  const last = yearOf(Math.min(to, MAX_INSTANT - 1));
  for (let y = yearOf(Math.max(from, MIN_INSTANT)); y <= last; y++) {
    for (const t of yearInfo(zone, y).transitions) if (t.at >= from && t.at < to) out.push(t);
  }
  return out;
}

/** The last transition strictly before `before` and at or after `limit`, or undefined. */
export function previousTransition(zone: Zone, before: number, limit = MIN_INSTANT): Transition | undefined {
  if (zone.fixedOffset !== null) return undefined;
  const firstYear = yearOf(Math.max(limit, MIN_INSTANT));
  for (let y = yearOf(Math.min(before, MAX_INSTANT - 1)); y >= firstYear; y--) {
    const list = yearInfo(zone, y).transitions;
    for (let i = list.length - 1; i >= 0; i--) {
      const t = list[i] as Transition;
      if (t.at < limit) return undefined;
      if (t.at < before) return t;
    }
  }
  return undefined;
}

/** Wall-clock reading (local ms, as if the local time were UTC) of a real instant. */
export function toLocal(zone: Zone, at: number): number {
  return at + offsetAt(zone, at);
}

/**
 * The real instant of a local wall-clock time. A skipped local time (spring forward) moves
 * later by the size of the gap; a repeated one (fall back) means its first occurrence.
 * Both follow from one rule: the offset in force before a transition applies to local times
 * up to `at + max(before, after)`, the offset after it from there on.
 */
export function fromLocal(zone: Zone, local: number): number {
  if (zone.fixedOffset !== null) return local - zone.fixedOffset;
  // Real instants of a local time lie within 14 h either side; 20 h margins cover every zone.
  const probe = local - 20 * HOUR;
  let offset = offsetAt(zone, probe);
  for (const t of transitionsBetween(zone, probe + 1, local + 20 * HOUR)) {
    if (t.at + Math.max(t.before, t.after) <= local) offset = t.after;
    else break;
  }
  return local - offset;
}
