/** Weekday keys of a calendar's `hours`, Monday first. */
export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** One weekday key. */
export type Weekday = (typeof weekdays)[number];

/** Local minutes since midnight of "HH:MM" ("24:00" is 1440). */
export function minutesOf(hm: string): number {
  const [h, m] = hm.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

/** Local minutes from the day's midnight: an end not after its start runs into the next day. */
export function intervalMinutes([start, end]: readonly [string, string]): [number, number] {
  const s = minutesOf(start);
  const e = minutesOf(end);
  return [s, e > s ? e : e + 1440];
}

/** Day number (days since 1970-01-01) of a "YYYY-MM-DD" date. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 86_400_000;
}
