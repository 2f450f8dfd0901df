import { type LocalText, pickText } from "../../schema/policy.ts";

/** Locales with a complete message catalog. */
export const supportedLocales = ["en", "es"] as const;
/** One supported locale. */
export type Locale = (typeof supportedLocales)[number];

/** The supported locale for a BCP 47 tag ("es-MX" → "es"), English otherwise. */
export function localeOf(tag: string | undefined): Locale {
  const lang = (tag ?? "en").toLowerCase().split(/[-_]/)[0];
  return (supportedLocales as readonly string[]).includes(lang ?? "") ? (lang as Locale) : "en";
}

/**
 * How a person reads instants and money in each locale: one Intl tag and one hour cycle each, and
 * one style of zone label for every instant. The widget's catalogs state the same (`intlTag`,
 * `hourCycle`; test/widget checks they agree), so no screen mixes "16:05 PT" with "4:05 PM (your
 * time)". English is 24-hour, as DESIGN.md writes it ("reply by Tue 10:00").
 */
export const localeFormats: Record<Locale, { readonly tag: string; readonly hourCycle: "h12" | "h23" }> = {
  en: { tag: "en-US", hourCycle: "h23" },
  es: { tag: "es-ES", hourCycle: "h23" },
};
/** Every instant names its zone the same way: "PT", "India Time", "hora de España". */
export const zoneLabelStyle = "shortGeneric";
const formats = new Map<string, Intl.DateTimeFormat>();

// The text shows minutes, so it is the same for every instant of a minute: windows computed in
// the same minute (most of them, under load) reuse it. Bounded; cleared when full.
const formatted = new Map<string, string>();

/** One formatter per locale, zone and whether the year shows, built once (construction is the costly part). */
function instantFormat(timeZone: string, locale: Locale, withYear: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withYear}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(localeFormats[locale].tag, {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: "short",
      ...(withYear ? { year: "numeric" } : {}),
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: localeFormats[locale].hourCycle,
      timeZoneName: zoneLabelStyle,
    });
    formats.set(key, f);
  }
  return f;
}

/** "Fri, Nov 20, 16:05 PT": an instant as a person reads it in a zone (memoised per minute). */
export function formatInstant(at: number, timeZone: string, locale: Locale): string {
  const minuteKey = `${locale}|${timeZone}|${Math.floor(at / 60_000)}`;
  const hit = formatted.get(minuteKey);
  if (hit !== undefined) return hit;
  const text = instantFormat(timeZone, locale, false).format(at);
  if (formatted.size >= 5000) formatted.clear();
  formatted.set(minuteKey, text);
  return text;
}

/** "Fri, 1 Jan 2027, 23:59 PT": an instant that may be months away (a quote's validity), with its year. */
export function formatInstantWithYear(at: number, timeZone: string, locale: Locale): string {
  return instantFormat(timeZone, locale, true).format(at);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** "Thu, Dec 24, 2026": a whole date (a planned delivery day), as it falls in a zone; no time, so no zone label. */
export function formatDateWithYear(at: number, timeZone: string, locale: Locale): string {
  const key = `${locale}|${timeZone}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(localeFormats[locale].tag, { timeZone, weekday: "short", day: "numeric", month: "short", year: "numeric" });
    dateFormats.set(key, f);
  }
  return f.format(at);
}

const moneyFormats = new Map<string, { f: Intl.NumberFormat; digits: number }>();

/** Money in minor units as a person reads it ("$225.00"); formatters memoised. */
export function formatMoney(amount: number, currency: string, locale: Locale): string {
  const key = `${locale}|${currency}`;
  let m = moneyFormats.get(key);
  if (!m) {
    const f = new Intl.NumberFormat(localeFormats[locale].tag, { style: "currency", currency });
    m = { f, digits: f.resolvedOptions().maximumFractionDigits ?? 2 };
    moneyFormats.set(key, m);
  }
  return m.f.format(amount / 10 ** m.digits);
}

/** Picks a localised text: the locale, then English, then any. */
export const pick: (text: LocalText | undefined, locale: Locale) => string = pickText;
