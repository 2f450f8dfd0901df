import { ALWAYS, type Policy } from "../../schema/policy.ts";
import { add, addBusinessDays, type CompiledCalendar, compileCalendar, isOpen, nextOpening, within } from "./calendar.ts";
import type { Duration } from "./duration.ts";
import { EngineError } from "./errors.ts";
import { checkInstant, DAY, MAX_INSTANT } from "./zone.ts";

/** A clock targets count on: elapsed time ("24/7") or a named calendar's open time. */
export type Clock =
  | { readonly kind: "elapsed"; readonly name: typeof ALWAYS }
  | { readonly kind: "calendar"; readonly name: string; readonly cal: CompiledCalendar };

const ELAPSED: Clock = { kind: "elapsed", name: ALWAYS };

/** Resolves a clock name of a validated policy. */
export function clockOf(policy: Policy, name: string): Clock {
  if (name === ALWAYS) return ELAPSED;
  const cal = policy.calendars[name];
  if (!cal) throw new EngineError("invalid-policy", `Unknown clock "${name}"`);
  return { kind: "calendar", name, cal: compileCalendar(cal) };
}

function inRange(at: number): number {
  if (at >= MAX_INSTANT) throw new EngineError("out-of-range", "The result falls outside 1971–2199");
  return at;
}

/** Adds a duration: days are business days on a calendar (24 h on 24/7), the rest is open time. */
export function addDuration(clock: Clock, from: number, d: Duration): number {
  checkInstant(from);
  if (clock.kind === "elapsed") return inRange(from + d.days * DAY + d.ms);
  const afterDays = d.days > 0 ? addBusinessDays(clock.cal, from, d.days) : from;
  if (d.ms > 0) return add(clock.cal, afterDays, d.ms);
  return d.days > 0 ? afterDays : nextOpening(clock.cal, from);
}

/** Adds open milliseconds on a clock. */
export function addTime(clock: Clock, from: number, ms: number): number {
  return clock.kind === "elapsed" ? inRange(from + ms) : add(clock.cal, from, ms);
}

/** Open milliseconds between two instants on a clock. */
export function timeWithin(clock: Clock, from: number, to: number): number {
  return clock.kind === "elapsed" ? Math.max(0, to - from) : within(clock.cal, from, to);
}

/** Whether the clock runs at an instant. */
export function runsAt(clock: Clock, at: number): boolean {
  return clock.kind === "elapsed" ? true : isOpen(clock.cal, at);
}
