import { call } from "../../helpers.ts";
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

/** The customer API's routes on one ticket, each with a body that would change the ticket were it let through. */
export const customerEndpoints = [
  { name: "GET /v1/tickets/:ref", method: "GET", sub: "", json: undefined },
  { name: "POST /v1/tickets/:ref/replies", method: "POST", sub: "/replies", json: { body: "let me in" } },
  { name: "POST /v1/tickets/:ref/quote", method: "POST", sub: "/quote", json: { decision: "accept" } },
  { name: "POST /v1/tickets/:ref/close", method: "POST", sub: "/close", json: {} },
] as const;

/** Calls one of the customer endpoints on ticket `ref` with these headers. */
export function callCustomerEndpoint(e: (typeof customerEndpoints)[number], ref: string, headers: Record<string, string>) {
  return call(`/v1/tickets/${ref}${e.sub}`, { method: e.method, headers, ...(e.json !== undefined ? { json: e.json } : {}) });
}
