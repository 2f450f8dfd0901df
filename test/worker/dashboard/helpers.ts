import { exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll } from "vitest";
import { sessions, staff, tickets } from "../../../schema/db.ts";
import { formToken, SESSION_COOKIE, SESSION_TTL_MS } from "../../../worker/dashboard/session.ts";
import { DEMO_PASSWORD } from "../../../worker/dev/seed.ts";
import { randomToken, sha256Hex } from "../../../worker/infra/crypto.ts";
import { hashPassword } from "../../../worker/infra/password.ts";
import { db, freshIp, HOST, seed } from "../helpers.ts";

/** Sends a request through the worker exactly as the network would. */
export function send(request: Request): Promise<Response> {
  return exports.default.fetch(request);
}

/** The `_csrf` value of the first form in a page. */
export function formTokenIn(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error("no form token in the page");
  return m[1];
}

/** A browser: keeps cookies like one, knows its form token once signed in. */
export class Browser {
  readonly cookies = new Map<string, string>();
  readonly ip: string;
  csrf = "";

  /** A browser on its own address, or on `ip`. */
  constructor(ip = freshIp()) {
    this.ip = ip;
  }

  /** Every Set-Cookie of a response, applied as a browser would (Max-Age=0 deletes). */
  keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";").map((s) => s.trim());
      const i = pair.indexOf("=");
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (attrs.some((a) => /^max-age=0$/i.test(a)) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** A request with this browser's cookies, IP and same-origin headers. */
  async request(
    path: string,
    init: {
      method?: string;
      form?: Record<string, string>;
      multipart?: FormData;
      headers?: Record<string, string>;
      origin?: string | null;
    } = {},
  ) {
    const headers = new Headers(init.headers);
    headers.set("CF-Connecting-IP", this.ip);
    if (this.cookies.size) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const method = init.method ?? (init.form || init.multipart ? "POST" : "GET");
    if (method === "POST" && init.origin !== null) headers.set("Origin", init.origin ?? HOST);
    // A multipart body sets its own Content-Type with the boundary.
    let body: string | FormData | null = init.multipart ?? null;
    if (init.form) {
      headers.set("Content-Type", "application/x-www-form-urlencoded");
      body = new URLSearchParams(init.form).toString();
    }
    const res = await send(new Request(`${HOST}${path}`, { method, headers, body, redirect: "manual" }));
    this.keep(res);
    return res;
  }

  /** GET a page. */
  get(path: string) {
    return this.request(path);
  }

  /** POST a form with this browser's form token. */
  post(path: string, form: Record<string, string> = {}, init: { origin?: string | null } = {}) {
    return this.request(path, { form: { _csrf: this.csrf, ...form }, ...init });
  }

  /** POST a multipart form (files) with this browser's form token, as a form with enctype="multipart/form-data" sends it. */
  postFiles(path: string, fields: Record<string, string>, files: readonly File[], init: { origin?: string | null } = {}) {
    const form = new FormData();
    if (this.csrf) form.set("_csrf", this.csrf);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    for (const f of files) form.append("file", f);
    return this.request(path, { multipart: form, ...init });
  }

  /** Signs in through the login form; the answer is the login POST's response. */
  async login(email: string, password = DEMO_PASSWORD): Promise<Response> {
    const page = await this.get("/dashboard/login");
    const token = formTokenIn(await page.text());
    const res = await this.request("/dashboard/login", { form: { _csrf: token, email, password } });
    if (res.status === 303) this.csrf = formTokenIn(await (await this.get("/dashboard/account")).text());
    return res;
  }
}

/** A browser that signed in through the login form. */
export async function loggedIn(email: string, password = DEMO_PASSWORD): Promise<Browser> {
  const b = new Browser();
  const res = await b.login(email, password);
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  return b;
}

/** Gives a browser a fresh session for a staff member, made the way sign-in makes one but without the form. */
async function startSession(b: Browser, email: string): Promise<void> {
  const member = await db.query.staff.findFirst({ where: eq(staff.email, email) });
  if (!member) throw new Error(`no staff ${email}`);
  const token = randomToken();
  const now = Date.now();
  await db.insert(sessions).values({
    tokenHash: await sha256Hex(token),
    staffId: member.id,
    merchantId: member.merchantId,
    createdAt: now,
    expiresAt: now + SESSION_TTL_MS,
  });
  b.cookies.set(SESSION_COOKIE, token);
  b.csrf = await formToken(token);
}

/**
 * A browser with a fresh session for a staff member (demo logins: admin@<preset>.demo,
 * agent@<preset>.demo), made the way sign-in makes one but without the form, so tests of pages
 * and actions do not spend the sign-in rate limits that auth.test.ts exercises.
 */
export async function signedIn(email: string): Promise<Browser> {
  const b = new Browser();
  await startSession(b, email);
  return b;
}

/**
 * Browsers for staff members by name, e.g. `{ ecellar: "agent@ecellar.demo" }`, each given its
 * session as signedIn does in a beforeAll that first seeds the demo data.
 */
export function signInBeforeAll<K extends string>(emails: Record<K, string>): Record<K, Browser> {
  const names = Object.keys(emails) as K[];
  const browsers = Object.fromEntries(names.map((name) => [name, new Browser()])) as Record<K, Browser>;
  beforeAll(async () => {
    await seed();
    for (const name of names) await startSession(browsers[name], emails[name]);
  });
  return browsers;
}

/** The reference of a seeded sample ticket (`t_<preset>_<i>`). */
export async function refOf(id: string): Promise<string> {
  const row = await db.query.tickets.findFirst({ where: eq(tickets.id, id) });
  if (!row) throw new Error(`no ticket ${id}`);
  return row.ref;
}

/** Options for a staff login made for one test (sign-in throttling counts per email). */
export interface NewStaff {
  id: string;
  email: string;
  /** Hashed at the default cost unless `passwordHash` is given ("!" is a disabled login). */
  password?: string;
  passwordHash?: string;
  role?: "agent" | "admin";
  merchantId?: string;
  name?: string;
}

/** Inserts a staff member (default: an ecellar agent) and returns their email. */
export async function createStaff(opts: NewStaff): Promise<string> {
  const now = Date.now();
  await db.insert(staff).values({
    id: opts.id,
    merchantId: opts.merchantId ?? "m_ecellar",
    email: opts.email,
    name: opts.name ?? opts.id,
    role: opts.role ?? "agent",
    passwordHash: opts.passwordHash ?? (opts.password === undefined ? "!" : await hashPassword(opts.password)),
    passwordChangedAt: now,
    createdAt: now,
  });
  return opts.email;
}
