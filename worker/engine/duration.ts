import { durationPattern } from "../../schema/policy.ts";
import { EngineError } from "./errors.ts";
import { DAY, HOUR, MINUTE, SECOND } from "./zone.ts";

/** A parsed ISO-8601 duration: whole days (weeks folded in) and a time part in ms. */
export interface Duration {
  readonly days: number;
  readonly ms: number;
}

/** Parses "P1DT4H"-style durations; weeks count as 7 days, years and months are refused. */
export function parseDuration(text: string): Duration {
  const m = durationPattern.exec(text);
  if (!m) throw new EngineError("invalid-duration", `"${text}" is not an ISO-8601 duration such as PT4H or P1D`);
  const n = (i: number) => Number(m[i] ?? 0);
  return { days: n(1) * 7 + n(2), ms: n(3) * HOUR + n(4) * MINUTE + n(5) * SECOND };
}

/** Total elapsed ms of a duration, a day being 24 hours. */
export function durationMs(d: Duration): number {
  return d.days * DAY + d.ms;
}
