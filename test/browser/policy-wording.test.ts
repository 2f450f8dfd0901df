import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeWindow } from "../../worker/engine/window.ts";
import { preset } from "../../worker/presets/index.ts";
import { shot } from "./support/browser.ts";
import { startServer, type TestServer } from "./support/server.ts";
import { quoteStatus, Staff } from "./support/staff.ts";
import { withBrowser } from "./support/widget.ts";

// What the widget says must be what the merchant's policy says: real worker, real Chromium.
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("a 24/7 priority is handled around the clock", () => {
  it("the review of a CommerceUp C1 opens with the around-the-clock line, not the office's hours", async () => {
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/commerceup?lang=en`);
      await w.open();
      await w.topic("site-down", "critical");
      await w.details({ description: "The store shows a 502 for every visitor.", email: "c1@example.com" });
      await w.replyBy.waitFor();
      await expect.poll(() => w.dialog.locator("#coverage").textContent()).toBe("This kind of issue is handled around the clock.");
      await shot(page, "c1-review-around-the-clock");
    });
  });

  it("a business-hours request keeps the office's coverage line", async () => {
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/commerceup?lang=en`);
      await w.open();
      await w.topic("functionality", "normal");
      await w.details({ description: "The wishlist button does nothing.", email: "c3@example.com" });
      await w.replyBy.waitFor();
      expect(await w.dialog.locator("#coverage").textContent()).toMatch(/^Support is (working now\.|closed now\. Back .+\.)$/);
    });
  });

  it("the status of a sent C1 says it too", async () => {
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/commerceup?lang=en`);
      await w.open();
      const _reference = await w.fileAndView("transactions", "critical", {
        description: "Checkout fails for every card.",
        email: "c1-status@example.com",
      });
      await expect.poll(() => w.dialog.locator("#coverage").textContent()).toBe("This kind of issue is handled around the clock.");
      await shot(page, "c1-status-around-the-clock");
    });
  });
});

describe("phone links", () => {
  it("eCellar's footer dials +1 707 942 9700, option 1, and shows the number as eCellar writes it", async () => {
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/ecellar?lang=en`);
      await w.open();
      const link = w.dialog.locator("[part=footer] a[href^='tel:']");
      expect(await link.getAttribute("href")).toBe("tel:+17079429700,1");
      expect(await link.textContent()).toBe("707-942-9700 Opt. 1");
      await shot(page, "ecellar-footer-phone");
    });
  });
});

describe("merchant texts per locale", () => {
  it("eCellar's footer shows the phone as eCellar writes it in Spanish, dialling the same number", async () => {
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/ecellar?lang=es`);
      await w.open();
      const link = w.dialog.locator("[part=footer] a[href^='tel:']");
      expect(await link.textContent()).toBe("707-942-9700 opción 1");
      expect(await link.getAttribute("href")).toBe("tel:+17079429700,1");
    });
  });

  it("CommerceUp's footer tells the customer to put C1 in the subject, in their language", async () => {
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/commerceup?lang=es`);
      await w.open();
      await w.dialog.locator("[part=footer]").getByText('escriba "C1" en el asunto', { exact: false }).waitFor();
      await shot(page, "commerceup-footer-note-es");
    });
  });
});

describe("accepting a quote", () => {
  it("asks for confirmation with the amount, scope, validity and next steps before anything is accepted", async () => {
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/ecshops?lang=en`);
      await w.open();
      const reference = await w.fileAndView("feature", "question", {
        description: "A loyalty points programme for repeat buyers.",
        email: "confirm@example.com",
      });
      const staff = await Staff.signIn(server, "ecshops");
      try {
        await staff.sendQuote(reference, "1200.00", "Points on every order, a balance page and redemption at checkout.");
      } finally {
        await staff.close();
      }
      await w.dialog.getByRole("button", { name: "Refresh" }).click();
      const quote = w.dialog.locator("[part=quote]");
      await quote.getByText("Quote ready for your decision.").waitFor();
      expect(await quote.locator("[part=quote-scope]").textContent()).toBe(
        "Points on every order, a balance page and redemption at checkout.",
      );
      await shot(page, "quote-01-offer");

      await quote.getByRole("button", { name: "Accept quote" }).click();
      await quote.getByRole("heading", { name: "Accept this quote?" }).waitFor();
      const text = (await quote.textContent()) ?? "";
      expect(text).toContain("You agree to pay €1,200.00 for the work this quote covers.");
      expect(text).toContain("Points on every order, a balance page and redemption at checkout.");
      expect(text).toMatch(/Valid until .+\./);
      expect(text).toContain("Next, we plan the work with you and tell you the delivery date.");
      expect(quoteStatus(server, reference)).toBe("quoted");
      await shot(page, "quote-02-confirm");

      await quote.getByRole("button", { name: "Not now" }).click();
      await quote.getByRole("button", { name: "Accept quote" }).waitFor();
      expect(quoteStatus(server, reference)).toBe("quoted");

      await quote.getByRole("button", { name: "Accept quote" }).click();
      await quote.getByRole("button", { name: "Yes, accept the quote" }).click();
      await quote.getByText("You accepted the quote.").waitFor();
      expect(quoteStatus(server, reference)).toBe("accepted");
      await shot(page, "quote-03-accepted");
    });
  });
});

describe("one convention for times and direction", () => {
  it("writes every time of an English screen the same way, 24-hour with its zone named, even for a US browser", async () => {
    await withBrowser({ locale: "en-US", timezoneId: "America/Los_Angeles" }, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/ecellar?lang=en`);
      await w.open();
      await w.topic("question", "normal");
      await w.details({ description: "How do I export club members?", email: "times@example.com" });
      await w.replyBy.waitFor();
      const replyBy = (await w.replyBy.textContent())?.trim() ?? "";
      const received = (await w.dialog.locator("ul.why li").first().textContent()) ?? "";
      // "Reply by Mon, Nov 23, 17:00 PT" beside "Received Sat, Nov 21, 10:00 PT."
      const time = /\w{3}, \w{3} \d{1,2}, \d{2}:\d{2} PT/;
      expect(replyBy).toMatch(new RegExp(`^Reply by ${time.source}$`));
      expect(received).toMatch(new RegExp(`^Received ${time.source}\\.$`));
      expect(replyBy).not.toMatch(/AM|PM/);
      await shot(page, "times-en-us-review");
    });
  });

  it("keeps an English widget left-to-right on a right-to-left page", async () => {
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/commerceup?dir=rtl&lang=en`);
      await w.open();
      const heading = w.dialog.getByRole("heading", { name: "What do you need help with?" });
      expect(await heading.evaluate((h) => getComputedStyle(h).direction)).toBe("ltr");
      await w.topic("functionality", "normal");
      await w.details({ description: "The wishlist button does nothing.", email: "rtl@example.com" });
      await w.replyBy.waitFor();
      expect(await w.replyBy.evaluate((r) => getComputedStyle(r).direction)).toBe("ltr");
      await shot(page, "rtl-page-english-review");
    });
  });
});

describe("eCellar user error out of hours", () => {
  it("offers waiting or having it addressed now, each with its reply-by and rate, and sends the customer's pick", async () => {
    // The window as the worker computes it on a Saturday morning (the real clock may be in hours).
    const saturday = computeWindow(preset("ecellar"), {
      issueType: "setup-problem",
      severity: "normal",
      at: Date.parse("2026-11-21T10:00:00-08:00"),
      locale: "en",
    });
    await withBrowser({ timezoneId: "America/Los_Angeles" }, async ({ page }, w) => {
      await page.route("**/v1/sites/demo-ecellar/window", (route) => route.fulfill({ json: saturday }));
      await page.goto(`${server.url}/demo/ecellar?lang=en`);
      await w.open();
      await w.topic("setup-problem", "normal");
      await w.details({ description: "The auto-discount is not applying to magnums.", email: "weekend@example.com" });
      const choice = w.dialog.locator("[part=after-hours-choice]");
      await choice.waitFor();
      expect(await choice.locator("legend").textContent()).toBe(
        "Outside support hours: User error can wait for support hours or be addressed now.",
      );
      const wait = choice.getByRole("radio", { name: /^Wait for support hours/ });
      const now = choice.getByRole("radio", { name: /^Have it addressed now/ });
      expect(await wait.isChecked()).toBe(true);
      const text = (await choice.textContent()) ?? "";
      expect(text).toContain("Reply by Mon, Nov 23, 17:00 PT");
      expect(text).toContain("Billed at $150.00 per hour, in blocks of 15 minutes.");
      expect(text).toContain("Reply by Sat, Nov 21, 11:00 PT");
      expect(text).toContain("Billed at the after-hours rate, $225.00 per hour, in blocks of 15 minutes.");
      expect(await w.dialog.textContent()).not.toContain("free support resumes");
      expect((await w.replyBy.textContent())?.trim()).toBe("Reply by Mon, Nov 23, 17:00 PT");
      await shot(page, "ecellar-after-hours-choice-wait");

      await now.check();
      expect((await w.replyBy.textContent())?.trim()).toBe("Reply by Sat, Nov 21, 11:00 PT");
      await shot(page, "ecellar-after-hours-choice-now");
      const sent = page.waitForRequest((r) => r.url().endsWith("/tickets") && r.method() === "POST");
      await w.dialog.getByRole("button", { name: "Send request" }).click();
      expect(JSON.parse((await sent).postData() ?? "{}")).toMatchObject({ issueType: "setup-problem", afterHoursChoice: "now" });
      await w.reference.waitFor();
    });
  });
});
