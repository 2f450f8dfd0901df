import { describe, expect, it } from "vitest";
import { Browser, refOf, signInBeforeAll } from "./helpers.ts";

const { admin } = signInBeforeAll({ admin: "admin@ecellar.demo" });

describe("every page renders for an admin", () => {
  const pages: [string, string][] = [
    ["/dashboard/queue", "Queue · Replyby"],
    ["/dashboard/incidents", "Incidents · Replyby"],
    ["/dashboard/reports", "Reports · Replyby"],
    ["/dashboard/account", "Account · Replyby"],
    ["/dashboard/settings/policy", "Policy · Replyby"],
    ["/dashboard/settings/simulator", "Simulator · Replyby"],
    ["/dashboard/settings/holidays", "Holidays · Replyby"],
    ["/dashboard/settings/sites", "Sites · Replyby"],
    ["/dashboard/settings/staff", "Staff · Replyby"],
  ];
  for (const [path, title] of pages) {
    it(`renders ${path}`, async () => {
      const res = await admin.get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
      expect(await res.text()).toContain(`<title>${title}</title>`);
    });
  }

  it("renders a ticket", async () => {
    const ref = await refOf("t_ecellar_0");
    expect(await (await admin.get(`/dashboard/tickets/${ref}`)).text()).toContain(`<title>${ref} · Replyby</title>`);
  });

  it("renders the login page without navigation", async () => {
    const html = await (await new Browser().get("/dashboard/login")).text();
    expect(html).toContain("<title>Sign in · Replyby</title>");
    expect(html).not.toContain('<nav aria-label="Dashboard">');
  });

  it("sends /dashboard/ to the queue", async () => {
    const res = await admin.get("/dashboard/");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/dashboard/queue");
  });

  it("sends /dashboard to the queue", async () => {
    expect((await admin.get("/dashboard")).headers.get("Location")).toBe("/dashboard/queue");
  });

  it("sends /dashboard/settings to the policy page", async () => {
    expect((await admin.get("/dashboard/settings")).headers.get("Location")).toBe("/dashboard/settings/policy");
  });

  it("marks the current section in the navigation", async () => {
    expect(await (await admin.get("/dashboard/reports")).text()).toContain('<a href="/dashboard/reports" aria-current="page">Reports</a>');
  });

  it("gives every form a token", async () => {
    const ref = await refOf("t_ecellar_3");
    const html = await (await admin.get(`/dashboard/tickets/${ref}`)).text();
    const posts = html.match(/<form method="post"[^>]*>/g) ?? [];
    const tokens = html.match(/<form method="post"[^>]*><input type="hidden" name="_csrf" value="[0-9a-f]{64}"\/>/g) ?? [];
    expect(posts.length).toBeGreaterThan(5);
    expect(tokens.length).toBe(posts.length);
  });
});

describe("the notice after an action (?done=)", () => {
  // Unknown keys, among them keys every object inherits: a plain lookup found those, and each
  // page drew an empty notice box.
  const unknown = ["__proto__", "constructor", "toString", "no-such-notice"];
  const pages = ["/dashboard/incidents", "/dashboard/settings/sites", "/dashboard/settings/staff", "/dashboard/settings/policy"];

  for (const path of pages) {
    for (const key of unknown) {
      it(`renders no notice on ${path} for ?done=${key}`, async () => {
        const res = await admin.get(`${path}?done=${encodeURIComponent(key)}`);
        expect(res.status).toBe(200);
        expect(await res.text()).not.toContain('class="flash"');
      });
    }
  }

  for (const key of unknown) {
    it(`renders no notice on a ticket for ?done=${key}`, async () => {
      const ref = await refOf("t_ecellar_0");
      expect(await (await admin.get(`/dashboard/tickets/${ref}?done=${encodeURIComponent(key)}`)).text()).not.toContain('class="flash"');
    });

    it(`renders no notice on the login page for ?done=${key}`, async () => {
      expect(await (await new Browser().get(`/dashboard/login?done=${encodeURIComponent(key)}`)).text()).not.toContain('class="flash"');
    });
  }

  it("still renders a known notice", async () => {
    expect(await (await admin.get("/dashboard/settings/sites?done=site")).text()).toContain(
      '<p class="flash" role="status">Site saved.</p>',
    );
  });
});
