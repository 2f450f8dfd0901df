import type { SiteBranding } from "../../schema/db.ts";
import { supportedLocales } from "../engine/format.ts";
import { parseOrigins } from "../merchant/origins.ts";
import type { SiteSettings } from "../merchant/site-settings.ts";
import { type Form, FormCheck, isEmailAddress } from "./forms.ts";

/**
 * Reads a site form: name, exact origins, optional branding (the title in each of the policy's
 * locales, an accent colour), the widget's default language and the support address mail arrives at.
 */
export function siteForm(form: Form, locales: readonly string[]): { check: FormCheck; settings: SiteSettings } {
  const check = new FormCheck(form);
  const name = check.text("name", { min: 1, max: 120, label: "a name" });
  const origins = parseOrigins(form.origins ?? "");
  check.errors.push(...origins.errors);
  const title = check.localText("title", locales, { max: 80 });
  const accent = check.text("accent", { max: 7 });
  if (accent && !/^#[0-9a-fA-F]{6}$/.test(accent)) check.fail("accent", "Use a colour such as #1d6b4f");
  const branding: SiteBranding = { ...(title ? { title } : {}), ...(accent ? { accent } : {}) };
  // Forms drawn before these fields existed post neither: the site keeps what it has.
  const defaultLocale = form.locale === undefined ? undefined : check.oneOf("locale", supportedLocales, "Choose English or Español");
  let inboundAddress: string | null | undefined;
  if (form.inbound !== undefined) {
    const address = check.text("inbound", { max: 254 }).toLowerCase();
    if (address && (!isEmailAddress(address) || address.includes("+")))
      check.fail("inbound", "Enter an address such as help@shop.example (no +)");
    inboundAddress = address || null;
  }
  return { check, settings: { name, allowedOrigins: origins.origins, branding, defaultLocale, inboundAddress } };
}
