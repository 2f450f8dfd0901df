import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatInstant } from "../../worker/engine/format.ts";
import { launch, type Session, shot } from "./support/browser.ts";
import { awaitMail, statusLink } from "./support/mailbox.ts";
import { lit, sql, startServer, type TestServer } from "./support/server.ts";
import { Staff } from "./support/staff.ts";
import { Widget } from "./support/widget.ts";

// The customer's email journey end to end, on the real worker (`wrangler dev`, local D1, the
// real send_email binding and email() handler) and real Chromium: every email comes out of the
// local mailbox after the scheduled run delivered it, exactly as under `npm start`.

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const HOUR = 3_600_000;

/** Runs a body in a fresh Chromium profile (another device), failing on any page or console error. */
async function onDevice(opts: Parameters<typeof launch>[0], body: (s: Session) => Promise<void>): Promise<void> {
  const session = await launch(opts);
  try {
    await body(session);
    expect(session.errors).toEqual([]);
  } finally {
    await session.close();
  }
}

function ticketRow(reference: string) {
  const [row] = sql<{ received_at: number; first_response_due_at: number; priority: string; time_zone: string | null }>(
    server,
    `SELECT received_at, first_response_due_at, priority, time_zone FROM tickets WHERE ref = ${lit(reference)}`,
  );
  if (!row) throw new Error(`no ticket ${reference}`);
  return row;
}

describe("the customer's email journey", () => {
  it("widget → acknowledgement → status page on another device → staff reply → notification → follow-up staff see", async () => {
    const email = `journey-${Date.now()}@example.test`;
    const zone = "Europe/Madrid";
    let reference = "";
    await onDevice({ timezoneId: zone, locale: "en-GB" }, async ({ page }) => {
      const w = new Widget(page);
      await page.goto(`${server.url}/demo/ecellar?lang=en`);
      await w.open();
      await w.topic("setup-problem", "normal");
      await w.details({ description: "Club shipments stopped syncing to the warehouse.", email, name: "Marta" });
      await w.replyBy.waitFor();
      const res = await w.send();
      expect(res.status()).toBe(201);
      reference = ((await res.json()) as { reference: string }).reference;
      await w.dialog.getByText("We've also emailed you a link to follow it from any device.", { exact: false }).waitFor();
    });

    const due = formatInstant(ticketRow(reference).first_response_due_at, zone, "en");
    const ack = await awaitMail(server, email, reference);
    expect(ack.subject).toBe(`[${reference}] We received your request: reply by ${due}`);
    expect(ack.text).toContain("Hello Marta,");
    expect(ack.text).toContain(`We received your request ${reference}`);
    expect(ack.text).toContain(`You will get a first reply by ${due}.`);
    const link = statusLink(ack);
    expect(link.startsWith(`${server.url}/t/${reference}?k=`)).toBe(true);

    const staff = await Staff.signIn(server, "ecellar");
    try {
      await onDevice({ timezoneId: zone, locale: "en-GB", width: 390, height: 844 }, async ({ page, context }) => {
        await page.goto(link);
        // The link token is exchanged for this ticket's cookie and leaves the address bar.
        expect(new URL(page.url()).pathname).toBe(`/t/${reference}`);
        expect(new URL(page.url()).search).toBe("");
        expect((await context.cookies()).some((c) => c.name === `__Host-rb_t_${reference}`)).toBe(true);
        await page.getByRole("heading", { name: `Your request ${reference}` }).waitFor();
        await page.getByRole("heading", { name: "Open: we're on it" }).waitFor();
        await page.locator("dd.due", { hasText: due }).waitFor();
        await page.getByText(`Times are shown in your time zone (${zone}).`).waitFor();
        await shot(page, "journey-01-status-from-ack");

        const dash = staff.session.page;
        await dash.goto(`${server.url}/dashboard/tickets/${reference}`);
        await dash.getByLabel(/^Reply to the customer/).fill("The warehouse key had expired; we renewed it. Do the shipments show now?");
        await dash.getByRole("button", { name: "Send reply" }).click();
        await dash.getByText("Reply sent to the customer.").waitFor();

        const note = await awaitMail(server, email, `[${reference}] New reply to your request`);
        expect(note.text).toContain("The warehouse key had expired; we renewed it.");
        await page.goto(statusLink(note));
        expect(new URL(page.url()).search).toBe("");
        await page.getByText("The warehouse key had expired; we renewed it.", { exact: false }).waitFor();
        await page.getByRole("heading", { name: "Answered: we replied" }).waitFor();

        await page.getByLabel("Your message").fill("Yes, all 38 shipments are there now. Thanks!");
        await page.getByRole("button", { name: "Send" }).click();
        await page.getByText("Message sent. We'll reply to you here and by email.").waitFor();
        await page.getByText("Yes, all 38 shipments are there now. Thanks!").waitFor();
        await shot(page, "journey-02-followed-up");

        await dash.goto(`${server.url}/dashboard/tickets/${reference}`);
        const followUp = dash.getByText("Yes, all 38 shipments are there now. Thanks!");
        await followUp.waitFor();
        await followUp.scrollIntoViewIfNeeded();
        await shot(dash, "journey-03-staff-sees-follow-up");
      });
    } finally {
      await staff.close();
    }
  });

  it('a CommerceUp "System Down" email becomes a C1 ticket due in two hours, acknowledged, with an on-call alert', async () => {
    const admin = await Staff.signIn(server, "commerceup");
    try {
      const dash = admin.session.page;
      // CommerceUp pages its on-call team for C1 outside business hours. Today is made a holiday
      // in its business calendar (an admin's own settings form), so the rule holds whatever time
      // the test runs at.
      const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Kolkata" }).format(Date.now());
      await dash.goto(`${server.url}/dashboard/settings/holidays`);
      const holidays = dash.getByLabel("Holidays");
      await holidays.fill(`${await holidays.inputValue()}\n${today}`);
      await dash.getByRole("button", { name: /^Save as version/ }).click();
      await dash.getByText("Saved as a new policy version.", { exact: false }).waitFor();

      const from = `ana-${Date.now()}@example.test`;
      const eml = [
        `From: Ana Ruiz <${from}>`,
        "To: help@commerceup.demo",
        "Subject: System Down: checkout shows a blank page",
        `Message-ID: <journey-${Date.now()}@example.test>`,
        `Date: ${new Date().toUTCString()}`,
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Since this morning no customer can pay.",
        "",
      ].join("\r\n");
      const res = await fetch(`${server.url}/cdn-cgi/local/email?from=${encodeURIComponent(from)}&to=help@commerceup.demo`, {
        method: "POST",
        body: eml,
      });
      expect(await res.text()).toContain("Worker successfully processed email");

      const [created] = sql<{ ref: string }>(server, `SELECT ref FROM tickets WHERE email = ${lit(from)}`);
      const reference = created?.ref ?? "";
      const row = ticketRow(reference);
      expect(row.priority).toBe("C1");
      expect(row.first_response_due_at - row.received_at).toBe(2 * HOUR);

      // No zone is known for a sender by mail: the acknowledgement speaks in the policy's (India).
      const due = formatInstant(row.first_response_due_at, "Asia/Kolkata", "en");
      const ack = await awaitMail(server, from, `[${reference}] We received your request: reply by ${due}`);
      expect(ack.text).toContain(`You will get a first reply by ${due}.`);
      expect(ack.text).toContain("Hello Ana Ruiz,");
      statusLink(ack);

      const alert = await awaitMail(server, "oncall@commerceup.demo", `[${reference}] New C1 — Critical ticket`);
      expect(alert.text).toContain(`First response due ${due}.`);
      expect(alert.text).toContain(`${server.url}/dashboard/tickets/${reference}`);

      await dash.goto(`${server.url}/dashboard/tickets/${reference}`);
      const facts = dash.locator("section[aria-labelledby=due-h]");
      // The priority's facts: C1 (by the subject rule; the default type alone classifies C3), due in two hours.
      await facts.locator("dd", { hasText: /^C1 — Critical/ }).waitFor();
      await facts.locator("dd", { hasText: /^due / }).first().waitFor();
      await dash.getByText("Since this morning no customer can pay.").first().waitFor();
      await shot(dash, "journey-04-c1-by-email-dashboard");
    } finally {
      await admin.close();
    }
  });
});
