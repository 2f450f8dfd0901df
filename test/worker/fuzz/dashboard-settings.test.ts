import { eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { merchants } from "../../../schema/db.ts";
import { localDateTimeValue } from "../../../worker/dashboard/format.ts";
import { preset, presetIds, presetInputs } from "../../../worker/presets/index.ts";
import { signedIn } from "../dashboard/helpers.ts";
import { db } from "../helpers.ts";
import { hostile, wrongType } from "./support/arbitraries.ts";
import { type DashEndpoint, dyn, fuzzDashboard, fuzzEachEndpoint, param, setupDashboard } from "./support/dashboard.ts";

// Fuzz of the admin settings: policy JSON, presets, holidays, the simulator, sites and staff.

const policy = preset("ecellar");
const base = presetInputs.ecellar as unknown;

/** A JSON value with mutations applied at paths picked by index (set a leaf, or delete a key). */
function mutate(value: unknown, mutations: { path: number[]; op: "set" | "delete"; to: unknown }[]): unknown {
  const copy = structuredClone(value);
  for (const m of mutations) {
    let node = copy as Record<string, unknown> | unknown[];
    for (let depth = 0; depth < m.path.length; depth++) {
      const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
      if (keys.length === 0) break;
      const key = keys[(m.path[depth] as number) % keys.length] as string & number;
      const child = (node as Record<string, unknown>)[key];
      const last = depth === m.path.length - 1 || child === null || typeof child !== "object";
      if (last) {
        if (m.op === "delete" && !Array.isArray(node)) delete (node as Record<string, unknown>)[key];
        else (node as Record<string, unknown>)[key] = m.to;
        break;
      }
      node = child as Record<string, unknown>;
    }
  }
  return copy;
}

/** A policy text: the preset as is, mutated in a few places, or not JSON at all. */
const policyText = fc.oneof(
  { weight: 1, arbitrary: fc.constant(JSON.stringify(base)) },
  {
    weight: 6,
    arbitrary: fc
      .array(
        fc.record({
          path: fc.array(fc.nat(), { minLength: 1, maxLength: 7 }),
          op: fc.constantFrom("set" as const, "delete" as const),
          to: fc.oneof(hostile, wrongType, fc.constantFrom({}, [], null, 0, -1, 1e308, "24/7", "PT0S", "P9999W", "00:00", "24:00")),
        }),
        { minLength: 1, maxLength: 4 },
      )
      .map((m) => JSON.stringify(mutate(base, m))),
  },
  { weight: 1, arbitrary: hostile },
);

const date = fc.oneof(
  fc.date({ min: new Date("1960-01-01"), max: new Date("2300-01-01"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
);
const version = fc.oneof(
  { weight: 6, arbitrary: dyn("policyVersion") },
  { weight: 1, arbitrary: fc.constantFrom("0", "1", "2", "1e308", "-1", "1.5") },
);
const origins = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "https://shop.example.com",
        "http://127.0.0.1:8787",
        "http://localhost:3000",
        "https://shop.example.com/",
        "https://user@shop.test",
      ),
      hostile,
    ),
    { maxLength: 4 },
  )
  .map((lines) => lines.join("\n"));
const name = fc.string({ minLength: 1, maxLength: 130 });
const form = { statuses: [303, 400, 403, 409, 413, 415], writes: true };

/** Makes a preset the policy in force, as an admin would. */
async function usePreset(id: string): Promise<void> {
  const admin = await signedIn("admin@ecellar.demo");
  const row = await db.select({ v: merchants.policyVersion }).from(merchants).where(eq(merchants.id, "m_ecellar")).get();
  const res = await admin.post("/dashboard/settings/policy/preset", { preset: id, base: String(row?.v) });
  if (res.status !== 303) throw new Error(`preset ${id}: ${res.status}`);
}

const endpoints: DashEndpoint[] = [
  { method: "GET", path: "/dashboard/settings", statuses: [303], writes: false },
  { method: "GET", path: "/dashboard/settings/policy", statuses: [200], writes: false, fields: { done: fc.constantFrom("saved", "site") } },
  {
    ...form,
    method: "POST",
    path: "/dashboard/settings/policy",
    fields: { policy: policyText, base: version },
    required: ["policy", "base"],
  },
  {
    ...form,
    method: "POST",
    path: "/dashboard/settings/policy/preset",
    fields: { preset: fc.constantFrom(...presetIds), base: version },
    required: ["preset", "base"],
  },
  {
    method: "GET",
    path: "/dashboard/settings/simulator",
    statuses: [200, 400],
    writes: false,
    fields: {
      at: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom("2026-11-20T16:05", "2026-12-25T09:00", "2027-03-14T02:30") },
        fc.integer({ min: -500_000, max: 500_000 }).map((m) => localDateTimeValue(Date.now() + m * 60_000, policy.timeZone)),
        fc.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/),
      ),
      issueType: dyn("issueType"),
      severity: dyn("severity"),
    },
    required: ["at"],
  },
  { method: "GET", path: "/dashboard/settings/holidays", statuses: [200], writes: false },
  {
    ...form,
    method: "POST",
    path: "/dashboard/settings/holidays",
    // The preset fuzz may have left ECShops' policy in force, which has no calendar to add
    // holidays to: start from eCellar's, so the form can succeed.
    prepare: () => usePreset("ecellar"),
    fields: {
      calendar: dyn("calendar"),
      holidays: fc
        .array(
          fc.oneof({ weight: 4, arbitrary: fc.constantFrom("2027-01-01", "2027-12-25", "2028-02-29") }, { weight: 1, arbitrary: date }),
          {
            maxLength: 4,
          },
        )
        .chain((d) => fc.constantFrom(d.join("\n"), d.join(", "), d.join(" "))),
      base: version,
    },
    required: ["calendar", "base"],
  },
  { method: "GET", path: "/dashboard/settings/sites", statuses: [200], writes: false },
  {
    ...form,
    method: "POST",
    path: "/dashboard/settings/sites",
    statuses: [201, 400, 403, 413, 415],
    fields: { name, origins, title: fc.string({ maxLength: 90 }), accent: fc.constantFrom("#1d6b4f", "#FFF", "red", "#12345g") },
    required: ["name"],
  },
  {
    ...form,
    method: "POST",
    path: "/dashboard/settings/sites/:id",
    statuses: [303, 400, 403, 404, 413, 415],
    params: { id: param("ownSite", "foreignSite") },
    fields: { name, origins, title: fc.string({ maxLength: 90 }), accent: fc.constantFrom("#1d6b4f", "#FFF", "red", "#12345g") },
    required: ["name", "origins"],
  },
  { method: "GET", path: "/dashboard/settings/staff", statuses: [200], writes: false },
  {
    ...form,
    method: "POST",
    path: "/dashboard/settings/staff",
    fields: {
      name,
      email: fc.oneof(
        { weight: 4, arbitrary: dyn("newEmail") },
        { weight: 1, arbitrary: fc.constantFrom("agent@ecellar.demo", "no-at-sign", "a@b") },
      ),
      role: fc.constantFrom("agent", "admin", "owner"),
    },
    required: ["email", "role"],
  },
  {
    ...form,
    method: "POST",
    path: "/dashboard/settings/staff/:id/role",
    statuses: [303, 400, 403, 404, 409, 413, 415],
    params: { id: param("colleague", "foreignStaff") },
    fields: { role: fc.constantFrom("agent", "admin", "owner") },
    required: ["role"],
  },
  ...(["resend", "revoke", "deactivate", "reactivate", "remove"] as const).map((action) => ({
    ...form,
    method: "POST" as const,
    path: `/dashboard/settings/staff/:id/${action}`,
    statuses: [303, 400, 403, 404, 409, 413, 415],
    params: { id: param("colleague", "foreignStaff") },
  })),
];

beforeAll(async () => {
  await setupDashboard();
});

describe("fuzz: dashboard settings", () => {
  fuzzEachEndpoint(endpoints, 600);
});

describe("after the settings fuzz", () => {
  // Whatever policies, sites and staff the fuzz managed to save, every page still renders.
  it.each([
    "/dashboard/queue",
    "/dashboard/queue?status=open&sla=breached",
    "/dashboard/incidents",
    "/dashboard/reports",
    "/dashboard/account",
    "/dashboard/settings/policy",
    "/dashboard/settings/simulator?at=2026-11-20T16:05",
    "/dashboard/settings/holidays",
    "/dashboard/settings/sites",
    "/dashboard/settings/staff",
  ])("GET %s still renders", async (path) => {
    const tally = await fuzzDashboard({ method: "GET", path, statuses: [200, 400], writes: false }, 1);
    expect(tally.get(200) ?? tally.get(400)).toBe(1);
  });

  it("ticket pages still render", async () => {
    const tally = await fuzzDashboard(
      { method: "GET", path: "/dashboard/tickets/:ref", statuses: [200], writes: false, params: { ref: dyn("ownRef") } },
      20,
    );
    expect(tally.get(200)).toBe(20);
  });
});
