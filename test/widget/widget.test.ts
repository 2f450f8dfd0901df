import { describe, expect, it } from "vitest";
import { collapseHtmlTemplates } from "../../widget/build.ts";
import { accentPalette, contrast, parseColor } from "../../widget/src/lib/contrast.ts";
import { formatIncrement, formatMoney, formatSpan } from "../../widget/src/lib/format.ts";
import { backoff, uuid } from "../../widget/src/lib/outbox.ts";
import { telHref } from "../../widget/src/lib/phone.ts";
import { en } from "../../widget/src/locales/en.ts";
import { es } from "../../widget/src/locales/es.ts";
import { catalog, pickLanguage } from "../../widget/src/locales/index.ts";
import { localeFormats, supportedLocales } from "../../worker/engine/format.ts";

// The widget's pure parts, in Node; everything that needs a DOM is tested in Chromium (test/browser).

describe("catalogs", () => {
  /** Every key path of a catalog, with the arity of functions, so a missing or mistyped translation shows. */
  function shape(value: unknown, prefix = ""): string[] {
    if (typeof value === "function") return [`${prefix}(${value.length})`];
    if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => shape(v, prefix ? `${prefix}.${k}` : k));
    return [prefix];
  }

  it("Spanish has every message English has, with the same parameters", () => {
    expect(shape(es).sort()).toEqual(shape(en).sort());
  });

  it("no message is empty in any language", () => {
    for (const cat of [en, es]) {
      for (const [key, value] of Object.entries(cat)) {
        if (typeof value === "string") expect(value.trim(), key).not.toBe("");
        if (typeof value === "function") expect(String((value as (...a: unknown[]) => string)(1, 2)).trim(), key).not.toBe("");
      }
    }
  });

  it("write dates and times the way the worker's explanations do, one convention per language", () => {
    for (const lang of supportedLocales) {
      expect({ tag: catalog(lang).intlTag, hourCycle: catalog(lang).hourCycle }, lang).toEqual(localeFormats[lang]);
    }
  });

  it("picks the first supported language from the preferences, else English", () => {
    expect(pickLanguage(["", "es-MX", "en"])).toBe("es");
    expect(pickLanguage([undefined, "fr-FR", "EN_gb"])).toBe("en");
    expect(pickLanguage(["de"])).toBe("en");
    expect(catalog("es").launcher).toBe("Ayuda");
    expect(catalog("xx").launcher).toBe("Help");
  });
});

describe("colours", () => {
  it("parses hex and rgb()", () => {
    expect(parseColor("#1d4ed8")).toEqual([29, 78, 216]);
    expect(parseColor("#fff")).toEqual([255, 255, 255]);
    expect(parseColor("rgb(122, 31, 61)")).toEqual([122, 31, 61]);
    expect(parseColor("oklch(0.5 0.1 20)")).toBeUndefined();
  });

  it("keeps text on any brand accent at AA contrast", () => {
    for (const accent of ["rgb(255, 212, 0)", "rgb(122, 31, 61)", "rgb(240, 240, 240)", "rgb(11, 92, 173)", "rgb(179, 64, 10)"]) {
      const p = accentPalette(accent);
      const onAccent = parseColor(p.onAccent) as [number, number, number];
      const accentRgb = parseColor(accent) as [number, number, number];
      expect(contrast(accentRgb, onAccent), accent).toBeGreaterThanOrEqual(4.5);
      expect(contrast(parseColor(p.ink) as [number, number, number], [255, 255, 255]), accent).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe("outbox retries", () => {
  it("backs off exponentially with jitter, capped at a minute, and honours Retry-After", () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const base = Math.min(60_000, 2_000 * 2 ** (attempt - 1));
      const delay = backoff(attempt);
      expect(delay).toBeGreaterThanOrEqual(base * 0.8);
      expect(delay).toBeLessThanOrEqual(base * 1.2);
    }
    expect(backoff(1, 120)).toBe(120_000);
  });

  it("makes RFC 4122 v4 keys", () => {
    const keys = new Set(Array.from({ length: 100 }, () => uuid()));
    expect(keys.size).toBe(100);
    for (const k of keys) expect(k).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("formatting through Intl", () => {
  it("writes money from minor units with the currency's decimals", () => {
    expect(formatMoney(22500, "USD", "en-US")).toBe("$225.00");
    expect(formatMoney(120000, "EUR", "es-ES").replace(/\s/g, " ")).toBe("1200,00 €");
    expect(formatMoney(5000, "JPY", "en-US")).toBe("¥5,000");
  });

  it("writes spans for countdowns with at most two units", () => {
    expect(formatSpan(3 * 3_600_000 + 12 * 60_000, "en")).toBe("3 hours 12 minutes");
    expect(formatSpan(26 * 3_600_000, "en")).toBe("1 day 2 hours");
    expect(formatSpan(20_000, "en")).toBe("1 minute");
    expect(formatSpan(-90 * 60_000, "es")).toBe("1 hora 30 minutos");
  });

  it("writes billing increments", () => {
    expect(formatIncrement("PT15M", "en")).toBe("15 minutes");
    expect(formatIncrement("PT1H", "es")).toBe("1 hora");
    expect(formatIncrement("P1D", "en")).toBe("24 hours");
  });
});

describe("phone links", () => {
  it("dial the E.164 number, then the menu option after a pause", () => {
    expect(telHref({ number: "+17079429700", option: "1", text: "707-942-9700 Opt. 1" })).toBe("tel:+17079429700,1");
  });

  it("dial the number alone when there is no option", () => {
    expect(telHref({ number: "+34911234567", text: "911 23 45 67" })).toBe("tel:+34911234567");
  });

  it("are not made when there is no number to dial", () => {
    expect(telHref({ text: "707-942-9700 Opt. 1" })).toBeUndefined();
  });
});

describe("the build's template collapsing", () => {
  it("collapses line-broken whitespace in html`…` static parts only, leaving expressions and other literals as written", () => {
    const source = [
      "const a = html`<p>",
      "    ${x ? html`<b>",
      "      yes</b>` : `keep",
      "  this`}",
      "  </p>`;",
      "const s = '`not a template`';",
    ].join("\n");
    expect(collapseHtmlTemplates(source)).toBe(
      ["const a = html`<p> ${x ? html`<b> yes</b>` : `keep", "  this`} </p>`;", "const s = '`not a template`';"].join("\n"),
    );
  });
});
