import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { accounts, incidents, merchants, tickets } from "../../../schema/db.ts";
import { localDateTimeValue } from "../../../worker/dashboard/format.ts";
import { preset, presetInputs } from "../../../worker/presets/index.ts";
import { Browser, createStaff, formTokenIn, signedIn } from "../dashboard/helpers.ts";
import { call, createTicket, db, seed, ticketRow } from "../helpers.ts";
import { activeContent, cspNonce } from "./support/html.ts";

// XSS × every rendered field: each payload, planted where that field comes from (the public
// API, a dashboard form, the database, a query string), must come back as text — no script,
// event handler, script URL, frame or <base> from data, the page's one script still carrying
// the CSP nonce — and must still be visible (its marker is on the page), so the row can fail.

const payloads: ((marker: string) => string)[] = [
  (m) => `<script>alert("${m}")</script>`,
  (m) => `"><img src=x onerror=alert('${m}')>`,
  (m) => `'><svg onload=alert('${m}')>`,
  (m) => `</textarea></title><script>alert('${m}')</script>`,
  (m) => `javascript:alert('${m}')`,
  (m) => `<a href="javascript:alert('${m}')">${m}</a>`,
  (m) => `<iframe src="https://evil.test/${m}"></iframe><base href="https://evil.test/${m}/">`,
  (m) => `<style>*{background:url(https://evil.test/${m})}</style>`,
];

let admin: Browser;
const timeZone = preset("ecellar").timeZone;

beforeAll(async () => {
  await seed();
  admin = await signedIn("admin@ecellar.demo");
});

async function version(): Promise<string> {
  return String((await db.select({ v: merchants.policyVersion }).from(merchants).where(eq(merchants.id, "m_ecellar")).get())?.v);
}

/** Saves ecellar's policy with `edit` applied; the page answers 303 when it was valid. */
async function savePolicy(edit: (p: Record<string, unknown> & typeof presetInputs.ecellar) => void) {
  const body = structuredClone(presetInputs.ecellar) as Record<string, unknown> & typeof presetInputs.ecellar;
  edit(body);
  const res = await admin.post("/dashboard/settings/policy", { policy: JSON.stringify(body), base: await version() });
  expect(res.status).toBe(303);
}

/** A field: how a payload gets in, and the pages (paths, as whom) that render it. */
interface Field {
  readonly plant: (payload: string, marker: string) => Promise<{ paths: (string | [string, Browser])[] }>;
}

/** A field the customer files a ticket with: on the ticket's page, and in the queue found by the marked email. */
function filedByCustomer(field: "name" | "description"): Field {
  return {
    plant: async (p, m) => ({
      paths: [
        `/dashboard/tickets/${(await createTicket("demo-ecellar", { [field]: p, email: `${m}@example.test` })).reference}`,
        `/dashboard/queue?q=${m}@`,
      ],
    }),
  };
}

const fields: [string, Field][] = [
  ["a ticket's customer name", filedByCustomer("name")],
  [
    "a ticket's order id",
    {
      plant: async (p) => ({
        paths: [`/dashboard/tickets/${(await createTicket("demo-ecellar", { orderId: p.slice(0, 80) })).reference}`],
      }),
    },
  ],
  ["a ticket's description", filedByCustomer("description")],
  [
    "a ticket's email (as stored, whatever the API allowed)",
    {
      plant: async (p) => {
        const { reference } = await createTicket();
        await db.update(tickets).set({ email: p }).where(eq(tickets.ref, reference));
        return { paths: [`/dashboard/tickets/${reference}`, `/dashboard/queue?q=${reference}`] };
      },
    },
  ],
  [
    "a customer's reply",
    {
      plant: async (p) => {
        const { reference, accessToken } = await createTicket();
        expect(
          (await call(`/v1/tickets/${reference}/replies`, { json: { body: p }, headers: { Authorization: `Bearer ${accessToken}` } }))
            .status,
        ).toBe(200);
        return { paths: [`/dashboard/tickets/${reference}`] };
      },
    },
  ],
  ...(["reply", "request-info", "resolve"] as const).map(
    (action) =>
      [
        `a staff ${action} message`,
        {
          plant: async (p: string) => {
            const { reference } = await createTicket();
            expect((await admin.post(`/dashboard/tickets/${reference}/${action}`, { body: p })).status).toBe(303);
            return { paths: [`/dashboard/tickets/${reference}`] };
          },
        },
      ] as [string, Field],
  ),
  [
    "a quote's note",
    {
      plant: async (p) => {
        const { reference } = await createTicket("demo-ecellar", { issueType: "feature" });
        const res = await admin.post(`/dashboard/tickets/${reference}/quote`, {
          action: "send",
          amount: "10.00",
          currency: "USD",
          validUntil: "2030-01-31",
          note: p,
        });
        expect(res.status).toBe(303);
        return { paths: [`/dashboard/tickets/${reference}`] };
      },
    },
  ],
  [
    "a time entry's note",
    {
      plant: async (p) => {
        const { reference } = await createTicket();
        const res = await admin.post(`/dashboard/tickets/${reference}/time`, {
          startedAt: localDateTimeValue(Date.now() - 3_600_000, timeZone),
          minutes: "15",
          note: p.slice(0, 500),
        });
        expect(res.status).toBe(303);
        return { paths: [`/dashboard/tickets/${reference}`] };
      },
    },
  ],
  [
    "an incident's title and body",
    {
      plant: async (p) => {
        expect((await admin.post("/dashboard/incidents", { title: p.slice(0, 120), body: p })).status).toBe(303);
        const page = await (await admin.get("/dashboard/incidents")).text();
        const id = /action="\/dashboard\/incidents\/([^/"]+)\/end"/.exec(page)?.[1] ?? "";
        const { reference } = await createTicket();
        expect((await admin.post(`/dashboard/tickets/${reference}/incident`, { incidentId: id })).status).toBe(303);
        return { paths: ["/dashboard/incidents", `/dashboard/tickets/${reference}`] };
      },
    },
  ],
  [
    "a staff member's name",
    {
      plant: async (p, m) => {
        const email = `${m}@ecellar.demo`;
        // Invited with the name (the pending list shows it), then on the team under it.
        const res = await admin.post("/dashboard/settings/staff", { name: p.slice(0, 120), email: `invited-${email}`, role: "agent" });
        expect(res.status).toBe(303);
        await createStaff({ id: `st_xss_${m}`, email, name: p.slice(0, 120), merchantId: "m_ecellar" });
        const them = await signedIn(email);
        const { reference } = await createTicket();
        expect((await them.post(`/dashboard/tickets/${reference}/reply`, { body: m })).status).toBe(303);
        // The staff list, the timeline (who replied) and their own header.
        return { paths: ["/dashboard/settings/staff", `/dashboard/tickets/${reference}`, ["/dashboard/queue", them]] };
      },
    },
  ],
  [
    "a site's name and widget title",
    {
      plant: async (p) => {
        const res = await admin.post("/dashboard/settings/sites/s_ecellar", {
          name: p.slice(0, 120),
          origins: "http://127.0.0.1:8787\nhttp://localhost:8787",
          title: p.slice(0, 80),
        });
        expect(res.status).toBe(303);
        // The sites page, and the ticket page naming the site a ticket came from.
        return { paths: ["/dashboard/settings/sites", `/dashboard/tickets/${(await createTicket()).reference}`] };
      },
    },
  ],
  [
    "the merchant's name (every page's header)",
    {
      plant: async (p) => {
        await db.update(merchants).set({ name: p }).where(eq(merchants.id, "m_ecellar"));
        return { paths: ["/dashboard/queue", "/dashboard/settings/policy"] };
      },
    },
  ],
  [
    "the policy's name",
    {
      plant: async (p) => {
        await savePolicy((b) => {
          b.name = p.slice(0, 120);
        });
        return { paths: ["/dashboard/settings/policy"] };
      },
    },
  ],
  [
    "policy labels (issue types, severities, priorities, billing categories)",
    {
      plant: async (p) => {
        await savePolicy((b) => {
          for (const t of b.issueTypes) t.label = { en: p, es: p };
          for (const s of b.severities) s.label = { en: p, es: p };
          for (const pr of b.priorities) pr.label = { en: p, es: p };
          for (const c of Object.values(b.billing?.categories ?? {})) c.label = p;
        });
        const { reference } = await createTicket();
        return {
          paths: [
            "/dashboard/queue",
            `/dashboard/tickets/${reference}`,
            "/dashboard/settings/simulator?at=2026-11-20T16:05&issueType=question&severity=normal",
            "/dashboard/reports",
            "/dashboard/settings/policy",
          ],
        };
      },
    },
  ],
  [
    "a customer account's external id",
    {
      plant: async (p, m) => {
        const { reference } = await createTicket();
        await db
          .insert(accounts)
          .values({ id: `a_${m}`, merchantId: "m_ecellar", externalId: p, plan: p, flags: {}, subscribedAt: null, createdAt: Date.now() });
        await db
          .update(tickets)
          .set({ accountId: `a_${m}` })
          .where(eq(tickets.id, (await ticketRow(reference)).id));
        return { paths: [`/dashboard/tickets/${reference}`] };
      },
    },
  ],
  ["the queue's search box", { plant: async (p) => ({ paths: [`/dashboard/queue?q=${encodeURIComponent(p)}`] }) }],
  [
    "the simulator's inputs",
    {
      plant: async (p) => ({
        paths: [
          `/dashboard/settings/simulator?at=${encodeURIComponent(p)}&issueType=${encodeURIComponent(p)}&severity=${encodeURIComponent(p)}`,
        ],
      }),
    },
  ],
  [
    "the login page's next and done",
    {
      plant: async (p) => ({
        paths: [[`/dashboard/login?next=${encodeURIComponent(`/dashboard/${p}`)}&done=${encodeURIComponent(p)}`, new Browser()]],
      }),
    },
  ],
];

/** Forms whose refusal re-renders what was typed (or names it in an error). */
const drafts: [string, (p: string) => Promise<Response>][] = [
  ["an invalid policy JSON draft", async (p) => admin.post("/dashboard/settings/policy", { policy: p, base: await version() })],
  [
    "an invalid holidays draft",
    async (p) => admin.post("/dashboard/settings/holidays", { calendar: "business", holidays: p, base: await version() }),
  ],
  ["an incident draft without a body", (p) => admin.post("/dashboard/incidents", { title: p.slice(0, 120), body: "" })],
  ["an origin that is not one (named in the error)", (p) => admin.post("/dashboard/settings/sites", { name: "x", origins: p })],
  [
    "a sign-in email",
    async (p) => {
      const b = new Browser();
      const token = formTokenIn(await (await b.get("/dashboard/login")).text());
      return b.request("/dashboard/login", { form: { _csrf: token, email: p, password: "wrong-password-1" } });
    },
  ],
];

function inert(html: string, csp: string | null, where: string) {
  const found = activeContent(html);
  expect({ where, ...found, nonce: undefined }).toEqual({
    where,
    strayScripts: [],
    handlers: [],
    scriptUrls: [],
    forbiddenTags: [],
    nonce: undefined,
  });
  expect(found.nonce).toBe(cspNonce(csp));
}

describe("stored fields", () => {
  it.each(fields)("%s renders as inert text", async (name, field) => {
    for (const [i, make] of payloads.entries()) {
      const marker = `xss${fields.findIndex(([n]) => n === name)}p${i}`;
      const { paths } = await field.plant(make(marker), marker);
      for (const entry of paths) {
        const [path, as] = typeof entry === "string" ? [entry, admin] : entry;
        const res = await as.get(path);
        // Reflected query input may be refused (400): the refusal page renders it too.
        expect([200, 400], path).toContain(res.status);
        const html = await res.text();
        inert(html, res.headers.get("Content-Security-Policy"), `${path} (payload ${i})`);
        if (!path.startsWith("/dashboard/login")) expect(html.includes(marker), `${path} shows the payload`).toBe(true);
      }
    }
  });
});

describe("re-rendered drafts and echoed input", () => {
  it.each(drafts)("%s renders as inert text", async (_, send) => {
    for (const [i, make] of payloads.entries()) {
      const marker = `draft${i}`;
      const res = await send(make(marker));
      expect(res.status).toBeGreaterThanOrEqual(400);
      const html = await res.text();
      inert(html, res.headers.get("Content-Security-Policy"), `payload ${i}`);
      expect(html).toContain(marker);
    }
  });
});

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
    const found = activeContent(html);
    expect(found.nonce).toBeDefined();
    expect([...found.strayScripts, ...found.handlers]).toEqual([]);
    expect(html).toContain("&lt;script>alert(&quot;xss&quot;)&lt;/script>");
  });

  it("renders hostile customer fields in the queue as text", async () => {
    await hostileTicket();
    const b = await signedIn("agent@ecellar.demo");
    const found = activeContent(await (await b.get("/dashboard/queue?q=victim@")).text());
    expect(found.nonce).toBeDefined();
    expect([...found.strayScripts, ...found.handlers]).toEqual([]);
  });

  it("renders a hostile incident as text on the incidents page", async () => {
    const b = await signedIn("agent@ecellar.demo");
    await b.post("/dashboard/incidents", { title: payload.slice(0, 100), body: payload });
    const found = activeContent(await (await b.get("/dashboard/incidents")).text());
    expect(found.nonce).toBeDefined();
    expect([...found.strayScripts, ...found.handlers]).toEqual([]);
  });
});
