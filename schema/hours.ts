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
