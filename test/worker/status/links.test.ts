import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { customerSessions, ticketLinks } from "../../../schema/db.ts";
import { sha256Hex } from "../../../worker/infra/crypto.ts";
import { CUSTOMER_SESSION_TTL_MS, issueLink, LINK_TTL_MS } from "../../../worker/status/links.ts";
import { Browser } from "../dashboard/helpers.ts";
import { createTicket, db, seed, ticketRow } from "../helpers.ts";
import { changed, fingerprint } from "../security/support/state.ts";
import { comparable, customerOn, linkTo } from "./helpers.ts";

// Links from emails: a link token opens one ticket's status page until it expires, exchanged for
// a session cookie on that ticket and a redirect to the clean URL. Every link that opens nothing
// — expired, another ticket's, another merchant's, malformed — gets the same 404 page.

let ticket: { reference: string; accessToken: string };
let other: { reference: string; accessToken: string };
let invalidPage: string;

beforeAll(async () => {
  await seed();
  ticket = await createTicket();
  other = await createTicket("demo-commerceup", { issueType: "minor", severity: "low" });
  const res = await new Browser().get(`/t/${ticket.reference}?k=${"x".repeat(43)}`);
  expect(res.status).toBe(404);
  invalidPage = comparable(await res.text());
});

const tokenOf = (path: string) => new URL(path, "https://x").searchParams.get("k") ?? "";

describe("issueLink", () => {
  it("returns /t/<REF>?k=<token> and stores only the token's SHA-256, for this ticket and merchant, for 30 days", async () => {
    const row = await ticketRow(ticket.reference);
    const now = Date.now();
    const path = await issueLink(db, row, now);
    expect(path).toMatch(new RegExp(`^/t/${ticket.reference}\\?k=[A-Za-z0-9_-]{43}$`));
    const token = tokenOf(path);
    const stored = await db.query.ticketLinks.findFirst({ where: eq(ticketLinks.tokenHash, await sha256Hex(token)) });
    expect(stored).toMatchObject({ ticketId: row.id, merchantId: row.merchantId, expiresAt: now + LINK_TTL_MS });
    const raw = await env.DB.prepare("SELECT count(*) AS n FROM ticket_links WHERE token_hash = ?1").bind(token).first<{ n: number }>();
    expect(raw?.n).toBe(0);
    expect(await issueLink(db, row, now)).not.toBe(path);
  });
});

describe("opening a link", () => {
  it("sets a per-ticket __Host- session cookie and 303s to the clean URL with Referrer-Policy: no-referrer", async () => {
    const b = new Browser();
    const res = await b.get(await linkTo(ticket.reference));
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/t/${ticket.reference}`);
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    const cookie = cookies[0] ?? "";
    expect(cookie.startsWith(`__Host-rb_t_${ticket.reference}=`)).toBe(true);
    const attrs = cookie.split(";").map((s) => s.trim().toLowerCase());
    expect(attrs).toEqual(
      expect.arrayContaining(["httponly", "secure", "samesite=lax", "path=/", `max-age=${CUSTOMER_SESSION_TTL_MS / 1000}`]),
    );
    expect(attrs.some((a) => a.startsWith("domain="))).toBe(false);
    // Only the session token's hash is stored.
    const token = cookie.split(";")[0]?.split("=")[1] ?? "";
    const stored = await db.query.customerSessions.findFirst({ where: eq(customerSessions.tokenHash, await sha256Hex(token)) });
    expect(stored?.ticketId).toBe((await ticketRow(ticket.reference)).id);
    const page = await b.get(`/t/${ticket.reference}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(await page.text()).toContain(ticket.reference);
  });

  it("changes no ticket, event, quote or outbox row (a link scanner is harmless), and the link keeps working", async () => {
    const path = await linkTo(ticket.reference);
    const before = await fingerprint();
    const scanner = await new Browser().get(path);
    const scannerPage = await new Browser().get(`/t/${ticket.reference}`);
    expect(scanner.status).toBe(303);
    expect(scannerPage.status).toBe(404);
    const customer = new Browser();
    expect((await customer.get(path)).status).toBe(303);
    expect((await customer.get(`/t/${ticket.reference}`)).status).toBe(200);
    expect(changed(before, await fingerprint())).toEqual([]);
  });

  it("answers an expired link with the same 404 page as an unknown one, and sets no session", async () => {
    const row = await ticketRow(ticket.reference);
    const path = await issueLink(db, row, Date.now() - LINK_TTL_MS - 1);
    const b = new Browser();
    const res = await b.get(path);
    expect(res.status).toBe(404);
    expect(comparable(await res.text())).toBe(invalidPage);
    expect([...b.cookies.keys()].filter((k) => k.startsWith("__Host-rb_t_"))).toEqual([]);
  });

  it("does not reopen once expired, although it worked before", async () => {
    const row = await ticketRow(ticket.reference);
    const now = Date.now();
    const path = await issueLink(db, row, now);
    expect((await new Browser().get(path)).status).toBe(303);
    await db
      .update(ticketLinks)
      .set({ expiresAt: now - 1 })
      .where(eq(ticketLinks.tokenHash, await sha256Hex(tokenOf(path))));
    const res = await new Browser().get(path);
    expect(res.status).toBe(404);
    expect(comparable(await res.text())).toBe(invalidPage);
  });

  it("gives another ticket's link, another merchant's row and a malformed reference the same 404", async () => {
    const otherPath = await linkTo(other.reference);
    const wrongTicket = await new Browser().get(`/t/${ticket.reference}?k=${tokenOf(otherPath)}`);
    // A link row naming this ticket but another merchant opens nothing either.
    const forged = "f".repeat(43);
    const row = await ticketRow(ticket.reference);
    await db.insert(ticketLinks).values({
      tokenHash: await sha256Hex(forged),
      ticketId: row.id,
      merchantId: "m_commerceup",
      expiresAt: Date.now() + 3_600_000,
      createdAt: Date.now(),
    });
    const wrongTenant = await new Browser().get(`/t/${ticket.reference}?k=${forged}`);
    const unknownRef = await new Browser().get(`/t/RB-0000-0000?k=${tokenOf(otherPath)}`);
    const malformed = await new Browser().get(`/t/nope?k=${tokenOf(otherPath)}`);
    for (const [res, ref] of [
      [wrongTicket, ticket.reference],
      [wrongTenant, ticket.reference],
      [unknownRef, "RB-0000-0000"],
    ] as const) {
      expect(res.status).toBe(404);
      expect(res.headers.getSetCookie().some((c) => c.startsWith("__Host-rb_t_"))).toBe(false);
      // The page names the reference from the address in its form, and nothing else differs.
      expect(comparable(await res.text())).toBe(invalidPage.replaceAll(ticket.reference, ref));
    }
    expect(malformed.status).toBe(404);
  });
});

describe("a session", () => {
  it("opens only its own ticket: its cookie on another reference is the same 404", async () => {
    const { browser } = await customerOn(ticket.reference);
    const session = browser.cookies.get(`__Host-rb_t_${ticket.reference}`) ?? "";
    browser.cookies.set(`__Host-rb_t_${other.reference}`, session);
    const res = await browser.get(`/t/${other.reference}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("Conversation");
  });

  it("ends when it expires", async () => {
    const { browser } = await customerOn(ticket.reference);
    const session = browser.cookies.get(`__Host-rb_t_${ticket.reference}`) ?? "";
    await db
      .update(customerSessions)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(customerSessions.tokenHash, await sha256Hex(session)));
    expect((await browser.get(`/t/${ticket.reference}`)).status).toBe(404);
  });

  it("without a cookie the page is the expired-link page with the 'email me my requests' form", async () => {
    const res = await new Browser().get(`/t/${ticket.reference}`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("This link has expired or is not valid");
    expect(html).toContain('action="/t/links"');
    expect(html).toContain('type="email"');
  });
});
