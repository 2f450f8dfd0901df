import { createHmac } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../worker/dev/server.ts";
import { fullShot } from "./support/browser.ts";
import { lit, sql } from "./support/server.ts";
import { signInAs, withStaffBrowser } from "./support/staff.ts";

// Integrations end to end on the real worker (`wrangler dev`, fresh seeded local D1) and real
// Chromium: an admin rotates a site's identity secret, creates an API key that the test then uses
// on PUT /v1/admin/accounts/:id, sees the account, imports a CSV, saves a webhook, sends a test
// and reads the delivery log.
let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({});
});
afterAll(async () => {
  await server?.stop();
});

/** A full-page screenshot as test-results/screenshots/integrations-<name>.png. */
const shot = (page: Page, name: string) => fullShot(page, `integrations-${name}`);
const signIn = (page: Page, email: string) => signInAs(page, server.url, email);

/** Runs the scheduled handler once, as `npm start` does every minute: due deliveries are attempted. */
async function deliver(): Promise<void> {
  const res = await fetch(`${server.url}/cdn-cgi/local/scheduled`);
  expect(res.ok).toBe(true);
}

/** The secret in a reveal panel. */
async function revealed(page: Page, id: string): Promise<string> {
  return ((await page.locator(`pre#${id}`).textContent()) ?? "").trim();
}

/** The widget's window preview for an eCellar account, signed as the merchant's server would. */
function windowFor(secret: string, accountId: string) {
  const signature = createHmac("sha256", secret).update(accountId, "utf8").digest("hex");
  return fetch(`${server.url}/v1/sites/demo-ecellar/window`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: server.url },
    body: JSON.stringify({ issueType: "setup-problem", severity: "normal", identity: { accountId, signature } }),
  });
}

describe("integrations", () => {
  it("identity secret, API key and the accounts API, CSV import, webhook test and delivery log", async () => {
    await withStaffBrowser(
      async ({ page }) => {
        await signIn(page, "admin@ecellar.demo");

        // Identity verification: the secret is never on the page, until a rotation shows the new one once.
        await page.goto(`${server.url}/dashboard/settings/sites`);
        await page.getByRole("link", { name: "Identity verification" }).first().click();
        await page.getByRole("heading", { name: /^Identity verification — / }).waitFor();
        expect(await page.locator("pre#identity-secret").count()).toBe(0);
        await shot(page, "01-identity");
        await page.getByRole("button", { name: "Rotate identity secret" }).click();
        await page.getByRole("heading", { name: /^New identity secret for / }).waitFor();
        const identitySecret = await revealed(page, "identity-secret");
        expect(identitySecret).toMatch(/^rbid_/);
        await shot(page, "02-identity-rotated");
        await page.reload();
        expect(await page.content()).not.toContain(identitySecret);
        const preview = await windowFor(identitySecret, "acme");
        expect(preview.status, await preview.clone().text()).toBe(200);

        // An API key, shown once, then used from "the merchant's server".
        await page.goto(`${server.url}/dashboard/settings/api-keys`);
        await page.getByLabel("Name (what uses it)").fill("Billing sync");
        await page.getByRole("button", { name: "Create key" }).click();
        const key = await revealed(page, "api-key");
        expect(key).toMatch(/^rbk_/);
        await shot(page, "03-api-key-created");
        const put = await fetch(`${server.url}/v1/admin/accounts/billing-co`, {
          method: "PUT",
          headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
          body: JSON.stringify({ plan: "professional", duesCurrent: true, casesUsed: 2 }),
        });
        expect(put.status).toBe(201);
        await page.goto(`${server.url}/dashboard/settings/api-keys`);
        await page.getByRole("cell", { name: "Billing sync", exact: true }).waitFor();
        expect(await page.content()).not.toContain(key);
        await shot(page, "04-api-keys");

        // The account the API wrote, then a CSV import.
        await page.goto(`${server.url}/dashboard/settings/accounts`);
        await page.locator("td code", { hasText: /^billing-co$/ }).waitFor();
        await shot(page, "05-accounts");
        await page.getByLabel("CSV file").setInputFiles({
          name: "accounts.csv",
          mimeType: "text/csv",
          buffer: Buffer.from("account_id,plan,dues_current,cases_used\nnorth-co,standard,true,1\nsouth-co,standard,false,\n"),
        });
        await page.getByRole("button", { name: "Import" }).click();
        await page.getByText("Imported 2 accounts.").waitFor();
        await page.locator("td code", { hasText: /^south-co$/ }).waitFor();
        await shot(page, "06-accounts-imported");

        // Webhooks: a private address is refused; a public one is saved with its secret shown once.
        await page.goto(`${server.url}/dashboard/settings/webhooks`);
        await page.getByLabel(/^URL/).fill("https://10.0.0.5/hooks");
        await page.getByRole("button", { name: "Save webhook" }).click();
        await page.getByText("a private network address").waitFor();
        await shot(page, "07-webhook-refused");
        await page.getByLabel(/^URL/).fill("https://hooks.example.com/replyby");
        for (const box of await page.locator('input[name="events"]').all()) await box.uncheck();
        await page.locator('input[value="ticket.created"]').check();
        await page.locator('input[value="ticket.breached"]').check();
        await page.getByRole("button", { name: "Save webhook" }).click();
        const webhookSecret = await revealed(page, "webhook-secret");
        expect(webhookSecret).toMatch(/^whsec_/);
        await shot(page, "08-webhook-saved");

        await page.goto(`${server.url}/dashboard/settings/webhooks`);
        await page.getByRole("button", { name: "Send test" }).click();
        await page.getByText("Test delivery queued.").waitFor();
        await shot(page, "09-webhook-test-queued");
        // The sandbox has no route to hooks.example.com: the attempt fails and waits for a retry.
        await deliver();
        await page.goto(`${server.url}/dashboard/settings/webhooks`);
        await page.getByRole("button", { name: "Retry now" }).waitFor();
        await shot(page, "10-delivery-log");
        await page.getByRole("button", { name: "Retry now" }).click();
        await page.getByText("Delivery queued again").waitFor();
        await shot(page, "11-delivery-retried");
      },
      ["console: Failed to load resource: the server responded with a status of 400 (Bad Request)"],
    );
    const rows = sql<{ attempts: number }>(
      server,
      `SELECT attempts FROM outbox WHERE merchant_id = 'm_ecellar' AND event = ${lit("webhook.test")}`,
    );
    expect(rows).toEqual([{ attempts: 1 }]);
  });
});
