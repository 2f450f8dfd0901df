import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { devMailbox, staff } from "../../../schema/db.ts";
import { deliverDue } from "../../../worker/outbox/delivery.ts";
import { Browser, formTokenIn } from "../dashboard/helpers.ts";
import { db } from "../helpers.ts";

/** A password long enough for the form. */
export const PASSWORD = "correct horse battery";

/** A fresh address no other test signs up with. */
export const freshEmail = () => `owner-${crypto.randomUUID().slice(0, 8)}@shop.test`;

/** Posts the sign-up form as a browser does: the page first (its pre-login cookie and form token), then the form. */
export async function postSignup(b: Browser, fields: Record<string, string>): Promise<Response> {
  const page = await b.get("/dashboard/signup");
  const token = formTokenIn(await page.text());
  return b.request("/dashboard/signup", { form: { _csrf: token, locale: "en", ...fields } });
}

/** Delivers what the outbox holds, through the real send_email binding, and returns the mails to `to`, newest first. */
export async function mailTo(to: string, now = Date.now()) {
  await deliverDue(env, now);
  const rows = await db.select().from(devMailbox).where(eq(devMailbox.recipient, to));
  return rows.sort((a, b) => b.sentAt - a.sentAt);
}

/** The verification link's token in a mail's text. */
export function linkToken(text: string): string {
  const m = /\/dashboard\/verify\?k=([A-Za-z0-9_-]{43})/.exec(text);
  if (!m?.[1]) throw new Error(`no verification link in:\n${text}`);
  return m[1];
}

/** Follows a verification link: the page, then its confirm button. */
export async function confirm(b: Browser, token: string): Promise<Response> {
  const page = await b.get(`/dashboard/verify?k=${token}`);
  const html = await page.text();
  // A dead link's page has no form: the token of the same pre-login cookie, as a page drawn earlier would hold.
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? formTokenIn(await (await b.get("/dashboard/login")).text());
  return b.request("/dashboard/verify", { form: { _csrf: csrf, k: token } });
}

/** Signs up, verifies from the mailbox and signs in: a browser of the new merchant's admin. */
export async function signedUpAdmin(merchant = "Acme Shoes"): Promise<{ browser: Browser; email: string; merchantId: string }> {
  const b = new Browser();
  const email = freshEmail();
  const res = await postSignup(b, { merchant, email, password: PASSWORD });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status}`);
  const [mail] = await mailTo(email);
  await confirm(b, linkToken(mail?.text ?? ""));
  const login = await b.login(email, PASSWORD);
  if (login.status !== 303) throw new Error(`sign-in failed: ${login.status}`);
  const member = await db.query.staff.findFirst({ where: eq(staff.email, email) });
  return { browser: b, email, merchantId: member?.merchantId ?? "" };
}
