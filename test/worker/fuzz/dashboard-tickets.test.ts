import fc from "fast-check";
import { beforeAll, describe } from "vitest";
import { localDateTimeValue } from "../../../worker/dashboard/format.ts";
import { preset, presetIds } from "../../../worker/presets/index.ts";
import { type DashEndpoint, dyn, fuzzEachEndpoint, param, setupDashboard } from "./support/dashboard.ts";

// Fuzz of the queue, the ticket page, the bill preview and every staff action on a ticket.

const policy = preset("ecellar");
const priorities = [...new Set(presetIds.flatMap((p) => preset(p).priorities.map((x) => x.id)))];
const outcomes = [...new Set(presetIds.flatMap((p) => preset(p).priorities.flatMap((x) => x.outcomes.map((o) => o.id))))];
const categories = Object.keys(policy.billing?.categories ?? {});

/** A `datetime-local` value: mostly some time in the last year, else any digits in the shape. */
const startedAt = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.integer({ min: 1, max: 400 * 24 * 60 }).map((m) => localDateTimeValue(Date.now() - m * 60_000, policy.timeZone)),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/) },
);
const date = fc.oneof(
  fc.constantFrom("2026-12-31", "2027-06-30", "2026-02-29", "2028-02-29"),
  fc.date({ min: new Date("1900-01-01"), max: new Date("2300-01-01"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
);
const minutes = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 600 }).map(String) },
  { weight: 1, arbitrary: fc.oneof(fc.integer().map(String), fc.constantFrom("0", "100000", "100001", "1e3", "015", " 15 ", "999999999")) },
);
const body = fc.string({ minLength: 1, maxLength: 300 });
const ref = { ref: param("ownRef", "foreignRef", "freshRef") };
// A refused form (400: a field or a malformed body; 403: form token or Origin; 413; 415), a
// missing or foreign ticket (404), a conflict with its state (409), or done (303).
const action = { statuses: [303, 400, 403, 404, 409, 413, 415], writes: true };

const endpoints: DashEndpoint[] = [
  {
    method: "GET",
    path: "/dashboard/queue",
    statuses: [200],
    writes: false,
    fields: {
      view: fc.constantFrom("all", "mine", "unassigned", "theirs"),
      status: fc.constantFrom("open", "responded", "waiting-on-customer", "resolved"),
      sla: fc.constantFrom("on-track", "at-risk", "breached", "paused"),
      priority: fc.constantFrom(...priorities),
      q: fc.oneof(fc.constantFrom("ana@", "RB-", "tasting@hillsidecellars.test", "rb-0000-0000"), dyn("ownRef"), dyn("foreignRef")),
      after: fc.oneof(
        fc.stringMatching(/^\d{1,2}\.(?:\d{1,16}\.)?\d{1,16}$/),
        fc.constantFrom("99.1", "0.9999999999999999.9999999999999999"),
      ),
    },
  },
  {
    method: "GET",
    path: "/dashboard/tickets/:ref",
    params: ref,
    statuses: [200, 404],
    writes: false,
    fields: { done: fc.constantFrom("reply", "quote", "x") },
  },
  {
    method: "GET",
    path: "/dashboard/tickets/:ref/bill-preview",
    params: ref,
    statuses: [200, 400, 404, 409],
    writes: false,
    jsonStatuses: [200, 400, 409],
    fields: { startedAt, minutes, category: fc.constantFrom(...categories), note: body },
    required: ["startedAt", "minutes"],
  },
  { ...action, method: "POST", path: "/dashboard/tickets/:ref/reply", params: ref, fields: { body }, required: ["body"] },
  { ...action, method: "POST", path: "/dashboard/tickets/:ref/request-info", params: ref, fields: { body }, required: ["body"] },
  { ...action, method: "POST", path: "/dashboard/tickets/:ref/resolve", params: ref, fields: { body } },
  {
    ...action,
    method: "POST",
    path: "/dashboard/tickets/:ref/priority",
    params: ref,
    fields: { priority: fc.constantFrom(...priorities) },
    required: ["priority"],
  },
  // CommerceUp's C1 downgrades to C2, and ECShops records analysis outcomes: their admins act there.
  { ...action, method: "POST", path: "/dashboard/tickets/:ref/downgrade", params: ref, merchant: "commerceup" },
  {
    ...action,
    method: "POST",
    path: "/dashboard/tickets/:ref/outcome",
    params: ref,
    fields: { outcome: fc.constantFrom(...outcomes) },
    required: ["outcome"],
    merchant: "ecshops",
  },
  {
    ...action,
    method: "POST",
    path: "/dashboard/tickets/:ref/incident",
    params: ref,
    fields: { incidentId: fc.oneof(dyn("ownIncident"), dyn("foreignIncident")) },
    required: ["incidentId"],
  },
  {
    ...action,
    method: "POST",
    path: "/dashboard/tickets/:ref/assign",
    params: ref,
    fields: { assignee: fc.constantFrom("st_ecellar_agent", "st_ecellar_admin", "", "st_commerceup_agent", "st_nobody", "__proto__") },
  },
  {
    ...action,
    method: "POST",
    path: "/dashboard/tickets/:ref/time",
    params: ref,
    fields: { startedAt, minutes, category: fc.constantFrom(...categories), note: body },
    required: ["startedAt", "minutes"],
  },
  {
    ...action,
    method: "POST",
    path: "/dashboard/tickets/:ref/quote",
    // Mostly new feature requests, since only a priority on the quote workflow starts a quote;
    // existing tickets (most of them not on it) get the refusal.
    params: { ref: param("quoteRef", "foreignRef", "ownRef") },
    fields: {
      action: fc.oneof(
        { weight: 3, arbitrary: fc.constant("send") },
        { weight: 1, arbitrary: fc.constantFrom("revise", "plan", "deliver") },
      ),
      amount: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom("1250.00", "99", "1,250.5") },
        { weight: 1, arbitrary: fc.oneof(fc.constantFrom("0.01", "999999999999.99", "0", "-5", "1.005"), fc.nat().map(String)) },
      ),
      currency: fc.oneof(
        { weight: 3, arbitrary: fc.constant("USD") },
        { weight: 1, arbitrary: fc.constantFrom("EUR", "JPY", "usd", "XXX", "BHD") },
      ),
      validUntil: fc.oneof({ weight: 3, arbitrary: fc.constantFrom("2030-01-31", "2031-12-31") }, { weight: 1, arbitrary: date }),
      plannedFor: fc.oneof(fc.constantFrom("2030-01-31", "2031-12-31"), date),
      note: body,
    },
    required: ["action", "amount", "currency", "validUntil"],
  },
];

beforeAll(async () => {
  await setupDashboard();
});

describe("fuzz: dashboard queue and ticket actions", () => {
  fuzzEachEndpoint(endpoints, 400);
});
