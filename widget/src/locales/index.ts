import { type Catalog, en } from "./en.ts";
import { es } from "./es.ts";

export type { Catalog } from "./en.ts";

// Catalogs ship inside the app chunk: two small objects cost less than a third request on open.
// Adding a language is one file here; the type forces every key to be translated.
const catalogs: Record<string, Catalog> = { en, es };

/** The languages the widget's own text is written in. */
export const uiLanguages = Object.keys(catalogs);

/**
 * The best supported language for a list of preferences ("es-MX" → "es"), English otherwise.
 * Empty and malformed tags are skipped, so `<html lang="">` does not win over the browser.
 */
export function pickLanguage(preferences: readonly (string | null | undefined)[]): string {
  for (const tag of preferences) {
    const lang = tag?.trim().toLowerCase().split(/[-_]/)[0];
    if (lang && catalogs[lang]) return lang;
  }
  return "en";
}

/** The catalog for a supported language. */
export function catalog(lang: string): Catalog {
  return catalogs[lang] ?? en;
}
