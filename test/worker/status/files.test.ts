import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { attachments } from "../../../schema/db.ts";
import { Browser } from "../dashboard/helpers.ts";
import { createTicket, db, seed, ticketRow } from "../helpers.ts";
import { customerOn } from "./helpers.ts";

// Files on a ticket, from the status page: listed, and downloaded only by that ticket's customer,
// always as an attachment (never rendered inline, never sniffed).

let ref: string;
let otherRef: string;

beforeAll(async () => {
  await seed();
  ref = (await createTicket()).reference;
  otherRef = (await createTicket()).reference;
  const row = await ticketRow(ref);
  await env.FILES.put("m_ecellar/att_page", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>');
  await db.insert(attachments).values({
    id: "att_page",
    merchantId: row.merchantId,
    ticketId: row.id,
    author: "customer",
    name: 'screen "shot" ñ.svg',
    contentType: "image/svg+xml",
    size: 64,
    r2Key: "m_ecellar/att_page",
    createdAt: Date.now(),
  });
});

describe("files", () => {
  it("are listed on the page and download as an attachment, as octet-stream with nosniff", async () => {
    const { browser, html } = await customerOn(ref);
    expect(html).toContain(`href="/t/${ref}/files/att_page"`);
    expect(html).toContain("screen &quot;shot&quot; ñ.svg");
    const res = await browser.get(`/t/${ref}/files/att_page`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/octet-stream");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Content-Disposition")).toBe(
      `attachment; filename="screen _shot_ _.svg"; filename*=UTF-8''${encodeURIComponent('screen "shot" ñ.svg')}`,
    );
    expect(res.headers.get("Content-Security-Policy")).toContain("sandbox");
    expect(await res.text()).toContain("<svg");
  });

  it("are the same 404 for another ticket's customer, a stranger and an unknown id", async () => {
    const other = await customerOn(otherRef);
    const cross = await other.browser.get(`/t/${otherRef}/files/att_page`);
    expect(cross.status).toBe(404);
    expect(cross.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect((await new Browser().get(`/t/${ref}/files/att_page`)).status).toBe(404);
    const { browser } = await customerOn(ref);
    expect((await browser.get(`/t/${ref}/files/att_nope`)).status).toBe(404);
  });
});
