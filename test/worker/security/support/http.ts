import { exports } from "cloudflare:workers";
import { ORIGIN, ticketBody } from "../../helpers.ts";
import { type Fingerprint, fingerprint } from "./state.ts";

/** The host the security suite calls (https, so the dashboard's `__Host-` cookies apply). */
export const HOST = "https://replyby.test";

const run = crypto.randomUUID().slice(0, 8);
let n = 0;

/**
 * A client IP no other test uses. The rate-limit binding's counters are shared by every test
 * file, so each request that is not about rate limits comes from its own address.
 */
export function freshIp(): string {
  n += 1;
  return `sec-${run}-${n}`;
}

/** A public API request: from its own IP and the allowed storefront origin unless told otherwise. */
export function api(
  path: string,
  init: {
    method?: string;
    json?: unknown;
    body?: BodyInit | null;
    headers?: Record<string, string>;
    origin?: string | null;
    ip?: string;
  } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("CF-Connecting-IP")) headers.set("CF-Connecting-IP", init.ip ?? freshIp());
  if (init.origin !== null) headers.set("Origin", init.origin ?? ORIGIN);
  let body = init.body ?? null;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  return exports.default.fetch(
    new Request(`${HOST}${path}`, {
      method: init.method ?? (body === null ? "GET" : "POST"),
      headers,
      body,
      duplex: "half",
      redirect: "manual",
    } as RequestInit),
  );
}

/** A ticket filed through the API; its reference and access token. */
export async function newTicket(siteKey = "demo-ecellar", over: Record<string, unknown> = {}): Promise<{ ref: string; token: string }> {
  const res = await api(`/v1/sites/${siteKey}/tickets`, { json: ticketBody(over), headers: { "Idempotency-Key": crypto.randomUUID() } });
  if (res.status !== 201) throw new Error(`create failed ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { reference: string; accessToken: string };
  return { ref: body.reference, token: body.accessToken };
}

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
