import { beforeAll, describe, expect, it } from "vitest";
import { formatInstant } from "../../../worker/engine/format.ts";
import { texts } from "../../../worker/status/text.ts";
import { type Browser, signedIn } from "../dashboard/helpers.ts";
import { createTicket, seed, ticketRow } from "../helpers.ts";
import { changed, fingerprint } from "../security/support/state.ts";
import { customerOn } from "./helpers.ts";

// A customer who writes in Spanish (ECShops speaks Spanish first) reads the whole status page in
// Spanish: its facts, its forms and the reasons for a refusal — no English left in between.

let staff: Browser;
beforeAll(async () => {
  await seed();
  staff = await signedIn("agent@ecshops.demo");
});

const es = texts("es");
const en = texts("en");
const spanish = { issueType: "incident", severity: "question", locale: "es", timeZone: "Europe/Madrid" };

/** The page's visible text, without tags, so English can be looked for in what the customer reads. */
const visible = (html: string) =>
  html
    .replace(/<head>[\s\S]*<\/head>/, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");

describe("the status page in Spanish", () => {
  it("shows status, the due time in the customer's zone, the zone note and the forms in Spanish, under the site's Spanish title", async () => {
    const t = await createTicket("demo-ecshops", { ...spanish, description: "El informe de ventas sale vacío." });
    const { html } = await customerOn(t.reference);
    const due = (await ticketRow(t.reference)).firstResponseDueAt ?? 0;
    expect(html).toContain('<html lang="es"');
    expect(html).toContain("Soporte de ECShops");
    const text = visible(html);
    for (const line of [
      `${es.title} ${t.reference}`,
      es.statuses.open,
      `${es.firstResponseDue} ${formatInstant(due, "Europe/Madrid", "es")}`,
      es.zoneNote("Europe/Madrid"),
      es.followUp,
      es.closeTitle,
    ]) {
      expect(text).toContain(line);
    }
    for (const english of [en.title, en.statuses.open, en.firstResponseDue, "Times are shown", en.followUp, en.closeTitle, en.send]) {
      expect(text).not.toContain(english);
    }
  });

  it("says the clock is paused while it waits for the customer's answer", async () => {
    const t = await createTicket("demo-ecshops", spanish);
    const res = await staff.post(`/dashboard/tickets/${t.reference}/request-info`, { body: "¿Qué tienda es?" });
    expect(res.status).toBe(303);
    const text = visible((await customerOn(t.reference)).html);
    expect(text).toContain(es.statuses["waiting-on-customer"]);
    expect(text).toContain(es.pausedNote);
    expect(text).toContain(es.answer);
  });

  it("gives the reason for a refusal in Spanish, writing nothing", async () => {
    const t = await createTicket("demo-ecshops", spanish);
    const { browser } = await customerOn(t.reference);
    const before = await fingerprint();
    const reopen = await browser.post(`/t/${t.reference}/reopen`, { body: "Sigue fallando." });
    expect(reopen.status).toBe(409);
    const page = visible(await reopen.text());
    expect(page).toContain(es.problems.stillOpen);
    expect(page).not.toContain("This request is still open");
    const empty = await browser.post(`/t/${t.reference}/message`, { body: "  " });
    expect(empty.status).toBe(400);
    expect(visible(await empty.text())).toContain(es.problems.writeMessage);
    expect(changed(before, await fingerprint())).toEqual([]);
  });

  it("has every text of the English page in Spanish too", () => {
    const keys = (o: object): string[] =>
      Object.entries(o).flatMap(([k, v]) => (v && typeof v === "object" ? keys(v).map((x) => `${k}.${x}`) : [k]));
    expect(keys(es).sort()).toEqual(keys(en).sort());
  });
});
