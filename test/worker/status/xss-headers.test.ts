import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attachments, sites } from "../../../schema/db.ts";
import { invalidateSites } from "../../../worker/merchant/site-context.ts";
import { Browser, signedIn } from "../dashboard/helpers.ts";
import { createTicket, db, seed, ticketRow } from "../helpers.ts";
import { activeContent, expectLockedDownPage } from "../security/support/html.ts";
import { customerOn } from "./helpers.ts";

// What customers and staff write reaches the status page as text: hostile descriptions, replies,
// names, quote notes, file names and brand settings are rendered inert. Every answer carries the
// page's security headers.

const hostile = [
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(2)">',
  '"><svg onload=alert(3)>',
  '<a href="javascript:alert(4)">x</a>',
  "<iframe src=//evil.example></iframe>",
  "</textarea><base href=//evil.example>",
  "<style>body{display:none}</style>",
].join("\n");

beforeAll(async () => {
  await seed();
});

function expectInert(html: string) {
  const active = activeContent(html);
  expect(active.strayScripts).toEqual([]);
  expect(active.handlers).toEqual([]);
  expect(active.scriptUrls).toEqual([]);
  expect(active.forbiddenTags).toEqual([]);
  expect(html).not.toContain("<style>body");
}

describe("hostile text", () => {
  it("in the description, name, replies, quote note, file names and brand is shown as text, never as markup", async () => {
    const staff = await signedIn("agent@ecellar.demo");
    await db
      .update(sites)
      .set({ branding: { title: hostile, accent: "red;}</style><script>alert(5)</script>" } })
      .where(eq(sites.id, "s_ecellar"));
    invalidateSites();
    const t = await createTicket("demo-ecellar", {
      issueType: "feature",
      severity: "normal",
      description: hostile,
      name: "<script>alert(6)</script>",
    });
    const row = await ticketRow(t.reference);
    await db.insert(attachments).values({
      id: "att_xss",
      merchantId: row.merchantId,
      ticketId: row.id,
      author: "customer",
      name: hostile,
      contentType: "text/plain",
      size: 12,
      r2Key: "m_ecellar/att_xss",
      createdAt: Date.now(),
    });
    expect((await staff.post(`/dashboard/tickets/${t.reference}/reply`, { body: hostile })).status).toBe(303);
    expect(
      (
        await staff.post(`/dashboard/tickets/${t.reference}/quote`, {
          action: "send",
          amount: "10.00",
          currency: "USD",
          validUntil: "2099-12-31",
          note: hostile,
        })
      ).status,
    ).toBe(303);
    const { browser, html } = await customerOn(t.reference);
    expect((await browser.post(`/t/${t.reference}/message`, { body: hostile })).status).toBe(303);
    const page = await (await browser.get(`/t/${t.reference}`)).text();
    const confirm = await (await browser.post(`/t/${t.reference}/quote`, { decision: "accept" })).text();
    for (const h of [html, page, confirm]) {
      expectInert(h);
      expect(h).toContain("&lt;script>alert(1)&lt;/script>");
    }
    // The customer's message, the staff reply and the description are all there, as text.
    expect(page.split("&lt;script>alert(1)").length - 1).toBeGreaterThanOrEqual(4);
    // The accent was not a colour: no brand style at all.
    expect(page).not.toContain("--accent: red");
    await db.update(sites).set({ branding: {} }).where(eq(sites.id, "s_ecellar"));
    invalidateSites();
  });
});

describe("brand", () => {
  it("keeps text readable on a pale accent: dark text on it, and no pale ink on white", async () => {
    await db
      .update(sites)
      .set({ branding: { title: "Sunny", accent: "#ffe680" } })
      .where(eq(sites.id, "s_ecellar"));
    invalidateSites();
    const { html } = await customerOn((await createTicket()).reference);
    expect(html).toContain("--accent: #ffe680; --on-accent: #000; --accent-ink: #1a1a1a;");
    expect(html).toContain('<header class="brand">Sunny</header>');
    await db.update(sites).set({ branding: {} }).where(eq(sites.id, "s_ecellar"));
    invalidateSites();
  });
});

describe("security headers", () => {
  it("every status answer forbids script, framing and caching, and sends no referrer", async () => {
    const t = await createTicket();
    const { browser } = await customerOn(t.reference);
    const answers = [
      await browser.get(`/t/${t.reference}`),
      await new Browser().get(`/t/${t.reference}`),
      await new Browser().get("/t/links?site=demo-ecellar"),
      await browser.post(`/t/${t.reference}/message`, { body: "x", _csrf: "bad" }),
      await new Browser().get("/t/RB-0000-0000/whatever"),
    ];
    for (const res of answers) {
      expectLockedDownPage(res);
      expect(res.headers.get("Content-Security-Policy")).not.toContain("script-src");
      expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
      expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    }
  });

  it("the page is in the ticket's language and shows due times in the customer's zone", async () => {
    const t = await createTicket("demo-ecellar", { locale: "es-MX", timeZone: "Europe/Madrid" });
    const { html } = await customerOn(t.reference);
    expect(html).toContain('<html lang="es"');
    expect(html).toContain("Su solicitud");
    expect(html).toContain("Las horas se muestran en su zona horaria (Europe/Madrid).");
    const en = await customerOn((await createTicket("demo-ecellar")).reference);
    expect(en.html).toContain("Times are shown in the support team's time zone (America/Los_Angeles).");
  });
});
