import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { attachments } from "../../../schema/db.ts";
import { MAX_FILE_BYTES } from "../../../worker/attachments/store.ts";
import { blob, file, objectsUnder, pngBytes, rowsOf } from "../attachments/support.ts";
import { Browser } from "../dashboard/helpers.ts";
import { createTicket, db, seed, ticketRow } from "../helpers.ts";
import { around } from "../security/support/http.ts";
import { changed } from "../security/support/state.ts";
import { customerOn } from "./helpers.ts";

// Files on a ticket, from the status page: attached to a message by a form that works without
// JavaScript (multipart, with the session's form token), listed on the conversation and in the
// files card, and downloaded only by that ticket's customer, always as an attachment (never
// rendered inline, never sniffed).

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

describe("attaching files to a message", () => {
  it("the message form is multipart with a file input, and sends text and files together", async () => {
    const ref = (await createTicket()).reference;
    const { browser, html } = await customerOn(ref);
    expect(html).toMatch(/<form method="post" action="\/t\/[^"]+\/message" enctype="multipart\/form-data">/);
    expect(html).toContain('<input id="message-files" type="file" name="file" multiple');
    const res = await browser.postFiles(`/t/${ref}/message`, { body: "The screenshot" }, [file("screen.png", pngBytes(300))]);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/t/${ref}?done=message`);
    const row = await ticketRow(ref);
    const [stored] = await rowsOf(row.id);
    expect(stored).toMatchObject({ name: "screen.png", contentType: "image/png", size: 300, author: "customer" });
    const page = await (await browser.get(`/t/${ref}`)).text();
    expect(page).toContain(`href="/t/${ref}/files/${stored?.id}"`);
    const got = await browser.get(`/t/${ref}/files/${stored?.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get("Content-Type")).toBe("image/png");
    expect(got.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(pngBytes(300));
  });

  it("takes a message with an empty file input as a plain message", async () => {
    const ref = (await createTicket()).reference;
    const { browser } = await customerOn(ref);
    const res = await browser.postFiles(`/t/${ref}/message`, { body: "No file" }, [new File([], "")]);
    expect(res.status).toBe(303);
    expect(await rowsOf((await ticketRow(ref)).id)).toEqual([]);
  });

  it("is 403 without the session's form token, and writes nothing", async () => {
    const ref = (await createTicket()).reference;
    const { browser } = await customerOn(ref);
    const csrf = browser.csrf;
    browser.csrf = "0".repeat(64);
    const {
      result: res,
      before,
      after,
    } = await around(() => browser.postFiles(`/t/${ref}/message`, { body: "x" }, [file("a.png", pngBytes())]));
    browser.csrf = csrf;
    expect(res.status).toBe(403);
    expect(changed(before, after)).toEqual([]);
    const row = await ticketRow(ref);
    expect(await objectsUnder(`${row.merchantId}/${row.id}/`)).toEqual([]);
  });

  it("is the same 404 without a session, and reads no file", async () => {
    const ref = (await createTicket()).reference;
    const stranger = new Browser();
    const {
      result: res,
      before,
      after,
    } = await around(() => stranger.postFiles(`/t/${ref}/message`, { body: "x" }, [file("a.png", pngBytes())]));
    expect(res.status).toBe(404);
    expect(changed(before, after)).toEqual([]);
  });

  it("refuses a file over 10 MB with 413 and the page with the reason, writing nothing", async () => {
    const ref = (await createTicket()).reference;
    const { browser } = await customerOn(ref);
    const {
      result: res,
      before,
      after,
    } = await around(() => browser.postFiles(`/t/${ref}/message`, { body: "big" }, [file("video.mov", blob(MAX_FILE_BYTES + 1))]));
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("video.mov: The file is larger than 10 MB");
    expect(changed(before, after)).toEqual([]);
    const row = await ticketRow(ref);
    expect(await objectsUnder(`${row.merchantId}/${row.id}/`)).toEqual([]);
  });
});
