import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { LINK_REQUESTS_PER_ADDRESS_HOUR, LINK_REQUESTS_PER_IP_HOUR } from "../../../worker/status/my-requests.ts";
import { Browser, formTokenIn } from "../dashboard/helpers.ts";
import { createTicket, seed } from "../helpers.ts";
import { changed, fingerprint } from "../security/support/state.ts";
import { comparable, customerOn } from "./helpers.ts";

// "Email me my requests": one email (outbox, template "links") listing the address's open
// requests on the site; the same answer whether or not there are any; capped per IP and address.

beforeAll(async () => {
  await seed();
});

/** A browser on the site's "email me my requests" page, with that form's token. */
async function formPage(site = "demo-ecellar") {
  const b = new Browser();
  const res = await b.get(`/t/links?site=${site}`);
  expect(res.status).toBe(200);
  b.csrf = formTokenIn(await res.text());
  return b;
}

async function linkEmails(recipient: string) {
  const { results } = await env.DB.prepare("SELECT * FROM outbox WHERE channel = 'email' AND event = 'links' AND recipient = ?1")
    .bind(recipient)
    .all<{ merchant_id: string; ticket_id: string | null; payload: string; status: string }>();
  return results;
}

describe("email me my requests", () => {
  it("queues one links email with the address's open requests on that site (not closed ones, not other sites')", async () => {
    const email = "many@example.test";
    const a = await createTicket("demo-ecellar", { email });
    const b = await createTicket("demo-ecellar", { email: "Many@Example.test" });
    const closed = await createTicket("demo-ecellar", { email });
    const elsewhere = await createTicket("demo-commerceup", { email, issueType: "minor", severity: "low" });
    const c = await customerOn(closed.reference);
    expect((await c.browser.post(`/t/${closed.reference}/close`)).status).toBe(303);
    const res = await (await formPage()).post("/t/links", { site: "demo-ecellar", email: " MANY@example.test " });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("an email with links to them is on its way");
    const rows = await linkEmails(email);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ merchant_id: "m_ecellar", ticket_id: null, status: "queued" });
    const payload = JSON.parse(rows[0]?.payload ?? "{}");
    expect(payload).toEqual({ siteId: "s_ecellar", references: [a.reference, b.reference] });
    expect(payload.references).not.toContain(elsewhere.reference);
  });

  it("gives an unknown address the same page as a known one, and queues nothing", async () => {
    await createTicket("demo-ecellar", { email: "known@example.test" });
    const known = await (await formPage()).post("/t/links", { site: "demo-ecellar", email: "known@example.test" });
    const before = await fingerprint();
    const unknown = await (await formPage()).post("/t/links", { site: "demo-ecellar", email: "nobody@example.test" });
    expect(unknown.status).toBe(known.status);
    expect(comparable(await unknown.text())).toBe(comparable(await known.text()));
    expect(await linkEmails("nobody@example.test")).toEqual([]);
    expect(changed(before, await fingerprint()).every((k) => k.startsWith("rate_counters"))).toBe(true);
  });

  it("from an expired link's page finds the site by the reference; an unknown reference gets the same answer", async () => {
    const t = await createTicket("demo-ecellar", { email: "expired@example.test" });
    const b = new Browser();
    const page = await b.get(`/t/${t.reference}`);
    expect(page.status).toBe(404);
    b.csrf = formTokenIn(await page.text());
    const res = await b.post("/t/links", { ref: t.reference, email: "expired@example.test" });
    const other = await b.post("/t/links", { ref: "RB-0000-0000", email: "expired@example.test" });
    expect(res.status).toBe(200);
    expect(comparable(await other.text())).toBe(comparable(await res.text()));
    const rows = await linkEmails("expired@example.test");
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]?.payload ?? "{}").references).toEqual([t.reference]);
  });

  it("is refused with 403 without the form's token (bound to its cookie), writing nothing", async () => {
    const b = await formPage();
    const before = await fingerprint();
    expect((await b.post("/t/links", { site: "demo-ecellar", email: "x@example.test", _csrf: "nope" })).status).toBe(403);
    const stranger = new Browser();
    stranger.csrf = b.csrf;
    expect((await stranger.post("/t/links", { site: "demo-ecellar", email: "x@example.test" })).status).toBe(403);
    expect(changed(before, await fingerprint())).toEqual([]);
  });

  it("refuses a malformed address with 400", async () => {
    expect((await (await formPage()).post("/t/links", { site: "demo-ecellar", email: "not an address" })).status).toBe(400);
  });

  it(`is 429 after ${LINK_REQUESTS_PER_ADDRESS_HOUR} requests per address and hour (from any IP), queueing no more`, async () => {
    const email = "capped@example.test";
    await createTicket("demo-ecellar", { email });
    for (let i = 0; i < LINK_REQUESTS_PER_ADDRESS_HOUR; i++) {
      expect((await (await formPage()).post("/t/links", { site: "demo-ecellar", email })).status).toBe(200);
    }
    const before = await fingerprint();
    const res = await (await formPage()).post("/t/links", { site: "demo-ecellar", email });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(changed(before, await fingerprint())).toEqual([]);
    expect(await linkEmails(email)).toHaveLength(LINK_REQUESTS_PER_ADDRESS_HOUR);
  });

  it(`is 429 after ${LINK_REQUESTS_PER_IP_HOUR} requests per IP and hour, whatever the address`, async () => {
    const b = await formPage();
    for (let i = 0; i < LINK_REQUESTS_PER_IP_HOUR; i++) {
      expect((await b.post("/t/links", { site: "demo-ecellar", email: `ip${i}@example.test` })).status).toBe(200);
    }
    expect((await b.post("/t/links", { site: "demo-ecellar", email: "one-more@example.test" })).status).toBe(429);
  });

  it("shows the form for a known site in its brand, and 404 for an unknown one", async () => {
    const res = await new Browser().get("/t/links?site=demo-ecellar");
    const html = await res.text();
    expect(html).toContain('name="site" value="demo-ecellar"');
    expect((await new Browser().get("/t/links?site=nope")).status).toBe(404);
  });
});
