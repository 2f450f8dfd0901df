import type { Page } from "playwright-core";
import { expect } from "vitest";
import { DEMO_PASSWORD } from "../../../worker/dev/seed.ts";
import { launch, type Session } from "./browser.ts";
import { lit, sql, type TestServer } from "./server.ts";

/**
 * Runs a test body in a fresh Chromium profile set up as the staff's (Los Angeles, en-US),
 * failing on any page error, console error (CSP) or dialog other than the `expected` errors
 * (Chromium logs each 400 page a refused form answers).
 */
export async function withStaffBrowser(body: (s: Session) => Promise<void>, expected: readonly string[] = []): Promise<void> {
  const session = await launch({ timezoneId: "America/Los_Angeles", locale: "en-US" });
  const dialogs: string[] = [];
  session.page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  try {
    await body(session);
    expect(session.errors).toEqual(expected);
    expect(dialogs).toEqual([]);
  } finally {
    await session.close();
  }
}

/** Signs in through the dashboard's login form and waits for the queue. */
export async function signInAs(page: Page, url: string, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${url}/dashboard/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Queue" }).waitFor();
}

/**
 * A staff member of one demo merchant, signed in to the real dashboard in their own browser, so
 * what the customer sees in the widget comes from real staff actions end to end.
 */
export class Staff {
  readonly session: Session;
  readonly server: TestServer;

  private constructor(session: Session, server: TestServer) {
    this.session = session;
    this.server = server;
  }

  /** Signs in as `admin@<preset>.demo` (the seeded demo login). */
  static async signIn(server: TestServer, preset: string): Promise<Staff> {
    const session = await launch({ timezoneId: "America/Los_Angeles", locale: "en-US" });
    const page = session.page;
    await page.goto(`${server.url}/dashboard/login`);
    await page.getByLabel("Email").fill(`admin@${preset}.demo`);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Queue" }).waitFor();
    return new Staff(session, server);
  }

  /** Quotes a ticket (amount in major units, in the policy's currency), with what it covers when given. */
  sendQuote(reference: string, amount: string, scope?: string): Promise<void> {
    const fields: [string, string][] = [["Amount", amount]];
    if (scope) fields.push(["Note to the customer (scope, assumptions)", scope]);
    return this.submit(`/dashboard/tickets/${reference}`, fields, "Send quote", "Quote updated.");
  }

  /** Asks the customer for information: the ticket then waits on them, its clock paused. */
  requestInfo(reference: string, question: string): Promise<void> {
    return this.submit(
      `/dashboard/tickets/${reference}`,
      [[/^Ask for information/, question]],
      "Request info",
      "Information requested: the clock is paused until the customer answers.",
    );
  }

  /** Resolves a ticket with a note the customer sees. */
  resolve(reference: string, note: string): Promise<void> {
    return this.submit(
      `/dashboard/tickets/${reference}`,
      [["Resolution note (optional, visible to the customer)", note]],
      "Resolve",
      "Ticket resolved.",
    );
  }

  /** Announces a known issue, which the widget lists before the customer picks a topic. */
  announceIncident(title: string, body: string): Promise<void> {
    return this.submit(
      "/dashboard/incidents",
      [
        // ECShops writes in Spanish first; English is the optional second field.
        [/^Title \(Spanish\)$/, title],
        [/^What customers should know \(Spanish\)$/, body],
      ],
      "Announce",
      "Incident announced: the widget shows it now.",
    );
  }

  /** Opens a dashboard page, fills fields by their labels, presses a button and waits for the notice that confirms it. */
  private async submit(path: string, fields: [string | RegExp, string][], button: string, notice: string): Promise<void> {
    const page = this.session.page;
    await page.goto(`${this.server.url}${path}`);
    for (const [label, value] of fields) await page.getByLabel(label).fill(value);
    await page.getByRole("button", { name: button }).click();
    await page.getByText(notice).waitFor();
  }

  close(): Promise<void> {
    return this.session.close();
  }
}

/** Tickets the server holds for an email: the proof that a submission landed exactly once. */
export function ticketsFor(server: TestServer, email: string): { ref: string; description: string }[] {
  return sql<{ ref: string; description: string }>(server, `SELECT ref, description FROM tickets WHERE email = ${lit(email)}`);
}

/** The earlier request a ticket continues, as the server holds it. */
export function followsOf(server: TestServer, reference: string): string | null | undefined {
  return sql<{ follows: string | null }>(server, `SELECT follows_ref AS follows FROM tickets WHERE ref = ${lit(reference)}`)[0]?.follows;
}

/** The quote's status on a ticket, as the server holds it. */
export function quoteStatus(server: TestServer, reference: string): string | undefined {
  return sql<{ status: string }>(
    server,
    `SELECT q.status AS status FROM quotes q JOIN tickets t ON t.id = q.ticket_id WHERE t.ref = ${lit(reference)}`,
  )[0]?.status;
}
