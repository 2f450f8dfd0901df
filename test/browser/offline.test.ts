import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, type Session, shot } from "./support/browser.ts";
import { startServer, type TestServer } from "./support/server.ts";
import { ticketsFor } from "./support/staff.ts";
import { Widget } from "./support/widget.ts";

// Nothing is mocked: the worker is real, and failures are the network's (offline mode, a
// connection cut before or after the server answered), as a customer on a train would have them.
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Every ticket-creation attempt the page made, with its Idempotency-Key. */
function recordAttempts(page: Page): { keys: string[]; statuses: number[]; replayed: string[] } {
  const seen = { keys: [] as string[], statuses: [] as number[], replayed: [] as string[] };
  const isCreate = (r: Request) => r.method() === "POST" && new URL(r.url()).pathname.endsWith("/tickets");
  page.on("request", (r) => {
    if (isCreate(r)) seen.keys.push(r.headers()["idempotency-key"] ?? "");
  });
  page.on("response", (r) => {
    if (isCreate(r.request())) {
      seen.statuses.push(r.status());
      seen.replayed.push(r.headers()["idempotent-replayed"] ?? "");
    }
  });
  return seen;
}

/** A fresh browser and the widget in it for one test; the browser closes however the test ends. */
async function inBrowser(opts: Parameters<typeof launch>[0], run: (session: Session, w: Widget) => Promise<void>): Promise<void> {
  const session = await launch(opts);
  try {
    await run(session, new Widget(session.page));
  } finally {
    await session.close();
  }
}

/** The widget's stored outbox for a site. */
function outbox(page: Page, site: string): Promise<{ key: string; json: string }[]> {
  return page.evaluate((s) => JSON.parse(localStorage.getItem(`replyby:v1:${s}:outbox`) ?? "[]"), site);
}

describe("nothing the customer typed is ever lost", () => {
  it("queues a request sent offline and delivers it exactly once when the connection returns", () =>
    inBrowser({ timezoneId: "America/Chicago" }, async (session, w) => {
      const { page, context } = session;
      const email = `offline-${Date.now()}@example.com`;
      const attempts = recordAttempts(page);
      await page.goto(`${server.url}/demo/commerceup`);
      await w.open();
      await w.topic("functionality", "normal");
      await context.setOffline(true);
      await w.details({ description: "Discount codes stopped applying at checkout.", email });
      // The preview cannot be fetched offline; sending is still possible.
      await w.dialog.getByText("We'll confirm when you'll hear back").waitFor();
      await shot(page, "offline-01-review-offline");
      await w.dialog.getByRole("button", { name: "Send request" }).click();
      await w.dialog.getByRole("heading", { name: "Saved on this device" }).waitFor();
      await w.dialog.getByText("You seem to be offline").waitFor();
      await w.dialog.getByText("Discount codes stopped applying at checkout.").waitFor();
      await expect.poll(() => w.status.textContent()).toContain("Saved on this device");
      const queued = await outbox(page, "demo-commerceup");
      expect(queued).toHaveLength(1);
      await shot(page, "offline-02-queued");

      await context.setOffline(false);
      await w.reference.waitFor();
      const reference = (await w.reference.textContent()) ?? "";
      expect(reference).toMatch(/^RB-/);
      await shot(page, "offline-03-delivered");

      expect(await outbox(page, "demo-commerceup")).toEqual([]);
      // Every attempt carried the one key stored with the submission, and one of them landed.
      expect(new Set(attempts.keys)).toEqual(new Set([queued[0]?.key]));
      expect(attempts.statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(ticketsFor(server, email).map((t) => t.ref)).toEqual([reference]);
      expect(session.errors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED"))).toEqual([]);
    }));

  it("lands once when the connection drops after the server created the ticket (the retry is a replay)", () =>
    inBrowser({}, async (session, w) => {
      const { page } = session;
      const email = `lost-${Date.now()}@example.com`;
      const attempts = recordAttempts(page);
      let firstReference = "";
      // The first attempt reaches the real server, which creates the ticket; its answer is then lost.
      await page.route("**/v1/sites/*/tickets", async (route) => {
        if (firstReference) return route.continue();
        const response = await route.fetch();
        firstReference = ((await response.json()) as { reference: string }).reference;
        await route.abort("connectionreset");
      });
      await page.goto(`${server.url}/demo/ecellar`);
      await w.open();
      await w.topic("question", "normal");
      await w.details({ description: "How do I refund part of a club shipment?", email });
      await w.replyBy.waitFor();
      await w.dialog.getByRole("button", { name: "Send request" }).click();
      await w.dialog.getByRole("heading", { name: "Saved on this device" }).waitFor();
      expect(firstReference).toMatch(/^RB-/);
      await shot(page, "lost-response-01-queued");

      await w.dialog.getByRole("button", { name: "Retry now" }).click();
      await w.reference.waitFor();
      expect(await w.reference.textContent()).toBe(firstReference);
      expect(attempts.replayed.at(-1)).toBe("true");
      expect(new Set(attempts.keys).size).toBe(1);
      expect(ticketsFor(server, email).map((t) => t.ref)).toEqual([firstReference]);
      await shot(page, "lost-response-02-delivered");
    }));

  it("keeps a queued request across a reload and sends it when the API is reachable again", () =>
    inBrowser({}, async (session, w) => {
      const { page } = session;
      const email = `reload-${Date.now()}@example.com`;
      const description = "Our payout export has been empty since Monday.\nIt worked last week.";
      const attempts = recordAttempts(page);
      const unreachable = "**/v1/sites/*/tickets";
      await page.route(unreachable, (route) => route.abort("internetdisconnected"));
      await page.goto(`${server.url}/demo/easy-commission`);
      await w.open();
      await w.topic("reports-queries", "problem");
      await w.details({ description, email });
      await w.replyBy.waitFor();
      await w.dialog.getByRole("button", { name: "Send request" }).click();
      await w.dialog.getByRole("heading", { name: "Saved on this device" }).waitFor();
      const [queued] = await outbox(page, "demo-easy-commission");
      expect(queued).toBeDefined();
      await shot(page, "reload-01-queued");

      // Reload: the loader sees the waiting submission and loads the app at once, without a click.
      const appLoaded = page.waitForRequest((r) => /\/widget\/app\.[\w-]+\.js$/.test(r.url()));
      await page.reload();
      await appLoaded;
      await w.launcher.click();
      await w.dialog.getByRole("heading", { name: "Saved on this device" }).waitFor();
      await w.dialog.getByText("Our payout export has been empty since Monday.", { exact: false }).waitFor();
      expect((await outbox(page, "demo-easy-commission"))[0]?.key).toBe(queued?.key);
      await shot(page, "reload-02-still-queued");

      await page.unroute(unreachable);
      await w.dialog.getByRole("button", { name: "Retry now" }).click();
      await w.reference.waitFor();
      const reference = (await w.reference.textContent()) ?? "";
      await shot(page, "reload-03-delivered");
      expect(new Set(attempts.keys)).toEqual(new Set([queued?.key]));
      const stored = ticketsFor(server, email);
      expect(stored.map((t) => t.ref)).toEqual([reference]);
      expect(stored[0]?.description).toBe(description);
      expect(session.errors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED"))).toEqual([]);
    }));
});
