import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { TicketView } from "../../../schema/api.ts";
import { devMailbox } from "../../../schema/db.ts";
import { MAX_FILES_PER_MESSAGE } from "../../../worker/attachments/store.ts";
import { file, objectsUnder, pngBytes, rowsOf } from "../attachments/support.ts";
import { call, createTicket, db, settleEmails, ticketRow } from "../helpers.ts";
import { around } from "../security/support/http.ts";
import { changed } from "../security/support/state.ts";
import { signInBeforeAll } from "./helpers.ts";

// Staff attach files to a reply (a multipart form that works without JavaScript, with the form
// token), see every file of the ticket on its page and download them as attachments; another
// merchant's staff get the same 404 as for a missing file. The customer's email names the files
// and carries none of them.

const { ecellar, commerceup } = signInBeforeAll({ ecellar: "agent@ecellar.demo", commerceup: "agent@commerceup.demo" });

const unique = () => `${crypto.randomUUID().slice(0, 8)}@example.test`;

async function withCustomerFile() {
  const email = unique();
  const t = await createTicket("demo-ecellar", { email });
  const form = new FormData();
  form.set("body", "my screenshot");
  form.append("file", file("customer.png", pngBytes(128)));
  const res = await call(`/v1/tickets/${t.reference}/attachments`, { body: form, headers: { Authorization: `Bearer ${t.accessToken}` } });
  expect(res.status).toBe(200);
  const id = ((await res.json()) as TicketView).events.at(-1)?.attachments?.[0]?.id as string;
  return { ...t, email, id };
}

describe("a staff reply with files", () => {
  it("is sent from a multipart form: the file is stored as staff's, listed on the reply and named in the customer's email", async () => {
    const { reference, email } = await withCustomerFile();
    const page = await (await ecellar.get(`/dashboard/tickets/${reference}`)).text();
    expect(page).toMatch(/<form method="post" action="\/dashboard\/tickets\/[^"]+\/reply" enctype="multipart\/form-data">/);
    expect(page).toContain('<input id="reply-files" type="file" name="file" multiple');
    const res = await ecellar.postFiles(`/dashboard/tickets/${reference}/reply`, { body: "Try these steps." }, [
      file("steps.pdf", "%PDF-1.4 steps"),
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/dashboard/tickets/${reference}?done=reply`);
    const t = await ticketRow(reference);
    expect(t.status).toBe("responded");
    const rows = await rowsOf(t.id);
    expect(rows.map((r) => [r.name, r.author, r.contentType])).toEqual([
      ["customer.png", "customer", "image/png"],
      ["steps.pdf", "staff", "application/pdf"],
    ]);
    await settleEmails();
    const mail = (await db.select().from(devMailbox).where(eq(devMailbox.recipient, email))).find((m) =>
      m.text.includes("Support replied"),
    );
    expect(mail?.subject).toContain(reference);
    expect(mail?.text).toContain("Try these steps.");
    expect(mail?.text).toContain("Files with this reply (download them from your request's page):");
    expect(mail?.text).toContain("steps.pdf");
    expect(mail?.text).not.toContain("%PDF");
    expect(mail?.html).toContain("steps.pdf");
  });

  it("may carry files and no text", async () => {
    const { reference } = await createTicket();
    const res = await ecellar.postFiles(`/dashboard/tickets/${reference}/reply`, { body: "" }, [file("log.txt", "line 1\nline 2\n")]);
    expect(res.status).toBe(303);
    expect((await rowsOf((await ticketRow(reference)).id)).map((r) => r.contentType)).toEqual(["text/plain; charset=utf-8"]);
  });

  it("is 403 without the form token, and writes nothing in D1 or R2", async () => {
    const { reference } = await createTicket();
    const t = await ticketRow(reference);
    const csrf = ecellar.csrf;
    ecellar.csrf = "";
    const {
      result: res,
      before,
      after,
    } = await around(() => ecellar.postFiles(`/dashboard/tickets/${reference}/reply`, { body: "x" }, [file("a.png", pngBytes())]));
    ecellar.csrf = csrf;
    expect(res.status).toBe(403);
    expect(changed(before, after)).toEqual([]);
    expect(await objectsUnder(`${t.merchantId}/${t.id}/`)).toEqual([]);
  });

  it("is refused from another site (Origin), and writes nothing", async () => {
    const { reference } = await createTicket();
    const {
      result: res,
      before,
      after,
    } = await around(() =>
      ecellar.postFiles(`/dashboard/tickets/${reference}/reply`, { body: "x" }, [file("a.png", pngBytes())], {
        origin: "https://evil.example",
      }),
    );
    expect(res.status).toBe(403);
    expect(changed(before, after)).toEqual([]);
  });

  it(`refuses more than ${MAX_FILES_PER_MESSAGE} files with 422 and the page, writing nothing`, async () => {
    const { reference } = await createTicket();
    const t = await ticketRow(reference);
    const files = Array.from({ length: MAX_FILES_PER_MESSAGE + 1 }, (_, i) => file(`f${i}.txt`, `f${i}`));
    const {
      result: res,
      before,
      after,
    } = await around(() => ecellar.postFiles(`/dashboard/tickets/${reference}/reply`, { body: "x" }, files));
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("A message can carry at most 10 files");
    expect(changed(before, after)).toEqual([]);
    expect(await objectsUnder(`${t.merchantId}/${t.id}/`)).toEqual([]);
  });

  it("on another merchant's ticket is the same 404 as a missing ticket, and stores nothing", async () => {
    const { reference } = await createTicket();
    const t = await ticketRow(reference);
    const {
      result: res,
      before,
      after,
    } = await around(() => commerceup.postFiles(`/dashboard/tickets/${reference}/reply`, { body: "x" }, [file("a.png", pngBytes())]));
    expect(res.status).toBe(404);
    expect(changed(before, after)).toEqual([]);
    expect(await objectsUnder(`${t.merchantId}/${t.id}/`)).toEqual([]);
  });
});

describe("the ticket page's files", () => {
  it("lists every file with a download link, served as an attachment with nosniff", async () => {
    const { reference, id } = await withCustomerFile();
    const page = await (await ecellar.get(`/dashboard/tickets/${reference}`)).text();
    expect(page).toContain('<h2 id="files-h">Files</h2>');
    expect(page).toContain(`href="/dashboard/tickets/${reference}/files/${id}"`);
    const res = await ecellar.get(`/dashboard/tickets/${reference}/files/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="customer.png"; filename*=UTF-8''customer.png`);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Content-Security-Policy")).toBe("default-src 'none'; sandbox");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(pngBytes(128));
  });

  it("is the same 404 for another merchant's staff, another ticket's path and an unknown id", async () => {
    const { reference, id } = await withCustomerFile();
    const other = (await createTicket()).reference;
    const missing = await ecellar.get(`/dashboard/tickets/${reference}/files/att_missing`);
    expect(missing.status).toBe(404);
    expect((await commerceup.get(`/dashboard/tickets/${reference}/files/${id}`)).status).toBe(404);
    expect((await ecellar.get(`/dashboard/tickets/${other}/files/${id}`)).status).toBe(404);
  });
});
