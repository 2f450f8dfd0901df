import { DateTime } from "luxon";
import type { LocalText } from "../../schema/policy.ts";
import { pick } from "../engine/format.ts";

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** "Tue, Nov 24, 10:00 PST": an instant as staff read it, in the merchant's zone. */
export function when(at: number, timeZone: string): string {
  let f = dateTimeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    dateTimeFormats.set(timeZone, f);
  }
  return f.format(at);
}

/** An ISO-8601 UTC instant for `<time datetime>`. */
export function isoAt(at: number): string {
  return new Date(at).toISOString();
}

/** "2h 05m" for a span of milliseconds (days shown past 48 hours). */
export function span(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor(minutes / 60);
  if (hours >= 48) return `${days}d ${Math.floor((minutes % 1440) / 60)}h`;
  if (hours > 0) return `${hours}h ${String(minutes % 60).padStart(2, "0")}m`;
  return `${minutes}m`;
}

/** "in 2h 05m" or "4m overdue": what a countdown shows at `now`. */
export function countdown(due: number, now: number): string {
  return due > now ? `in ${span(due - now)}` : `${span(now - due)} overdue`;
}

/** The fraction digits a currency is written with (2 for USD, 0 for JPY). */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Money in minor units as staff read it ("$225.00"). */
export function money(amount: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount / 10 ** currencyDigits(currency));
}

/** Money in minor units as a plain decimal ("225.00"), for CSV and form defaults. */
export function decimal(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  return (amount / 10 ** digits).toFixed(digits);
}

/** Minor units from a decimal a person typed ("1,250.5" → 125050), or null when it is not money. */
export function parseMoney(text: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const clean = text.trim().replaceAll(",", "");
  const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(clean);
  if (!m) return null;
  const fraction = m[2] ?? "";
  if (fraction.length > digits) return null;
  return Number(m[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/** An instant from a `datetime-local` value read in a zone, or null when malformed. */
export function parseLocalDateTime(value: string, timeZone: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const dt = DateTime.fromISO(value, { zone: timeZone });
  return dt.isValid ? dt.toMillis() : null;
}

/** The `datetime-local` value of an instant in a zone. */
export function localDateTimeValue(at: number, timeZone: string): string {
  return DateTime.fromMillis(at, { zone: timeZone }).toFormat("yyyy-LL-dd'T'HH:mm");
}

/** The start of a `YYYY-MM-DD` date in a zone, or null when malformed. */
export function parseLocalDate(value: string, timeZone: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const dt = DateTime.fromISO(value, { zone: timeZone });
  return dt.isValid ? dt.startOf("day").toMillis() : null;
}

/** The `YYYY-MM-DD` date of an instant in a zone. */
export function localDateValue(at: number, timeZone: string): string {
  return DateTime.fromMillis(at, { zone: timeZone }).toFormat("yyyy-LL-dd");
}

/** The last millisecond of a local date in a zone. */
export function endOfLocalDate(startOfDay: number, timeZone: string): number {
  return DateTime.fromMillis(startOfDay, { zone: timeZone }).endOf("day").toMillis();
}

/** A policy text in English (the dashboard's language). */
export function label(text: LocalText | undefined, fallback = ""): string {
  return pick(text, "en") || fallback;
}
