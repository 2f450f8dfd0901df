import { secondsOf } from "../../schema/hours.ts";
import type { Policy, Target } from "../../schema/policy.ts";
import { closingOf, isBusinessDate, localDateTime, nthBusinessDateAfter } from "./calendar.ts";
import { addDuration, addTime, type Clock, clockOf, timeWithin } from "./clock.ts";
import { type Duration, parseDuration } from "./duration.ts";
import { EngineError } from "./errors.ts";
import { SECOND } from "./zone.ts";

/** A span during which a ticket waits on the customer; `to` is null while still waiting. */
export interface Pause {
  readonly from: number;
  readonly to: number | null;
}

/** How a cut-off target was decided, for the explanation. */
export interface CutoffFacts {
  readonly cutoff: string;
  readonly receivedOnBusinessDate: boolean;
  readonly beforeCutoff: boolean;
  readonly sameDay: boolean;
}

/** A target evaluated from a start instant. Instants are epoch ms; null means the clock is paused. */
export interface Due {
  readonly clock: Clock;
  readonly dueAt: number | null;
  readonly earliestAt?: number | null;
  readonly latestAt?: number | null;
  readonly cutoff?: CutoffFacts;
}

function byCutoff(clock: Clock, from: number, cutoff: string): { dueAt: number; facts: CutoffFacts } {
  if (clock.kind !== "calendar") throw new EngineError("invalid-policy", "A cut-off needs a business calendar");
  const { day, time } = localDateTime(clock.cal.zone, from);
  const business = isBusinessDate(clock.cal, day);
  const before = time <= secondsOf(cutoff) * SECOND;
  if (business && before) {
    const closing = closingOf(clock.cal, day);
    if (closing > from) {
      return { dueAt: closing, facts: { cutoff, receivedOnBusinessDate: true, beforeCutoff: true, sameDay: true } };
    }
  }
  const next = nthBusinessDateAfter(clock.cal, day, 1);
  return {
    dueAt: closingOf(clock.cal, next),
    facts: { cutoff, receivedOnBusinessDate: business, beforeCutoff: before, sameDay: false },
  };
}

/**
 * Moves a due instant later by the clock time lost to each pause that began before it. A pause
 * still open leaves the target paused (null).
 */
export function extendByPauses(clock: Clock, from: number, due: number, pauses: readonly Pause[]): number | null {
  let at = due;
  const sorted = [...pauses].sort((a, b) => a.from - b.from);
  for (const p of sorted) {
    if (p.from >= at) break;
    if (p.to === null) return null;
    const lost = timeWithin(clock, Math.max(p.from, from), p.to);
    if (lost > 0) at = addTime(clock, at, lost);
  }
  return at;
}

/** Evaluates a target from `from`, extended by pauses; `extraDays` adds business days (e.g. app submission). */
export function evaluate(policy: Policy, target: Target, from: number, pauses: readonly Pause[] = [], extra?: Duration): Due {
  const clock = clockOf(policy, target.clock);
  const shift = (at: number) => {
    const moved = extra ? addDuration(clock, at, extra) : at;
    return extendByPauses(clock, from, moved, pauses);
  };
  if (target.within !== undefined) {
    return { clock, dueAt: shift(addDuration(clock, from, parseDuration(target.within))) };
  }
  if (target.between !== undefined) {
    const earliestAt = shift(addDuration(clock, from, parseDuration(target.between[0])));
    const latestAt = shift(addDuration(clock, from, parseDuration(target.between[1])));
    return { clock, dueAt: latestAt, earliestAt, latestAt };
  }
  const { dueAt, facts } = byCutoff(clock, from, target.sameDayIfBefore as string);
  return { clock, dueAt: shift(dueAt), cutoff: facts };
}
