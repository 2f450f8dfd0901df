import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, type Session, shot } from "./support/browser.ts";
import { lit, sql, startServer, type TestServer } from "./support/server.ts";
import { Staff } from "./support/staff.ts";
import { Widget } from "./support/widget.ts";

// The status page on "another device": a fresh Chromium profile opens the link an email carries,
// reads the reply staff wrote in the dashboard, follows up without any script, and staff see it.

let server: TestServer;
let staff: Staff;
beforeAll(async () => {
  server = await startServer();
  staff = await Staff.signIn(server, "ecellar");
});
afterAll(async () => {
  await staff?.close();
  await server?.stop();
});

async function withBrowser(
  opts: Parameters<typeof launch>[0],
  body: (s: Session) => Promise<void>,
  expected: RegExp[] = [],
): Promise<void> {
  const session = await launch(opts);
  try {
    await body(session);
    expect(session.errors.filter((e) => !expected.some((re) => re.test(e)))).toEqual([]);
  } finally {
    await session.close();
  }
}

async function fileTicket(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${server.url}/v1/sites/demo-ecellar/tickets`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
    body: JSON.stringify({ email: `status-${Date.now()}@example.test`, issueType: "question", severity: "normal", ...body }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { reference: string }).reference;
}

/** The link an email would carry: a ticket_links row with a known token, as issueLink writes it. */
function emailedLink(reference: string): string {
  const token = randomBytes(32).toString("base64url");
  const hash = createHash("sha256").update(token).digest("hex");
  const [row] = sql<{ id: string; merchant_id: string }>(server, `SELECT id, merchant_id FROM tickets WHERE ref = ${lit(reference)}`);
  if (!row) throw new Error(`no ticket ${reference}`);
  const now = Date.now();
  sql(
    server,
    `INSERT INTO ticket_links (token_hash, ticket_id, merchant_id, expires_at, created_at) VALUES (${lit(hash)}, ${lit(row.id)}, ${lit(row.merchant_id)}, ${now + 86_400_000}, ${now})`,
  );
  return `${server.url}/t/${reference}?k=${token}`;
}

describe("the status page in a real browser", () => {
  it("opens from an emailed link on another device, shows the staff reply, takes a follow-up that staff then see", async () => {
    const reference = await fileTicket({ description: "Our wine club export has no rows since Monday.", timeZone: "Europe/Madrid" });
    const dash = staff.session.page;
    await dash.goto(`${server.url}/dashboard/tickets/${reference}`);
    await dash.getByLabel(/^Reply to the customer/).fill("Thanks! Which club tier is the export for?");
    await dash.getByRole("button", { name: "Send reply" }).click();
    await dash.getByText("Reply sent to the customer.").waitFor();

    await withBrowser({ timezoneId: "Europe/Madrid", locale: "en-GB" }, async ({ page, context }) => {
      await page.goto(emailedLink(reference));
      // Redirected to the clean address: the token is gone from the bar and from history.
      expect(new URL(page.url()).pathname).toBe(`/t/${reference}`);
      expect(new URL(page.url()).search).toBe("");
      const cookies = await context.cookies();
      const session = cookies.find((c) => c.name === `__Host-rb_t_${reference}`);
      expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
      await page.getByRole("heading", { name: `Your request ${reference}` }).waitFor();
      await page.getByText("Thanks! Which club tier is the export for?").waitFor();
      await page.getByText("Times are shown in your time zone (Europe/Madrid).").waitFor();
      await shot(page, "status-01-page");

      await page.getByLabel("Your message").fill("The Reserve tier — 214 members.");
      await page.getByLabel("Attach files (optional)").setInputFiles({
        name: "reserve-export.csv",
        mimeType: "text/csv",
        buffer: Buffer.from("member,tier\n1001,Reserve\n"),
      });
      await page.getByRole("button", { name: "Send" }).click();
      await page.getByText("Message sent. We'll reply to you here and by email.").waitFor();
      expect(new URL(page.url()).pathname).toBe(`/t/${reference}`);
      await page.getByText("The Reserve tier — 214 members.").waitFor();
      // The file is on the message and in the files card; it downloads, never opens in the page.
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "reserve-export.csv" }).first().click(),
      ]);
      expect(download.suggestedFilename()).toBe("reserve-export.csv");
      expect(new URL(page.url()).pathname).toBe(`/t/${reference}`);
      await shot(page, "status-02-followed-up");
    });

    await dash.goto(`${server.url}/dashboard/tickets/${reference}`);
    const followUp = dash.getByText("The Reserve tier — 214 members.");
    await followUp.waitFor();
    await dash.getByRole("link", { name: "reserve-export.csv" }).first().waitFor();
    await followUp.scrollIntoViewIfNeeded();
    await shot(dash, "status-03-staff-sees-it");
  });

  it("the widget says a link was emailed and offers 'open on another device', whose link opens the page in a fresh browser", async () => {
    let url = "";
    await withBrowser({ timezoneId: "Europe/London" }, async ({ page }) => {
      const w = new Widget(page);
      await page.goto(`${server.url}/demo/ecellar?lang=en`);
      await w.open();
      await w.topic("setup-problem", "normal");
      await w.details({ description: "The tasting-room POS does not sync.", email: `device-${Date.now()}@example.test` });
      expect((await w.send()).status()).toBe(201);
      await w.dialog.getByText("We've also emailed you a link to follow it from any device.", { exact: false }).waitFor();
      await w.dialog.getByRole("button", { name: "View status" }).click();
      await w.dialog.getByRole("button", { name: "Open on another device" }).click();
      const field = w.dialog.getByLabel("Link to this request");
      await field.waitFor();
      url = await field.inputValue();
      await field.scrollIntoViewIfNeeded();
      await shot(page, "status-09-widget-other-device");
    });
    expect(url).toMatch(new RegExp(`^${server.url}/t/RB-[0-9A-Z]{4}-[0-9A-Z]{4}\\?k=`));
    await withBrowser({ width: 390, height: 844 }, async ({ page }) => {
      await page.goto(url);
      await page.getByText("The tasting-room POS does not sync.").waitFor();
      expect(new URL(page.url()).search).toBe("");
      await shot(page, "status-10-opened-on-phone");
    });
  });

  it("decides a quote in two steps on a phone, the confirmation repeating amount, scope and validity", async () => {
    const reference = await fileTicket({ issueType: "feature", description: "A waitlist for sold-out vintages." });
    await staff.sendQuote(reference, "1250.00");
    await withBrowser({ width: 390, height: 844, locale: "en-US", timezoneId: "America/New_York" }, async ({ page }) => {
      await page.goto(emailedLink(reference));
      await page.getByRole("heading", { name: "Quote" }).waitFor();
      await shot(page, "status-04-quote-phone");
      await page.getByRole("button", { name: "Accept the quote…" }).click();
      await page.getByRole("heading", { name: "Accept this quote?" }).waitFor();
      await page.getByText("$1,250.00").waitFor();
      await page.getByText("Valid until").waitFor();
      await page.getByText("A waitlist for sold-out vintages.").waitFor();
      await shot(page, "status-05-quote-confirm-phone");
      await page.getByRole("button", { name: "Yes, accept" }).click();
      await page.getByText("Quote accepted.", { exact: true }).waitFor();
      await shot(page, "status-06-quote-accepted-phone");
    });
    const [q] = sql<{ status: string }>(
      server,
      `SELECT q.status FROM quotes q JOIN tickets t ON t.id = q.ticket_id WHERE t.ref = ${lit(reference)}`,
    );
    expect(q?.status).toBe("accepted");
  });

  it("an expired or unknown link offers 'email me my requests', answered the same either way", async () => {
    await withBrowser(
      {},
      async ({ page }) => {
        const res = await page.goto(`${server.url}/t/RB-0000-0000?k=${"a".repeat(43)}`);
        expect(res?.status()).toBe(404);
        await page.getByRole("heading", { name: "This link has expired or is not valid" }).waitFor();
        await shot(page, "status-07-expired-link");
        await page.getByLabel("Email address").fill("someone@example.test");
        await page.getByRole("button", { name: "Email me my requests" }).click();
        await page.getByText("an email with links to them is on its way", { exact: false }).waitFor();
        await shot(page, "status-08-links-sent");
        // Chromium logs the page's own 404 as a console error; nothing else may fail.
      },
      [/status of 404/],
    );
  });
});
