import type { Catalog } from "../locales/index.ts";
import type { WindowResult } from "./api.ts";

type AfterHoursChoice = NonNullable<NonNullable<WindowResult["billing"]>["options"]>[number]["choice"];

import { formatIncrement, formatMoney, formatSpan, formatWhen } from "./format.ts";

/** One sentence of the charges notice, and whether it tells of a charge. */
export interface ChargeLine {
  readonly text: string;
  readonly chargeable: boolean;
}

/**
 * The charges notice shown before sending: one sentence for the billing terms and one for the
 * allowance, each the catalog's message for the reason the window gives, so every sentence names
 * its real cause (not covered, free cases used, out of hours…).
 */
export function chargeLines(w: WindowResult, t: Catalog, locale: string): ChargeLine[] {
  const lines: ChargeLine[] = [];
  const billing = w.billing;
  // Out of hours with a choice to make, the options state the terms (afterHoursOptions).
  if (billing && !billing.options) {
    const rate = billing.ratePerHour ? formatMoney(billing.ratePerHour.amount, billing.ratePerHour.currency, locale) : "";
    const increment = formatIncrement(billing.increment, locale);
    lines.push({ text: t.billing[billing.reason]({ category: billing.category.label, rate, increment }), chargeable: billing.billable });
  }
  const allowance = w.allowance;
  if (allowance) {
    const used = allowance.used ?? 0;
    const included = allowance.included ?? 0;
    const left = Math.max(0, included - used);
    lines.push({
      text: t.allowance[allowance.reason]({
        used,
        included,
        left: allowance.unit === "hours" ? formatSpan(left * 3_600_000, locale) : String(left),
        price: allowance.extraCase ? formatMoney(allowance.extraCase.amount, allowance.extraCase.currency, locale) : "",
        until: allowance.freeUntil ? formatWhen(allowance.freeUntil, locale, true) : "",
      }),
      chargeable: allowance.chargeable,
    });
  }
  return lines;
}

/** One option out of hours as the customer reads it: what it is, its reply-by, its terms. */
export interface AfterHoursOptionText {
  readonly choice: AfterHoursChoice;
  readonly label: string;
  readonly replyBy: string;
  readonly terms: string;
}

/**
 * Out of hours, for work done then only if paid for: the question (the billing reason's message) and
 * both options — wait for support hours, or have it addressed now — each with its reply-by and rate.
 */
export function afterHoursOptions(
  w: WindowResult,
  t: Catalog,
  locale: string,
): { legend: string; options: AfterHoursOptionText[] } | undefined {
  const billing = w.billing;
  if (!billing?.options) return undefined;
  const increment = formatIncrement(billing.increment, locale);
  return {
    legend: t.billing[billing.reason]({ category: billing.category.label, rate: "", increment }),
    options: billing.options.map((o) => ({
      choice: o.choice,
      label: t.afterHoursOption[o.choice],
      replyBy: o.firstResponseDueAt ? t.replyBy(formatWhen(o.firstResponseDueAt, locale)) : "",
      terms:
        o.billable && o.ratePerHour
          ? t.optionTerms[o.rateClass](formatMoney(o.ratePerHour.amount, o.ratePerHour.currency, locale), increment)
          : t.optionFree,
    })),
  };
}
