import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { incidents, merchants, staff } from "../../../schema/db.ts";
import { createTicket, db, seed, ticketRow } from "../helpers.ts";
import { Browser, refOf, signedIn } from "./helpers.ts";

beforeAll(async () => {
  await seed();
});

describe("response headers", () => {
  it("sends a CSP whose script nonce is the one on the page's script tag", async () => {
    const b = await signedIn("agent@ecellar.demo");
    const res = await b.get("/dashboard/queue");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(await res.text()).toContain(`<script nonce="${nonce}" src="/dashboard/assets/app.js`);
  });

  it("uses a new nonce for every response", async () => {
    const b = await signedIn("agent@ecellar.demo");
    const a = (await b.get("/dashboard/queue")).headers.get("Content-Security-Policy");
    const c = (await b.get("/dashboard/queue")).headers.get("Content-Security-Policy");
    expect(a).not.toBe(c);
  });

  it("forbids framing, plugins and foreign form targets", async () => {
    const res = await new Browser().get("/dashboard/login");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("base-uri 'none'");
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
  });

  it("keeps signed-in pages out of caches", async () => {
    const b = await signedIn("agent@ecellar.demo");
    expect((await b.get("/dashboard/queue")).headers.get("Cache-Control")).toBe("no-store");
  });

  it("serves the script as a file with nosniff, never inline", async () => {
    const res = await new Browser().get("/dashboard/assets/app.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/javascript/);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });
});

describe("CSRF", () => {
  it("refuses a form without the session's token and changes nothing", async () => {
    const b = await signedIn("agent@ecellar.demo");
    const ref = await refOf("t_ecellar_1");
    const before = await ticketRow(ref);
    const res = await b.request(`/dashboard/tickets/${ref}/reply`, { form: { body: "forged" } });
    expect(res.status).toBe(403);
    expect((await ticketRow(ref)).updatedAt).toBe(before.updatedAt);
  });

  it("refuses another session's token", async () => {
    const mine = await signedIn("agent@ecellar.demo");
    const theirs = await signedIn("admin@ecellar.demo");
    const ref = await refOf("t_ecellar_1");
    const res = await mine.request(`/dashboard/tickets/${ref}/reply`, { form: { _csrf: theirs.csrf, body: "forged" } });
    expect(res.status).toBe(403);
  });

  it("refuses a form posted from another origin even with a valid token", async () => {
    const b = await signedIn("agent@ecellar.demo");
    const res = await b.post("/dashboard/incidents", { title: "x", body: "y" }, { origin: "https://evil.test" });
    expect(res.status).toBe(403);
  });

  it("refuses a JSON body where a form is expected", async () => {
    const b = await signedIn("agent@ecellar.demo");
    const res = await b.request("/dashboard/incidents", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(415);
  });

  it("refuses a form post without a session", async () => {
    const res = await new Browser().request("/dashboard/incidents", { form: { title: "x", body: "y" } });
    expect(res.status).toBe(401);
  });
});

describe("roles", () => {
  it("keeps settings from agents", async () => {
    const b = await signedIn("agent@ecellar.demo");
    expect((await b.get("/dashboard/settings/policy")).status).toBe(403);
  });

  it("refuses an agent's settings form post", async () => {
    const b = await signedIn("agent@ecellar.demo");
    const res = await b.post("/dashboard/settings/staff", {
      name: "x",
      email: "x@x.test",
      role: "admin",
      password: "long-enough-password",
    });
    expect(res.status).toBe(403);
    expect(await db.query.staff.findFirst({ where: eq(staff.email, "x@x.test") })).toBeUndefined();
  });

  it("hides the settings link from agents", async () => {
    const b = await signedIn("agent@ecellar.demo");
    expect(await (await b.get("/dashboard/queue")).text()).not.toContain('href="/dashboard/settings/policy"');
  });
});

describe("unexpected failures", () => {
  it("are answered by the app's fixed 500, leaking nothing", async () => {
    const now = Date.now();
    await db
      .insert(merchants)
      .values({ id: "m_broken", name: "Broken", policyVersion: 99, webhookUrl: null, webhookSecret: null, createdAt: now });
    await db.insert(staff).values({
      id: "st_broken",
      merchantId: "m_broken",
      email: "agent@broken.test",
      name: "Broken Agent",
      role: "agent",
      passwordHash: "!",
      passwordChangedAt: now,
      createdAt: now,
    });
    const b = await signedIn("agent@broken.test");
    const res = await b.get("/dashboard/queue");
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      type: "https://replyby.dev/problems/internal",
      title: "Something went wrong on our side",
      status: 500,
    });
  });
});

describe("not found", () => {
  it("answers an unknown dashboard path with the dashboard's 404 page", async () => {
    const b = await signedIn("agent@ecellar.demo");
    const res = await b.get("/dashboard/nothing/here");
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
  });
});

/** Every script element and event-handler attribute in a page. */
function scriptsAndHandlers(html: string) {
  return {
    scripts: html.match(/<script\b[^>]*>/gi) ?? [],
    handlers: html.match(/<[^>]*\son[a-z]+\s*=/gi) ?? [],
  };
}

describe("escaping", () => {
  const payload = `<script>alert("xss")</script><img src=x onerror=alert(1)>`;

  async function hostileTicket() {
    const { reference } = await createTicket("demo-ecellar", {
      email: "victim@example.test",
      name: "<svg onload=alert(1)>",
      orderId: `"><script>alert(2)</script>`,
      description: payload,
    });
    return reference;
  }

  it("renders a ticket whose fields carry script payloads as text", async () => {
    const ref = await hostileTicket();
    const b = await signedIn("agent@ecellar.demo");
    await db
      .insert(incidents)
      .values({ id: "inc_xss", merchantId: "m_ecellar", title: payload, body: payload, startedAt: Date.now(), endedAt: null });
    await b.post(`/dashboard/tickets/${ref}/reply`, { body: payload });
    await b.post(`/dashboard/tickets/${ref}/incident`, { incidentId: "inc_xss" });
    const html = await (await b.get(`/dashboard/tickets/${ref}`)).text();
    const found = scriptsAndHandlers(html);
    expect(found.scripts).toHaveLength(1);
    expect(found.scripts[0]).toMatch(/^<script nonce="[^"]+" src="\/dashboard\/assets\/app\.js/);
    expect(found.handlers).toEqual([]);
    expect(html).toContain("&lt;script>alert(&quot;xss&quot;)&lt;/script>");
  });

  it("renders hostile customer fields in the queue as text", async () => {
    await hostileTicket();
    const b = await signedIn("agent@ecellar.demo");
    const found = scriptsAndHandlers(await (await b.get("/dashboard/queue?q=victim@")).text());
    expect(found.scripts).toHaveLength(1);
    expect(found.handlers).toEqual([]);
  });

  it("renders a hostile incident as text on the incidents page", async () => {
    const b = await signedIn("agent@ecellar.demo");
    await b.post("/dashboard/incidents", { title: payload.slice(0, 100), body: payload });
    const found = scriptsAndHandlers(await (await b.get("/dashboard/incidents")).text());
    expect(found.scripts).toHaveLength(1);
    expect(found.handlers).toEqual([]);
  });
});
