import type { SiteConfig } from "./api.ts";

/** A merchant's phone as the site config gives it. */
export type Phone = NonNullable<NonNullable<SiteConfig["contact"]>["phone"]>;

/**
 * The `tel:` link for a phone: its E.164 number, then a pause and the digits dialled once the call
 * is answered ("tel:+17079429700,1"). Undefined when there is no number to dial.
 */
export function telHref(phone: Phone): string | undefined {
  if (!phone.number) return undefined;
  return `tel:${phone.number}${phone.option ? `,${phone.option}` : ""}`;
}
