import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts, merchants, outbox, sites } from "../../../schema/db.ts";
import { runScheduled } from "../../../worker/cron.ts";
import { identitySignature } from "../../../worker/merchant/identity-signature.ts";
import { invalidateSites } from "../../../worker/merchant/site-context.ts";
import { queueTestDelivery } from "../../../worker/outbox/webhook-settings.ts";
import { call, createTicket, db, HOST } from "../helpers.ts";
import { fingerprint } from "../security/support/state.ts";
import { type Browser, send, signInBeforeAll } from "./helpers.ts";

const { easy, agent, ecellar } = signInBeforeAll({
  easy: "admin@easy-commission.demo",
  agent: "agent@easy-commission.demo",
  ecellar: "admin@ecellar.demo",
});

const SITE = "s_easy-commission";

/** A no-JS multipart form post (the CSV upload) from a signed-in browser. */
function upload(b: Browser, path: string, csv: string | null, opts: { csrf?: string } = {}) {
  const form = new FormData();
  form.set("_csrf", opts.csrf ?? b.csrf);
  if (csv !== null) form.set("file", new File([csv], "accounts.csv", { type: "text/csv" }));
  const headers = new Headers({ "CF-Connecting-IP": b.ip, Origin: HOST });
  headers.set("Cookie", [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
  return send(new Request(`${HOST}${path}`, { method: "POST", headers, body: form, redirect: "manual" }));
}

/** The secret shown in a reveal panel (id of its `<pre>`), if the page shows one. */
function revealed(html: string, id: string): string | undefined {
  return new RegExp(`<pre class="snippet" id="${id}">([^<]+)</pre>`).exec(html)?.[1];
}

/** Easy-Commission's identity secret now (the identity tests rotate it). */
async function currentSecret(): Promise<string> {
  return (await db.query.sites.findFirst({ where: eq(sites.id, SITE) }))?.identitySecret ?? "";
}

/** A window preview for an Easy-Commission account signed with `secret`. */
async function windowWith(secret: string, accountId = "acme") {
  const signature = await identitySignature(secret, accountId);
  return call("/v1/sites/demo-easy-commission/window", {
    json: { issueType: "access", severity: "problem", identity: { accountId, signature } },
  });
}

describe("identity verification", () => {
  it("shows when the secret was made, never the secret itself", async () => {
    const res = await easy.get(`/dashboard/settings/sites/${SITE}/identity`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("it is never shown again after that — rotate to get one you can copy");
    expect(html).not.toContain("demo-identity-easy-commission");
    expect(revealed(html, "identity-secret")).toBeUndefined();
  });

  it("shows Node, PHP and Python examples and the identify call", async () => {
    const html = await (await easy.get(`/dashboard/settings/sites/${SITE}/identity`)).text();
    expect(html).toContain("createHmac(&quot;sha256&quot;, process.env.REPLYBY_IDENTITY_SECRET)");
    expect(html).toContain("hash_hmac('sha256', $accountId, getenv('REPLYBY_IDENTITY_SECRET'))");
    expect(html).toContain("hmac.new(secret, account_id.encode(&quot;utf-8&quot;), hashlib.sha256).hexdigest()");
    expect(html).toContain("Replyby(&quot;identify&quot;");
  });

  it("rotates: shows the new secret once, and both secrets verify during the grace period", async () => {
    const old = (await db.query.sites.findFirst({ where: eq(sites.id, SITE) }))?.identitySecret ?? "";
    const res = await easy.post(`/dashboard/settings/sites/${SITE}/identity/rotate`);
    expect(res.status).toBe(201);
    const html = await res.text();
    const secret = revealed(html, "identity-secret") ?? "";
    expect(secret).toMatch(/^rbid_[A-Za-z0-9_-]{43}$/);
    expect(html).toContain("Copy it now: it will not be shown again.");
    expect(html).toContain("The previous secret keeps working until");
    expect((await windowWith(secret)).status).toBe(200);
    expect((await windowWith(old)).status).toBe(200);
    const again = await (await easy.get(`/dashboard/settings/sites/${SITE}/identity`)).text();
    expect(again).not.toContain(secret);
    expect(again).toContain("still accepted until");
  });

  it("refuses the previous secret once its grace period has ended", async () => {
    const res = await easy.post(`/dashboard/settings/sites/${SITE}/identity/rotate`);
    const secret = revealed(await res.text(), "identity-secret") ?? "";
    const row = await db.query.sites.findFirst({ where: eq(sites.id, SITE) });
    const previous = row?.identityPreviousSecret ?? "";
    await db
      .update(sites)
      .set({ identityPreviousUntil: Date.now() - 1 })
      .where(eq(sites.id, SITE));
    invalidateSites();
    const refused = await windowWith(previous);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("identity.signature");
    expect((await windowWith(secret)).status).toBe(200);
  });

  it("shows a new site's identity secret once, on the answer that creates it, and it verifies", async () => {
    const res = await ecellar.post("/dashboard/settings/sites", { name: "Second cellar", origins: "https://second.cellar.test" });
    expect(res.status).toBe(201);
    const html = await res.text();
    expect(html).toContain("Site added: Second cellar's identity secret");
    const secret = revealed(html, "identity-secret") ?? "";
    const row = await db.query.sites.findFirst({ where: and(eq(sites.merchantId, "m_ecellar"), eq(sites.name, "Second cellar")) });
    expect(row?.identitySecret).toBe(secret);
    const page = await (await ecellar.get(`/dashboard/settings/sites/${row?.id}/identity`)).text();
    expect(page).not.toContain(secret);
  });

  it("answers another merchant's site with a 404 and rotates nothing", async () => {
    const before = (await db.query.sites.findFirst({ where: eq(sites.id, SITE) }))?.identitySecret;
    expect((await ecellar.get(`/dashboard/settings/sites/${SITE}/identity`)).status).toBe(404);
    expect((await ecellar.post(`/dashboard/settings/sites/${SITE}/identity/rotate`)).status).toBe(404);
    expect((await db.query.sites.findFirst({ where: eq(sites.id, SITE) }))?.identitySecret).toBe(before);
  });

  it("is for admins only (403 to an agent)", async () => {
    expect((await agent.get(`/dashboard/settings/sites/${SITE}/identity`)).status).toBe(403);
    expect((await agent.post(`/dashboard/settings/sites/${SITE}/identity/rotate`)).status).toBe(403);
  });

  it("refuses a rotation without the form token (403)", async () => {
    const before = (await db.query.sites.findFirst({ where: eq(sites.id, SITE) }))?.identitySecret;
    const res = await easy.request(`/dashboard/settings/sites/${SITE}/identity/rotate`, { form: { _csrf: "wrong" } });
    expect(res.status).toBe(403);
    expect((await db.query.sites.findFirst({ where: eq(sites.id, SITE) }))?.identitySecret).toBe(before);
  });

  it("rotating again within the grace period ends the oldest secret at once", async () => {
    const oldest = (await db.query.sites.findFirst({ where: eq(sites.id, SITE) }))?.identitySecret ?? "";
    const first = revealed(await (await easy.post(`/dashboard/settings/sites/${SITE}/identity/rotate`)).text(), "identity-secret") ?? "";
    const second = revealed(await (await easy.post(`/dashboard/settings/sites/${SITE}/identity/rotate`)).text(), "identity-secret") ?? "";
    expect((await windowWith(oldest)).status).toBe(400);
    expect((await windowWith(first)).status).toBe(200);
    expect((await windowWith(second)).status).toBe(200);
  });

  it("refuses an agent's rotation (403) and writes nothing", async () => {
    const before = await fingerprint();
    expect((await agent.post(`/dashboard/settings/sites/${SITE}/identity/rotate`)).status).toBe(403);
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses a rotation of another merchant's site (404) and writes nothing", async () => {
    const before = await fingerprint();
    expect((await ecellar.post(`/dashboard/settings/sites/${SITE}/identity/rotate`)).status).toBe(404);
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses a rotation from another site's page (Origin) with a 403 and writes nothing", async () => {
    const before = await fingerprint();
    const res = await easy.post(`/dashboard/settings/sites/${SITE}/identity/rotate`, {}, { origin: "https://evil.test" });
    expect(res.status).toBe(403);
    expect(await fingerprint()).toEqual(before);
  });
});

describe("API keys page", () => {
  it("creates a key, shows it once, then lists it by its prefix only", async () => {
    const res = await easy.post("/dashboard/settings/api-keys", { name: "Billing sync" });
    expect(res.status).toBe(201);
    const key = revealed(await res.text(), "api-key") ?? "";
    expect(key).toMatch(/^rbk_[A-Za-z0-9_-]{43}$/);
    const list = await (await easy.get("/dashboard/settings/api-keys")).text();
    expect(list).not.toContain(key);
    expect(list).toContain(`<code>${key.slice(0, 12)}…</code>`);
    const put = await call("/v1/admin/accounts/from-dashboard-key", {
      method: "PUT",
      json: { plan: "standard" },
      headers: { Authorization: `Bearer ${key}` },
      origin: null,
    });
    expect(put.status).toBe(201);
  });

  it("asks for a name (400) and creates nothing", async () => {
    const before = await fingerprint();
    const res = await easy.post("/dashboard/settings/api-keys", { name: "  " });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<code>name</code>: Enter a name");
    expect(await fingerprint()).toEqual(before);
  });

  it("revokes a key: the API refuses it at once (401)", async () => {
    const key = revealed(await (await easy.post("/dashboard/settings/api-keys", { name: "Short-lived" })).text(), "api-key") ?? "";
    const row = await db.query.apiKeys.findFirst({ where: (k, { eq }) => eq(k.prefix, key.slice(0, 12)) });
    const res = await easy.post(`/dashboard/settings/api-keys/${row?.id}/revoke`);
    expect(res.status).toBe(303);
    const put = await call("/v1/admin/accounts/acme", {
      method: "PUT",
      json: { plan: "standard" },
      headers: { Authorization: `Bearer ${key}` },
      origin: null,
    });
    expect(put.status).toBe(401);
    expect(await (await easy.get("/dashboard/settings/api-keys")).text()).toContain("revoked");
  });

  it("answers another merchant's key with a 404 and leaves it working", async () => {
    const key = revealed(await (await easy.post("/dashboard/settings/api-keys", { name: "Mine" })).text(), "api-key") ?? "";
    const row = await db.query.apiKeys.findFirst({ where: (k, { eq }) => eq(k.prefix, key.slice(0, 12)) });
    expect((await ecellar.post(`/dashboard/settings/api-keys/${row?.id}/revoke`)).status).toBe(404);
    expect((await db.query.apiKeys.findFirst({ where: (k, { eq }) => eq(k.id, row?.id ?? "") }))?.revokedAt).toBeNull();
  });

  it("is for admins only (403 to an agent)", async () => {
    expect((await agent.get("/dashboard/settings/api-keys")).status).toBe(403);
    const before = await fingerprint();
    expect((await agent.post("/dashboard/settings/api-keys", { name: "Agent key" })).status).toBe(403);
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses a key creation without the form token (403)", async () => {
    const res = await easy.request("/dashboard/settings/api-keys", { form: { _csrf: "nope", name: "x" } });
    expect(res.status).toBe(403);
  });

  it("refuses a name over 80 characters (400) and creates nothing", async () => {
    const before = await fingerprint();
    const res = await easy.post("/dashboard/settings/api-keys", { name: "k".repeat(81) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<code>name</code>");
    expect(await fingerprint()).toEqual(before);
  });

  it("lists a revoked key as revoked, with its prefix and no revoke button", async () => {
    const key = revealed(await (await easy.post("/dashboard/settings/api-keys", { name: "Listed revoked" })).text(), "api-key") ?? "";
    const row = await db.query.apiKeys.findFirst({ where: (k, { eq }) => eq(k.prefix, key.slice(0, 12)) });
    await easy.post(`/dashboard/settings/api-keys/${row?.id}/revoke`);
    const html = await (await easy.get("/dashboard/settings/api-keys")).text();
    const line = html.slice(html.indexOf("<td>Listed revoked</td>"));
    expect(line.slice(0, line.indexOf("</tr>"))).toMatch(/<span class="muted">revoked /);
    expect(html).not.toContain(`/dashboard/settings/api-keys/${row?.id}/revoke`);
  });

  it("refuses an agent's revocation (403): the key keeps working", async () => {
    const key = revealed(await (await easy.post("/dashboard/settings/api-keys", { name: "Agent cannot revoke" })).text(), "api-key") ?? "";
    const row = await db.query.apiKeys.findFirst({ where: (k, { eq }) => eq(k.prefix, key.slice(0, 12)) });
    const before = await fingerprint();
    expect((await agent.post(`/dashboard/settings/api-keys/${row?.id}/revoke`)).status).toBe(403);
    expect(await fingerprint()).toEqual(before);
    const get = await call("/v1/admin/accounts/acme", { headers: { Authorization: `Bearer ${key}` }, origin: null });
    expect(get.status).toBe(200);
  });

  it("refuses a revocation without the form token (403) and writes nothing", async () => {
    const key = revealed(await (await easy.post("/dashboard/settings/api-keys", { name: "Forged revoke" })).text(), "api-key") ?? "";
    const row = await db.query.apiKeys.findFirst({ where: (k, { eq }) => eq(k.prefix, key.slice(0, 12)) });
    const before = await fingerprint();
    const res = await easy.request(`/dashboard/settings/api-keys/${row?.id}/revoke`, { form: { _csrf: "0".repeat(64) } });
    expect(res.status).toBe(403);
    expect(await fingerprint()).toEqual(before);
  });

  it("creates nothing when the form token is wrong", async () => {
    const before = await fingerprint();
    await easy.request("/dashboard/settings/api-keys", { form: { _csrf: "nope", name: "x" } });
    expect(await fingerprint()).toEqual(before);
  });
});

describe("customer accounts and CSV import", () => {
  const row = (externalId: string) =>
    db.query.accounts.findFirst({ where: and(eq(accounts.merchantId, "m_easy-commission"), eq(accounts.externalId, externalId)) });

  it("lists the merchant's accounts", async () => {
    const html = await (await easy.get("/dashboard/settings/accounts")).text();
    expect(html).toContain("<code>acme</code>");
    expect(html).toContain("<code>lapsed</code>");
  });

  it("imports every line of a valid file, keeping values of empty cells", async () => {
    const csv =
      'account_id,plan,dues_current,cases_used,subscribed_at\r\ncsv-one,professional,yes,2,2026-11-01\r\n"csv, two",,false,,\r\nlapsed,,,5,\r\n';
    const res = await upload(easy, "/dashboard/settings/accounts/import", csv);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/dashboard/settings/accounts?done=imported-3");
    expect(await row("csv-one")).toMatchObject({
      plan: "professional",
      flags: { duesCurrent: true },
      casesUsed: 2,
      subscribedAt: Date.UTC(2026, 10, 1),
    });
    expect(await row("csv, two")).toMatchObject({ plan: null, flags: { duesCurrent: false }, casesUsed: null });
    expect(await row("lapsed")).toMatchObject({ id: "a_lapsed", plan: "standard", flags: { duesCurrent: false }, casesUsed: 5 });
    const page = await (await easy.get("/dashboard/settings/accounts?done=imported-3")).text();
    expect(page).toContain("Imported 3 accounts.");
  });

  it("shows each bad line and imports nothing when any line is invalid", async () => {
    const before = await fingerprint();
    const csv =
      "account_id,plan,dues_current,cases_used\ngood-one,standard,true,1\n,standard,maybe,-2\ngood-one,standard,true,1\nshort,x\n";
    const res = await upload(easy, "/dashboard/settings/accounts/import", csv);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Nothing was imported: fix these lines and upload the file again.");
    expect(html).toContain("<code>line 3: account_id</code>: Give an account id of 1 to 120 characters");
    expect(html).toContain("<code>line 3: dues_current</code>: Use true or false");
    expect(html).toContain("<code>line 3: cases_used</code>: Use a whole number of cases, 0 or more");
    expect(html).toContain("<code>line 4: account_id</code>: Account good-one is already on line 2");
    expect(html).toContain("<code>line 5</code>: Expected 4 fields, found 2");
    expect(await fingerprint()).toEqual(before);
    expect(await row("good-one")).toBeUndefined();
  });

  it("refuses an unknown column in the header", async () => {
    const res = await upload(easy, "/dashboard/settings/accounts/import", "account_id,credit\nx,1\n");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Unknown column &quot;credit&quot;");
  });

  it("asks for a file when none is chosen", async () => {
    const res = await upload(easy, "/dashboard/settings/accounts/import", null);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Choose a CSV file to import");
  });

  it("refuses a file over the form cap (413) before reading it whole, and writes nothing", async () => {
    const before = await fingerprint();
    const big = `account_id\n${"x".repeat(300 * 1024)}\n`;
    const res = await upload(easy, "/dashboard/settings/accounts/import", big);
    expect(res.status).toBe(413);
    expect(await fingerprint()).toEqual(before);
  });

  it("writes only the merchant's own accounts: the same id elsewhere is untouched", async () => {
    await upload(ecellar, "/dashboard/settings/accounts/import", "account_id,plan\nacme,cellar-plan\n");
    expect((await row("acme"))?.plan).not.toBe("cellar-plan");
    const theirs = await db.query.accounts.findFirst({ where: and(eq(accounts.merchantId, "m_ecellar"), eq(accounts.externalId, "acme")) });
    expect(theirs?.plan).toBe("cellar-plan");
    expect(await (await ecellar.get("/dashboard/settings/accounts")).text()).not.toContain("<code>lapsed</code>");
  });

  it("is for admins only (403 to an agent)", async () => {
    expect((await agent.get("/dashboard/settings/accounts")).status).toBe(403);
    expect((await upload(agent, "/dashboard/settings/accounts/import", "account_id\nx\n")).status).toBe(403);
  });

  it("refuses an import without the form token (403) and writes nothing", async () => {
    const before = await fingerprint();
    const res = await upload(easy, "/dashboard/settings/accounts/import", "account_id\nno-token\n", { csrf: "bad" });
    expect(res.status).toBe(403);
    expect(await fingerprint()).toEqual(before);
  });

  it("shows each account's plan, dues and cases used", async () => {
    await upload(easy, "/dashboard/settings/accounts/import", "account_id,plan,dues_current,cases_used\nshown-co,gold,false,7\n");
    const html = await (await easy.get("/dashboard/settings/accounts")).text();
    const line = html.slice(html.indexOf("<code>shown-co</code>"));
    const cells = line.slice(0, line.indexOf("</tr>"));
    expect(cells).toContain("<td>gold</td>");
    expect(cells).toContain("<td>no</td>");
    expect(cells).toContain("7");
  });

  it("makes an imported account with dues not current ineligible, in the policy's words", async () => {
    await upload(easy, "/dashboard/settings/accounts/import", "account_id,plan,dues_current\ncsv-lapsed,standard,no\n");
    const body = (await (await windowWith(await currentSecret(), "csv-lapsed")).json()) as { eligibility: { eligible: boolean } };
    expect(body.eligibility.eligible).toBe(false);
  });

  it("counts imported cases used in the allowance", async () => {
    await upload(easy, "/dashboard/settings/accounts/import", "account_id,plan,dues_current,cases_used\ncsv-counted,standard,yes,4\n");
    const body = (await (await windowWith(await currentSecret(), "csv-counted")).json()) as { allowance: Record<string, unknown> };
    expect(body.allowance).toMatchObject({ used: 4, included: 4 });
  });

  it.each([
    ["a header without account_id", "plan,dues_current\nstandard,yes\n", "The header needs an account_id column"],
    ["a column named twice", "account_id,plan,plan\nx,a,b\n", "A column is named twice"],
    ["a header and no accounts", "account_id,plan\n", "No accounts below the header row"],
    ["a quoted field left open", 'account_id,plan\n"open,standard\n', "A quoted field is not closed"],
    ["a date that is not one", "account_id,subscribed_at\nx,2026-13-45\n", "Use a date such as 2026-11-01"],
    ["a plan over 40 characters", `account_id,plan\nx,${"p".repeat(41)}\n`, "<code>line 2: plan</code>: Use at most 40 characters"],
    [
      "more than 1000 accounts",
      `account_id\n${Array.from({ length: 1001 }, (_, i) => `many-${i}`).join("\n")}\n`,
      "At most 1000 accounts per file",
    ],
  ])("refuses %s (400) and writes nothing", async (_, csv, why) => {
    const before = await fingerprint();
    const res = await upload(easy, "/dashboard/settings/accounts/import", csv);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(why);
    expect(await fingerprint()).toEqual(before);
  });

  it("reads a file saved with a byte-order mark and a quoted line break", async () => {
    const res = await upload(easy, "/dashboard/settings/accounts/import", '\ufeffaccount_id,plan\n"bom-co","two\nlines"\n');
    expect(res.status).toBe(303);
    expect((await row("bom-co"))?.plan).toBe("two\nlines");
  });

  it("refuses an agent's import (403) and writes nothing", async () => {
    const before = await fingerprint();
    expect((await upload(agent, "/dashboard/settings/accounts/import", "account_id\nagent-made\n")).status).toBe(403);
    expect(await fingerprint()).toEqual(before);
  });
});

describe("webhooks", () => {
  const merchant = () => db.query.merchants.findFirst({ where: eq(merchants.id, "m_easy-commission") });
  const save = (url: string, events: string[], b = easy) => {
    const body = new URLSearchParams({ _csrf: b.csrf, url });
    for (const e of events) body.append("events", e);
    const headers = new Headers({ "CF-Connecting-IP": b.ip, Origin: HOST, "Content-Type": "application/x-www-form-urlencoded" });
    headers.set("Cookie", [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    return send(new Request(`${HOST}/dashboard/settings/webhooks`, { method: "POST", headers, body: body.toString(), redirect: "manual" }));
  };

  it("lists every event type as a checkbox", async () => {
    const html = await (await easy.get("/dashboard/settings/webhooks")).text();
    for (const e of ["ticket.created", "ticket.breached", "quote.accepted"]) expect(html).toContain(`value="${e}"`);
  });

  it.each([
    ["http://hooks.example.com/x", "Use an https:// URL"],
    ["https://localhost/x", "localhost names this machine"],
    ["https://127.0.0.1/x", "127.0.0.1 is a loopback address"],
    ["https://10.1.2.3/x", "a private network address (10.0.0.0/8)"],
    ["https://169.254.169.254/latest", "a link-local address"],
    ["https://100.64.0.1/x", "a carrier-grade NAT address"],
    ["https://[fd00::1]/x", "a unique local address"],
    ["https://[::1]/x", "the loopback address"],
  ])("refuses %s with a field error saying why, and saves nothing", async (url, why) => {
    const before = await merchant();
    const res = await save(url, ["ticket.created"]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("<code>url</code>");
    expect(html).toContain(why);
    expect((await merchant())?.webhookUrl).toBe(before?.webhookUrl);
  });

  it("saves a public https URL with chosen events and shows the new secret once", async () => {
    const res = await save("https://hooks.example.com/replyby", ["ticket.created", "ticket.breached"]);
    expect(res.status).toBe(201);
    const html = await res.text();
    const secret = revealed(html, "webhook-secret") ?? "";
    expect(secret).toMatch(/^whsec_/);
    const row = await merchant();
    expect(row).toMatchObject({
      webhookUrl: "https://hooks.example.com/replyby",
      webhookSecret: secret,
      webhookEvents: ["ticket.created", "ticket.breached"],
    });
    const again = await (await easy.get("/dashboard/settings/webhooks")).text();
    expect(again).not.toContain(secret);
    expect(again).toContain('value="https://hooks.example.com/replyby"');
  });

  it("queues only the chosen events", async () => {
    await save("https://hooks.example.com/replyby", ["ticket.breached"]);
    invalidateSites();
    const res = await call("/v1/sites/demo-easy-commission/tickets", {
      json: {
        issueType: "access",
        severity: "problem",
        email: "a@example.test",
        description: "x",
      },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { reference } = (await res.json()) as { reference: string };
    const ticket = await db.query.tickets.findFirst({ where: (t, { eq }) => eq(t.ref, reference) });
    const hooks = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.ticketId, ticket?.id ?? ""), eq(outbox.channel, "webhook")));
    expect(hooks).toEqual([]);
    await save("https://hooks.example.com/replyby", ["ticket.created"]);
    invalidateSites();
    const next = await createTicket("demo-easy-commission", { issueType: "access", severity: "problem" });
    const created = await db.query.tickets.findFirst({ where: (t, { eq }) => eq(t.ref, next.reference) });
    const queued = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.ticketId, created?.id ?? ""), eq(outbox.channel, "webhook")));
    expect(queued.map((r) => r.event)).toEqual(["ticket.created"]);
  });

  it("asks for at least one event", async () => {
    const res = await save("https://hooks.example.com/replyby", []);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Choose at least one event to send");
  });

  it("rotates the secret, showing the new one once", async () => {
    const old = (await merchant())?.webhookSecret;
    const res = await easy.post("/dashboard/settings/webhooks/secret");
    expect(res.status).toBe(201);
    const secret = revealed(await res.text(), "webhook-secret") ?? "";
    expect(secret).not.toBe(old);
    expect((await merchant())?.webhookSecret).toBe(secret);
  });

  it("sends a test through the outbox, logs the failed attempt, and retries it on request", async () => {
    const res = await easy.post("/dashboard/settings/webhooks/test");
    expect(res.status).toBe(303);
    const [queued] = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.merchantId, "m_easy-commission"), eq(outbox.event, "webhook.test")));
    expect(queued).toMatchObject({ status: "queued", channel: "webhook", attempts: 0 });
    // The test runtime has no network: the delivery run's attempt fails and is kept for a retry.
    await runScheduled(env, Date.now());
    const tried = await db.query.outbox.findFirst({ where: eq(outbox.id, queued?.id ?? "") });
    expect(tried?.attempts).toBe(1);
    expect(tried?.lastError).toBeTruthy();
    expect(tried?.nextAttemptAt).toBeGreaterThan(Date.now());
    const log = await (await easy.get("/dashboard/settings/webhooks")).text();
    expect(log).toContain("<code>webhook.test</code>");
    expect(log).toContain(`/dashboard/settings/webhooks/deliveries/${queued?.id}/retry`);
    const retry = await easy.post(`/dashboard/settings/webhooks/deliveries/${queued?.id}/retry`);
    expect(retry.status).toBe(303);
    const again = await db.query.outbox.findFirst({ where: eq(outbox.id, queued?.id ?? "") });
    expect(again?.status).toBe("queued");
    expect(again?.nextAttemptAt).toBeLessThanOrEqual(Date.now());
  });

  it("answers a retry of another merchant's delivery with a 404 and changes nothing", async () => {
    const [row] = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.merchantId, "m_easy-commission"), eq(outbox.channel, "webhook")));
    const before = await fingerprint();
    expect((await ecellar.post(`/dashboard/settings/webhooks/deliveries/${row?.id}/retry`)).status).toBe(404);
    expect(await fingerprint()).toEqual(before);
    expect(await (await ecellar.get("/dashboard/settings/webhooks")).text()).not.toContain(row?.id ?? "-");
  });

  it("refuses a test without a webhook URL (409)", async () => {
    expect((await ecellar.post("/dashboard/settings/webhooks/test")).status).toBe(409);
  });

  it("turns the webhook off with an empty URL", async () => {
    const res = await save("", []);
    expect(res.status).toBe(303);
    expect((await merchant())?.webhookUrl).toBeNull();
    await save("https://hooks.example.com/replyby", ["ticket.created"]);
  });

  it("is for admins only (403 to an agent)", async () => {
    expect((await agent.get("/dashboard/settings/webhooks")).status).toBe(403);
    expect((await save("https://evil.example.com/", ["ticket.created"], agent)).status).toBe(403);
    expect((await agent.post("/dashboard/settings/webhooks/test")).status).toBe(403);
  });

  it("refuses a save without the form token (403)", async () => {
    const res = await easy.request("/dashboard/settings/webhooks", { form: { _csrf: "x", url: "https://evil.example.com/" } });
    expect(res.status).toBe(403);
    expect((await merchant())?.webhookUrl).not.toBe("https://evil.example.com/");
  });

  it("refuses an unknown event (400) and saves nothing", async () => {
    const before = await fingerprint();
    const res = await save("https://hooks.example.com/replyby", ["ticket.created", "ticket.exploded"]);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Unknown event ticket.exploded");
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses text that is not a URL (400) and saves nothing", async () => {
    const before = await fingerprint();
    const res = await save("hooks dot example", ["ticket.created"]);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Enter a full URL such as https://example.com/hooks/replyby");
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses a private address without writing anything", async () => {
    const before = await fingerprint();
    expect((await save("https://192.168.1.10/hook", ["ticket.created"])).status).toBe(400);
    expect(await fingerprint()).toEqual(before);
  });

  it("keeps the secret when the URL changes: only the first URL makes one", async () => {
    const secret = (await merchant())?.webhookSecret;
    const res = await save("https://hooks.example.com/other", ["ticket.created"]);
    expect(res.status).toBe(303);
    expect((await merchant())?.webhookSecret).toBe(secret);
    await save("https://hooks.example.com/replyby", ["ticket.created"]);
  });

  it("refuses a secret rotation before any URL is saved (409) and writes nothing", async () => {
    const before = await fingerprint();
    expect((await ecellar.post("/dashboard/settings/webhooks/secret")).status).toBe(409);
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses a retry of a delivery already sent (409)", async () => {
    const id = await queueTestDelivery(db, "m_easy-commission", Date.now());
    await db.update(outbox).set({ status: "sent", deliveredAt: Date.now() }).where(eq(outbox.id, id));
    const res = await easy.post(`/dashboard/settings/webhooks/deliveries/${id}/retry`);
    expect(res.status).toBe(409);
    expect((await db.query.outbox.findFirst({ where: eq(outbox.id, id) }))?.status).toBe("sent");
  });

  it("refuses an agent's test, secret rotation and retry (403) and writes nothing", async () => {
    const [row] = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.merchantId, "m_easy-commission"), eq(outbox.channel, "webhook")));
    const before = await fingerprint();
    expect((await agent.post("/dashboard/settings/webhooks/test")).status).toBe(403);
    expect((await agent.post("/dashboard/settings/webhooks/secret")).status).toBe(403);
    expect((await agent.post(`/dashboard/settings/webhooks/deliveries/${row?.id}/retry`)).status).toBe(403);
    expect(await fingerprint()).toEqual(before);
  });

  it.each([
    ["a test", "/dashboard/settings/webhooks/test"],
    ["a secret rotation", "/dashboard/settings/webhooks/secret"],
    ["a save", "/dashboard/settings/webhooks"],
  ])("refuses %s without the form token (403) and writes nothing", async (_, path) => {
    const before = await fingerprint();
    const res = await easy.request(path, { form: { _csrf: "0".repeat(64), url: "https://evil.example.com/", events: "ticket.created" } });
    expect(res.status).toBe(403);
    expect(await fingerprint()).toEqual(before);
  });
});
