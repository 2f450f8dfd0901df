import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { merchants, policies, sessions, siteInstalls, sites, staff } from "../../../schema/db.ts";
import { invalidateSites } from "../../../worker/merchant/site-context.ts";
import { presetInputs } from "../../../worker/presets/index.ts";
import { type Browser, createStaff, signedIn } from "../dashboard/helpers.ts";
import { call, db, seed } from "../helpers.ts";
import { changed, fingerprint } from "../security/support/state.ts";
import { signedUpAdmin } from "./helpers.ts";

let admin: Browser;
let merchantId: string;
let other: Browser;
let otherMerchant: string;

beforeAll(async () => {
  await seed();
  ({ browser: admin, merchantId } = await signedUpAdmin("Acme Shoes"));
  ({ browser: other, merchantId: otherMerchant } = await signedUpAdmin("Other Co"));
});

const merchant = (id = merchantId) => db.query.merchants.findFirst({ where: eq(merchants.id, id) });
const siteOf = async (id = merchantId) => {
  const row = await db.query.sites.findFirst({ where: eq(sites.merchantId, id) });
  if (!row) throw new Error("no site");
  return row;
};
const currentPolicy = async (id = merchantId) => {
  const m = await merchant(id);
  return db.query.policies.findFirst({ where: and(eq(policies.merchantId, id), eq(policies.version, m?.policyVersion ?? 0)) });
};
const version = async () => String((await merchant())?.policyVersion ?? 0);

/** The hours form of the blank policy's business calendar, Monday to Friday 9 to 5, with changes. */
async function hoursForm(fields: Record<string, string> = {}) {
  const base: Record<string, string> = {
    base: await version(),
    calendar: "business",
    timeZone: "Europe/Madrid",
    holidays: "",
    overrides: "",
  };
  for (const d of ["mon", "tue", "wed", "thu", "fri"]) Object.assign(base, { [`${d}.0.start`]: "09:00", [`${d}.0.end`]: "17:00" });
  return { ...base, ...fields };
}

describe("the checklist", () => {
  it("lists the five steps, none done yet, and is in the nav", async () => {
    const res = await admin.get("/dashboard/onboarding");
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const step of [
      "Choose a starting policy",
      "Set business hours and holidays",
      "Describe your site",
      "Install the widget",
      "Invite your team",
    ]) {
      expect(html).toContain(step);
    }
    expect(html.match(/>to do</g)).toHaveLength(5);
    expect(html).toContain('href="/dashboard/onboarding" aria-current="page">Get started</a>');
  });

  it("is a 404 for a merchant that did not sign up, and not in its nav", async () => {
    const demo = await signedIn("admin@ecellar.demo");
    expect((await demo.get("/dashboard/onboarding")).status).toBe(404);
    expect(await (await demo.get("/dashboard/queue")).text()).not.toContain("Get started");
  });

  it("is for admins: an agent gets 403 on every step and post", async () => {
    const email = await createStaff({ id: "st_acme_agent", email: "agent@acme.test", merchantId, role: "agent" });
    const agent = await signedIn(email);
    for (const path of ["", "/policy", "/hours", "/site", "/install", "/team"]) {
      expect((await agent.get(`/dashboard/onboarding${path}`)).status, path).toBe(403);
    }
    expect((await agent.get("/dashboard/settings/hours")).status).toBe(403);
    expect((await agent.post("/dashboard/settings/hours", await hoursForm())).status).toBe(403);
    const before = await fingerprint();
    expect((await agent.post("/dashboard/onboarding/policy", { start: "blank", base: "1" })).status).toBe(403);
    expect(changed(before, await fingerprint())).toEqual([]);
    await db.delete(sessions).where(eq(sessions.staffId, "st_acme_agent"));
    await db.delete(staff).where(eq(staff.id, "st_acme_agent"));
  });
});

describe("step 1: starting policy", () => {
  it("describes each preset's reading of its seed, and the blank policy", async () => {
    const html = await (await admin.get("/dashboard/onboarding/policy")).text();
    for (const id of ["ecellar", "easy-commission", "commerceup", "ecshops", "blank"]) expect(html).toContain(`value="${id}"`);
    expect(html).toContain("C1 (system down) answered within 2 hours around the clock");
  });

  it("refuses no choice with a field error", async () => {
    const res = await admin.post("/dashboard/onboarding/policy", { base: await version() });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('id="start-error">Choose a starting policy</p>');
  });

  it("refuses the form without its token (CSRF), writing nothing", async () => {
    const before = await fingerprint();
    const res = await admin.request("/dashboard/onboarding/policy", { form: { _csrf: "forged", start: "ecshops", base: await version() } });
    expect(res.status).toBe(403);
    expect(changed(before, await fingerprint())).toEqual([]);
  });

  it("refuses a stale form (the policy changed meanwhile) with 409", async () => {
    const res = await admin.post("/dashboard/onboarding/policy", { start: "ecshops", base: "7" });
    expect(res.status).toBe(409);
  });

  it("keeps the blank policy without a second copy when chosen first", async () => {
    const res = await admin.post("/dashboard/onboarding/policy", { start: "blank", base: "1" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/dashboard/onboarding/hours?done=policy");
    expect((await merchant())?.policyVersion).toBe(1);
    expect((await merchant())?.onboarding?.policyAt).toBeGreaterThan(0);
  });

  it("saves a preset as a new policy version", async () => {
    const res = await other.post("/dashboard/onboarding/policy", { start: "commerceup", base: "1" });
    expect(res.status).toBe(303);
    const row = await currentPolicy(otherMerchant);
    expect(row?.version).toBe(2);
    expect(row?.preset).toBe("commerceup");
    expect(row?.body).toEqual(presetInputs.commerceup);
  });
});

describe("step 2: hours", () => {
  it("draws the weekly grid of the business calendar", async () => {
    const html = await (await admin.get("/dashboard/onboarding/hours")).text();
    expect(html).toContain('name="mon.0.start" id="mon.0.start" aria-label="Monday interval 1 start" value="09:00"');
    expect(html).toContain('name="sat.0.start"');
    expect(html).toContain('name="holidays"');
  });

  it("saves split and overnight shifts, holidays and overrides as a new version", async () => {
    const res = await admin.post(
      "/dashboard/onboarding/hours",
      await hoursForm({
        "mon.1.start": "18:00",
        "mon.1.end": "20:00",
        "fri.1.start": "22:00",
        "fri.1.end": "06:00",
        holidays: "2026-12-25\n2027-01-01",
        overrides: "2026-12-24 09:00-13:00\n2026-12-31 closed",
      }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/dashboard/onboarding/site?done=hours");
    const body = (await currentPolicy())?.body as { timeZone: string; calendars: { business: Record<string, unknown> } };
    expect(body.calendars.business).toMatchObject({
      timeZone: "Europe/Madrid",
      hours: {
        mon: [
          ["09:00", "17:00"],
          ["18:00", "20:00"],
        ],
        fri: [
          ["09:00", "17:00"],
          ["22:00", "06:00"],
        ],
      },
      holidays: ["2026-12-25", "2027-01-01"],
      overrides: { "2026-12-24": [["09:00", "13:00"]], "2026-12-31": [] },
    });
    // The policy's zone followed the calendar's (they were the same).
    expect(body.timeZone).toBe("Europe/Madrid");
    expect((await merchant())?.onboarding?.hoursAt).toBeGreaterThan(0);
  });

  it.each([
    ["overlapping intervals", { "tue.1.start": "16:00", "tue.1.end": "18:00" }, "tue.1.start", "Overlaps another interval"],
    ["half an interval", { "wed.1.start": "18:00" }, "wed.1.end", "Give both a start and an end, or neither"],
    ["an unknown zone", { timeZone: "Mars/Olympus" }, "timeZone", "Unknown IANA time zone"],
    ["a bad holiday", { holidays: "2026-12-25\n2026-02-30" }, "holidays", "Line 2"],
    ["a bad override", { overrides: "2026-12-24 9-13" }, "overrides", "Line 1: &quot;9-13&quot; is not hours such as 09:00-13:00"],
  ])("refuses %s with the field's own error, saving nothing", async (_, fields, path, message) => {
    const before = await version();
    const res = await admin.post("/dashboard/onboarding/hours", await hoursForm(fields));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(new RegExp(`id="${path.replaceAll(".", "\\.")}-error">[^<]*${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    expect(html).toContain(`name="${path === "holidays" || path === "overrides" || path === "timeZone" ? path : path}"`);
    expect(await version()).toBe(before);
  });

  it("refuses a week with no open time", async () => {
    const empty = await hoursForm();
    for (const k of Object.keys(empty)) if (/^\w{3}\.\d\./.test(k)) empty[k] = "";
    const res = await admin.post("/dashboard/onboarding/hours", empty);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('id="hours-error">No open time at all');
  });

  it("is also the form of Settings → Hours", async () => {
    const res = await admin.post("/dashboard/settings/hours", await hoursForm({ "sat.0.start": "10:00", "sat.0.end": "14:00" }));
    expect(res.status).toBe(303);
    const body = (await currentPolicy())?.body as { calendars: { business: { hours: Record<string, unknown> } } };
    expect(body.calendars.business.hours.sat).toEqual([["10:00", "14:00"]]);
  });
});

describe("step 3: site", () => {
  const siteFields = (fields: Record<string, string> = {}) => ({
    name: "Acme store",
    origins: "https://shop.acme.test",
    title: "Acme help",
    accent: "#1d6b4f",
    locale: "es",
    inbound: "help@acme.test",
    ...fields,
  });

  it("saves name, origins, colour, language and support address", async () => {
    const res = await admin.post("/dashboard/onboarding/site", siteFields());
    expect(res.status).toBe(303);
    expect(await siteOf()).toMatchObject({
      name: "Acme store",
      allowedOrigins: ["https://shop.acme.test"],
      branding: { title: "Acme help", accent: "#1d6b4f" },
      defaultLocale: "es",
      inboundAddress: "help@acme.test",
    });
  });

  it.each([
    ["no origin", { origins: "" }, "origins", "List at least one origin"],
    ["an origin with a path", { origins: "https://shop.acme.test/help" }, "origins[0]", "exactly as https://shop.acme.test"],
    ["a bad colour", { accent: "green" }, "accent", "Use a colour such as #1d6b4f"],
    ["a bad address", { inbound: "help+x@acme.test" }, "inbound", "Enter an address such as help@shop.example"],
    ["no name", { name: "" }, "name", "Enter a name"],
  ])("refuses %s with its field error", async (_, fields, path, message) => {
    const before = await siteOf();
    const res = await admin.post("/dashboard/onboarding/site", siteFields(fields));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(`<code>${path}</code>`);
    expect(html).toContain(message);
    expect(await siteOf()).toEqual(before);
  });

  it("refuses another site's support address (409)", async () => {
    const res = await admin.post("/dashboard/onboarding/site", siteFields({ inbound: "help@ecellar.demo" }));
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("already the support address of another site");
  });
});

describe("step 4: install check", () => {
  it("shows the snippet and waits for the widget's first request", async () => {
    const site = await siteOf();
    const html = await (await admin.get("/dashboard/onboarding/install")).text();
    expect(html).toContain(`data-site=&quot;${site.siteKey}&quot;`);
    expect(html).toContain('data-copy="snippet"');
    expect(html).toContain("Waiting for the widget's first request from an allowed origin (https://shop.acme.test)");
  });

  it("names a refused origin, and its config refusal is readable by that page", async () => {
    const site = await siteOf();
    const res = await call(`/v1/sites/${site.siteKey}/config`, { origin: "https://www.acme.test" });
    expect(res.status).toBe(403);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("https://www.acme.test");
    expect(((await res.json()) as { detail: string }).detail).toContain("https://www.acme.test is not an allowed origin");
    const html = await (await admin.get("/dashboard/onboarding/install")).text();
    expect(html).toContain("Refused: a page on https://www.acme.test asked for the widget");
    expect(html).toContain("Allow https://www.acme.test");
  });

  it("allows the refused origin in one click, keeping the others", async () => {
    const res = await admin.post("/dashboard/onboarding/install/allow", { origin: "https://www.acme.test" });
    expect(res.status).toBe(303);
    expect((await siteOf()).allowedOrigins).toEqual(["https://shop.acme.test", "https://www.acme.test"]);
  });

  it("refuses to allow something that is not an origin", async () => {
    const res = await admin.post("/dashboard/onboarding/install/allow", { origin: "https://www.acme.test/path" });
    expect(res.status).toBe(400);
  });

  it("turns green at the first config request from an allowed origin", async () => {
    const site = await siteOf();
    invalidateSites();
    const res = await call(`/v1/sites/${site.siteKey}/config`, { origin: "https://shop.acme.test" });
    expect(res.status).toBe(200);
    const row = await db.query.siteInstalls.findFirst({ where: eq(siteInstalls.siteId, site.id) });
    expect(row?.firstSeenOrigin).toBe("https://shop.acme.test");
    const html = await (await admin.get("/dashboard/onboarding/install")).text();
    expect(html).toContain('class="install ok"');
    expect(html).toContain("Installed: the widget's first request came from https://shop.acme.test");
  });
});

describe("step 5 and finishing", () => {
  it("is not finished with one staff member", async () => {
    expect(await (await admin.get("/dashboard/onboarding/team")).text()).toContain("Only you are on the team so far");
    expect((await admin.post("/dashboard/onboarding/finish")).status).toBe(409);
  });

  it("does not count a member who was removed", async () => {
    await createStaff({ id: "st_acme_gone", email: "gone@acme.test", merchantId });
    await db.update(staff).set({ status: "removed" }).where(eq(staff.id, "st_acme_gone"));
    expect(await (await admin.get("/dashboard/onboarding/team")).text()).toContain("Only you are on the team so far");
  });

  it("is done once someone is invited, before they accept", async () => {
    expect((await admin.post("/dashboard/settings/staff", { email: "invited@acme.test", role: "agent", name: "" })).status).toBe(303);
    const html = await (await admin.get("/dashboard/onboarding/team")).text();
    expect(html).toContain("Your team has 2 people, counting invitations not accepted yet.");
  });

  it("is done at two staff; finishing puts the checklist away and sign-in goes to the queue", async () => {
    await createStaff({ id: "st_acme_2", email: "second@acme.test", merchantId });
    const overview = await (await admin.get("/dashboard/onboarding")).text();
    expect(overview.match(/>done</g)).toHaveLength(5);
    const res = await admin.post("/dashboard/onboarding/finish");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/dashboard/queue");
    expect((await merchant())?.onboarding?.doneAt).toBeGreaterThan(0);
    expect(await (await admin.get("/dashboard/queue")).text()).not.toContain("Get started");
  });
});

describe("tenancy", () => {
  it("shows and changes only the signed-in merchant's own site", async () => {
    const mine = await siteOf(otherMerchant);
    const html = await (await other.get("/dashboard/onboarding/install")).text();
    expect(html).toContain(mine.siteKey);
    expect(html).not.toContain((await siteOf()).siteKey);
    await other.post("/dashboard/onboarding/install/allow", { origin: "https://other.test" });
    expect((await siteOf()).allowedOrigins).not.toContain("https://other.test");
  });

  it("a settings site of another merchant is a 404", async () => {
    const theirs = await siteOf();
    const res = await other.post(`/dashboard/settings/sites/${theirs.id}`, { name: "Mine now", origins: "https://x.test" });
    expect(res.status).toBe(404);
    expect((await siteOf()).name).toBe("Acme store");
  });
});
