import { eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { incidents, tickets, timeEntries } from "../../../schema/db.ts";
import { signedIn } from "../dashboard/helpers.ts";
import { createTicket, db, seed } from "../helpers.ts";
import { around, callCustomerEndpoint, customerEndpoints, type MerchantKey, merchantKeys, normalized, ticketOf } from "./support/http.ts";
import { changed } from "./support/state.ts";

// Cross-tenant matrix: random pairs of (actor of merchant A, resource of merchant B ≠ A). Every
// foreign resource must answer exactly what a missing one answers (same status, same page or
// problem, byte for byte once the per-response nonce is blanked) and change nothing.
// Already proven elsewhere, not repeated here: the queue never finds another merchant's ticket
// (dashboard/queue.test.ts "never finds another merchant's ticket"), another merchant's events
// never reach a timeline (dashboard/ticket.test.ts "never lists another merchant's events"), and
// a site's widget never shows another merchant's incidents (dashboard/incidents.test.ts).

interface Owned {
  ref: string;
  token: string;
  incident: string;
  site: string;
  staffId: string;
  note: string;
}

const owned = {} as Record<MerchantKey, Owned>;
const MISSING = { ref: "RB-0000-0000", incident: "inc_missing", site: "s_missing", staffId: "st_missing" };

beforeAll(async () => {
  await seed();
  const now = Date.now();
  for (const m of merchantKeys) {
    const [siteKey, over] = ticketOf[m];
    const { reference: ref, accessToken: token } = await createTicket(siteKey, over);
    const row = await db.query.tickets.findFirst({ where: eq(tickets.ref, ref) });
    const note = `time-entry-of-${m}`;
    await db
      .insert(incidents)
      .values({ id: `inc_${m}`, merchantId: `m_${m}`, title: `Incident of ${m}`, body: "b", startedAt: now, endedAt: null });
    await db.insert(timeEntries).values({
      id: `te_${m}`,
      ticketId: row?.id ?? "",
      merchantId: `m_${m}`,
      staffId: `st_${m}_agent`,
      startedAt: now - 3_600_000,
      minutes: 30,
      category: "general",
      rateClass: "standard",
      billedMinutes: 30,
      amount: 1000,
      currency: "USD",
      note,
      createdAt: now,
    });
    owned[m] = { ref, token, incident: `inc_${m}`, site: `s_${m}`, staffId: `st_${m}_agent`, note };
  }
});

type Target = Pick<Owned, "ref" | "incident" | "site" | "staffId">;

/** A staff request on a resource: the foreign one, or the missing one in its place. */
interface StaffCell {
  readonly name: string;
  readonly method: "GET" | "POST";
  readonly path: (t: Target, own: Owned) => string;
  readonly form?: (t: Target, own: Owned) => Record<string, string>;
  /** Settings are for admins: an agent is refused (403) before anything is looked up. */
  readonly adminOnly?: boolean;
}

const staffCells: StaffCell[] = [
  { name: "the ticket page", method: "GET", path: (t) => `/dashboard/tickets/${t.ref}` },
  {
    name: "the bill preview",
    method: "GET",
    path: (t) => `/dashboard/tickets/${t.ref}/bill-preview?startedAt=2026-01-05T10:00&minutes=15`,
  },
  { name: "a reply", method: "POST", path: (t) => `/dashboard/tickets/${t.ref}/reply`, form: () => ({ body: "hello" }) },
  { name: "an info request", method: "POST", path: (t) => `/dashboard/tickets/${t.ref}/request-info`, form: () => ({ body: "which?" }) },
  { name: "resolving", method: "POST", path: (t) => `/dashboard/tickets/${t.ref}/resolve`, form: () => ({}) },
  { name: "a priority", method: "POST", path: (t) => `/dashboard/tickets/${t.ref}/priority`, form: () => ({ priority: "standard" }) },
  { name: "a downgrade", method: "POST", path: (t) => `/dashboard/tickets/${t.ref}/downgrade`, form: () => ({}) },
  { name: "an outcome", method: "POST", path: (t) => `/dashboard/tickets/${t.ref}/outcome`, form: () => ({ outcome: "level-1" }) },
  {
    name: "logged time",
    method: "POST",
    path: (t) => `/dashboard/tickets/${t.ref}/time`,
    form: () => ({ startedAt: "2026-01-05T10:00", minutes: "15" }),
  },
  { name: "a quote", method: "POST", path: (t) => `/dashboard/tickets/${t.ref}/quote`, form: () => ({ action: "deliver" }) },
  {
    name: "linking the foreign ticket to an own incident",
    method: "POST",
    path: (t) => `/dashboard/tickets/${t.ref}/incident`,
    form: (_, own) => ({ incidentId: own.incident }),
  },
  {
    name: "linking an own ticket to the foreign incident",
    method: "POST",
    path: (_, own) => `/dashboard/tickets/${own.ref}/incident`,
    form: (t) => ({ incidentId: t.incident }),
  },
  { name: "ending an incident", method: "POST", path: (t) => `/dashboard/incidents/${t.incident}/end`, form: () => ({}) },
  {
    name: "editing a site",
    method: "POST",
    path: (t) => `/dashboard/settings/sites/${t.site}`,
    form: () => ({ name: "Taken over", origins: "https://evil.test" }),
    adminOnly: true,
  },
  {
    name: "a staff member's role",
    method: "POST",
    path: (t) => `/dashboard/settings/staff/${t.staffId}/role`,
    form: () => ({ role: "admin" }),
    adminOnly: true,
  },
  {
    name: "a staff member's access",
    method: "POST",
    path: (t) => `/dashboard/settings/staff/${t.staffId}/deactivate`,
    form: () => ({}),
    adminOnly: true,
  },
];

/** Random (actor merchant, other merchant, role) triples. */
const pairs = fc
  .tuple(fc.constantFrom(...merchantKeys), fc.constantFrom(...merchantKeys), fc.constantFrom("admin" as const, "agent" as const))
  .filter(([a, b]) => a !== b);

describe("staff of one merchant × resources of another", () => {
  it.each(staffCells.map((c) => [c.name, c] as const))("%s answers exactly as a missing one and changes nothing", async (_, cell) => {
    await fc.assert(
      fc.asyncProperty(pairs, async ([a, b, role]) => {
        const browser = await signedIn(`${role}@${a}.demo`);
        const send = (t: Target) =>
          cell.method === "GET"
            ? browser.get(cell.path(t, owned[a]))
            : browser.post(cell.path(t, owned[a]), cell.form?.(t, owned[a]) ?? {});
        const foreign = await around(async () => {
          const res = await send(owned[b]);
          return { status: res.status, text: await res.text() };
        });
        const missing = await send(MISSING);
        expect(foreign.result.status).toBe(cell.adminOnly && role === "agent" ? 403 : 404);
        expect(missing.status).toBe(foreign.result.status);
        expect(normalized(foreign.result.text)).toBe(normalized(await missing.text()));
        expect(changed(foreign.before, foreign.after)).toEqual([]);
      }),
      { numRuns: 12 },
    );
  });

  it("the time-entry export lists only the actor's own merchant's entries", async () => {
    await fc.assert(
      fc.asyncProperty(pairs, async ([a, b]) => {
        const browser = await signedIn(`admin@${a}.demo`);
        const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
        const res = await browser.get(
          `/dashboard/reports/time-entries.csv?from=${day(Date.now() - 5 * 86_400_000)}&to=${day(Date.now() + 2 * 86_400_000)}`,
        );
        const all = await res.text();
        expect(all).toContain(owned[a].note);
        expect(all).not.toContain(owned[b].note);
      }),
      { numRuns: 8 },
    );
  });
});

describe("the access token of one ticket × another ticket", () => {
  it.each(customerEndpoints.map((c) => [c.name, c] as const))(
    "%s answers exactly as a missing ticket and changes nothing",
    async (_, cell) => {
      // Tickets of every merchant, a second one of the same merchant included.
      const { reference: ref, accessToken: token } = await createTicket("demo-ecellar");
      const held = [...merchantKeys.map((m) => owned[m]), { ref, token }];
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: held.length - 1 }), fc.nat({ max: held.length - 1 }), async (x, y) => {
          fc.pre(x !== y);
          const mine = held[x] as { token: string };
          const theirs = held[y] as { ref: string };
          const send = (ref: string) => callCustomerEndpoint(cell, ref, { Authorization: `Bearer ${mine.token}` });
          const foreign = await around(async () => {
            const res = await send(theirs.ref);
            return { status: res.status, text: await res.text() };
          });
          const missing = await send(MISSING.ref);
          expect(foreign.result.status).toBe(404);
          expect(missing.status).toBe(404);
          expect(foreign.result.text).toBe(await missing.text());
          expect(changed(foreign.before, foreign.after)).toEqual([]);
        }),
        { numRuns: 15 },
      );
    },
  );
});
