import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../worker/dev/server.ts";
import { fullShot, launch } from "./support/browser.ts";
import { signInAs, withStaffBrowser } from "./support/staff.ts";
import { Widget } from "./support/widget.ts";

// The real worker (`wrangler dev` on http://127.0.0.1:<port>, fresh seeded local D1) and real
// Chromium: staff work tickets in the dashboard while the customer side stays real too.
let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({});
});
afterAll(async () => {
  await server?.stop();
});

const signIn = (page: Page, email: string) => signInAs(page, server.url, email);

/** Files a ticket as a customer through the public API; returns reference and access token. */
async function fileTicket(siteKey: string, body: Record<string, unknown>): Promise<{ reference: string; accessToken: string }> {
  const res = await fetch(`${server.url}/v1/sites/${siteKey}/tickets`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
    body: JSON.stringify({ email: "browser@example.test", ...body }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { reference: string; accessToken: string };
}

async function customerView(reference: string, token: string) {
  const res = await fetch(`${server.url}/v1/tickets/${reference}`, { headers: { Authorization: `Bearer ${token}` } });
  return (await res.json()) as { status: string; events: { type: string; body?: string }[]; quote?: { status: string } };
}

describe("signing in over http://127.0.0.1", () => {
  it("keeps the __Host- session cookie (Secure, HttpOnly, SameSite=Lax) on the loopback origin", async () => {
    await withStaffBrowser(async ({ page, context }) => {
      await signIn(page, "agent@commerceup.demo");
      const cookie = (await context.cookies(server.url)).find((c) => c.name === "__Host-rb_session");
      expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax", path: "/" });
      await fullShot(page, "dashboard-01-queue");
    });
  });

  it("signs out, after which the queue asks to sign in again", async () => {
    await withStaffBrowser(async ({ page }) => {
      await signIn(page, "agent@commerceup.demo");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByText("You are signed out.").waitFor();
      await page.goto(`${server.url}/dashboard/queue`);
      await page.getByRole("heading", { name: "Sign in to Replyby" }).waitFor();
      await fullShot(page, "dashboard-00-login");
    });
  });
});

describe("working a ticket", () => {
  it("takes a ticket from the queue to resolution: reply, log time with a live bill, ask, resolve", async () => {
    const { reference, accessToken } = await fileTicket("demo-ecellar", {
      issueType: "setup-problem",
      severity: "normal",
      description: "Club discount is not applied to magnums.",
    });
    await withStaffBrowser(async ({ page }) => {
      await signIn(page, "agent@ecellar.demo");
      await page.getByRole("link", { name: reference }).click();
      await page.getByRole("heading", { name: reference }).waitFor();
      await fullShot(page, "dashboard-02-ticket");

      await page.getByLabel(/^Reply to the customer/).fill("Thanks — we are looking at the discount rules now.");
      await page.getByRole("button", { name: "Send reply" }).click();
      await page.getByText("Reply sent to the customer.").waitFor();

      const bill = page.locator("output.bill");
      const before = await bill.textContent();
      await page.getByLabel("Minutes").fill("50");
      await page.getByLabel("Category").selectOption("training");
      await expect.poll(() => bill.textContent()).not.toBe(before);
      expect(await bill.textContent()).toMatch(/^60 min/);
      await fullShot(page, "dashboard-03-time-preview");
      await page.getByRole("button", { name: "Log time" }).click();
      await page.getByText("Time logged.").waitFor();

      await page.getByLabel(/^Ask for information/).fill("Which SKUs are the magnums?");
      await page.getByRole("button", { name: "Request info" }).click();
      await page.getByText("Information requested: the clock is paused until the customer answers.").waitFor();
      const answered = await fetch(`${server.url}/v1/tickets/${reference}/replies`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ body: "MAG-150 and MAG-300." }),
      });
      expect(answered.status).toBe(200);
      await page.reload();
      await page.getByText("MAG-150 and MAG-300.").waitFor();

      await page.getByLabel(/^Resolution note/).fill("The magnum SKUs were missing from the club rule; added.");
      await page.getByRole("button", { name: "Resolve" }).click();
      await page.getByText("Ticket resolved.").waitFor();
      await fullShot(page, "dashboard-04-resolved");

      await page.getByRole("link", { name: "Queue" }).click();
      expect(await page.getByRole("link", { name: reference }).count()).toBe(0);
      const view = await customerView(reference, accessToken);
      expect(view.status).toBe("resolved");
      expect(view.events.map((e) => e.type)).toEqual(["created", "reply", "info-requested", "customer-reply", "resolved"]);
    });
  });
});

describe("quotes", () => {
  it("sends a quote from the dashboard that the customer accepts in the widget", async () => {
    const customer = await launch({ timezoneId: "Europe/London" });
    try {
      const w = new Widget(customer.page);
      await customer.page.goto(`${server.url}/demo/ecellar?lang=en`);
      await w.open();
      const reference = await w.fileAndView("feature", "normal", {
        description: "A waitlist for sold-out wines.",
        email: "waitlist@example.test",
      });

      await withStaffBrowser(async ({ page }) => {
        await signIn(page, "admin@ecellar.demo");
        await page.goto(`${server.url}/dashboard/tickets/${reference}`);
        await page.getByLabel("Amount").fill("1250.00");
        await page.getByRole("button", { name: "Send quote" }).click();
        await page.getByText("Quote updated.").waitFor();
        await fullShot(page, "dashboard-05-quote-sent");

        await w.dialog.getByRole("button", { name: "Refresh" }).click();
        const quote = w.dialog.locator("[part=quote]");
        await quote.getByText("Quote ready for your decision.").waitFor();
        expect(await quote.textContent()).toContain("1,250.00");
        await quote.getByRole("button", { name: "Accept quote" }).click();
        await quote.getByRole("button", { name: "Yes, accept the quote" }).click();
        await quote.getByText("You accepted the quote.").waitFor();
        await fullShot(customer.page, "dashboard-06-quote-accepted-in-widget");

        await page.reload();
        await page.getByRole("button", { name: "Plan delivery" }).waitFor();
        const planned = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
        await page.getByLabel("Planned delivery date").fill(planned);
        await page.getByRole("button", { name: "Plan delivery" }).click();
        await page.getByText("Quote updated.").waitFor();
        await page.getByRole("button", { name: "Mark delivered" }).click();
        await page.getByText("Quote updated.").waitFor();
        await page.locator("dd", { hasText: /^delivered$/ }).waitFor();
        await fullShot(page, "dashboard-07-quote-delivered");
      });
      expect(customer.errors).toEqual([]);
    } finally {
      await customer.close();
    }
  });
});

describe("every page", () => {
  it("announces an incident the widget config then lists", async () => {
    await withStaffBrowser(async ({ page }) => {
      await signIn(page, "agent@ecshops.demo");
      await page.getByRole("link", { name: "Incidents" }).click();
      await page.getByLabel("Title (Spanish)", { exact: true }).fill("Card payments failing");
      await page.getByLabel("What customers should know (Spanish)", { exact: true }).fill("Card payments fail at checkout; we are on it.");
      await page.getByRole("button", { name: "Announce" }).click();
      await page.getByText("Incident announced: the widget shows it now.").waitFor();
      await fullShot(page, "dashboard-08-incidents");
      const config = (await (await fetch(`${server.url}/v1/sites/demo-ecshops/config`)).json()) as { incidents: { title: string }[] };
      expect(config.incidents.map((i) => i.title)).toContain("Card payments failing");
    });
  });

  it("shows reports, settings and account pages as an admin", async () => {
    await withStaffBrowser(async ({ page }) => {
      await signIn(page, "admin@commerceup.demo");
      const pages: [string, string][] = [
        ["/dashboard/reports", "dashboard-09-reports"],
        ["/dashboard/settings/policy", "dashboard-10-settings-policy"],
        ["/dashboard/settings/simulator?at=2026-11-20T16:05&issueType=site-down&severity=critical", "dashboard-11-settings-simulator"],
        ["/dashboard/settings/holidays", "dashboard-12-settings-holidays"],
        ["/dashboard/settings/sites", "dashboard-13-settings-sites"],
        ["/dashboard/settings/staff", "dashboard-14-settings-staff"],
        ["/dashboard/account", "dashboard-15-account"],
      ];
      for (const [path, name] of pages) {
        const res = await page.goto(`${server.url}${path}`);
        expect(res?.status()).toBe(200);
        await fullShot(page, name);
      }
      await page.goto(`${server.url}/dashboard/settings/sites`);
      const copy = page.getByRole("button", { name: "Copy snippet" }).first();
      await copy.waitFor();
      expect(await copy.isVisible()).toBe(true);
    });
  });
});

describe("escaping", () => {
  it("renders a ticket whose fields carry script payloads as text: no dialogs, no on* attributes", async () => {
    const payload = `<img src=x onerror=alert(1)><script>alert("xss")</script>`;
    const { reference } = await fileTicket("demo-commerceup", {
      issueType: "minor",
      severity: "low",
      name: "<svg onload=alert(2)>",
      orderId: `"><script>alert(3)</script>`,
      description: payload,
    });
    await withStaffBrowser(async ({ page }) => {
      await signIn(page, "agent@commerceup.demo");
      await page.goto(`${server.url}/dashboard/tickets/${reference}`);
      await page.getByRole("region", { name: "Request" }).getByText(payload).waitFor();
      const dom = await page.evaluate(() => ({
        handlers: [...document.querySelectorAll("*")].flatMap((el) =>
          [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => a.name),
        ),
        scripts: [...document.scripts].map((s) => s.getAttribute("src") ?? "inline"),
        images: document.images.length,
      }));
      expect(dom.handlers).toEqual([]);
      expect(dom.scripts).toEqual([expect.stringMatching(/^\/dashboard\/assets\/app\.js\?v=/)]);
      expect(dom.images).toBe(0);
      await fullShot(page, "dashboard-16-hostile-ticket");
    });
  });
});
