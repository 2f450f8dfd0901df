import { type Fingerprint, fingerprint } from "./state.ts";

/** A ticket of each demo merchant that files cleanly on its site. */
export const ticketOf = {
  ecellar: ["demo-ecellar", {}],
  "easy-commission": ["demo-easy-commission", { issueType: "report-error", severity: "cosmetic" }],
  commerceup: ["demo-commerceup", { issueType: "minor", severity: "low" }],
  ecshops: ["demo-ecshops", { issueType: "incident", severity: "degraded" }],
} as const satisfies Record<string, readonly [string, Record<string, unknown>]>;

/** A demo merchant's preset id. */
export type MerchantKey = keyof typeof ticketOf;

/** The merchants of the demo data. */
export const merchantKeys = Object.keys(ticketOf) as MerchantKey[];

/** Runs `act` and answers its result with the database fingerprints around it. */
export async function around<T>(act: () => Promise<T>): Promise<{ result: T; before: Fingerprint; after: Fingerprint }> {
  const before = await fingerprint();
  const result = await act();
  const after = await fingerprint();
  return { result, before, after };
}

/** A page with its per-response nonce blanked, so two responses can be compared byte for byte. */
export function normalized(html: string): string {
  return html.replace(/nonce="[^"]+"/g, 'nonce=""');
}
