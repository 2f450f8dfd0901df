import { beforeAll, describe, expect, it } from "vitest";
import { incidents, ticketStatuses } from "../../../schema/db.ts";
import { localDateTimeValue } from "../../../worker/dashboard/format.ts";
import { allowed, refusal, type TicketAction, type TicketStatus } from "../../../worker/tickets/machine.ts";
import { type Browser, signedIn } from "../dashboard/helpers.ts";
import { call, createTicket, db, seed, ticketRow } from "../helpers.ts";
import { changed, fingerprint } from "../security/support/state.ts";
import { customerOn } from "../status/helpers.ts";

// The transition table: every (status × action) a channel can take, taken through that channel,
// gives exactly the state machine's answer — done (2xx / 303) when `allowed`, otherwise 409 with
// the machine's reason and nothing written.

type Held = { reference: string; accessToken: string; preset: "ecellar" | "ecshops" };

let staff: Record<Held["preset"], Browser>;

beforeAll(async () => {
  await seed();
  staff = { ecellar: await signedIn("agent@ecellar.demo"), ecshops: await signedIn("agent@ecshops.demo") };
  await db
    .insert(incidents)
    .values({ id: "inc_table", merchantId: "m_ecellar", title: "Checkout errors", body: "…", startedAt: Date.now() });
});

const customer = (t: Held, path: string, json: unknown) =>
  call(`/v1/tickets/${t.reference}/${path}`, { method: "POST", json, headers: { Authorization: `Bearer ${t.accessToken}` } });

/** A form post from the status page, by a browser that opened the ticket's emailed link. */
const statusPage = async (t: Held, path: string, form: Record<string, string> = {}) =>
  (await customerOn(t.reference)).browser.post(`/t/${t.reference}/${path}`, form);

const dashboard = (t: Held, path: string, form: Record<string, string> = {}) =>
  staff[t.preset].post(`/dashboard/tickets/${t.reference}/${path}`, form);

async function expectDone(res: Response): Promise<void> {
  if (res.status !== 200 && res.status !== 303) throw new Error(`expected success, got ${res.status}: ${(await res.text()).slice(0, 400)}`);
}

/**
 * A ticket in `status`, made the way customers and staff make it. An eCellar feature request with a
 * quote sent (so quote actions are possible, and time can be billed); outcomes are ECShops'.
 */
async function ticketIn(status: TicketStatus, preset: Held["preset"]): Promise<Held> {
  const t: Held =
    preset === "ecellar"
      ? { ...(await createTicket("demo-ecellar", { issueType: "feature", severity: "normal" })), preset }
      : { ...(await createTicket("demo-ecshops", { issueType: "incident", severity: "degraded" })), preset };
  if (preset === "ecellar") {
    await expectDone(
      await dashboard(t, "quote", { action: "send", amount: "1200.00", currency: "USD", validUntil: "2099-12-31", note: "Waitlist" }),
    );
  } else {
    await expectDone(await dashboard(t, "reply", { body: "Looking into it." }));
  }
  // Now responded.
  if (status === "open") await expectDone(await customer(t, "replies", { body: "Any news?" }));
  if (status === "waiting-on-customer") await expectDone(await dashboard(t, "request-info", { body: "Which page?" }));
  if (status === "resolved" || status === "closed") await expectDone(await dashboard(t, "resolve", { body: "Done." }));
  if (status === "closed") await expectDone(await customer(t, "close", {}));
  expect((await ticketRow(t.reference)).status).toBe(status);
  return t;
}

/** Each action a channel offers, and how that channel takes it. */
const channels: { action: TicketAction; via: string; preset: Held["preset"]; take: (t: Held) => Promise<Response> }[] = [
  { action: "customer.message", via: "API", preset: "ecellar", take: (t) => customer(t, "replies", { body: "Still broken." }) },
  { action: "customer.reopen", via: "API", preset: "ecellar", take: (t) => customer(t, "reopen", { body: "Not fixed." }) },
  { action: "customer.close", via: "API", preset: "ecellar", take: (t) => customer(t, "close", {}) },
  { action: "customer.quote", via: "API", preset: "ecellar", take: (t) => customer(t, "quote", { decision: "decline" }) },
  { action: "customer.message", via: "status page", preset: "ecellar", take: (t) => statusPage(t, "message", { body: "Still broken." }) },
  { action: "customer.reopen", via: "status page", preset: "ecellar", take: (t) => statusPage(t, "reopen", { body: "Not fixed." }) },
  { action: "customer.close", via: "status page", preset: "ecellar", take: (t) => statusPage(t, "close") },
  {
    action: "customer.quote",
    via: "status page",
    preset: "ecellar",
    take: (t) => statusPage(t, "quote/confirm", { decision: "decline", revision: "1" }),
  },
  { action: "staff.reply", via: "dashboard", preset: "ecellar", take: (t) => dashboard(t, "reply", { body: "On it." }) },
  { action: "staff.request-info", via: "dashboard", preset: "ecellar", take: (t) => dashboard(t, "request-info", { body: "When?" }) },
  { action: "staff.resolve", via: "dashboard", preset: "ecellar", take: (t) => dashboard(t, "resolve") },
  { action: "staff.priority", via: "dashboard", preset: "ecellar", take: (t) => dashboard(t, "priority", { priority: "standard" }) },
  { action: "staff.outcome", via: "dashboard", preset: "ecshops", take: (t) => dashboard(t, "outcome", { outcome: "level-1" }) },
  {
    action: "staff.quote",
    via: "dashboard",
    preset: "ecellar",
    take: (t) => dashboard(t, "quote", { action: "revise", amount: "900.00", currency: "USD", validUntil: "2099-12-31" }),
  },
  { action: "staff.incident", via: "dashboard", preset: "ecellar", take: (t) => dashboard(t, "incident", { incidentId: "inc_table" }) },
  {
    action: "staff.time",
    via: "dashboard",
    preset: "ecellar",
    take: (t) => dashboard(t, "time", { startedAt: localDateTimeValue(Date.now() - 3_600_000, "America/Los_Angeles"), minutes: "20" }),
  },
  {
    action: "staff.meeting",
    via: "dashboard",
    preset: "ecellar",
    take: (t) => dashboard(t, "meeting", { scheduledAt: localDateTimeValue(Date.now() + 86_400_000, "America/Los_Angeles") }),
  },
  { action: "staff.note", via: "dashboard", preset: "ecellar", take: (t) => dashboard(t, "note", { body: "Called them." }) },
];

describe("the ticket state machine, through every channel", () => {
  for (const { action, via, preset, take } of channels) {
    for (const status of ticketStatuses) {
      const verdict = allowed(action, status);
      it(`${action} on a ${status} ticket via the ${via}: ${verdict ? "done" : "409, nothing written"}`, async () => {
        const t = await ticketIn(status, preset);
        const before = await fingerprint();
        const res = await take(t);
        if (verdict) {
          await expectDone(res);
          // An idempotent close of a closed ticket is the one allowed action that writes nothing.
          if (!(action === "customer.close" && status === "closed"))
            expect(changed(before, await fingerprint())).toContain("ticket_events");
        } else {
          expect(res.status).toBe(409);
          const text = await res.text();
          const reason = refusal(action, status);
          expect(via === "API" ? (JSON.parse(text) as { detail: string }).detail : text).toContain(
            via === "API" ? reason : escapeHtml(reason),
          );
          expect(changed(before, await fingerprint())).toEqual([]);
        }
      });
    }
  }
});

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

describe("quotes on closed tickets", () => {
  it("a customer cannot accept a quote on a closed ticket: 409 and nothing written, as staff cannot plan it", async () => {
    const t = await ticketIn("closed", "ecellar");
    const before = await fingerprint();
    const res = await customer(t, "quote", { decision: "accept" });
    expect(res.status).toBe(409);
    expect(changed(before, await fingerprint())).toEqual([]);
  });
});
