import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../worker/dev/server.ts";
import { fullShot } from "./support/browser.ts";
import { lit, sql } from "./support/server.ts";
import { signInAs, withStaffBrowser } from "./support/staff.ts";

// The team end to end on the real worker (`wrangler dev`, fresh seeded local D1) and real Chromium:
// an admin invites an agent, the agent accepts from the local mailbox, signs in and takes a ticket;
// a forgotten password is reset from the mailbox.
let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({});
});
afterAll(async () => {
  await server?.stop();
});

/** A full-page screenshot as test-results/screenshots/team-<name>.png. */
const shot = (page: Page, name: string) => fullShot(page, `team-${name}`);
const signIn = (page: Page, email: string, password?: string) => signInAs(page, server.url, email, password);

/** Runs the scheduled handler once, as `npm start` does every minute: queued emails go out. */
async function deliver(): Promise<void> {
  const res = await fetch(`${server.url}/cdn-cgi/local/scheduled`);
  expect(res.ok).toBe(true);
}

/** Opens the newest email to `to` from the local mailbox page, as the recipient would read it. */
async function openMail(page: Page, to: string, subject: string): Promise<void> {
  await deliver();
  // The email's HTML has no icon link, so Chromium asks for /favicon.ico; a mail client would not.
  await page.route("**/favicon.ico", (r) => r.fulfill({ status: 204, body: "" }));
  await page.goto(`${server.url}/dev/mailbox`);
  const mail = page
    .locator("article", { hasText: `To ${to}` })
    .filter({ hasText: subject })
    .first();
  await mail.getByRole("link", { name: "view as HTML" }).click();
  await page
    .getByRole("link", { name: subject.startsWith("Reset") ? "Choose a new password" : "Accept the invitation", exact: true })
    .waitFor();
}

/** Files a ticket as a customer through the public API. */
async function fileTicket(siteKey: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${server.url}/v1/sites/${siteKey}/tickets`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { reference: string }).reference;
}

describe("inviting an agent", () => {
  it("admin invites → the agent accepts from the mailbox, signs in and takes a ticket", async () => {
    const reference = await fileTicket("demo-ecellar", {
      email: "shopper@example.test",
      issueType: "setup-problem",
      severity: "normal",
      description: "The club shipment export has no tracking numbers.",
    });
    const invitee = "nora.agent@example.test";
    await withStaffBrowser(async ({ page }) => {
      await signIn(page, "admin@ecellar.demo");
      await page.goto(`${server.url}/dashboard/settings/staff`);
      await page.getByLabel("Email", { exact: true }).fill(invitee);
      await page.getByLabel("Role", { exact: true }).selectOption("agent");
      await page.getByRole("button", { name: "Send invitation" }).click();
      await page.getByText("The invitation email is on its way.").waitFor();
      await page.getByRole("cell", { name: invitee, exact: true }).waitFor();
      await shot(page, "01-staff-invited");
    });
    await withStaffBrowser(async ({ page }) => {
      await openMail(page, invitee, "You are invited to join");
      await shot(page, "02-invitation-email");
      await page.getByRole("link", { name: "Accept the invitation" }).click();
      await page.getByRole("heading", { name: /^Join / }).waitFor();
      await shot(page, "03-accept");
      await page.getByLabel("Your name").fill("Nora Quinn");
      await page.getByLabel(/^Password/).fill("nora-picks-her-own-1");
      await page.getByRole("button", { name: "Join and sign in" }).click();
      await page.getByRole("heading", { name: "Queue" }).waitFor();
      expect(await page.locator("header .who").textContent()).toBe("Nora Quinn · agent");

      await page.getByRole("link", { name: "Unassigned" }).click();
      await page.getByRole("link", { name: reference }).waitFor();
      await shot(page, "04-queue-unassigned");
      await page.getByRole("link", { name: reference }).click();
      await page.getByRole("button", { name: "Take this ticket" }).click();
      await page.getByText("Assignment saved.").waitFor();
      await page.getByLabel("Internal note — not shown to the customer").fill("Export runs nightly; checking the carrier feed first.");
      await page.getByRole("button", { name: "Add note" }).click();
      await page.getByText("Internal note added. The customer does not see it.").waitFor();
      await page.locator("li.note", { hasText: "checking the carrier feed" }).waitFor();
      await shot(page, "05-ticket-taken-with-note");

      await page.goto(`${server.url}/dashboard/queue`);
      await page.getByRole("link", { name: "Mine" }).click();
      await page.getByRole("link", { name: reference }).waitFor();
      await shot(page, "06-queue-mine");
    });
    const [row] = sql<{ name: string; status: string; assigned: number }>(
      server,
      `SELECT s.name, s.status, (SELECT count(*) FROM tickets t WHERE t.assignee_id = s.id AND t.ref = ${lit(reference)}) AS assigned FROM staff s WHERE s.email = ${lit(invitee)}`,
    );
    expect(row).toEqual({ name: "Nora Quinn", status: "active", assigned: 1 });
    await withStaffBrowser(async ({ page }) => {
      await signIn(page, "admin@ecellar.demo");
      await page.goto(`${server.url}/dashboard/settings/staff`);
      await page.getByRole("cell", { name: "Nora Quinn", exact: true }).waitFor();
      await shot(page, "07-staff-team");
    });
  });
});

describe("a forgotten password", () => {
  it("is reset from the mailbox, and the new password signs in", async () => {
    const email = "agent@commerceup.demo";
    await withStaffBrowser(async ({ page }) => {
      await page.goto(`${server.url}/dashboard/login`);
      await page.getByRole("link", { name: "Forgot password?" }).click();
      await page.getByRole("heading", { name: "Reset your password" }).waitFor();
      await page.getByLabel("Email").fill(email);
      await shot(page, "08-forgot");
      await page.getByRole("button", { name: "Email me a reset link" }).click();
      await page.getByRole("heading", { name: "Check your email" }).waitFor();
      await shot(page, "09-reset-sent");

      await openMail(page, email, "Reset your Replyby password");
      await shot(page, "10-reset-email");
      await page.getByRole("link", { name: "Choose a new password" }).click();
      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      await shot(page, "11-reset-form");
      await page.getByLabel(/^New password/).fill("a-fresh-commerceup-pass");
      await page.getByRole("button", { name: "Set new password" }).click();
      await page.getByText("Your new password is set").waitFor();
      await shot(page, "12-reset-done");
      await signIn(page, email, "a-fresh-commerceup-pass");
    });
  });
});
