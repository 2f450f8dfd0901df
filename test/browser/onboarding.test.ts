import { createServer, type Server } from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, freePort, startDevServer } from "../../worker/dev/server.ts";
import { fullShot, launch } from "./support/browser.ts";
import { Widget } from "./support/widget.ts";

// A new merchant from nothing: sign up, confirm from the local mailbox, the five steps of the
// checklist, the snippet pasted into a storefront on another origin (a second local server),
// the install check turning green, and the storefront's first ticket in the queue.
let server: DevServer | undefined;
let shop: Server | undefined;
let shopPort = 0;
let shopHtml = "<!doctype html><title>Shop</title><p>Not yet.</p>";

beforeAll(async () => {
  server = await startDevServer();
  shopPort = await freePort();
  shop = createServer((_, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(shopHtml);
  });
  await new Promise<void>((resolve) => shop?.listen(shopPort, "127.0.0.1", resolve));
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await new Promise((r) => shop?.close(r));
});

/** A full-page screenshot as test-results/screenshots/onboarding/<name>.png. */
const shot = (page: Page, name: string) => fullShot(page, `onboarding/${name}`);

/** The newest mail to an address in the local mailbox, after running the scheduled delivery. */
async function newestMail(url: string, to: string): Promise<{ subject: string; text: string; html: string }> {
  for (let i = 0; i < 20; i++) {
    await fetch(`${url}/cdn-cgi/local/scheduled`);
    const mails = (await (await fetch(`${url}/dev/mailbox.json`)).json()) as { to: string; subject: string; text: string; html: string }[];
    const mail = mails.find((m) => m.to === to);
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no mail to ${to}`);
}

describe("sign-up and first run", () => {
  it("sends the verification email in Spanish when asked", { timeout: 120_000 }, async () => {
    const url = (server as DevServer).url;
    const session = await launch({ locale: "es-ES" });
    const email = `duena-${Date.now()}@tienda.test`;
    try {
      const { page } = session;
      await page.goto(`${url}/dashboard/signup`);
      await page.getByLabel("Business name").fill("Tienda Olivares");
      await page.getByLabel("Your email").fill(email);
      await page.getByLabel("Password (at least 12 characters)").fill("una contraseña bastante larga");
      await page.getByLabel("Language of our emails to you").selectOption("es");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByRole("heading", { name: "Check your email" }).waitFor();
      const mail = await newestMail(url, email);
      expect(mail.subject).toBe("Confirme su correo para empezar a usar Replyby");
      await page.setContent(mail.html);
      await page.getByText("Confirmar mi correo").waitFor();
      await shot(page, "02c-verification-email-es");
    } finally {
      await session.close();
    }
  });

  it("takes a new merchant from sign-up to a ticket filed on their own storefront", { timeout: 300_000 }, async () => {
    const url = (server as DevServer).url;
    const session = await launch({ timezoneId: "Europe/Madrid", locale: "en-GB", height: 900 });
    const { page } = session;
    const email = `owner-${Date.now()}@zapateria.test`;
    const password = "a long enough password";
    try {
      await page.goto(`${url}/dashboard/signup`);
      await page.getByLabel("Business name").fill("Zapatería Sol");
      await page.getByLabel("Your email").fill(email);
      await page.getByLabel("Password (at least 12 characters)").fill("short");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByText("Use at least 12 characters").waitFor();
      await shot(page, "01-signup-field-error");
      await page.getByLabel("Password (at least 12 characters)").fill(password);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByRole("heading", { name: "Check your email" }).waitFor();
      await shot(page, "02-check-your-email");

      const mail = await newestMail(url, email);
      expect(mail.subject).toBe("Confirm your email to start using Replyby");
      const link = /(http\S+\/dashboard\/verify\?k=[\w-]+)/.exec(mail.text)?.[1] ?? "";
      await page.setContent(mail.html);
      await shot(page, "02b-verification-email-en");
      await page.goto(link);
      await shot(page, "03-confirm-email");
      await page.getByRole("button", { name: "Confirm my email" }).click();
      await page.getByText("Email confirmed. Sign in to set up your account.").waitFor();
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Get started" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/dashboard/onboarding");
      await shot(page, "04-checklist");

      // 1. The blank starting policy.
      await page.getByRole("list").getByRole("link", { name: "1. Choose a starting policy" }).click();
      await shot(page, "05-step1-policy");
      await page.getByRole("radio", { name: /^Blank/ }).check();
      await page.getByRole("button", { name: "Use this policy" }).click();

      // 2. Hours: a split Monday, an overnight Friday shift, a holiday; an overlap first.
      await page.getByText("Starting policy saved.").waitFor();
      await page.getByLabel("Time zone").selectOption("Europe/Madrid");
      await page.getByLabel("Monday interval 2 start").fill("16:00");
      await page.getByLabel("Monday interval 2 end").fill("19:00");
      await page.getByRole("button", { name: "Save hours" }).click();
      await page.locator("#mon\\.1\\.start-error").getByText("Overlaps another interval").waitFor();
      await shot(page, "06-step2-hours-field-error");
      await page.getByLabel("Monday interval 2 start").fill("18:00");
      await page.getByLabel("Friday interval 2 start").fill("22:00");
      await page.getByLabel("Friday interval 2 end").fill("02:00");
      await page.getByLabel("Holidays (one date per line, YYYY-MM-DD)").fill("2026-12-25\n2027-01-01");
      await page.getByLabel(/^Overrides/).fill("2026-12-24 09:00-13:00");
      await shot(page, "07-step2-hours-filled");
      await page.getByRole("button", { name: "Save hours" }).click();

      // 3. The site, allowing the storefront's origin.
      await page.getByText("Hours saved as a new policy version.").waitFor();
      const shopOrigin = `http://127.0.0.1:${shopPort}`;
      await page.getByLabel("Site name").fill("Zapatería Sol shop");
      await page.getByLabel(/^Allowed origins/).fill(shopOrigin);
      await page.getByLabel("Brand colour (#rrggbb)").fill("#b3400a");
      await page.getByLabel("Widget language (default)").selectOption("en");
      await page.getByLabel(/^Support email address/).fill("help@zapateria.test");
      await shot(page, "08-step3-site");
      await page.getByRole("button", { name: "Save site" }).click();

      // 4. The snippet, pasted into the storefront.
      await page.getByText("Site saved.").waitFor();
      const snippet = (await page.locator("#snippet").textContent()) ?? "";
      expect(snippet).toMatch(/^<script src="http:\/\/127\.0\.0\.1:\d+\/widget\.js" data-site="sk_[\w-]+" async><\/script>$/);
      shopHtml = `<!doctype html><html lang="en"><title>Zapatería Sol</title><h1>Zapatería Sol</h1><p>Handmade shoes.</p>${snippet}</html>`;
      await page.getByRole("button", { name: "Copy snippet" }).waitFor();
      await shot(page, "09-step4-waiting");

      // The storefront on an origin nobody allowed: the widget says so, and the check names it.
      const customer = await launch({ timezoneId: "America/New_York", locale: "en-US" });
      try {
        const warnings: string[] = [];
        customer.page.on("console", (m) => {
          if (m.type() === "warning") warnings.push(m.text());
        });
        const refusedOrigin = `http://localhost:${shopPort}`;
        await customer.page.goto(`${refusedOrigin}/`);
        const w = new Widget(customer.page);
        await w.launcher.click();
        await w.dialog.getByRole("alert").getByText("Support isn't set up for this page yet.").waitFor();
        await shot(customer.page, "10-widget-not-set-up");
        expect(warnings.some((t) => t.includes(`${refusedOrigin} is not an allowed origin of site`))).toBe(true);
        await page.reload();
        await page.getByText(`Refused: a page on ${refusedOrigin} asked for the widget`).waitFor();
        await shot(page, "11-step4-refused-origin");

        // The allowed origin: the first config request turns the check green; a ticket is filed.
        await customer.page.goto(`${shopOrigin}/`);
        await w.open();
        await page.reload();
        await page.locator(".install.ok").getByText(`Installed: the widget's first request came from ${shopOrigin}`).waitFor();
        await shot(page, "12-step4-installed");
        const reference = await w.fileAndView("problem", "urgent", {
          description: "The size chart page shows an error.",
          email: "ana@customer.test",
        });
        await shot(customer.page, "13-ticket-filed-on-storefront");

        // 5. The team: an invitation from the staff page; then every step is done.
        await page.getByRole("link", { name: "5. Invite your team" }).click();
        await shot(page, "14-step5-team");
        await page.getByRole("link", { name: "Open Settings → Staff" }).click();
        await page.getByLabel("Email", { exact: true }).fill(`luis-${Date.now()}@zapateria.test`);
        await page.getByLabel("Role", { exact: true }).selectOption("agent");
        await page.getByRole("button", { name: "Send invitation" }).click();
        await page.getByText("The invitation email is on its way.").waitFor();
        await page.getByRole("link", { name: "Get started" }).click();
        await expect.poll(() => page.locator(".badge.step-state.on-track").count()).toBe(5);
        await shot(page, "15-checklist-done");
        await page.getByRole("button", { name: "Finish and go to the queue" }).click();
        await page.getByRole("heading", { name: "Queue" }).waitFor();
        await page.getByText(reference).first().waitFor();
        await expect.poll(() => page.getByRole("link", { name: "Get started" }).count()).toBe(0);
        await shot(page, "16-queue-with-first-ticket");
        // The same forms stay in Settings: hours as a form, and the site's language and support address.
        await page.goto(`${url}/dashboard/settings/hours`);
        await page.getByLabel("Friday interval 2 start").waitFor();
        await shot(page, "17-settings-hours");
        await page.goto(`${url}/dashboard/settings/sites`);
        await page.getByRole("heading", { name: "Zapatería Sol shop" }).waitFor();
        await shot(page, "18-settings-sites");
      } finally {
        await customer.close();
      }
    } finally {
      await session.close();
    }
  });
});
