import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { incidents, merchants } from "../../../schema/db.ts";
import { localDateTimeValue } from "../../../worker/dashboard/format.ts";
import { SESSION_COOKIE } from "../../../worker/dashboard/session.ts";
import { preset, presetInputs } from "../../../worker/presets/index.ts";
import { Browser, createStaff, refOf, signedIn } from "../dashboard/helpers.ts";
import { createTicket, db, seed, ticketRow } from "../helpers.ts";
import { around } from "./support/http.ts";
import { changed } from "./support/state.ts";

// CSRF × every dashboard form: without the session's form token, with another session's, or
// from another site (Origin), a post is 403 and changes nothing; the same form with its token
// from the dashboard's own origin is accepted (the control that makes each refusal meaningful).
// Proven elsewhere: SameSite/HttpOnly/__Host- cookie attributes (dashboard/auth.test.ts "sets a
// __Host- session cookie …").

const ecellar = preset("ecellar");
let accounts = 0;

beforeAll(async () => {
  await seed();
});

async function version(merchantId = "m_ecellar"): Promise<string> {
  const row = await db.select({ v: merchants.policyVersion }).from(merchants).where(eq(merchants.id, merchantId)).get();
  return String(row?.v);
}

async function openIncident(): Promise<string> {
  const id = `inc_csrf_${crypto.randomUUID()}`;
  await db.insert(incidents).values({ id, merchantId: "m_ecellar", title: "t", body: "b", startedAt: Date.now(), endedAt: null });
  return id;
}

/** A staff login of its own (for forms that end sessions or change passwords). */
async function ownLogin(): Promise<string> {
  accounts += 1;
  return createStaff({ id: `st_csrf_${accounts}`, email: `csrf-${accounts}@ecellar.demo`, password: "csrf-password-123" });
}

/** One form: who posts it, where, and a body that is valid (so only the token decides). */
interface Form {
  as: string;
  path: string;
  form: Record<string, string>;
}

type Fields = Record<string, string>;

/** A form on a fresh ticket's page: eCellar's agent on an eCellar ticket unless told otherwise. */
function onTicket(
  action: string,
  form: Fields | (() => Fields | Promise<Fields>),
  ticket: { as?: string; siteKey?: string; over?: Record<string, unknown> } = {},
): () => Promise<Form> {
  return async () => ({
    as: ticket.as ?? "agent@ecellar.demo",
    path: `/dashboard/tickets/${(await createTicket(ticket.siteKey, ticket.over)).reference}/${action}`,
    form: typeof form === "function" ? await form() : form,
  });
}

const forms: [string, () => Promise<Form>][] = [
  ["reply", onTicket("reply", { body: "forged" })],
  ["request-info", onTicket("request-info", { body: "forged" })],
  ["resolve", onTicket("resolve", {})],
  ["priority", onTicket("priority", { priority: "immediate" })],
  [
    "downgrade",
    onTicket(
      "downgrade",
      {},
      { as: "agent@commerceup.demo", siteKey: "demo-commerceup", over: { issueType: "site-down", severity: "critical" } },
    ),
  ],
  [
    "outcome",
    onTicket(
      "outcome",
      { outcome: "level-1" },
      { as: "agent@ecshops.demo", siteKey: "demo-ecshops", over: { issueType: "incident", severity: "degraded" } },
    ),
  ],
  ["incident link", onTicket("incident", async () => ({ incidentId: await openIncident() }))],
  ["time", onTicket("time", () => ({ startedAt: localDateTimeValue(Date.now() - 3_600_000, ecellar.timeZone), minutes: "15" }))],
  [
    "quote",
    // A feature request: only a priority on the quote workflow takes a quote.
    onTicket(
      "quote",
      { action: "send", amount: "100.00", currency: "USD", validUntil: "2030-01-31" },
      { siteKey: "demo-ecellar", over: { issueType: "feature" } },
    ),
  ],
  [
    "incident announcement",
    async () => ({ as: "agent@ecellar.demo", path: "/dashboard/incidents", form: { title: "Forged", body: "forged" } }),
  ],
  ["incident end", async () => ({ as: "agent@ecellar.demo", path: `/dashboard/incidents/${await openIncident()}/end`, form: {} })],
  [
    "policy",
    async () => ({
      as: "admin@ecellar.demo",
      path: "/dashboard/settings/policy",
      form: { policy: JSON.stringify(presetInputs.ecellar), base: await version() },
    }),
  ],
  [
    "preset",
    async () => ({
      as: "admin@ecellar.demo",
      path: "/dashboard/settings/policy/preset",
      form: { preset: "ecellar", base: await version() },
    }),
  ],
  [
    "holidays",
    async () => ({
      as: "admin@ecellar.demo",
      path: "/dashboard/settings/holidays",
      form: { calendar: Object.keys(ecellar.calendars)[0] as string, holidays: "2030-01-01", base: await version() },
    }),
  ],
  [
    "new site",
    async () => ({ as: "admin@ecellar.demo", path: "/dashboard/settings/sites", form: { name: "Forged", origins: "https://evil.test" } }),
  ],
  [
    "site",
    async () => ({
      as: "admin@ecellar.demo",
      path: "/dashboard/settings/sites/s_ecellar",
      // (the control saves it: the demo origins stay allowed so later rows can file tickets)
      form: { name: "Forged", origins: "http://127.0.0.1:8787\nhttp://localhost:8787\nhttps://evil.test" },
    }),
  ],
  [
    "new staff",
    async () => ({
      as: "admin@ecellar.demo",
      path: "/dashboard/settings/staff",
      form: { name: "Forged", email: `forged-${crypto.randomUUID()}@evil.test`, role: "admin" },
    }),
  ],
  [
    "staff role",
    async () => ({
      as: "admin@ecellar.demo",
      path: `/dashboard/settings/staff/st_csrf_role_${await colleague()}/role`,
      form: { role: "admin" },
    }),
  ],
  [
    "staff deactivation",
    async () => ({
      as: "admin@ecellar.demo",
      path: `/dashboard/settings/staff/st_csrf_role_${await colleague()}/deactivate`,
      form: {},
    }),
  ],
  [
    "own password",
    async () => ({
      as: await ownLogin(),
      path: "/dashboard/account/password",
      form: { current: "csrf-password-123", password: "forged-password-123" },
    }),
  ],
  ["sign-out", async () => ({ as: await ownLogin(), path: "/dashboard/logout", form: {} })],
];

let colleagues = 0;
/** A colleague of ecellar's admin, whose role and access the forms change. */
async function colleague(): Promise<number> {
  colleagues += 1;
  await createStaff({ id: `st_csrf_role_${colleagues}`, email: `csrf-colleague-${colleagues}@ecellar.demo` });
  return colleagues;
}

type Attack = (b: Browser, other: Browser, f: Form) => Promise<Response>;

const attacks: [string, Attack][] = [
  ["without a form token", (b, _, f) => b.request(f.path, { form: f.form })],
  ["with another session's form token", (b, other, f) => b.request(f.path, { form: { ...f.form, _csrf: other.csrf } })],
  ["with a made-up form token", (b, _, f) => b.request(f.path, { form: { ...f.form, _csrf: "0".repeat(64) } })],
  ["from another site (Origin https://evil.test)", (b, _, f) => b.post(f.path, f.form, { origin: "https://evil.test" })],
  ["from an opaque origin (Origin null)", (b, _, f) => b.post(f.path, f.form, { origin: "null" })],
  ["from the dashboard's host over http", (b, _, f) => b.post(f.path, f.form, { origin: "http://replyby.test" })],
];

const cells = forms.flatMap(([name, make]) => attacks.map(([how, attack]) => [name, how, make, attack] as const));

describe("forged dashboard forms", () => {
  it.each(cells)("the %s form %s is 403 and changes nothing", async (_, __, make, attack) => {
    const f = await make();
    const b = await signedIn(f.as);
    const other = await signedIn(f.as);
    const { result: res, before, after } = await around(() => attack(b, other, f));
    expect(res.status).toBe(403);
    expect(changed(before, after)).toEqual([]);
    // The session the forged form tried to use (or end) is still there.
    expect((await b.get("/dashboard/account")).status).toBe(200);
  });

  it.each(forms)("the %s form with its token from the dashboard itself is accepted (control)", async (_, make) => {
    const f = await make();
    const b = await signedIn(f.as);
    const res = await b.post(f.path, f.form);
    // A new site answers with its identity secret, shown once (201); every other form redirects.
    expect(res.status).toBe(f.path === "/dashboard/settings/sites" ? 201 : 303);
  });
});

describe("links", () => {
  it.each([
    ["sign-out", "/dashboard/logout"],
    ["an incident's end", "/dashboard/incidents/inc_x/end"],
  ])("GET on the %s action does nothing (404) and keeps the session", async (_, path) => {
    const b = await signedIn("agent@ecellar.demo");
    const { result: res, before, after } = await around(() => b.get(path));
    expect(res.status).toBe(404);
    expect(changed(before, after)).toEqual([]);
    expect((await b.get("/dashboard/account")).status).toBe(200);
  });

  it("a ticket action reached by GET is 404 and changes nothing", async () => {
    const { reference } = await createTicket();
    const b = await signedIn("agent@ecellar.demo");
    const { result: res, before, after } = await around(() => b.get(`/dashboard/tickets/${reference}/resolve`));
    expect(res.status).toBe(404);
    expect(changed(before, after)).toEqual([]);
  });

  it("refuses a login form posted without its token (login CSRF)", async () => {
    const b = new Browser();
    await b.get("/dashboard/login");
    const res = await b.request("/dashboard/login", { form: { _csrf: "forged", email: "agent@ecellar.demo", password: "replyby-demo" } });
    expect(res.status).toBe(403);
    expect(b.cookies.has(SESSION_COOKIE)).toBe(false);
  });
});

describe("CSRF", () => {
  it("refuses a form without the session's token and changes nothing", async () => {
    const b = await signedIn("agent@ecellar.demo");
    const ref = await refOf("t_ecellar_1");
    const before = await ticketRow(ref);
    const res = await b.request(`/dashboard/tickets/${ref}/reply`, { form: { body: "forged" } });
    expect(res.status).toBe(403);
    expect((await ticketRow(ref)).updatedAt).toBe(before.updatedAt);
  });

  it("refuses another session's token", async () => {
    const mine = await signedIn("agent@ecellar.demo");
    const theirs = await signedIn("admin@ecellar.demo");
    const ref = await refOf("t_ecellar_1");
    const res = await mine.request(`/dashboard/tickets/${ref}/reply`, { form: { _csrf: theirs.csrf, body: "forged" } });
    expect(res.status).toBe(403);
  });

  it("refuses a form posted from another origin even with a valid token", async () => {
    const b = await signedIn("agent@ecellar.demo");
    const res = await b.post("/dashboard/incidents", { title: "x", body: "y" }, { origin: "https://evil.test" });
    expect(res.status).toBe(403);
  });

  it("refuses a JSON body where a form is expected", async () => {
    const b = await signedIn("agent@ecellar.demo");
    const res = await b.request("/dashboard/incidents", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(415);
  });

  it("refuses a form post without a session", async () => {
    const res = await new Browser().request("/dashboard/incidents", { form: { title: "x", body: "y" } });
    expect(res.status).toBe(401);
  });
});
