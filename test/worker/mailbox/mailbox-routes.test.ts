import { createExecutionContext, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../worker/app.ts";
import { call, createTicket, HOST, seed, settleEmails } from "../helpers.ts";

beforeAll(async () => {
  await seed();
});

describe("the local mailbox", () => {
  it("lists every email sent, newest first, as JSON", async () => {
    const first = `${crypto.randomUUID().slice(0, 8)}@example.test`;
    const second = `${crypto.randomUUID().slice(0, 8)}@example.test`;
    const a = await createTicket("demo-ecellar", { email: first });
    await settleEmails();
    const b = await createTicket("demo-ecellar", { email: second });
    await settleEmails();
    const res = await call("/dev/mailbox.json", { origin: null });
    expect(res.status).toBe(200);
    const mails = (await res.json()) as {
      from: string;
      to: string;
      subject: string;
      text: string;
      html: string;
      headers: Record<string, string>;
      sentAt: string;
    }[];
    const ours = mails.filter((m) => m.to === first || m.to === second);
    expect(ours.map((m) => m.to)).toEqual([second, first]);
    expect(ours[0]?.subject).toContain(b.reference);
    expect(ours[1]?.subject).toContain(a.reference);
    expect(ours[0]?.from).toBe("eCellar support <help@ecellar.demo>");
    expect(Object.keys(ours[0] ?? {}).sort()).toEqual(["from", "headers", "html", "sentAt", "subject", "text", "to"]);
  });

  it("shows the emails as a page, and each email's HTML sandboxed", async () => {
    const page = await call("/dev/mailbox", { origin: null });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<h1>Local mailbox</h1>");
    const one = /href="(\/dev\/mailbox\/[\w-]+\.html)"/.exec(html)?.[1] ?? "";
    const mail = await call(one, { origin: null });
    expect(mail.status).toBe(200);
    expect(mail.headers.get("Content-Security-Policy")).toMatch(/^sandbox;/);
  });

  it("does not exist in production (no DEV_MODE)", async () => {
    const production = { ...env, DEV_MODE: undefined };
    for (const path of ["/dev/mailbox", "/dev/mailbox.json"]) {
      const res = await createApp().fetch(new Request(`${HOST}${path}`), production, createExecutionContext());
      expect(res.status).toBe(404);
    }
  });
});
