import { expect } from "vitest";
import { issueLink } from "../../../worker/status/links.ts";
import { sessionCookie, statusFormToken } from "../../../worker/status/routes.tsx";
import { Browser } from "../dashboard/helpers.ts";
import { db, ticketRow } from "../helpers.ts";

/** A fresh link to a ticket's status page, as an email carries it. */
export async function linkTo(reference: string, now = Date.now()): Promise<string> {
  return issueLink(db, await ticketRow(reference), now);
}

/**
 * A browser on another device: opens the emailed link, follows the redirect to the clean page and
 * keeps the session's form token (a closed request's page has no form to read it from). Answers
 * the browser and the page's HTML.
 */
export async function customerOn(reference: string): Promise<{ browser: Browser; html: string }> {
  const browser = new Browser();
  const res = await browser.get(await linkTo(reference));
  expect(res.status).toBe(303);
  const page = await browser.get(`/t/${reference}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  browser.csrf = await statusFormToken(browser.cookies.get(sessionCookie(reference)) ?? "");
  return { browser, html };
}

/** A page with its per-response nonce and form token blanked, so two answers can be compared byte for byte. */
export function comparable(html: string): string {
  return html.replace(/nonce="[^"]+"/g, 'nonce=""').replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""');
}
