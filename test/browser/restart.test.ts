import { afterAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../worker/dev/server.ts";
import { launch, shot } from "./support/browser.ts";
import { ticketsFor } from "./support/staff.ts";
import { Widget } from "./support/widget.ts";

// The server goes away while a customer sends; it comes back on the same D1 folder. The widget
// keeps the submission with its Idempotency-Key and retries on its own backoff.
let server: DevServer | undefined;

afterAll(async () => {
  await server?.stop();
});

describe("restart", () => {
  it("a submission queued while the server is down lands exactly once after it restarts", { timeout: 240_000 }, async () => {
    server = await startDevServer();
    const { port, persistTo } = server;
    const session = await launch({ timezoneId: "Asia/Kolkata" });
    const { page } = session;
    const w = new Widget(page);
    const email = `restart-${Date.now()}@example.com`;
    const statuses: number[] = [];
    const log: string[] = [];
    page.on("requestfailed", (r) => log.push(`${new Date().toISOString()} failed ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
    page.on("response", (r) => log.push(`${new Date().toISOString()} ${r.status()} ${r.request().method()} ${r.url()}`));
    page.on("response", (r) => {
      if (r.request().method() === "POST" && new URL(r.url()).pathname.endsWith("/tickets")) statuses.push(r.status());
    });
    try {
      await page.goto(`${server.url}/demo/commerceup`);
      await w.open();
      await w.topic("sales-impacting", "high");
      await w.details({ description: "Coupon codes are rejected at checkout.", email });
      await w.replyBy.waitFor();
      await server.stop();
      await w.dialog.getByRole("button", { name: "Send request" }).click();
      await w.dialog.getByRole("heading", { name: "Saved on this device" }).waitFor();
      await shot(page, "restart-01-queued-while-down");

      server = await startDevServer({ port, persistTo });
      // No click: the widget's own backoff retries until the server answers. If it never does,
      // the failure carries every request the page made and what the dialog said.
      await w.reference.waitFor({ timeout: 120_000 }).catch(async (e: Error) => {
        throw new Error(`${e.message}\nrequests:\n${log.join("\n")}\ndialog: ${await w.dialog.textContent()}`);
      });
      const reference = (await w.reference.textContent()) ?? "";
      await shot(page, "restart-02-delivered-after-restart");
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(ticketsFor({ url: server.url, persistTo, stop: async () => {} }, email).map((t) => t.ref)).toEqual([reference]);
    } finally {
      await session.close();
    }
  });
});
