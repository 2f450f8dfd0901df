import { eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { merchants } from "../../../schema/db.ts";
import { db } from "../helpers.ts";
import { hostile } from "./support/arbitraries.ts";
import { type DashEndpoint, fuzzDashboard, fuzzEachEndpoint, param, setupDashboard } from "./support/dashboard.ts";

// Fuzz of the integrations settings: identity secrets, API keys, the accounts CSV import and webhooks.

const form = { statuses: [303, 400, 403, 413, 415], writes: true };
const events = ["ticket.created", "ticket.breached", "quote.accepted", "ticket.exploded", "__proto__"];

/** A CSV of accounts: mostly well-formed lines, some broken, some hostile. */
const csv = fc
  .tuple(
    fc.constantFrom("account_id,plan,dues_current,cases_used,subscribed_at", "account_id,plan", "plan,account_id,plan", "credit", ""),
    fc.array(
      fc.oneof(
        {
          weight: 4,
          arbitrary: fc
            .tuple(fc.stringMatching(/^[a-z0-9-]{1,12}$/), fc.constantFrom("standard", "", "gold"))
            .map(([id, plan]) => `${id},${plan},yes,1,2026-11-01`),
        },
        { weight: 1, arbitrary: fc.constantFrom('"unclosed,x', ",,,,", "x,y,maybe,-1,2026-02-30", "a,b") },
        { weight: 1, arbitrary: hostile },
      ),
      { maxLength: 6 },
    ),
    fc.constantFrom("\n", "\r\n"),
  )
  .map(([header, lines, nl]) => [header, ...lines].join(nl));

const url = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("https://hooks.example.com/replyby", "https://hooks.example.org/a?b=c", "") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "http://hooks.example.com/",
      "https://localhost/",
      "https://127.0.0.1/",
      "https://[::ffff:10.0.0.1]/",
      "https://2130706433/",
      "https://user:pw@hooks.example.com/",
      "https://intranet/",
      "javascript:alert(1)",
    ),
  },
  { weight: 1, arbitrary: hostile },
);

const endpoints: DashEndpoint[] = [
  {
    method: "GET",
    path: "/dashboard/settings/sites/:id/identity",
    statuses: [200, 404],
    writes: false,
    params: { id: param("ownSite", "foreignSite") },
  },
  {
    ...form,
    method: "POST",
    path: "/dashboard/settings/sites/:id/identity/rotate",
    statuses: [201, 400, 403, 404, 409, 413, 415],
    params: { id: param("ownSite", "foreignSite") },
  },
  {
    method: "GET",
    path: "/dashboard/settings/api-keys",
    statuses: [200],
    writes: false,
    fields: { done: fc.constantFrom("revoked", "x") },
  },
  {
    ...form,
    method: "POST",
    path: "/dashboard/settings/api-keys",
    statuses: [201, 400, 403, 413, 415],
    fields: { name: fc.string({ minLength: 1, maxLength: 90 }) },
    required: ["name"],
  },
  {
    ...form,
    method: "POST",
    path: "/dashboard/settings/api-keys/:id/revoke",
    statuses: [303, 400, 403, 404, 413, 415],
    params: { id: param("ownApiKey", "foreignApiKey") },
  },
  {
    method: "GET",
    path: "/dashboard/settings/accounts",
    statuses: [200],
    writes: false,
    fields: { done: fc.constantFrom("imported-1", "imported-0", "imported-1e9", "imported-x") },
  },
  { ...form, method: "POST", path: "/dashboard/settings/accounts/import", file: csv },
  { method: "GET", path: "/dashboard/settings/webhooks", statuses: [200], writes: false },
  {
    ...form,
    method: "POST",
    path: "/dashboard/settings/webhooks",
    statuses: [201, 303, 400, 403, 413, 415],
    fields: { url, events: fc.constantFrom(...events) },
    required: ["url", "events"],
  },
  { ...form, method: "POST", path: "/dashboard/settings/webhooks/secret", statuses: [201, 400, 403, 409, 413, 415] },
  {
    ...form,
    method: "POST",
    path: "/dashboard/settings/webhooks/test",
    statuses: [303, 400, 403, 409, 413, 415],
    // The webhooks fuzz may have turned the webhook off (an empty URL): a test needs one.
    prepare: async () => {
      await db.update(merchants).set({ webhookUrl: "https://hooks.example.com/replyby" }).where(eq(merchants.id, "m_ecellar"));
    },
  },
  {
    ...form,
    method: "POST",
    path: "/dashboard/settings/webhooks/deliveries/:id/retry",
    statuses: [303, 400, 403, 404, 409, 413, 415],
    params: { id: param("ownDelivery", "foreignDelivery") },
  },
];

beforeAll(async () => {
  await setupDashboard();
});

describe("fuzz: dashboard integrations", () => {
  fuzzEachEndpoint(endpoints, 600);
});

describe("after the integrations fuzz", () => {
  it.each([
    "/dashboard/settings/sites/s_ecellar/identity",
    "/dashboard/settings/api-keys",
    "/dashboard/settings/accounts",
    "/dashboard/settings/webhooks",
  ])("GET %s still renders", async (path) => {
    const tally = await fuzzDashboard({ method: "GET", path, statuses: [200], writes: false }, 1);
    expect(tally.get(200)).toBe(1);
  });
});
