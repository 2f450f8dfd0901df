import type { SiteBranding } from "../../schema/db.ts";
import { pickText } from "../../schema/policy.ts";

const HEX = /^#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?$/;

/** How a site presents itself to customers in one locale: its title (else its name) and a safe accent. */
export interface Brand {
  readonly title: string;
  readonly accent: string | undefined;
}

/** A site's brand in a locale; the accent only when it is a hex colour (it lands in CSS and email styles). */
export function brandOf(site: { readonly name: string; readonly branding: SiteBranding }, locale: string): Brand {
  const accent = site.branding.accent && HEX.test(site.branding.accent) ? site.branding.accent : undefined;
  return { title: pickText(site.branding.title, locale).trim() || site.name, accent };
}
