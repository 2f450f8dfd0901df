import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { merchants, policies, sites, tickets } from "../../../schema/db.ts";
import { presetInputs } from "../../../worker/presets/index.ts";
import { call, createTicket, db, ORIGIN, ticketRow } from "../helpers.ts";
import { signedIn, signInBeforeAll } from "./helpers.ts";

const { ecellar, commerceup, ecshops, easy } = signInBeforeAll({
  ecellar: "admin@ecellar.demo",
  commerceup: "admin@commerceup.demo",
  ecshops: "admin@ecshops.demo",
  easy: "admin@easy-commission.demo",
});

async function version(merchantId: string) {
  return (await db.query.merchants.findFirst({ where: eq(merchants.id, merchantId) }))?.policyVersion ?? 0;
}

/** A merchant's policy as stored at version `v`. */
function policyAt(merchantId: string, v: number) {
  return db.query.policies.findFirst({ where: and(eq(policies.merchantId, merchantId), eq(policies.version, v)) });
}

async function currentBody(merchantId: string) {
  const row = await policyAt(merchantId, await version(merchantId));
  return structuredClone(row?.body) as Record<string, unknown> & { name: string; calendars: Record<string, { holidays?: string[] }> };
}

/** eCellar's policy editor posted: `body` as its JSON, based on version `base`. */
function saveEcellarPolicy(base: number, body: unknown) {
  return ecellar.post("/dashboard/settings/policy", { base: String(base), policy: JSON.stringify(body) });
}

describe("policy", () => {
  it("shows the current policy as editable JSON", async () => {
    const html = await (await ecellar.get("/dashboard/settings/policy")).text();
    expect(html).toContain('<textarea id="policy-json" name="policy"');
    expect(html).toContain("&quot;timeZone&quot;: &quot;America/Los_Angeles&quot;");
  });

  it("saves a valid policy as a new version and makes it current", async () => {
    const before = await version("m_ecellar");
    const body = await currentBody("m_ecellar");
    body.name = "eCellar (edited)";
    const res = await saveEcellarPolicy(before, body);
    expect(res.status).toBe(303);
    expect(await version("m_ecellar")).toBe(before + 1);
    expect((await policyAt("m_ecellar", before + 1))?.body).toMatchObject({ name: "eCellar (edited)" });
  });

  it("keeps existing tickets on their version while new tickets use the new one", async () => {
    const old = await createTicket("demo-ecellar");
    const before = await version("m_ecellar");
    const body = await currentBody("m_ecellar");
    body.name = "eCellar (v-next)";
    await saveEcellarPolicy(before, body);
    const fresh = await createTicket("demo-ecellar");
    expect((await ticketRow(old.reference)).policyVersion).toBe(before);
    expect((await ticketRow(fresh.reference)).policyVersion).toBe(before + 1);
  });

  it("answers an invalid policy with field-level errors and keeps the draft", async () => {
    const before = await version("m_ecellar");
    const body = await currentBody("m_ecellar");
    (body as Record<string, unknown>).timeZone = "Mars/Olympus";
    const res = await saveEcellarPolicy(before, body);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("<li><code>timeZone</code>: Unknown IANA time zone</li>");
    expect(html).toContain("Mars/Olympus");
    expect(await version("m_ecellar")).toBe(before);
  });

  it("answers a calendar with no open time at all with its field error and stores no version", async () => {
    const before = await version("m_ecellar");
    const stored = (await db.select().from(policies).where(eq(policies.merchantId, "m_ecellar"))).length;
    const body = await currentBody("m_ecellar");
    (body.calendars.business as Record<string, unknown>).hours = {};
    const res = await ecellar.post("/dashboard/settings/policy", { base: String(before), policy: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(
      "<li><code>calendars.business.hours</code>: No open time at all: give weekly hours or an override with open intervals</li>",
    );
    expect(await version("m_ecellar")).toBe(before);
    expect((await db.select().from(policies).where(eq(policies.merchantId, "m_ecellar"))).length).toBe(stored);
  });

  it("answers JSON that does not parse with an error at the root", async () => {
    const res = await ecellar.post("/dashboard/settings/policy", { base: String(await version("m_ecellar")), policy: "{ not json" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<code>(root)</code>: Not valid JSON");
  });

  it("refuses a save based on an older version (409) instead of overwriting", async () => {
    const before = await version("m_ecellar");
    const body = await currentBody("m_ecellar");
    const res = await saveEcellarPolicy(before - 1, body);
    expect(res.status).toBe(409);
    expect(await version("m_ecellar")).toBe(before);
  });

  it("switches to a preset as a new version", async () => {
    const before = await version("m_ecshops");
    const res = await ecshops.post("/dashboard/settings/policy/preset", { base: String(before), preset: "commerceup" });
    expect(res.status).toBe(303);
    const row = await policyAt("m_ecshops", before + 1);
    expect(row?.preset).toBe("commerceup");
    expect(row?.body).toEqual(JSON.parse(JSON.stringify(presetInputs.commerceup)));
  });

  it("refuses a preset that does not exist", async () => {
    const res = await ecshops.post("/dashboard/settings/policy/preset", { base: String(await version("m_ecshops")), preset: "nope" });
    expect(res.status).toBe(400);
  });
});

describe("simulator", () => {
  it("computes the window for a time, issue type and severity", async () => {
    const res = await commerceup.get("/dashboard/settings/simulator?at=2026-11-20T16:05&issueType=site-down&severity=critical");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Priority C1");
    expect(html).toContain("Received Fri, Nov 20, 16:05");
  });

  it("shows the form with defaults before anything is asked", async () => {
    const html = await (await commerceup.get("/dashboard/settings/simulator")).text();
    expect(html).toContain('name="at"');
    expect(html).not.toContain("What the customer reads");
  });

  it("answers a malformed time with a field error", async () => {
    const res = await commerceup.get("/dashboard/settings/simulator?at=tomorrow&issueType=minor&severity=low");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<code>at</code>");
  });

  it("answers an unknown issue type with a field error", async () => {
    const res = await commerceup.get("/dashboard/settings/simulator?at=2026-11-20T16:05&issueType=nope&severity=low");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<code>issueType</code>");
  });
});

describe("holidays", () => {
  it("adds a holiday as a new policy version", async () => {
    const before = await version("m_commerceup");
    const body = await currentBody("m_commerceup");
    const dates = [...(body.calendars.business?.holidays ?? []), "2026-12-25"].join("\n");
    const res = await commerceup.post("/dashboard/settings/holidays", { base: String(before), calendar: "business", holidays: dates });
    expect(res.status).toBe(303);
    expect(await version("m_commerceup")).toBe(before + 1);
    expect((await currentBody("m_commerceup")).calendars.business?.holidays).toContain("2026-12-25");
  });

  it("names the line of a date that is not real", async () => {
    const before = await version("m_commerceup");
    const res = await commerceup.post("/dashboard/settings/holidays", {
      base: String(before),
      calendar: "business",
      holidays: "2026-02-30",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<code>calendars.business.holidays[0]</code>: Not a real calendar date");
    expect(await version("m_commerceup")).toBe(before);
  });

  it("refuses a calendar the policy does not have", async () => {
    const res = await commerceup.post("/dashboard/settings/holidays", {
      base: String(await version("m_commerceup")),
      calendar: "nope",
      holidays: "",
    });
    expect(res.status).toBe(400);
  });
});

describe("sites", () => {
  /** Easy Commission's form that adds a site, posted. */
  const addSite = (form: Record<string, string>) => easy.post("/dashboard/settings/sites", form);
  /** The form that edits Easy Commission's demo site, posted. */
  const editEasySite = (form: Record<string, string>) => easy.post("/dashboard/settings/sites/s_easy-commission", form);
  /** Easy Commission's site of that name. */
  const siteNamed = (name: string) =>
    db.query.sites.findFirst({ where: and(eq(sites.merchantId, "m_easy-commission"), eq(sites.name, name)) });

  it("shows the embed snippet for each site", async () => {
    const html = await (await easy.get("/dashboard/settings/sites")).text();
    expect(html).toContain(
      "&lt;script src=&quot;https://replyby.test/widget.js&quot; data-site=&quot;demo-easy-commission&quot; async>&lt;/script>",
    );
  });

  it("saves allowed origins, which the public API enforces at once", async () => {
    const res = await editEasySite({
      name: "Easy store",
      origins: "https://shop.easy.test\nhttp://localhost:8787",
      title: "Help",
      accent: "#112233",
    });
    expect(res.status).toBe(303);
    expect((await call("/v1/sites/demo-easy-commission/config", { origin: "https://shop.easy.test" })).status).toBe(200);
    expect((await call("/v1/sites/demo-easy-commission/config", { origin: ORIGIN })).status).toBe(403);
    await editEasySite({ name: "Easy store", origins: `${ORIGIN}\nhttp://localhost:8787` });
  });

  it("refuses an origin that is not exactly scheme://host[:port]", async () => {
    const res = await editEasySite({
      name: "Easy",
      origins: "https://shop.easy.test/\nftp://x.test\nshop.test",
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("<code>origins[0]</code>");
    expect(html).toContain("<code>origins[1]</code>");
    expect(html).toContain("<code>origins[2]</code>");
  });

  it("refuses an accent that is not a colour", async () => {
    const res = await editEasySite({ name: "Easy", origins: ORIGIN, accent: "red;x" });
    expect(res.status).toBe(400);
  });

  it("adds a site with its own key", async () => {
    const res = await addSite({ name: "Second store", origins: "https://second.easy.test" });
    // 201 with the page that shows the new site's identity secret, once.
    expect(res.status).toBe(201);
    const row = await siteNamed("Second store");
    expect(row?.siteKey).toMatch(/^sk_/);
    expect((await call(`/v1/sites/${row?.siteKey}/config`, { origin: "https://second.easy.test" })).status).toBe(200);
  });

  describe("a site added with a title and accent", () => {
    let added: Response;

    beforeAll(async () => {
      added = await addSite({
        name: "Branded store",
        origins: "https://branded.easy.test",
        title: "Help with orders",
        accent: "#abcdef",
      });
    });

    it("stores the title and accent a new site is created with", async () => {
      expect(added.status).toBe(201);
      expect((await siteNamed("Branded store"))?.branding).toEqual({ title: "Help with orders", accent: "#abcdef" });
    });

    it("shows a new site's title and accent back on the settings page", async () => {
      const row = await siteNamed("Branded store");
      const html = await (await easy.get("/dashboard/settings/sites")).text();
      expect(html).toMatch(new RegExp(`<input id="title-${row?.id}"[^>]* value="Help with orders"`));
      expect(html).toMatch(new RegExp(`<input id="accent-${row?.id}"[^>]* value="#abcdef"`));
    });
  });

  describe("a site added with a title per locale", () => {
    beforeAll(async () => {
      const res = await addSite({ name: "Bilingual store", origins: "https://bilingual.easy.test", title: "Help", "title.es": "Ayuda" });
      expect(res.status).toBe(201);
    });

    it("stores one title per locale", async () => {
      expect((await siteNamed("Bilingual store"))?.branding.title).toEqual({ en: "Help", es: "Ayuda" });
    });

    it("shows each locale's title back in its own field", async () => {
      const row = await siteNamed("Bilingual store");
      const html = await (await easy.get("/dashboard/settings/sites")).text();
      expect(html).toMatch(new RegExp(`<input id="title-${row?.id}"[^>]* value="Help"`));
      expect(html).toMatch(new RegExp(`<input id="title-${row?.id}-es"[^>]* value="Ayuda"`));
    });
  });

  it("refuses a site whose translated title is longer than 80 characters, and adds nothing", async () => {
    const res = await addSite({ name: "Long es store", origins: "https://longes.easy.test", title: "Help", "title.es": "x".repeat(81) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<code>title.es</code>");
    expect(await siteNamed("Long es store")).toBeUndefined();
  });

  it("refuses to create a site whose accent is not a #rrggbb colour, and adds nothing", async () => {
    const res = await addSite({ name: "Red store", origins: "https://red.easy.test", accent: "red;x" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<code>accent</code>");
    expect(await db.query.sites.findFirst({ where: eq(sites.name, "Red store") })).toBeUndefined();
  });

  it("refuses to create a site whose title is longer than 80 characters, and adds nothing", async () => {
    const res = await addSite({
      name: "Long store",
      origins: "https://long.easy.test",
      title: "x".repeat(81),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<code>title</code>");
    expect(await db.query.sites.findFirst({ where: eq(sites.name, "Long store") })).toBeUndefined();
  });

  it("offers title and accent fields on the form that adds a site", async () => {
    const html = await (await easy.get("/dashboard/settings/sites")).text();
    expect(html).toContain('id="new-site-title" name="title"');
    expect(html).toContain('id="new-site-accent" name="accent"');
  });

  it("is a 404 to edit another merchant's site, which stays as it was", async () => {
    const res = await easy.post("/dashboard/settings/sites/s_ecellar", { name: "Hijacked", origins: "https://evil.test" });
    expect(res.status).toBe(404);
    expect((await db.query.sites.findFirst({ where: eq(sites.id, "s_ecellar") }))?.name).not.toBe("Hijacked");
  });
});

// The team (invitations, roles, access) is tested in team.test.ts.

describe("unknown tickets after a policy change", () => {
  it("still opens a ticket created under an older version", async () => {
    const [old] = await db
      .select()
      .from(tickets)
      .where(and(eq(tickets.merchantId, "m_ecellar"), eq(tickets.policyVersion, 1)))
      .limit(1);
    const agent = await signedIn("agent@ecellar.demo");
    expect((await agent.get(`/dashboard/tickets/${old?.ref}`)).status).toBe(200);
  });
});
