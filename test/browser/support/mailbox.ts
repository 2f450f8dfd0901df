import type { TestServer } from "./server.ts";

/** One email as the local mailbox (`/dev/mailbox.json`) lists it. */
export interface Mail {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: Record<string, string>;
  readonly sentAt: string;
}

/** Runs the worker's scheduled handler once, as `npm start` does every minute (it delivers the outbox). */
export async function runScheduled(server: TestServer): Promise<void> {
  const res = await fetch(`${server.url}/cdn-cgi/local/scheduled`);
  if (!res.ok) throw new Error(`scheduled run failed: ${res.status} ${await res.text()}`);
}

/** Every email in the local mailbox, newest first. */
export async function mailbox(server: TestServer): Promise<Mail[]> {
  const res = await fetch(`${server.url}/dev/mailbox.json`);
  if (!res.ok) throw new Error(`mailbox: ${res.status}`);
  return (await res.json()) as Mail[];
}

/**
 * The newest email to `to` whose subject matches, after the scheduled run delivered the outbox.
 * Runs the scheduled handler until it is there (a delivery the run has not reached yet is left
 * to the next one), failing after a few runs.
 */
export async function awaitMail(server: TestServer, to: string, subject: RegExp | string): Promise<Mail> {
  for (let attempt = 0; attempt < 10; attempt++) {
    await runScheduled(server);
    const found = (await mailbox(server)).find(
      (m) => m.to === to.toLowerCase() && (typeof subject === "string" ? m.subject.includes(subject) : subject.test(m.subject)),
    );
    if (found) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `no email to ${to} matching ${String(subject)}; the mailbox holds:\n${(await mailbox(server)).map((m) => `${m.to}: ${m.subject}`).join("\n")}`,
  );
}

/** The status-page link an email's text carries (absolute, with its link token). */
export function statusLink(mail: Mail): string {
  const url = /https?:\/\/\S+\/t\/RB-[0-9A-Z]{4}-[0-9A-Z]{4}\?k=[\w-]+/.exec(mail.text)?.[0];
  if (!url) throw new Error(`no status link in:\n${mail.text}`);
  return url;
}
