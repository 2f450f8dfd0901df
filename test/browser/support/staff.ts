import { DEMO_PASSWORD } from "../../../worker/dev/seed.ts";
import { launch, type Session } from "./browser.ts";
import { lit, sql, type TestServer } from "./server.ts";

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
  async sendQuote(reference: string, amount: string, scope?: string): Promise<void> {
    const page = this.session.page;
    await page.goto(`${this.server.url}/dashboard/tickets/${reference}`);
    await page.getByLabel("Amount").fill(amount);
    if (scope) await page.getByLabel("Note to the customer (scope, assumptions)").fill(scope);
    await page.getByRole("button", { name: "Send quote" }).click();
    await page.getByText("Quote updated.").waitFor();
  }

  /** Asks the customer for information: the ticket then waits on them, its clock paused. */
  async requestInfo(reference: string, question: string): Promise<void> {
    const page = this.session.page;
    await page.goto(`${this.server.url}/dashboard/tickets/${reference}`);
    await page.getByLabel(/^Ask for information/).fill(question);
    await page.getByRole("button", { name: "Request info" }).click();
    await page.getByText("Information requested: the clock is paused until the customer answers.").waitFor();
  }

  /** Announces a known issue, which the widget lists before the customer picks a topic. */
  async announceIncident(title: string, body: string): Promise<void> {
    const page = this.session.page;
    await page.goto(`${this.server.url}/dashboard/incidents`);
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("What customers should know").fill(body);
    await page.getByRole("button", { name: "Announce" }).click();
    await page.getByText("Incident announced: the widget shows it now.").waitFor();
  }

  close(): Promise<void> {
    return this.session.close();
  }
}

/** Tickets the server holds for an email: the proof that a submission landed exactly once. */
export function ticketsFor(server: TestServer, email: string): { ref: string; description: string }[] {
  return sql<{ ref: string; description: string }>(server, `SELECT ref, description FROM tickets WHERE email = ${lit(email)}`);
}

/** The quote's status on a ticket, as the server holds it. */
export function quoteStatus(server: TestServer, reference: string): string | undefined {
  return sql<{ status: string }>(
    server,
    `SELECT q.status AS status FROM quotes q JOIN tickets t ON t.id = q.ticket_id WHERE t.ref = ${lit(reference)}`,
  )[0]?.status;
}
