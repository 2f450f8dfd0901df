/**
 * Dates, money and durations through Intl only (no date library in the widget), always in the
 * visitor's own time zone: the server sends UTC instants and the policy's own wording, the
 * widget turns instants into "Tue, Nov 25, 10:00 PT" where the customer lives.
 */

import { catalog } from "../locales/index.ts";

/** Every instant names its zone the same way, as the worker's explanations do ("PT", "India Time"). */
const zoneLabelStyle = "shortGeneric";

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function memo<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

/** The visitor's IANA zone (undefined only where Intl cannot tell, then the browser's default applies). */
export function visitorZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The formatting locale for a UI language: one per language (its catalog's `intlTag`), the one the
 * worker writes its explanations in, so dates and hours read alike in every line of the widget.
 */
export function formatLocale(lang: string): string {
  return catalog(lang).intlTag;
}

/** "Tue, Nov 25, 10:00 PT" (per locale) for an ISO instant, in the visitor's zone, which it names. */
export function formatWhen(iso: string | number, locale: string, withYear = false): string {
  const f = memo(`d|${locale}|${withYear}`, () =>
    Intl.DateTimeFormat(locale, {
      weekday: "short",
      day: "numeric",
      month: "short",
      year: withYear ? "numeric" : undefined,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: catalog(locale.split("-")[0] ?? "en").hourCycle,
      timeZoneName: zoneLabelStyle,
    }),
  );
  return f.format(new Date(iso));
}

/** Money given in minor units ("$225.00"), with the currency's own number of decimals. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const f = memo(`m|${locale}|${currency}`, () => Intl.NumberFormat(locale, { style: "currency", currency })) as Intl.NumberFormat;
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(amount / 10 ** digits);
}

function unit(n: number, u: "day" | "hour" | "minute" | "second", locale: string): string {
  return memo(`u|${locale}|${u}`, () => Intl.NumberFormat(locale, { style: "unit", unit: u, unitDisplay: "long" })).format(n);
}

/** "3 hours, 12 minutes": a span for countdowns, at most two units, never below a minute. */
export function formatSpan(ms: number, locale: string): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = d
    ? [unit(d, "day", locale), h ? unit(h, "hour", locale) : ""]
    : h
      ? [unit(h, "hour", locale), m ? unit(m, "minute", locale) : ""]
      : [unit(m, "minute", locale)];
  // Every browser that runs the bundle's ES2022 (private methods) has Intl.ListFormat.
  return new Intl.ListFormat(locale, { style: "narrow", type: "unit" }).format(parts.filter(Boolean));
}

/** "15-minute"/"15 minutos": a billing increment written as an ISO-8601 duration ("PT15M", "PT1H"). */
export function formatIncrement(iso: string, locale: string): string {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!m) return iso;
  const minutes = Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return minutes % 60 === 0 ? unit(minutes / 60, "hour", locale) : unit(minutes, "minute", locale);
}
