import { env } from "cloudflare:workers";
import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { devMailbox, merchants, outbox, sessions, staff, staffTokens, ticketEvents } from "../../../schema/db.ts";
import { DEMO_PASSWORD } from "../../../worker/dev/seed.ts";
import { sha256Hex } from "../../../worker/infra/crypto.ts";
import { hashPassword } from "../../../worker/infra/password.ts";
import { changeAccess, changeRole, RESET_CAPS } from "../../../worker/staff/team.ts";
import { db, seed, settleEmails } from "../helpers.ts";
import { around } from "../security/support/http.ts";
import { changed } from "../security/support/state.ts";
import { Browser, createStaff, formTokenIn, loggedIn, refOf, signedIn } from "./helpers.ts";

const PASSWORD = "a-long-password-1";
const EASY = "m_easy-commission";

let easy: Browser;
let easyAgent: Browser;

beforeAll(async () => {
  await seed();
  easy = await signedIn("admin@easy-commission.demo");
  easyAgent = await signedIn("agent@easy-commission.demo");
});

let n = 0;
/** An address no other test of this file uses. */
const fresh = (name = "member") => `${name}.${++n}.${crypto.randomUUID().slice(0, 6)}@team.test`;

/** Page text with tags dropped, for reading what a page says. */
const text = (html: string) => html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");

/** Delivers due email and answers the newest mail to `to` whose subject has `subject`, once it has arrived. */
async function mailTo(to: string, subject: string) {
  return vi.waitFor(
    async () => {
      await settleEmails();
      const [mail] = await db.select().from(devMailbox).where(eq(devMailbox.recipient, to)).orderBy(desc(devMailbox.sentAt));
      if (!mail?.subject.includes(subject)) throw new Error(`no mail "${subject}" to ${to} yet`);
      return mail;
    },
    { timeout: 5000, interval: 50 },
  );
}

/** Waits until no email is left queued (deliveries started after earlier responses have finished). */
async function settled() {
  await vi.waitFor(
    async () => {
      await settleEmails();
      const queued = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.status, "queued"));
      if (queued.length) throw new Error(`${queued.length} emails still queued`);
    },
    { timeout: 5000, interval: 50 },
  );
}

/** `around` once earlier deliveries have settled, so their writes are not counted as this request's. */
async function quiet<T>(act: () => Promise<T>) {
  await settled();
  return around(act);
}

/** Every mail a recipient has had. */
const mailsTo = (to: string) => db.select().from(devMailbox).where(eq(devMailbox.recipient, to));

/** The path and token of the link to `path` in an email's text. */
function linkIn(mailText: string, path: "/dashboard/join" | "/dashboard/reset"): { url: string; token: string } {
  const m = new RegExp(`https://replyby\\.test(${path.replace("/", "\\/")}\\?k=([A-Za-z0-9_-]{43}))`).exec(mailText);
  if (!m) throw new Error(`no ${path} link in:\n${mailText}`);
  return { url: m[1] as string, token: m[2] as string };
}

const member = (email: string, merchantId = EASY) =>
  db.query.staff.findFirst({ where: and(eq(staff.email, email), eq(staff.merchantId, merchantId)) });

/** Invites `email` to Easy Commission and answers the invitation link from the mailbox. */
async function invited(email: string, role = "agent", by = easy) {
  const res = await by.post("/dashboard/settings/staff", { email, role, name: "" });
  expect(res.status).toBe(303);
  return linkIn((await mailTo(email, "You are invited")).text, "/dashboard/join");
}

/** Opens a link in a fresh browser and submits its form with `fields` (the page's own form token). */
async function submitFrom(path: string, action: string, fields: Record<string, string>, b = new Browser()) {
  const page = await b.get(path);
  const html = await page.text();
  const token = formTokenIn(html);
  const k = /name="k" value="([^"]+)"/.exec(html)?.[1] ?? "";
  const res = await b.request(action, { form: { _csrf: token, k, ...fields } });
  return { browser: b, page, res };
}

describe("invitations", () => {
  it("invites an email with a role: an invited row with no password, and an email with a one-time link", async () => {
    const email = fresh("invitee");
    const res = await easy.post("/dashboard/settings/staff", { email: email.toUpperCase(), role: "admin", name: "Ines" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/dashboard/settings/staff?done=invited");
    const row = await member(email);
    expect(row).toMatchObject({ status: "invited", role: "admin", name: "Ines", passwordHash: "!" });
    expect((row?.inviteExpiresAt ?? 0) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const mail = await mailTo(email, "You are invited");
    const merchant = await db.query.merchants.findFirst({ where: eq(merchants.id, EASY) });
    expect(mail.subject).toBe(`You are invited to join ${merchant?.name} on Replyby`);
    expect(mail.sender).toBe("Replyby <noreply@replyby.example>");
    expect(mail.text).toContain("as an admin");
    expect(mail.text).toContain("Easy");
    const { token } = linkIn(mail.text, "/dashboard/join");
    // Only the token's hash is stored, and the outbox never held it.
    const stored = await db.query.staffTokens.findFirst({ where: eq(staffTokens.tokenHash, await sha256Hex(token)) });
    expect(stored).toMatchObject({ staffId: row?.id, purpose: "invite", usedAt: null });
    const queued = await db.select().from(outbox).where(eq(outbox.recipient, email));
    expect(queued.map((q) => q.payload).join("")).not.toContain(token);
  });

  it("lists the pending invitation on the staff page with resend and revoke", async () => {
    const email = fresh("pending");
    await easy.post("/dashboard/settings/staff", { email, role: "agent" });
    const html = text(await (await easy.get("/dashboard/settings/staff")).text());
    expect(html).toContain("Pending invitations");
    expect(html).toContain(email);
    const page = await (await easy.get("/dashboard/settings/staff")).text();
    const id = (await member(email))?.id;
    expect(page).toContain(`/dashboard/settings/staff/${id}/resend`);
    expect(page).toContain(`/dashboard/settings/staff/${id}/revoke`);
  });

  it("opens the accept page without changing anything, and keeps the token out of referrers", async () => {
    const email = fresh("opener");
    const { url } = await invited(email);
    const { result: page, before, after } = await quiet(() => new Browser().get(url));
    expect(page.status).toBe(200);
    expect(page.headers.get("Referrer-Policy")).toBe("no-referrer");
    const html = text(await page.text());
    expect(html).toContain("Join ");
    expect(html).toContain(email);
    expect(html).toContain("invited as an agent");
    expect(changed(before, after)).toEqual([]);
  });

  it("accepting sets the member's own name and password and signs them in", async () => {
    const email = fresh("joiner");
    const { url } = await invited(email);
    const { browser, res } = await submitFrom(url, "/dashboard/join", { name: "Jo Iner", password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/dashboard/queue");
    const queue = await browser.get("/dashboard/queue");
    expect(queue.status).toBe(200);
    expect(text(await queue.text())).toContain("Jo Iner · agent");
    const row = await member(email);
    expect(row).toMatchObject({ status: "active", name: "Jo Iner", inviteExpiresAt: null });
    expect(row?.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect((await loggedIn(email, PASSWORD)).csrf).not.toBe("");
  });

  it("a link used once is refused the second time, and nothing is written", async () => {
    const email = fresh("twice");
    const { url } = await invited(email);
    expect((await submitFrom(url, "/dashboard/join", { name: "Once", password: PASSWORD })).res.status).toBe(303);
    const again = await new Browser().get(url);
    expect(again.status).toBe(404);
    expect(text(await again.text())).toContain("This link no longer works");
    const k = url.slice(url.indexOf("k=") + 2);
    const b = new Browser();
    const token = formTokenIn(await (await b.get("/dashboard/login")).text());
    const { result, before, after } = await quiet(() =>
      b.request("/dashboard/join", { form: { _csrf: token, k, name: "Twice", password: "another-password-2" } }),
    );
    expect(result.status).toBe(404);
    expect(changed(before, after)).toEqual([]);
    expect((await member(email))?.name).toBe("Once");
  });

  it("an expired invitation is refused", async () => {
    const email = fresh("late");
    const { url } = await invited(email);
    await db
      .update(staff)
      .set({ inviteExpiresAt: Date.now() - 1000 })
      .where(eq(staff.email, email));
    expect((await new Browser().get(url)).status).toBe(404);
    const { res } = await submitFrom("/dashboard/login", "/dashboard/join", {
      k: url.slice(url.indexOf("k=") + 2),
      name: "Late",
      password: PASSWORD,
    });
    expect(res.status).toBe(404);
    expect((await member(email))?.status).toBe("invited");
  });

  it("refuses a short password or a missing name with field errors, and the link still works", async () => {
    const email = fresh("short");
    const { url } = await invited(email);
    const short = await submitFrom(url, "/dashboard/join", { name: "Shorty", password: "short" });
    expect(short.res.status).toBe(400);
    expect(text(await short.res.text())).toContain("Use at least 12 characters");
    const nameless = await submitFrom(url, "/dashboard/join", { name: " ", password: PASSWORD });
    expect(nameless.res.status).toBe(400);
    expect(text(await nameless.res.text())).toContain("Enter your name");
    expect((await member(email))?.status).toBe("invited");
    expect((await submitFrom(url, "/dashboard/join", { name: "Fine", password: PASSWORD })).res.status).toBe(303);
  });

  it("refuses an accept form without this browser's form token (403), writing nothing", async () => {
    const email = fresh("csrf");
    const { url } = await invited(email);
    const k = url.slice(url.indexOf("k=") + 2);
    const { result, before, after } = await quiet(() =>
      new Browser().request("/dashboard/join", { form: { _csrf: "forged", k, name: "Mallory", password: PASSWORD } }),
    );
    expect(result.status).toBe(403);
    expect(changed(before, after)).toEqual([]);
  });

  it("refuses to invite an email already invited or on the team (409), naming only this team", async () => {
    const email = fresh("dup");
    await easy.post("/dashboard/settings/staff", { email, role: "agent" });
    const again = await easy.post("/dashboard/settings/staff", { email, role: "agent" });
    expect(again.status).toBe(409);
    expect(text(await again.text())).toContain("already invited: resend the invitation instead");
    const onTeam = await easy.post("/dashboard/settings/staff", { email: "agent@easy-commission.demo", role: "agent" });
    expect(onTeam.status).toBe(409);
    expect(text(await onTeam.text())).toContain("already on your team");
  });

  it("invites an email that is staff of another merchant exactly like any new address: nothing tells", async () => {
    const elsewhere = await easy.post("/dashboard/settings/staff", { email: "agent@commerceup.demo", role: "agent" });
    const nowhere = await easy.post("/dashboard/settings/staff", { email: fresh("nowhere"), role: "agent" });
    expect(elsewhere.status).toBe(nowhere.status);
    expect(elsewhere.headers.get("Location")).toBe(nowhere.headers.get("Location"));
    const page = await (await easy.get("/dashboard/settings/staff")).text();
    expect(page).not.toContain("CommerceUp");
    expect(page).not.toContain("m_commerceup");
  });

  it("refuses a malformed email or an unknown role (400), writing nothing", async () => {
    for (const form of [
      { email: "not-an-address", role: "agent" },
      { email: fresh("role"), role: "owner" },
    ]) {
      const { result, before, after } = await quiet(() => easy.post("/dashboard/settings/staff", form));
      expect(result.status).toBe(400);
      expect(changed(before, after)).toEqual([]);
    }
  });

  it("resends with a fresh link: the earlier one stops working, the new one works", async () => {
    const email = fresh("resend");
    const first = await invited(email);
    const id = (await member(email))?.id;
    await new Promise((r) => setTimeout(r, 5));
    expect((await easy.post(`/dashboard/settings/staff/${id}/resend`)).status).toBe(303);
    const second = await vi.waitFor(async () => {
      await settleEmails();
      const all = await mailsTo(email);
      if (all.length < 2) throw new Error("not resent yet");
      return linkIn((all.sort((a, b) => b.sentAt - a.sentAt)[0] ?? all[0])?.text ?? "", "/dashboard/join");
    });
    expect(second.token).not.toBe(first.token);
    expect((await new Browser().get(first.url)).status).toBe(404);
    expect((await new Browser().get(second.url)).status).toBe(200);
  });

  it("revokes an invitation: its link stops working and the row goes", async () => {
    const email = fresh("revoke");
    const { url } = await invited(email);
    const id = (await member(email))?.id;
    expect((await easy.post(`/dashboard/settings/staff/${id}/revoke`)).status).toBe(303);
    expect(await member(email)).toBeUndefined();
    expect((await new Browser().get(url)).status).toBe(404);
  });

  it("refuses to revoke an accepted invitation (409)", async () => {
    const email = fresh("accepted");
    const { url } = await invited(email);
    await submitFrom(url, "/dashboard/join", { name: "Accepted", password: PASSWORD });
    const res = await easy.post(`/dashboard/settings/staff/${(await member(email))?.id}/revoke`);
    expect(res.status).toBe(409);
    expect((await member(email))?.status).toBe("active");
  });
});

describe("password reset", () => {
  /** Asks for a reset of `email` from a fresh browser. */
  async function askReset(email: string, b = new Browser()) {
    const token = formTokenIn(await (await b.get("/dashboard/forgot")).text());
    return b.request("/dashboard/forgot", { form: { _csrf: token, email } });
  }

  /** A fresh active Easy Commission agent with PASSWORD. */
  async function agent(name = "resetter") {
    const email = fresh(name);
    await createStaff({ id: `st_${name}_${n}`, email, password: PASSWORD, merchantId: EASY, name: `Agent ${n}` });
    return email;
  }

  it("is offered on the sign-in page", async () => {
    const html = await (await new Browser().get("/dashboard/login")).text();
    expect(html).toContain('href="/dashboard/forgot"');
    expect(html).toContain("Forgot password?");
  });

  it("answers a known and an unknown address with the same redirect to the same page, and emails only the known one", async () => {
    const known = await agent();
    const unknown = fresh("nobody");
    const a = await askReset(known);
    const b = await askReset(unknown);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(a.headers.get("Location")).toBe("/dashboard/forgot/sent");
    expect(b.headers.get("Location")).toBe("/dashboard/forgot/sent");
    const sent = await new Browser().get("/dashboard/forgot/sent");
    expect(sent.status).toBe(200);
    expect(text(await sent.text())).toContain("a link to choose a new password is on its way");
    expect((await mailTo(known, "Reset your Replyby password")).text).toContain("/dashboard/reset?k=");
    expect(await db.select().from(outbox).where(eq(outbox.recipient, unknown))).toEqual([]);
  });

  it("sets a new password from the emailed link, ends every session of the member, and the old password stops working", async () => {
    const email = await agent("ender");
    const one = await loggedIn(email, PASSWORD);
    const two = await loggedIn(email, PASSWORD);
    await askReset(email);
    const { url } = linkIn((await mailTo(email, "Reset your Replyby password")).text, "/dashboard/reset");
    const form = await new Browser().get(url);
    expect(form.status).toBe(200);
    expect(form.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(text(await form.text())).toContain("Choose a new password");
    const { res } = await submitFrom(url, "/dashboard/reset", { password: "brand-new-password-9" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/dashboard/login?done=password-reset");
    const id = (await member(email))?.id ?? "";
    expect(await db.select().from(sessions).where(eq(sessions.staffId, id))).toEqual([]);
    expect((await one.get("/dashboard/queue")).status).toBe(303);
    expect((await two.get("/dashboard/queue")).status).toBe(303);
    expect((await new Browser().login(email, PASSWORD)).status).toBe(401);
    expect((await new Browser().login(email, "brand-new-password-9")).status).toBe(303);
  });

  it("a reset link works once", async () => {
    const email = await agent("reuse");
    await askReset(email);
    const { url } = linkIn((await mailTo(email, "Reset your Replyby password")).text, "/dashboard/reset");
    expect((await submitFrom(url, "/dashboard/reset", { password: "first-new-password" })).res.status).toBe(303);
    expect((await new Browser().get(url)).status).toBe(404);
    const k = url.slice(url.indexOf("k=") + 2);
    const { res } = await submitFrom("/dashboard/forgot", "/dashboard/reset", { k, password: "second-new-password" });
    expect(res.status).toBe(404);
    expect((await new Browser().login(email, "first-new-password")).status).toBe(303);
  });

  it("an expired reset link is refused", async () => {
    const email = await agent("expired");
    await askReset(email);
    const { url, token } = linkIn((await mailTo(email, "Reset your Replyby password")).text, "/dashboard/reset");
    const row = await db.query.staffTokens.findFirst({ where: eq(staffTokens.tokenHash, await sha256Hex(token)) });
    expect((row?.expiresAt ?? 0) - (row?.createdAt ?? 0)).toBeLessThanOrEqual(3_600_000);
    await db
      .update(staffTokens)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(staffTokens.tokenHash, await sha256Hex(token)));
    expect((await new Browser().get(url)).status).toBe(404);
    const { res } = await submitFrom("/dashboard/forgot", "/dashboard/reset", { k: token, password: "never-set-password" });
    expect(res.status).toBe(404);
    expect((await new Browser().login(email, PASSWORD)).status).toBe(303);
  });

  it("refuses a short new password and keeps the link usable", async () => {
    const email = await agent("shortreset");
    await askReset(email);
    const { url } = linkIn((await mailTo(email, "Reset your Replyby password")).text, "/dashboard/reset");
    const { res } = await submitFrom(url, "/dashboard/reset", { password: "short" });
    expect(res.status).toBe(400);
    expect(text(await res.text())).toContain("Use at least 12 characters");
    expect((await new Browser().get(url)).status).toBe(200);
  });

  it("refuses reset forms without this browser's form token (403), writing nothing", async () => {
    const email = await agent("csrfreset");
    const forged = await quiet(() => new Browser().request("/dashboard/forgot", { form: { _csrf: "x", email } }));
    expect(forged.result.status).toBe(403);
    expect(changed(forged.before, forged.after)).toEqual([]);
    await askReset(email);
    const { token } = linkIn((await mailTo(email, "Reset your Replyby password")).text, "/dashboard/reset");
    const { result, before, after } = await quiet(() =>
      new Browser().request("/dashboard/reset", { form: { _csrf: "x", k: token, password: "forged-password-1" } }),
    );
    expect(result.status).toBe(403);
    expect(changed(before, after)).toEqual([]);
  });

  it("refuses a malformed address (400)", async () => {
    const res = await askReset("no-at-sign");
    expect(res.status).toBe(400);
  });

  it(`limits requests per address to ${RESET_CAPS.perEmailHour} an hour, known or not (429)`, async () => {
    for (const email of [await agent("flood"), fresh("floodunknown")]) {
      for (let i = 0; i < RESET_CAPS.perEmailHour; i++) expect((await askReset(email)).status).toBe(303);
      const over = await askReset(email);
      expect(over.status).toBe(429);
      expect(Number(over.headers.get("Retry-After"))).toBeGreaterThan(0);
    }
  });

  it("does not reset a deactivated member", async () => {
    const email = await agent("inactive");
    await db.update(staff).set({ status: "deactivated" }).where(eq(staff.email, email));
    expect((await askReset(email)).status).toBe(303);
    await settleEmails();
    expect(await mailsTo(email)).toEqual([]);
  });
});

describe("one email on several teams", () => {
  it("signs in where the password is that team's own, without a choice", async () => {
    const email = "agent@ecshops.demo";
    const { url } = await invited(email);
    await submitFrom(url, "/dashboard/join", { name: "Shared Agent", password: PASSWORD });
    const easyLogin = await loggedIn(email, PASSWORD);
    expect(text(await (await easyLogin.get("/dashboard/queue")).text())).toContain("Shared Agent · agent");
    const shopsLogin = await loggedIn(email, DEMO_PASSWORD);
    expect(text(await (await shopsLogin.get("/dashboard/queue")).text())).not.toContain("Shared Agent");
  });

  it("asks which team when the same password opens several, and the choice works once", async () => {
    const email = fresh("both");
    const hash = await hashPassword(PASSWORD);
    await createStaff({ id: `st_both_a_${n}`, email, passwordHash: hash, merchantId: EASY, name: "Both at Easy" });
    await createStaff({ id: `st_both_b_${n}`, email, passwordHash: hash, merchantId: "m_ecshops", name: "Both at ECShops" });
    const b = new Browser();
    const res = await b.login(email, PASSWORD);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(text(html)).toContain("Choose a team");
    const names = await db.select({ id: merchants.id, name: merchants.name }).from(merchants);
    for (const m of names.filter((x) => x.id === EASY || x.id === "m_ecshops")) expect(text(html)).toContain(m.name);
    const forms = [...html.matchAll(/name="choice" value="([^"]+)"/g)].map((m) => m[1] as string);
    expect(forms).toHaveLength(2);
    const csrf = formTokenIn(html);
    const shops = names.find((x) => x.id === "m_ecshops")?.name ?? "";
    // The choices are listed by team name; pick ECShops'.
    const order = [...html.matchAll(/<button type="submit" class="secondary">([^<]+)/g)].map((m) => m[1] ?? "");
    const pick = forms[order.findIndex((o) => o.includes(shops))] ?? "";
    const chosen = await b.request("/dashboard/login/choose", { form: { _csrf: csrf, choice: pick, next: "/dashboard/queue" } });
    expect(chosen.status).toBe(303);
    expect(text(await (await b.get("/dashboard/queue")).text())).toContain("Both at ECShops");
    const again = await new Browser().request("/dashboard/login/choose", { form: { _csrf: csrf, choice: pick } });
    expect(again.status).toBe(403);
  });

  it("shows one team's admin nothing of the same email's rows elsewhere", async () => {
    const html = await (await (await signedIn("admin@commerceup.demo")).get("/dashboard/settings/staff")).text();
    expect(html).toContain("agent@commerceup.demo");
    expect(html).not.toContain("Shared Agent");
  });
});

describe("roles and access", () => {
  /** A fresh Easy Commission member (active unless told), signed in in their own browser. */
  async function colleague(role: "agent" | "admin" = "agent") {
    const id = `st_team_${++n}`;
    const email = await createStaff({ id, email: fresh("colleague"), password: PASSWORD, merchantId: EASY, role, name: `Colleague ${n}` });
    return { id, email, browser: await signedIn(email) };
  }

  it("changes a colleague's role both ways", async () => {
    const { id } = await colleague();
    expect((await easy.post(`/dashboard/settings/staff/${id}/role`, { role: "admin" })).status).toBe(303);
    expect((await db.query.staff.findFirst({ where: eq(staff.id, id) }))?.role).toBe("admin");
    expect((await easy.post(`/dashboard/settings/staff/${id}/role`, { role: "agent" })).status).toBe(303);
    expect((await db.query.staff.findFirst({ where: eq(staff.id, id) }))?.role).toBe("agent");
  });

  it("refuses an admin's change of their own role or access (409)", async () => {
    for (const path of ["role", "deactivate", "remove"]) {
      const res = await easy.post(`/dashboard/settings/staff/st_easy-commission_admin/${path}`, { role: "agent" });
      expect(res.status).toBe(409);
    }
    expect((await db.query.staff.findFirst({ where: eq(staff.id, "st_easy-commission_admin") }))?.role).toBe("admin");
  });

  it("never takes away the last active admin, whoever asks", async () => {
    // As if a second admin had acted in the same instant: the statement itself keeps one admin.
    const someone = { staffId: "st_not_a_member", merchantId: "m_ecshops" };
    for (const act of [
      () => changeRole(env, someone, "st_ecshops_admin", "agent"),
      () => changeAccess(env, someone, "st_ecshops_admin", "deactivate"),
      () => changeAccess(env, someone, "st_ecshops_admin", "remove"),
    ]) {
      await expect(act()).rejects.toThrow(/last admin/);
    }
    expect(await db.query.staff.findFirst({ where: eq(staff.id, "st_ecshops_admin") })).toMatchObject({ role: "admin", status: "active" });
  });

  it("deactivating ends the member's sessions at once and refuses their sign-in; reactivating lets them back", async () => {
    const { id, email, browser } = await colleague();
    expect((await browser.get("/dashboard/queue")).status).toBe(200);
    expect((await easy.post(`/dashboard/settings/staff/${id}/deactivate`)).status).toBe(303);
    expect((await browser.get("/dashboard/queue")).status).toBe(303);
    expect(await db.select().from(sessions).where(eq(sessions.staffId, id))).toEqual([]);
    const refused = await new Browser().login(email, PASSWORD);
    expect(refused.status).toBe(401);
    expect(text(await refused.text())).toContain("Email or password is incorrect.");
    expect(text(await (await easy.get("/dashboard/settings/staff")).text())).toContain("deactivated");
    expect((await easy.post(`/dashboard/settings/staff/${id}/reactivate`)).status).toBe(303);
    expect((await new Browser().login(email, PASSWORD)).status).toBe(303);
  });

  it("removing ends their sessions, drops them from the list, keeps their history with their name, and frees the email", async () => {
    const { id, email, browser } = await colleague();
    const ref = await refOf("t_easy-commission_0");
    expect((await browser.post(`/dashboard/tickets/${ref}/note`, { body: "Checked the commission run." })).status).toBe(303);
    expect((await easy.post(`/dashboard/settings/staff/${id}/remove`)).status).toBe(303);
    expect((await browser.get("/dashboard/queue")).status).toBe(303);
    expect((await db.query.staff.findFirst({ where: eq(staff.id, id) }))?.status).toBe("removed");
    expect(await (await easy.get("/dashboard/settings/staff")).text()).not.toContain(email);
    const ticket = text(await (await easy.get(`/dashboard/tickets/${ref}`)).text());
    expect(ticket).toContain(`Colleague ${n}`);
    expect(ticket).toContain("Checked the commission run.");
    expect(await db.select().from(ticketEvents).where(eq(ticketEvents.staffId, id))).toHaveLength(1);
    expect((await easy.post("/dashboard/settings/staff", { email, role: "agent" })).status).toBe(303);
  });

  it("is a 404 to manage another merchant's member, and nothing changes", async () => {
    for (const path of ["role", "resend", "revoke", "deactivate", "reactivate", "remove"]) {
      const { result, before, after } = await quiet(() =>
        easy.post(`/dashboard/settings/staff/st_ecellar_agent/${path}`, { role: "admin" }),
      );
      expect(result.status).toBe(404);
      expect(changed(before, after)).toEqual([]);
    }
  });

  it("is a 403 for an agent on every team page and action", async () => {
    const { id } = await colleague();
    expect((await easyAgent.get("/dashboard/settings/staff")).status).toBe(403);
    for (const path of [
      "/dashboard/settings/staff",
      ...["role", "resend", "revoke", "deactivate", "reactivate", "remove"].map((p) => `/dashboard/settings/staff/${id}/${p}`),
    ]) {
      const { result, before, after } = await quiet(() => easyAgent.post(path, { email: fresh(), role: "admin" }));
      expect(result.status).toBe(403);
      expect(changed(before, after)).toEqual([]);
    }
  });

  it("refuses every team action without the session's form token (403)", async () => {
    const { id } = await colleague();
    for (const path of [
      "/dashboard/settings/staff",
      ...["role", "resend", "revoke", "deactivate", "reactivate", "remove"].map((p) => `/dashboard/settings/staff/${id}/${p}`),
    ]) {
      const { result, before, after } = await quiet(() => easy.request(path, { form: { _csrf: "forged", email: fresh(), role: "admin" } }));
      expect(result.status).toBe(403);
      expect(changed(before, after)).toEqual([]);
    }
  });
});
