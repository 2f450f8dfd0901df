import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shot } from "./support/browser.ts";
import { lit, sql, startServer, type TestServer } from "./support/server.ts";
import { followsOf, quoteStatus, Staff } from "./support/staff.ts";
import { deepFocus, withBrowser } from "./support/widget.ts";

/** A PNG's signature and header: enough for the worker to type it by its bytes. */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

// The real worker (built widget, local D1 seeded with the four demo merchants) and real Chromium.
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

/** The widget's date format for an instant in a zone (its language's one convention, zone named), by the same browser's Intl. */
function formatIn(page: Page, iso: string, locale: string, timeZone: string): Promise<string> {
  return page.evaluate(
    ([at, loc, zone]) =>
      new Intl.DateTimeFormat(loc, {
        weekday: "short",
        day: "numeric",
        month: "short",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
        timeZoneName: "shortGeneric",
        timeZone: zone,
      }).format(new Date(at as string)),
    [iso, locale, timeZone],
  );
}

/** What the widget must never change on the host page: its stylesheets, body styles and elements. */
function pageLook() {
  const body = getComputedStyle(document.body);
  const props = [
    "font-family",
    "font-size",
    "color",
    "background-color",
    "overflow",
    "position",
    "margin",
    "padding",
    "transform",
    "filter",
  ];
  return {
    sheets: document.styleSheets.length,
    adopted: document.adoptedStyleSheets.length,
    body: props.map((p) => `${p}: ${body.getPropertyValue(p)}`),
    html: getComputedStyle(document.documentElement).overflow,
    children: [...document.body.children].map((c) => c.tagName).join(","),
  };
}

const paths = [
  { preset: "ecellar", issueType: "setup-problem", severity: "normal", order: "HC-10482", zone: "Asia/Tokyo" },
  { preset: "easy-commission", issueType: "calculation", severity: "calculation", order: "NW-ACCT-311", zone: "America/New_York" },
  { preset: "commerceup", issueType: "transactions", severity: "high", order: "LL-58821", zone: "Asia/Kolkata" },
  { preset: "ecshops", issueType: "incident", severity: "degraded", order: "UR-2291", zone: "Europe/Madrid" },
] as const;

describe("the customer's full path on each demo storefront", () => {
  for (const p of paths) {
    it(`/demo/${p.preset}: ask, see the reply-by time, send, follow the status, close`, async () => {
      await withBrowser({ timezoneId: p.zone }, async ({ page }, w) => {
        const email = `path-${p.preset}-${Date.now()}@example.com`;
        await page.goto(`${server.url}/demo/${p.preset}?lang=en`);
        await w.launcher.waitFor();
        await shot(page, `path-${p.preset}-01-store`);

        await w.open();
        await shot(page, `path-${p.preset}-02-topic`);
        await w.topic(p.issueType, p.severity);
        // Replyby('prefill') was queued by the store's own script before widget.js had loaded.
        expect(await w.dialog.locator("input#orderId").inputValue()).toBe(p.order);
        const windowResponse = page.waitForResponse((r) => r.url().endsWith("/window"));
        await w.details({ description: `The ${p.preset} checkout shows an error on step 2.`, email, name: "Sam Rivera" });
        await shot(page, `path-${p.preset}-03-details-sent-on`);

        const win = (await (await windowResponse).json()) as { firstResponse?: { dueAt: string }; explanation: string[] };
        await w.replyBy.waitFor();
        const replyBy = (await w.replyBy.textContent()) ?? "";
        if (win.firstResponse) {
          // The deadline in the visitor's own zone and language, not the policy's.
          expect(replyBy).toContain(`Reply by ${await formatIn(page, win.firstResponse.dueAt, "en-US", p.zone)}`);
        }
        for (const line of win.explanation.slice(0, 2)) await expect.poll(() => w.dialog.getByText(line, { exact: true }).count()).toBe(1);
        await shot(page, `path-${p.preset}-04-review`);

        const created = await w.send();
        expect(created.status()).toBe(201);
        const body = (await created.json()) as { reference: string };
        await w.reference.waitFor();
        expect(await w.reference.textContent()).toBe(body.reference);
        await expect.poll(() => w.status.textContent()).toContain(body.reference);
        // The store's Replyby('on', 'submitted', fn), registered before load, was called.
        await expect.poll(() => page.locator("#last-ticket").textContent()).toContain(body.reference);
        await shot(page, `path-${p.preset}-05-sent`);

        await w.dialog.getByRole("button", { name: "View status" }).click();
        await w.dialog.getByRole("heading", { name: `Request ${body.reference}` }).waitFor();
        await w.dialog.locator("[part=status]").filter({ hasText: "Open" }).waitFor();
        await shot(page, `path-${p.preset}-06-status`);

        // Remembered in this browser: after a reload it is listed under "Your requests".
        await page.reload();
        await w.launcher.click();
        await w.dialog.getByRole("button", { name: /^Your requests \(1\)$/ }).click();
        await w.dialog.getByRole("button", { name: new RegExp(body.reference) }).click();
        await w.dialog.getByRole("heading", { name: `Request ${body.reference}` }).waitFor();
        await w.dialog.getByRole("button", { name: "This is fixed — close the request" }).click();
        await w.dialog.locator("[part=status]").filter({ hasText: "Closed" }).waitFor();
        await shot(page, `path-${p.preset}-07-closed`);
      });
    });
  }
});

describe("accessibility", () => {
  it("works with the keyboard alone, with focus moved in on open and back on close", async () => {
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/commerceup`);
      await w.launcher.waitFor();
      // Tab through the store until the launcher has focus (it is the last tab stop on the page).
      for (let i = 0; i < 40 && !(await deepFocus(page)).includes("[part=launcher]"); i++) await page.keyboard.press("Tab");
      expect(await deepFocus(page)).toContain("[part=launcher]");
      await page.keyboard.press("Enter");
      await w.dialog.waitFor();
      await expect.poll(() => deepFocus(page)).toContain("What do you need help with?");
      await shot(page, "keyboard-01-open");

      await page.keyboard.press("Tab");
      expect(await deepFocus(page)).toContain("input");
      await page.keyboard.press("Space");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Space");
      expect(await w.dialog.locator("input[name=issueType]:checked").getAttribute("value")).toBe("transactions");
      expect(await w.dialog.locator("input[name=severity]:checked").getAttribute("value")).toBe("critical");
      await page.keyboard.press("Tab");
      expect(await deepFocus(page)).toContain("Continue");
      await page.keyboard.press("Enter");
      await expect.poll(() => deepFocus(page)).toContain("Tell us more");

      await page.keyboard.press("Tab");
      expect(await deepFocus(page)).toContain("textarea#description");
      await page.keyboard.type("Refunds fail with a gateway timeout.");
      await page.keyboard.press("Tab");
      await page.keyboard.type("not-an-email");
      await page.keyboard.press("Enter");
      // Inline validation: focus goes to the invalid field, its message is tied to it.
      await expect.poll(() => deepFocus(page)).toContain("input#email");
      expect(await w.dialog.locator("input#email").getAttribute("aria-invalid")).toBe("true");
      expect(await w.dialog.locator("input#email").getAttribute("aria-describedby")).toContain("email-error");
      await shot(page, "keyboard-02-validation");
      await page.keyboard.press("ControlOrMeta+A");
      await page.keyboard.type("kim@example.com");
      await page.keyboard.press("Enter");
      await expect.poll(() => deepFocus(page)).toContain("Before you send");
      await w.replyBy.waitFor();

      for (let i = 0; i < 10 && !(await deepFocus(page)).includes("Send request"); i++) await page.keyboard.press("Tab");
      const created = page.waitForResponse((r) => r.url().endsWith("/tickets"));
      await page.keyboard.press("Enter");
      expect((await created).status()).toBe(201);
      await expect.poll(() => deepFocus(page)).toContain("Request sent");
      await shot(page, "keyboard-03-sent");

      await page.keyboard.press("Escape");
      await w.dialog.waitFor({ state: "hidden" });
      expect(await deepFocus(page)).toContain("[part=launcher]");
      expect(await w.launcher.getAttribute("aria-expanded")).toBe("false");
    });
  });

  it("has no axe-core violations at any step", async () => {
    const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/ecellar`);
      await w.launcher.waitFor();
      // Evaluated through the DevTools protocol, which the page's CSP does not govern.
      await page.evaluate(axeSource);
      const audit = async (step: string) => {
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> };
            }
          ).axe;
          const result = await axe.run(
            { include: [["replyby-root"]] },
            { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } },
          );
          return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
        });
        expect(violations, step).toEqual([]);
      };
      await audit("launcher");
      await w.open();
      await audit("topic");
      await w.dialog.getByRole("button", { name: "Continue" }).click();
      await w.dialog.locator("[aria-invalid=true]").first().waitFor();
      await audit("topic with errors");
      await w.topic("training", "normal");
      await w.dialog.getByRole("button", { name: "Continue" }).click();
      await w.dialog.locator("#email-error").waitFor();
      await audit("details with errors");
      await w.details({ description: "New staff need a walkthrough of club processing.", email: "axe@example.com" });
      await w.replyBy.waitFor();
      await audit("review");
      await w.send();
      await w.reference.waitFor();
      await audit("sent");
      await w.dialog.getByRole("button", { name: "View status" }).click();
      await w.dialog.locator("[part=status]").waitFor();
      await audit("status");
      await w.dialog.getByRole("button", { name: /^Your requests/ }).click();
      await w.dialog.getByRole("heading", { name: "Your requests" }).waitFor();
      await audit("your requests");
    });
  });

  it("sits on the left of an RTL page, its English text still left-to-right", async () => {
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/ecellar?dir=rtl&lang=en`);
      await w.open();
      // The text direction is the widget's language's, not the page's.
      expect(await w.dialog.getAttribute("dir")).toBe("ltr");
      const heading = w.dialog.getByRole("heading", { name: "What do you need help with?" });
      expect(await heading.evaluate((h) => getComputedStyle(h).direction)).toBe("ltr");
      const launcher = await w.launcher.boundingBox();
      const panel = await w.dialog.boundingBox();
      // Placed as the page is mirrored: launcher and panel sit on the left edge, beside each other.
      expect(launcher?.x).toBeLessThan(100);
      expect(panel?.x).toBeLessThan(100);
      await shot(page, "rtl-01-open");
    });
  });
});

describe("embedding", () => {
  it("keeps its look and behaviour under hostile CSS and a strict CSP, and changes nothing outside itself", async () => {
    await withBrowser({}, async ({ page }, w) => {
      await page.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { cspViolations: string[] }).cspViolations = seen;
        document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      const response = await page.goto(`${server.url}/demo/easy-commission`);
      const csp = response?.headers()["content-security-policy"] ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("unsafe");
      await w.launcher.waitFor();
      const before = await page.evaluate(pageLook);
      expect(before.children.endsWith("REPLYBY-ROOT")).toBe(true);

      // The launcher keeps its size and font, and is on top of the page's max z-index banner.
      const box = await w.launcher.boundingBox();
      expect(box?.height).toBe(48);
      const viewport = page.viewportSize() ?? { width: 0, height: 0 };
      expect(Math.round((box?.x ?? 0) + (box?.width ?? 0))).toBe(viewport.width - 20);
      expect(Math.round((box?.y ?? 0) + (box?.height ?? 0))).toBe(viewport.height - 20);
      expect(await w.launcher.evaluate((el) => getComputedStyle(el).fontSize)).toBe("15px");
      const topmost = await page.evaluate(
        ([x, y]) => document.elementFromPoint(x as number, y as number)?.tagName,
        [(box?.x ?? 0) + 10, (box?.y ?? 0) + 10],
      );
      expect(topmost).toBe("REPLYBY-ROOT");
      await shot(page, "hostile-01-launcher");

      await w.open();
      const panel = await w.dialog.boundingBox();
      expect(panel?.width).toBe(400);
      expect(await w.dialog.evaluate((el) => getComputedStyle(el).fontSize)).toBe("15px");
      const radio = w.dialog.locator("input[name=issueType]").first();
      expect(await radio.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe("rgb(255, 0, 255)");
      await w.topic("report-error", "problem");
      expect(await w.dialog.locator("textarea#description").evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
        "rgb(255, 255, 255)",
      );
      await shot(page, "hostile-02-details");
      await w.details({ description: "The payout report is empty.", email: "csp@example.com" });
      await w.replyBy.waitFor();
      await w.send();
      await w.reference.waitFor();
      await shot(page, "hostile-03-sent");
      await page.keyboard.press("Escape");
      await w.dialog.waitFor({ state: "hidden" });

      const after = await page.evaluate(pageLook);
      expect(after).toEqual(before);
      expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    });
  });

  it("loads 1 script at page load and at most 3 requests on open, all from one origin", async () => {
    await withBrowser({}, async ({ page }, w) => {
      const ours: string[] = [];
      page.on("request", (r) => {
        const url = new URL(r.url());
        if (url.pathname.startsWith("/widget") || url.pathname.startsWith("/v1/")) ours.push(`${url.origin} ${url.pathname}`);
      });
      await page.goto(`${server.url}/demo/ecellar?preload=intent`, { waitUntil: "load" });
      await w.launcher.waitFor();
      expect(ours).toEqual([`${server.url} /widget.js`]);
      await w.open();
      const onOpen = ours.slice(1);
      expect(onOpen.length).toBeLessThanOrEqual(3);
      expect(onOpen.some((r) => /\/widget\/app\.[\w-]+\.js$/.test(r))).toBe(true);
      expect(onOpen).toContain(`${server.url} /v1/sites/demo-ecellar/config`);
      expect(new Set(ours.map((r) => r.split(" ")[0]))).toEqual(new Set([server.url]));
    });
  });

  it("puts only the launcher on the page-load path until the page is used, and reads storage only for a returning visitor", async () => {
    await withBrowser({}, async ({ page }, w) => {
      // The first localStorage read blocks the page while the browser loads the origin's storage.
      await page.addInitScript(() => {
        const counted = window as unknown as { storageReads: number };
        counted.storageReads = 0;
        const getItem = Storage.prototype.getItem;
        Storage.prototype.getItem = function (key: string) {
          counted.storageReads += 1;
          return getItem.call(this, key);
        };
      });
      const storageReads = () => page.evaluate(() => (window as unknown as { storageReads: number }).storageReads);
      const inTopLayer = () => w.launcher.evaluate((el) => el.matches(":popover-open"));
      const ours: string[] = [];
      page.on("request", (r) => {
        const { pathname } = new URL(r.url());
        if (pathname.startsWith("/widget")) ours.push(pathname);
      });
      await page.goto(`${server.url}/demo/ecellar`, { waitUntil: "load" });
      await w.launcher.waitFor();
      expect(ours).toEqual(["/widget.js"]);
      expect(await storageReads()).toBe(0);
      expect(await inTopLayer()).toBe(false);

      // The visitor moves the mouse: the app is downloaded (not run) and the launcher enters the top layer.
      const prefetched = page.waitForRequest((r) => /\/widget\/app\.[\w-]+\.js$/.test(r.url()));
      await page.mouse.move(200, 200);
      await prefetched;
      await expect.poll(inTopLayer).toBe(true);
      expect(await page.locator("replyby-widget").count()).toBe(0);
      expect(await storageReads()).toBe(0);

      // Once the app has run, the next page reads storage and draws the launcher in the store's colour.
      await w.open();
      await page.keyboard.press("Escape");
      await w.dialog.waitFor({ state: "hidden" });
      const brand = await page.evaluate(
        () => JSON.parse(localStorage.getItem("replyby:v1:demo-ecellar:brand") ?? "null") as string[] | null,
      );
      expect(brand).not.toBeNull();
      await page.reload({ waitUntil: "load" });
      await w.launcher.waitFor();
      expect(await storageReads()).toBeGreaterThan(0);
      expect(await page.locator("replyby-root").evaluate((el) => (el as HTMLElement).style.getPropertyValue("--_brand"))).toBe(brand?.[0]);
    });
  });

  it("leaves only the launcher, offering a retry, when the app cannot load — never an overlay", async () => {
    await withBrowser({}, async ({ page, errors }, w) => {
      await page.route("**/widget/app.*.js", (route) => route.abort("connectionrefused"));
      await page.goto(`${server.url}/demo/commerceup?preload=intent`);
      await w.launcher.click();
      await w.launcher.filter({ hasText: "Retry help" }).waitFor();
      expect(await page.locator("replyby-widget").count()).toBe(0);
      // The page under the (absent) panel is still the page: clickable, not covered.
      const hit = await page.evaluate(() => document.elementFromPoint(innerWidth - 200, innerHeight - 300)?.closest("replyby-root"));
      expect(hit).toBeNull();
      await shot(page, "load-failure-01-retry");
      errors.length = 0; // the refused chunk is logged by the browser; that is the point of this test

      await page.unroute("**/widget/app.*.js");
      await w.launcher.click();
      await w.dialog.locator("input[name=issueType]").first().waitFor();
      expect(await w.launcher.textContent()).toContain("Help");
    });
  });
  it("keeps Replyby() calls made before widget.js arrived, and returns focus to the page's own link", async () => {
    await withBrowser({}, async ({ page }, w) => {
      // store.js calls Replyby("open") for #help before the async loader has even been fetched.
      await page.goto(`${server.url}/demo/ecellar#help`);
      await w.dialog.getByRole("heading", { name: "What do you need help with?" }).waitFor();
      await page.keyboard.press("Escape");
      await w.dialog.waitFor({ state: "hidden" });

      // Opened from the store's own "Contact support" link: focus goes back to that link.
      await page.getByRole("link", { name: "Contact support" }).focus();
      await page.keyboard.press("Enter");
      await w.dialog.getByRole("heading", { name: "What do you need help with?" }).waitFor();
      await page.keyboard.press("Escape");
      await w.dialog.waitFor({ state: "hidden" });
      expect(await deepFocus(page)).toContain("Contact support");
    });
  });

  it("works as a <replyby-widget> element without the loader, themed through custom properties", async () => {
    await withBrowser({}, async ({ page }) => {
      await page.goto(`${server.url}/demo/ecellar?embed=element`);
      const launcher = page.locator("replyby-widget [part=launcher]");
      await launcher.click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("heading", { name: "What do you need help with?" }).waitFor();
      expect(await page.locator("replyby-widget").getAttribute("open")).toBe("");
      // --replyby-radius from the store's stylesheet reaches inside; nothing else does.
      expect(
        await dialog
          .locator(".option")
          .first()
          .evaluate((el) => getComputedStyle(el).borderTopLeftRadius),
      ).toBe("4px");
      await shot(page, "element-01-open");
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
      expect(await deepFocus(page)).toContain("[part=launcher]");
      expect(await page.locator("replyby-widget").getAttribute("open")).toBeNull();
    });
  });

  it("says so when support cannot be reached on open, and recovers on retry", async () => {
    await withBrowser({}, async ({ page, errors }, w) => {
      await page.route("**/v1/sites/*/config*", (route) => route.abort("connectionrefused"));
      await page.goto(`${server.url}/demo/ecellar`);
      await w.launcher.click();
      await w.dialog.getByRole("alert").filter({ hasText: "We couldn't reach support" }).waitFor();
      await shot(page, "config-error-01");
      errors.length = 0; // the refused request is logged by the browser; that is the point of this test
      await page.unroute("**/v1/sites/*/config*");
      await w.dialog.getByRole("button", { name: "Try again" }).click();
      await w.dialog.getByRole("heading", { name: "What do you need help with?" }).waitFor();
    });
  });
});

describe("languages", () => {
  it("speaks Spanish on a Spanish store: labels, policy explanation and dates", async () => {
    await withBrowser({ locale: "es-ES", timezoneId: "Europe/Madrid" }, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/ecshops`);
      await w.launcher.filter({ hasText: "Ayuda" }).waitFor();
      await w.open();
      await w.dialog.getByRole("heading", { name: "¿En qué podemos ayudarle?" }).waitFor();
      await w.dialog.getByText("Incidencia técnica").waitFor();
      await shot(page, "es-01-topic");
      await w.topic("incident", "interrupted");
      const windowResponse = page.waitForResponse((r) => r.url().endsWith("/window"));
      await w.details({ description: "La tienda no carga desde esta mañana.", email: "ana@example.com" });
      const win = (await (await windowResponse).json()) as { firstResponse: { dueAt: string }; explanation: string[] };
      await w.replyBy.waitFor();
      expect(await w.replyBy.textContent()).toContain(
        `Respuesta a más tardar: ${await formatIn(page, win.firstResponse.dueAt, "es-ES", "Europe/Madrid")}`,
      );
      expect(win.explanation[0]).toMatch(/^Recibida/);
      await w.dialog.getByText(win.explanation[0] as string).waitFor();
      await shot(page, "es-02-review");
      await w.send();
      await w.dialog.getByRole("heading", { name: "Solicitud enviada" }).waitFor();
      await shot(page, "es-03-sent");
    });
  });

  it("switches language with Replyby('setLocale')", async () => {
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/ecellar`);
      await w.open();
      await w.dialog.getByText("Customers can't place orders").waitFor();
      await page.evaluate(() => (window as unknown as { Replyby(cmd: string, arg: string): void }).Replyby("setLocale", "es"));
      await w.dialog.getByRole("heading", { name: "¿En qué podemos ayudarle?" }).waitFor();
      await w.dialog.getByText("Los clientes no pueden hacer pedidos").waitFor();
      await shot(page, "es-04-set-locale");
    });
  });
});

describe("with staff at work in the dashboard: quotes, questions, known issues", () => {
  it("accepts a quote from the status view", async () => {
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/ecshops?lang=en`);
      await w.open();
      await w.topic("feature", "question");
      await w.details({ description: "We need a CSV export of all orders with tax breakdown.", email: "quote@example.com" });
      await w.replyBy.waitFor();
      expect(await w.replyBy.textContent()).toContain("quote");
      const created = await w.send();
      const { reference } = (await created.json()) as { reference: string };
      await w.dialog.getByRole("button", { name: "View status" }).click();
      await w.dialog.getByRole("heading", { name: `Request ${reference}` }).waitFor();

      const staff = await Staff.signIn(server, "ecshops");
      try {
        await staff.sendQuote(reference, "1200.00");
      } finally {
        await staff.close();
      }
      await w.dialog.getByRole("button", { name: "Refresh" }).click();
      const quote = w.dialog.locator("[part=quote]");
      await quote.getByText("Quote ready for your decision.").waitFor();
      expect(await quote.textContent()).toContain("1,200.00");
      await shot(page, "quote-01-quoted");

      await quote.getByRole("button", { name: "Accept quote" }).click();
      await quote.getByRole("button", { name: "Yes, accept the quote" }).click();
      await quote.getByText("You accepted the quote.").waitFor();
      await w.dialog.locator("ol.history").getByText("Quote accepted").waitFor();
      await expect.poll(() => w.status.textContent()).toContain("Quote accepted.");
      expect(quoteStatus(server, reference)).toBe("accepted");
      await shot(page, "quote-02-accepted");
    });
  });

  it("answers an info request from the status view", async () => {
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/ecshops?lang=en`);
      await w.open();
      const reference = await w.fileAndView("incident", "question", {
        description: "Some product pages show the wrong stock level.",
        email: "info@example.com",
      });

      const staff = await Staff.signIn(server, "ecshops");
      try {
        await staff.requestInfo(reference, "Which product pages? Please send two example URLs.");
      } finally {
        await staff.close();
      }
      await w.dialog.getByRole("button", { name: "Refresh" }).click();
      const ask = w.dialog.locator("[part=info-request]");
      await ask.getByText("Which product pages? Please send two example URLs.").waitFor();
      await w.dialog.getByText("The clock is paused until you answer.").waitFor();
      await w.dialog.locator("[part=status]").filter({ hasText: "Waiting for your answer" }).waitFor();
      await shot(page, "info-01-asked");

      await ask.getByLabel("Your answer").fill("/products/olive-oil and /products/manchego");
      await ask.getByRole("button", { name: "Send answer" }).click();
      await w.dialog.locator("ol.history").getByText("/products/olive-oil and /products/manchego").waitFor();
      await w.dialog.locator("[part=status]").filter({ hasText: "Open" }).waitFor();
      expect(await w.dialog.locator("[part=info-request]").count()).toBe(0);
      await shot(page, "info-02-answered");
    });
  });

  it("keeps the conversation going: a follow-up, not fixed after a resolution, and a new request that continues a closed one", async () => {
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/ecshops?lang=en`);
      await w.open();
      const reference = await w.fileAndView("incident", "question", {
        description: "Search returns no results for product names.",
        email: "conversation@example.com",
      });

      // A follow-up on an open request, without being asked.
      const compose = w.dialog.locator("[part=message]");
      await compose.getByRole("heading", { name: "Add to this request" }).waitFor();
      await compose.getByLabel("Your message").fill("It also happens for SKUs.");
      // With a file from the native input: the form goes as multipart and the file lands on the message.
      await compose.getByLabel("Attach files").setInputFiles({ name: "sku-search.png", mimeType: "image/png", buffer: PNG });
      await compose.getByRole("button", { name: "Send message" }).click();
      await w.dialog.locator("ol.history").getByText("It also happens for SKUs.").waitFor();
      await expect.poll(() => w.status.textContent()).toContain("Message sent.");
      expect(
        sql(
          server,
          `SELECT a.name, a.content_type FROM attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.ref = ${lit(reference)}`,
        ),
      ).toEqual([{ name: "sku-search.png", content_type: "image/png" }]);
      expect(await compose.getByLabel("Attach files").inputValue()).toBe("");
      await shot(page, "conversation-01-follow-up");

      const staff = await Staff.signIn(server, "ecshops");
      try {
        await staff.resolve(reference, "We rebuilt the search index.");
      } finally {
        await staff.close();
      }
      await w.dialog.getByRole("button", { name: "Refresh" }).click();
      await w.dialog.locator("[part=status]").filter({ hasText: "Resolved" }).waitFor();
      await compose.getByRole("heading", { name: "Not fixed?" }).waitFor();
      expect(await compose.textContent()).toMatch(/reopen this request\. You can do this until /);
      await shot(page, "conversation-02-resolved");
      await compose.getByLabel("What is still not working?").fill("SKUs still return nothing.");
      await compose.getByRole("button", { name: "Reopen the request" }).click();
      await w.dialog.locator("[part=status]").filter({ hasText: "Open" }).waitFor();
      await w.dialog.locator("ol.history").getByText("Reopened").waitFor();

      await w.dialog.getByRole("button", { name: "This is fixed — close the request" }).click();
      await w.dialog.locator("[part=status]").filter({ hasText: "Closed" }).waitFor();
      await w.dialog.getByText("This request is closed. Still need help? A new request will mention this one.").waitFor();
      expect(await w.dialog.locator("[part=message]").count()).toBe(0);
      await shot(page, "conversation-03-closed");

      await w.dialog.getByRole("button", { name: "Open a new request" }).click();
      await w.dialog.getByText(`This request continues ${reference}.`).waitFor();
      await w.topic("incident", "question");
      await w.details({ description: "Search is broken again after the update.", email: "conversation@example.com" });
      await w.replyBy.waitFor();
      const next = (await (await w.send()).json()) as { reference: string };
      expect(followsOf(server, next.reference)).toBe(reference);

      // "Your requests" shows each request's status.
      await w.dialog.getByRole("button", { name: /^Your requests/ }).click();
      await w.dialog.getByRole("button", { name: new RegExp(`${reference}.*Closed`) }).waitFor();
      await w.dialog.getByRole("button", { name: new RegExp(`${next.reference}.*Open`) }).waitFor();
      await shot(page, "conversation-04-list");
    });
  });

  it("shows known issues before the customer picks a topic", async () => {
    const title = `Card payments failing (${Date.now()})`;
    const staff = await Staff.signIn(server, "ecshops");
    try {
      await staff.announceIncident(title, "Some card payments fail at checkout. A fix is being deployed.");
    } finally {
      await staff.close();
    }
    await withBrowser({}, async ({ page }, w) => {
      await page.goto(`${server.url}/demo/ecshops?lang=en`);
      await w.open();
      const known = w.dialog.getByRole("region", { name: "Known issues right now" });
      await known.getByText(title).waitFor();
      // Shown first: the list comes before the first question of the form.
      const order = await w.dialog.evaluate((d) => {
        const all = [...d.querySelectorAll("*")].flatMap((el) => (el.shadowRoot ? [el, ...el.shadowRoot.querySelectorAll("*")] : [el]));
        const incidents = all.findIndex((el) => el.classList.contains("incidents"));
        const form = all.findIndex((el) => el.tagName === "FORM");
        return [incidents, form];
      });
      expect(order[0]).toBeGreaterThanOrEqual(0);
      expect(order[0]).toBeLessThan(order[1] as number);
      await shot(page, "incident-01-known-issue");
    });
  });
});
