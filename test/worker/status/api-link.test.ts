import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ticketLinks } from "../../../schema/db.ts";
import { sha256Hex } from "../../../worker/infra/crypto.ts";
import { Browser } from "../dashboard/helpers.ts";
import { call, createTicket, db, HOST, seed, ticketRow } from "../helpers.ts";

// "Open on another device" in the widget: POST /v1/tickets/:ref/link with the ticket's access
// token answers a fresh status-page link, which then opens the page in a browser without that token.

beforeAll(async () => {
  await seed();
});

describe("POST /v1/tickets/:ref/link", () => {
  it("answers a fresh absolute link that opens the status page; only its hash is stored", async () => {
    const t = await createTicket();
    const res = await call(`/v1/tickets/${t.reference}/link`, { json: {}, headers: { Authorization: `Bearer ${t.accessToken}` } });
    expect(res.status).toBe(201);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body = (await res.json()) as { url: string; expiresAt: string };
    expect(body.url).toMatch(new RegExp(`^${HOST}/t/${t.reference}\\?k=[A-Za-z0-9_-]{43}$`));
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const token = new URL(body.url).searchParams.get("k") ?? "";
    const row = await db.query.ticketLinks.findFirst({ where: eq(ticketLinks.tokenHash, await sha256Hex(token)) });
    expect(row?.ticketId).toBe((await ticketRow(t.reference)).id);
    const browser = new Browser();
    expect((await browser.get(new URL(body.url).pathname + new URL(body.url).search)).status).toBe(303);
    expect((await browser.get(`/t/${t.reference}`)).status).toBe(200);
  });

  it("is the same 404 with another ticket's token, and 401 without one", async () => {
    const t = await createTicket();
    const other = await createTicket();
    const wrong = await call(`/v1/tickets/${t.reference}/link`, { json: {}, headers: { Authorization: `Bearer ${other.accessToken}` } });
    expect(wrong.status).toBe(404);
    expect((await call(`/v1/tickets/${t.reference}/link`, { json: {} })).status).toBe(401);
  });
});
