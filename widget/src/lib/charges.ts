import type { Catalog } from "../locales/index.ts";
import type { WindowResult } from "./api.ts";
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
  if (billing) {
    const rate = billing.ratePerHour ? formatMoney(billing.ratePerHour.amount, billing.ratePerHour.currency, locale) : "";
    const increment = formatIncrement(billing.increment, locale);
    lines.push({ text: t.billing[billing.reason]({ category: billing.category.label, rate, increment }), chargeable: billing.billable });
    if (billing.resumesAt) lines.push({ text: t.resumesAt(formatWhen(billing.resumesAt, locale)), chargeable: false });
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
