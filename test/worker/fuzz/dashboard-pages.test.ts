import fc from "fast-check";
import { beforeAll, describe } from "vitest";
import { hashPassword } from "../../../worker/infra/password.ts";
import { createStaff } from "../dashboard/helpers.ts";
import { hostile } from "./support/arbitraries.ts";
import { type DashEndpoint, dyn, fuzzEachEndpoint, param, setupDashboard, state } from "./support/dashboard.ts";

// Fuzz of sign-in and sign-out, the account page, incidents, reports and the export, the
// assets, the dashboard's redirects and unknown paths.

// Logins of their own: the sign-in rate limits count per email across every test file, and
// several of them keep some attempts unthrottled (10 per email per minute) all run long.
const FUZZ_EMAILS = Array.from({ length: 8 }, (_, i) => `fuzz-login-${i}@ecellar.demo`);
const FUZZ_PASSWORD = "fuzz-login-password-1";

const date = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("2026-01-01", "2026-06-30", "2026-12-31") },
  fc.constantFrom("2025-02-29", "9999-12-31", "0000-01-01"),
  fc.date({ min: new Date("1900-01-01"), max: new Date("2300-01-01"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
);
const next = fc.constantFrom(
  "/dashboard/queue",
  "/dashboard/incidents?x=1",
  "//evil.test/dashboard/",
  "/dashboard/../../x",
  "https://evil.test",
);
const post = [303, 400, 403, 413, 415];
/** A token of the right shape that was never issued, or any text. */
const madeUpToken = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), fc.string({ maxLength: 60 }));

const endpoints: DashEndpoint[] = [
  {
    method: "GET",
    path: "/dashboard/login",
    statuses: [200, 303],
    writes: false,
    session: "any",
    fields: { next, done: fc.constantFrom("signed-out", "password-changed") },
  },
  {
    method: "POST",
    path: "/dashboard/login",
    // 401 wrong credentials, 403 the sign-in form's token, 429 throttled; sign-in attempts are
    // counted (rate_counters, write_guard) whether or not they succeed.
    statuses: [303, 400, 401, 403, 413, 415, 429],
    writes: true,
    session: "none",
    refusedMayWrite: ["rate_counters", "write_guard"],
    fields: {
      email: fc.constantFrom(...FUZZ_EMAILS).chain((e) => fc.constantFrom(e, e.toUpperCase(), ` ${e} `)),
      password: fc.oneof(
        { weight: 4, arbitrary: fc.constant(FUZZ_PASSWORD) },
        { weight: 1, arbitrary: fc.constant(FUZZ_PASSWORD.repeat(20)) },
      ),
      next,
    },
    required: ["email", "password"],
  },
  { method: "POST", path: "/dashboard/logout", statuses: post, writes: true, session: "fresh" },
  // The team's public forms: forgot password (the same answer for any address; counted, capped),
  // and links that do not exist (every made-up reset, invitation or sign-in choice is the one 404/403).
  { method: "GET", path: "/dashboard/forgot", statuses: [200], writes: false, session: "none" },
  { method: "GET", path: "/dashboard/forgot/sent", statuses: [200], writes: false, session: "any" },
  {
    method: "POST",
    path: "/dashboard/forgot",
    statuses: [303, 400, 403, 413, 415, 429],
    writes: true,
    session: "none",
    refusedMayWrite: ["rate_counters", "write_guard"],
    fields: { email: fc.constantFrom(...FUZZ_EMAILS, "nobody@ecellar.demo", "no-at-sign", "") },
    required: ["email"],
  },
  ...(["/dashboard/reset", "/dashboard/join"] as const).flatMap((path): DashEndpoint[] => [
    { method: "GET", path, statuses: [404], writes: false, session: "any", fields: { k: madeUpToken } },
    {
      method: "POST",
      path,
      statuses: [400, 403, 404, 413, 415],
      writes: false,
      session: "none",
      fields: { k: madeUpToken, password: fc.constant(FUZZ_PASSWORD), name: fc.string({ maxLength: 20 }) },
      required: ["k"],
    },
  ]),
  {
    method: "POST",
    path: "/dashboard/login/choose",
    statuses: [400, 403, 413, 415],
    writes: false,
    session: "none",
    fields: { choice: madeUpToken, next },
  },
  { method: "GET", path: "/dashboard/account", statuses: [200], writes: false, fields: { done: fc.constantFrom("password") } },
  {
    method: "POST",
    path: "/dashboard/account/password",
    statuses: post,
    writes: true,
    fields: {
      current: dyn("currentPassword"),
      password: fc.oneof(fc.string({ minLength: 12, maxLength: 40 }), fc.constantFrom("short", "x".repeat(201))),
    },
    required: ["current", "password"],
    after: (sent) => {
      state.adminPassword = sent.password ?? state.adminPassword;
    },
  },
  { method: "GET", path: "/dashboard/incidents", statuses: [200], writes: false, fields: { done: fc.constantFrom("announced", "ended") } },
  {
    method: "POST",
    path: "/dashboard/incidents",
    statuses: post,
    writes: true,
    fields: { title: fc.string({ minLength: 1, maxLength: 130 }), body: fc.string({ minLength: 1, maxLength: 300 }) },
    required: ["title", "body"],
  },
  {
    method: "POST",
    path: "/dashboard/incidents/:id/end",
    statuses: [...post, 404],
    writes: true,
    params: { id: param("ownIncident", "foreignIncident") },
  },
  { method: "GET", path: "/dashboard/reports", statuses: [200], writes: false },
  {
    method: "GET",
    path: "/dashboard/reports/time-entries.csv",
    statuses: [200, 400],
    writes: false,
    fields: { from: date, to: date },
    required: ["from", "to"],
  },
  { method: "GET", path: "/dashboard/assets/app.css", statuses: [200], writes: false, asset: true },
  { method: "GET", path: "/dashboard/assets/app.js", statuses: [200], writes: false, asset: true },
  { method: "GET", path: "/dashboard", statuses: [303], writes: false },
  { method: "GET", path: "/dashboard/", statuses: [303], writes: false },
  // Unknown pages: the dashboard's 404 page (or the redirect of "/dashboard/" itself).
  { method: "GET", path: "/dashboard/:page", statuses: [303, 404], writes: false, params: { page: hostile.map((raw) => ({ raw })) } },
  {
    method: "POST",
    path: "/dashboard/:page",
    statuses: [303, 400, 403, 404, 413, 415],
    writes: false,
    params: { page: hostile.map((raw) => ({ raw })) },
  },
];

beforeAll(async () => {
  await setupDashboard();
  const passwordHash = await hashPassword(FUZZ_PASSWORD);
  for (const [i, email] of FUZZ_EMAILS.entries()) await createStaff({ id: `st_fuzz_login_${i}`, email, passwordHash });
});

describe("fuzz: dashboard sign-in, account, incidents, reports and the rest", () => {
  // Unknown pages have no success path to reach.
  // Made-up links and choices never reach a success path: that is the point of them.
  const madeUp = ["/dashboard/reset", "/dashboard/join", "/dashboard/login/choose"];
  fuzzEachEndpoint(endpoints, 600, (ep) => !ep.path.includes(":page") && !madeUp.includes(ep.path));
});
