import type { Locator, Page, Response } from "playwright-core";
import { expect } from "vitest";
import { launch, type Session } from "./browser.ts";

/** The focused element as a short description, looking inside open shadow roots. */
export function deepFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return "";
    const part = el.getAttribute("part");
    return `${el.tagName.toLowerCase()}${part ? `[part=${part}]` : ""}${el.id ? `#${el.id}` : ""}|${(el.textContent ?? "").trim().slice(0, 60)}`;
  });
}

/** Drives the widget the way a customer does, through roles and labels (Playwright pierces open shadow roots). */
export class Widget {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** The loader's launcher button. */
  get launcher(): Locator {
    return this.page.locator("replyby-root [part=launcher]");
  }

  /** The help dialog. */
  get dialog(): Locator {
    return this.page.getByRole("dialog");
  }

  /** The dialog's polite live region. */
  get status(): Locator {
    return this.dialog.locator("[role=status]");
  }

  /** Opens the dialog from the launcher and waits for the first step. */
  async open(): Promise<void> {
    await this.launcher.click();
    await this.dialog.locator("input[name=issueType]").first().waitFor();
  }

  /** Step 1: picks an issue type and severity by id, then continues. */
  async topic(issueType: string, severity: string, continueLabel = /^(Continue|Continuar)$/): Promise<void> {
    await this.dialog.locator(`input[name=issueType][value="${issueType}"]`).check();
    await this.dialog.locator(`input[name=severity][value="${severity}"]`).check();
    await this.dialog.getByRole("button", { name: continueLabel }).click();
    await this.dialog.locator("textarea#description").waitFor();
  }

  /** Step 2: fills the details and continues to the review. */
  async details(fields: { description: string; email: string; name?: string }, continueLabel = /^(Continue|Continuar)$/): Promise<void> {
    await this.dialog.locator("textarea#description").fill(fields.description);
    await this.dialog.locator("input#email").fill(fields.email);
    if (fields.name) await this.dialog.locator("input#name").fill(fields.name);
    await this.dialog.getByRole("button", { name: continueLabel }).click();
  }

  /** The reply-by box of the review step, once the window endpoint answered. */
  get replyBy(): Locator {
    return this.dialog.locator("[part=reply-by]");
  }

  /** Step 3: sends and waits for the ticket creation's response. */
  async send(sendLabel = /^(Send request|Enviar solicitud)$/): Promise<Response> {
    const created = this.page.waitForResponse((r) => r.url().includes("/tickets") && r.request().method() === "POST");
    await this.dialog.getByRole("button", { name: sendLabel }).click();
    return created;
  }

  /** The reference shown once the ticket landed. */
  get reference(): Locator {
    return this.dialog.locator("[part=reference]");
  }

  /** Files a request (topic, details, reply-by shown, send) and opens its status view; its reference. */
  async fileAndView(issueType: string, severity: string, fields: { description: string; email: string; name?: string }): Promise<string> {
    await this.topic(issueType, severity);
    await this.details(fields);
    await this.replyBy.waitFor();
    const { reference } = (await (await this.send()).json()) as { reference: string };
    await this.dialog.getByRole("button", { name: "View status" }).click();
    await this.dialog.getByRole("heading", { name: `Request ${reference}` }).waitFor();
    return reference;
  }
}

/** Runs a test body with a fresh Chromium profile and the widget on its page, failing on any page or console error. */
export async function withBrowser(opts: Parameters<typeof launch>[0], body: (s: Session, w: Widget) => Promise<void>): Promise<void> {
  const session = await launch(opts);
  try {
    await body(session, new Widget(session.page));
    expect(session.errors).toEqual([]);
  } finally {
    await session.close();
  }
}
