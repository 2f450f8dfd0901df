import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { incidents } from "../../../schema/db.ts";
import { call, db } from "../helpers.ts";
import { signInBeforeAll } from "./helpers.ts";

const { ecellar, commerceup } = signInBeforeAll({ ecellar: "agent@ecellar.demo", commerceup: "agent@commerceup.demo" });

async function widgetIncidents(siteKey: string) {
  const res = await call(`/v1/sites/${siteKey}/config`);
  return ((await res.json()) as { incidents: { title: string; body: string }[] }).incidents;
}

async function announce(title: string) {
  const res = await ecellar.post("/dashboard/incidents", { title, body: "Orders fail at payment; we are on it." });
  expect(res.status).toBe(303);
  const row = await db.query.incidents.findFirst({ where: and(eq(incidents.merchantId, "m_ecellar"), eq(incidents.title, title)) });
  if (!row) throw new Error("not announced");
  return row;
}

describe("incidents", () => {
  it("announces an incident the widget shows before a customer files", async () => {
    await announce("Payments failing");
    expect(await widgetIncidents("demo-ecellar")).toContainEqual(
      expect.objectContaining({ title: "Payments failing", body: "Orders fail at payment; we are on it." }),
    );
  });

  it("lists open incidents on the page", async () => {
    await announce("Slow admin");
    expect(await (await ecellar.get("/dashboard/incidents")).text()).toContain("Slow admin");
  });

  it("never shows an incident to another merchant's widget or staff", async () => {
    await announce("Only eCellar");
    expect((await widgetIncidents("demo-commerceup")).map((i) => i.title)).not.toContain("Only eCellar");
    expect(await (await commerceup.get("/dashboard/incidents")).text()).not.toContain("Only eCellar");
  });

  it("ends an incident, which leaves the widget", async () => {
    const row = await announce("Email delays");
    const res = await ecellar.post(`/dashboard/incidents/${row.id}/end`);
    expect(res.status).toBe(303);
    expect((await widgetIncidents("demo-ecellar")).map((i) => i.title)).not.toContain("Email delays");
    expect((await db.query.incidents.findFirst({ where: eq(incidents.id, row.id) }))?.endedAt).not.toBeNull();
  });

  it("is a 404 to end another merchant's incident, which stays open", async () => {
    const row = await announce("Not yours");
    expect((await commerceup.post(`/dashboard/incidents/${row.id}/end`)).status).toBe(404);
    expect((await db.query.incidents.findFirst({ where: eq(incidents.id, row.id) }))?.endedAt).toBeNull();
  });

  it("refuses an announcement without a title, keeping what was typed", async () => {
    const res = await ecellar.post("/dashboard/incidents", { title: " ", body: "Keep this text" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("<code>title</code>");
    expect(html).toContain("Keep this text");
  });

  it("announces an incident in each of the policy's locales, which the widget shows per locale", async () => {
    const res = await ecellar.post("/dashboard/incidents", {
      title: "Label printing down",
      body: "Labels fail to print; we are on it.",
      "title.es": "Impresión de etiquetas caída",
      "body.es": "Las etiquetas no se imprimen; estamos en ello.",
    });
    expect(res.status).toBe(303);
    const row = await db.query.incidents.findFirst({ where: eq(incidents.title, "Label printing down") });
    expect(row?.titleLocal).toEqual({ en: "Label printing down", es: "Impresión de etiquetas caída" });
    const es = await (await call("/v1/sites/demo-ecellar/config?locale=es")).json();
    expect((es as { incidents: { title: string; body: string }[] }).incidents).toContainEqual(
      expect.objectContaining({ title: "Impresión de etiquetas caída", body: "Las etiquetas no se imprimen; estamos en ello." }),
    );
  });

  it("offers one title field per locale, the first required and the others optional", async () => {
    const html = await (await ecellar.get("/dashboard/incidents")).text();
    expect(html).toMatch(/<label[^>]*for="incident-title"[^>]*>Title \(English\)<\/label>/);
    expect(html).toMatch(/<label[^>]*for="incident-title-es"[^>]*>Title \(Spanish, optional\)<\/label>/);
  });

  it("refuses a translation that is too long, keeping what was typed and announcing nothing", async () => {
    const res = await ecellar.post("/dashboard/incidents", { title: "Too long es", body: "b", "title.es": "x".repeat(121) });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("<code>title.es</code>");
    expect(html).toContain("Too long es");
    expect(await db.query.incidents.findFirst({ where: eq(incidents.title, "Too long es") })).toBeUndefined();
  });
});
