import { EngineError } from "./errors.ts";
import { DAY, WEEK } from "./zone.ts";

/** Local wall-clock ms of Monday 1970-01-05 00:00: weeks are counted from here. */
const MONDAY0 = 4 * DAY;

/** A half-open span [start, end) in local ms. */
export type Span = readonly [number, number];

/** A stretch of local time whose open spans differ from the weekly pattern (holidays, overrides, breaks). */
interface Block {
  readonly start: number;
  readonly end: number;
  readonly spans: readonly Span[];
  readonly prefix: readonly number[];
  readonly open: number;
}

/**
 * A set of open local time: a weekly pattern plus exception blocks. `measure(l)` is the open
 * time from a fixed origin up to `l`; it and its inverses cost O(log blocks) whatever the
 * distance, which is what keeps ten-year arithmetic as cheap as four-hour arithmetic.
 */
export interface Pattern {
  readonly week: readonly Span[];
  readonly weekPrefix: readonly number[];
  readonly weekOpen: number;
  readonly blocks: readonly Block[];
  /** Measure at each block's start and end. */
  readonly g0: readonly number[];
  readonly g1: readonly number[];
  /** Sum of (block open − regular open) over the blocks before index i (length blocks + 1). */
  readonly deltaBefore: readonly number[];
}

/** Sorts and merges spans (touching spans join). */
export function union(spans: readonly Span[]): Span[] {
  const sorted = spans.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** `spans` minus `holes`; both merged and sorted. */
export function subtract(spans: readonly Span[], holes: readonly Span[]): Span[] {
  if (holes.length === 0) return [...spans];
  const out: Span[] = [];
  for (const [s0, e] of spans) {
    let s = s0;
    for (const [hs, he] of holes) {
      if (he <= s || hs >= e) continue;
      if (hs > s) out.push([s, hs]);
      s = Math.max(s, he);
      if (s >= e) break;
    }
    if (s < e) out.push([s, e]);
  }
  return out;
}

/** Spans clipped to [from, to). */
export function clip(spans: readonly Span[], from: number, to: number): Span[] {
  const out: Span[] = [];
  for (const [s, e] of spans) {
    const cs = Math.max(s, from);
    const ce = Math.min(e, to);
    if (ce > cs) out.push([cs, ce]);
  }
  return out;
}

function prefixOf(spans: readonly Span[]): number[] {
  const prefix: number[] = [];
  let acc = 0;
  for (const [s, e] of spans) {
    prefix.push(acc);
    acc += e - s;
  }
  prefix.push(acc);
  return prefix;
}

// Open time in spans before position p.
function openBefore(spans: readonly Span[], prefix: readonly number[], p: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((spans[mid] as Span)[0] <= p) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return 0;
  const [s, e] = spans[lo - 1] as Span;
  return (prefix[lo - 1] as number) + Math.min(p, e) - s;
}

// Smallest position with `rem` open time before it (0 < rem <= total).
function firstReaching(spans: readonly Span[], prefix: readonly number[], rem: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((prefix[mid + 1] as number) >= rem) hi = mid;
    else lo = mid + 1;
  }
  return (spans[lo] as Span)[0] + rem - (prefix[lo] as number);
}

// Largest position with exactly `rem` open time before it (0 <= rem < total).
function lastReaching(spans: readonly Span[], prefix: readonly number[], rem: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((prefix[mid] as number) <= rem) lo = mid;
    else hi = mid - 1;
  }
  return (spans[lo] as Span)[0] + rem - (prefix[lo] as number);
}

function regular(p: Pick<Pattern, "week" | "weekPrefix" | "weekOpen">, l: number): number {
  const x = l - MONDAY0;
  const w = Math.floor(x / WEEK);
  return w * p.weekOpen + openBefore(p.week, p.weekPrefix, x - w * WEEK);
}

/**
 * Builds a pattern from weekly spans (ms from Monday 00:00, may run past the week's end) and
 * exception blocks: sorted, disjoint local ranges with the exact open spans inside each.
 */
export function buildPattern(weekly: readonly Span[], blocks: readonly { start: number; end: number; spans: readonly Span[] }[]): Pattern {
  const folded: Span[] = [];
  for (const [s, e] of weekly) {
    if (e <= WEEK) folded.push([s, e]);
    else {
      folded.push([s, WEEK]);
      folded.push([0, e - WEEK]);
    }
  }
  const week = union(folded);
  const weekPrefix = prefixOf(week);
  const base = { week, weekPrefix, weekOpen: weekPrefix[weekPrefix.length - 1] as number };
  const built: Block[] = [];
  const g0: number[] = [];
  const g1: number[] = [];
  const deltaBefore = [0];
  for (const b of blocks) {
    const spans = union(clip(b.spans, b.start, b.end));
    const prefix = prefixOf(spans);
    const open = prefix[prefix.length - 1] as number;
    const before = deltaBefore[deltaBefore.length - 1] as number;
    const start = regular(base, b.start);
    g0.push(start + before);
    g1.push(start + before + open);
    deltaBefore.push(before + open - (regular(base, b.end) - start));
    built.push({ start: b.start, end: b.end, spans, prefix, open });
  }
  return { ...base, blocks: built, g0, g1, deltaBefore };
}

// Index of the last block starting at or before l, or -1.
function blockAt(p: Pattern, l: number): number {
  let lo = 0;
  let hi = p.blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((p.blocks[mid] as Block).start <= l) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Open local time from the pattern's origin up to local instant l. */
export function measure(p: Pattern, l: number): number {
  const j = blockAt(p, l);
  if (j < 0) return regular(p, l);
  const b = p.blocks[j] as Block;
  if (l < b.end) return (p.g0[j] as number) + openBefore(b.spans, b.prefix, l);
  return regular(p, l) + (p.deltaBefore[j + 1] as number);
}

/** Refuses a walk that can never end: the calendar has no open time left in that direction. */
export function noOpenTime(): never {
  throw new EngineError("no-open-time", "The calendar has no open time in that direction");
}

/**
 * Index of the first of the ascending `values` that is at least v (with `past`, above v), or
 * values.length: how many come before it.
 */
export function firstIndexAtLeast(values: readonly number[], v: number, past = false): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = values[mid] as number;
    if (past ? x > v : x >= v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Smallest local instant whose measure reaches v (the walk forward stops at a closing, never past it). */
export function firstAt(p: Pattern, v: number): number {
  const n = p.blocks.length;
  const j = firstIndexAtLeast(p.g1, v);
  if (j < n && (p.g0[j] as number) < v) {
    const b = p.blocks[j] as Block;
    return firstReaching(b.spans, b.prefix, v - (p.g0[j] as number));
  }
  if (p.weekOpen === 0) noOpenTime();
  const r = v - (p.deltaBefore[j] as number);
  const w = Math.ceil(r / p.weekOpen) - 1;
  return MONDAY0 + w * WEEK + firstReaching(p.week, p.weekPrefix, r - w * p.weekOpen);
}

/** Largest local instant whose measure is v (the walk backward stops at an opening, never before it). */
export function lastAt(p: Pattern, v: number): number {
  const n = p.blocks.length;
  const j = firstIndexAtLeast(p.g1, v, true);
  if (j < n && (p.g0[j] as number) <= v) {
    const b = p.blocks[j] as Block;
    return lastReaching(b.spans, b.prefix, v - (p.g0[j] as number));
  }
  if (p.weekOpen === 0) noOpenTime();
  const r = v - (p.deltaBefore[j] as number);
  const w = Math.floor(r / p.weekOpen);
  return MONDAY0 + w * WEEK + lastReaching(p.week, p.weekPrefix, r - w * p.weekOpen);
}

/** The merged open spans meeting [from, to), clipped to it. Used only on short ranges. */
export function spansIn(p: Pattern, from: number, to: number): Span[] {
  const out: Span[] = [];
  let pos = from;
  let j = blockAt(p, from);
  if (j < 0 || (p.blocks[j] as Block).end <= from) j += 1;
  while (pos < to) {
    const b = p.blocks[j];
    if (b && b.start <= pos) {
      out.push(...clip(b.spans, pos, Math.min(to, b.end)));
      pos = b.end;
      j += 1;
      continue;
    }
    const stop = b ? Math.min(to, b.start) : to;
    const first = Math.floor((pos - MONDAY0) / WEEK);
    const last = Math.floor((stop - 1 - MONDAY0) / WEEK);
    for (let w = first; w <= last; w++) {
      const origin = MONDAY0 + w * WEEK;
      out.push(
        ...clip(
          p.week.map(([s, e]) => [origin + s, origin + e] as Span),
          pos,
          stop,
        ),
      );
    }
    pos = stop;
  }
  return union(out);
}
