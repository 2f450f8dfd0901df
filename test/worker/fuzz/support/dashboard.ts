import { exports } from "cloudflare:workers";
import { and, eq, isNull } from "drizzle-orm";
import fc from "fast-check";
import { expect, it } from "vitest";
import { apiKeys, incidents, merchants, outbox, sessions, staff, tickets } from "../../../../schema/db.ts";
import { formToken, SESSION_COOKIE, SESSION_TTL_MS } from "../../../../worker/dashboard/session.ts";
import { DEMO_PASSWORD } from "../../../../worker/dev/seed.ts";
import { randomToken, sha256Hex } from "../../../../worker/infra/crypto.ts";
import { createApiKey } from "../../../../worker/merchant/api-keys.ts";
import { policyAt } from "../../../../worker/merchant/policy-versions.ts";
import { outboxInsert } from "../../../../worker/outbox/outbox.ts";
import { db, freshIp, HOST, ORIGIN, seed, ticketBody } from "../../helpers.ts";
import { encodePairs, encodeSegment, hostile, hostileHeader, type Pair, pairs, prototypeKeys, wellFormed } from "./arbitraries.ts";
import { checkDashboard, type DashboardSpec, exchange, fuzz, type Outgoing, RUNS, timeoutFor, touched } from "./runner.ts";

// The dashboard fuzz signs in as ecellar's admin (every page and action is reachable) and
// sends forms with a valid form token, so most cases reach the handlers.

/** Values known only while the fuzz runs (ids of things the fuzz itself creates or ends). */
export type Dyn =
  | "ownRef"
  | "freshRef"
  | "quoteRef"
  | "foreignRef"
  | "ownIncident"
  | "foreignIncident"
  | "colleague"
  | "foreignStaff"
  | "ownSite"
  | "foreignSite"
  | "policyVersion"
  | "currentPassword"
  | "newEmail"
  | "calendar"
  | "issueType"
  | "severity"
  | "ownApiKey"
  | "foreignApiKey"
  | "ownDelivery"
  | "foreignDelivery";

/** A form, query or path value: literal, or one of the running values. */
export type Value = string | { dyn: Dyn; i: number };

/** A literal, or a running value picked by index. */
export const dyn = (name: Dyn): fc.Arbitrary<Value> => fc.nat().map((i) => ({ dyn: name, i }));

/** The demo merchants whose admins the fuzz signs in as (ecellar unless an endpoint says otherwise). */
export type Merchant = "ecellar" | "commerceup" | "ecshops";

/** The signed-in admins (and what the fuzz keeps track of while it changes things). */
export const state = {
  admins: new Map<Merchant, { token: string; csrf: string }>(),
  adminPassword: DEMO_PASSWORD,
  emails: 0,
};

const merchantId = (m: Merchant) => `m_${m}`;
const adminId = (m: Merchant) => `st_${m}_admin`;
const foreignOf = (m: Merchant): Merchant => (m === "ecellar" ? "commerceup" : "ecellar");

// A new ticket per merchant, of a kind each action can act on (commerceup: C1, which downgrades).
const freshTicket: Record<Merchant, [string, Record<string, unknown>]> = {
  ecellar: ["demo-ecellar", {}],
  commerceup: ["demo-commerceup", { issueType: "site-down", severity: "critical" }],
  ecshops: ["demo-ecshops", { issueType: "incident", severity: "degraded" }],
};

// A new ticket whose priority is on the quote workflow, the only kind a quote can start on.
// Commerceup has no such priority, so its tickets stay ordinary ones.
const quoteTicket: Record<Merchant, [string, Record<string, unknown>]> = {
  ecellar: ["demo-ecellar", { issueType: "feature" }],
  commerceup: freshTicket.commerceup,
  ecshops: ["demo-ecshops", { issueType: "feature", severity: "question" }],
};

async function newSession(staffId: string, merchant: string): Promise<string> {
  touched();
  const token = randomToken();
  const now = Date.now();
  await db
    .insert(sessions)
    .values({ tokenHash: await sha256Hex(token), staffId, merchantId: merchant, createdAt: now, expiresAt: now + SESSION_TTL_MS });
  return token;
}

/** The admin session of a merchant (made once, renewed when a password change replaces it). */
async function admin(m: Merchant): Promise<{ token: string; csrf: string }> {
  let a = state.admins.get(m);
  if (!a) {
    const token = await newSession(adminId(m), merchantId(m));
    a = { token, csrf: await formToken(token) };
    state.admins.set(m, a);
  }
  return a;
}

/** A new customer ticket on a merchant's demo site (from its own IP, so creation caps never interfere). */
export async function fileTicket(m: Merchant, kinds = freshTicket): Promise<string> {
  touched();
  const [siteKey, over] = kinds[m];
  const res = await exports.default.fetch(
    new Request(`${HOST}/v1/sites/${siteKey}/tickets`, {
      method: "POST",
      body: JSON.stringify(ticketBody(over)),
      headers: {
        "Content-Type": "application/json",
        "Idempotency-Key": crypto.randomUUID(),
        "CF-Connecting-IP": freshIp(),
        Origin: ORIGIN,
      },
    }),
  );
  if (res.status !== 201) throw new Error(`create failed ${res.status} ${await res.text()}`);
  const ref = ((await res.json()) as { reference: string }).reference;
  refs.get(merchantId(m))?.push(ref);
  return ref;
}

// Ticket references per merchant (tickets are never deleted; fileTicket adds the new ones).
const refs = new Map<string, string[]>();

async function refsOf(m: Merchant): Promise<string[]> {
  const id = merchantId(m);
  let list = refs.get(id);
  if (!list) {
    list = (await db.select({ ref: tickets.ref }).from(tickets).where(eq(tickets.merchantId, id))).map((r) => r.ref);
    refs.set(id, list);
  }
  return list;
}

/** Seeds the demo data and a few incidents. */
export async function setupDashboard(): Promise<void> {
  await seed();
  const now = Date.now();
  await db.insert(incidents).values([
    { id: "inc_fz_own_1", merchantId: "m_ecellar", title: "Checkout slow", body: "Looking into it", startedAt: now, endedAt: null },
    { id: "inc_fz_own_2", merchantId: "m_ecellar", title: "Emails delayed", body: "Queued", startedAt: now, endedAt: null },
    { id: "inc_fz_other", merchantId: "m_commerceup", title: "Theirs", body: "x", startedAt: now, endedAt: null },
  ]);
}

/** Resolves a running value now, for an admin of merchant `m`. */
export async function resolve(v: Value, m: Merchant): Promise<string> {
  if (typeof v === "string") return v;
  const pick = <T>(list: T[]) => list[v.i % list.length] as T;
  const own = merchantId(m);
  const foreign = merchantId(foreignOf(m));
  switch (v.dyn) {
    case "freshRef":
      return fileTicket(m);
    case "quoteRef":
      return fileTicket(m, quoteTicket);
    case "ownRef":
    case "foreignRef": {
      const list = await refsOf(v.dyn === "ownRef" ? m : foreignOf(m));
      return list.length ? pick(list) : fileTicket(v.dyn === "ownRef" ? m : foreignOf(m));
    }
    case "ownIncident":
    case "foreignIncident": {
      const whose = v.dyn === "ownIncident" ? own : foreign;
      const rows = await db
        .select({ id: incidents.id })
        .from(incidents)
        .where(and(eq(incidents.merchantId, whose), isNull(incidents.endedAt)));
      if (rows.length) return pick(rows).id;
      const id = `inc_fz_${crypto.randomUUID()}`;
      touched();
      await db.insert(incidents).values({ id, merchantId: whose, title: "t", body: "b", startedAt: Date.now(), endedAt: null });
      return id;
    }
    case "colleague":
    case "foreignStaff": {
      const rows = await db.select({ id: staff.id, merchantId: staff.merchantId }).from(staff);
      return pick(rows.filter((r) => (v.dyn === "colleague" ? r.merchantId === own && r.id !== adminId(m) : r.merchantId !== own))).id;
    }
    case "ownSite":
      return `s_${m}`;
    case "foreignSite":
      return pick(["s_commerceup", "s_ecshops", "s_easy-commission", "s_ecellar"].filter((id) => id !== `s_${m}`));
    case "policyVersion": {
      const row = await db.select({ v: merchants.policyVersion }).from(merchants).where(eq(merchants.id, own)).get();
      return String(row?.v ?? 1);
    }
    case "calendar":
    case "issueType":
    case "severity": {
      // Names from the policy in force now (the settings fuzz may have replaced it).
      const row = await db.select({ v: merchants.policyVersion }).from(merchants).where(eq(merchants.id, own)).get();
      const current = await policyAt(db, own, row?.v ?? 1);
      const names =
        v.dyn === "calendar"
          ? Object.keys(current.calendars)
          : v.dyn === "issueType"
            ? current.issueTypes.map((t) => t.id)
            : current.severities.map((x) => x.id);
      return names.length ? pick(names) : "";
    }
    case "ownApiKey":
    case "foreignApiKey": {
      const whose = v.dyn === "ownApiKey" ? m : foreignOf(m);
      const rows = await db
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .where(eq(apiKeys.merchantId, merchantId(whose)));
      if (rows.length) return pick(rows).id;
      touched();
      return (await createApiKey(db, merchantId(whose), "fuzz", adminId(whose), Date.now())).row.id;
    }
    case "ownDelivery":
    case "foreignDelivery": {
      const whose = merchantId(v.dyn === "ownDelivery" ? m : foreignOf(m));
      const rows = await db
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(eq(outbox.merchantId, whose), eq(outbox.channel, "webhook")));
      if (rows.length) return pick(rows).id;
      touched();
      const { id, statement } = outboxInsert(
        db.$client,
        { channel: "webhook", event: "webhook.test", merchantId: whose, payload: { message: "fuzz" } },
        Date.now(),
      );
      await statement.run();
      return id;
    }
    case "currentPassword":
      return state.adminPassword;
    case "newEmail":
      state.emails += 1;
      return `fz-${crypto.randomUUID().slice(0, 8)}-${state.emails}@example.test`;
  }
}

/** A path parameter: own (mostly), another merchant's, or hostile. */
export function param(own: Dyn, foreign?: Dyn, fresh?: Dyn): fc.Arbitrary<Value | { raw: string }> {
  return fc.oneof(
    { weight: 6, arbitrary: dyn(own) },
    ...(fresh ? [{ weight: 2, arbitrary: dyn(fresh) }] : []),
    ...(foreign ? [{ weight: 1, arbitrary: dyn(foreign) }] : []),
    { weight: 1, arbitrary: hostile.map((raw) => ({ raw: raw.slice(0, 200) })) },
  );
}

/** Field values: valid (mostly), hostile, or a running value. */
export type Fields = Record<string, fc.Arbitrary<Value>>;

/** How a form post is sent. */
type Encoding = "urlencoded" | "multipart" | "junk" | "bad-multipart" | "not-a-form" | "huge";

/** One dashboard case. */
export interface DashCase {
  params: Record<string, Value | { raw: string }>;
  fields: { key: string; value: Value; raw?: string }[];
  extra: Pair[];
  encoding: Encoding;
  csrf: "valid" | "missing" | "wrong";
  origin: "same" | "none" | "foreign" | "null";
  contentType: string;
  junk: string;
  /** For endpoints open to both: whether the request carries the admin's session. */
  signedIn: boolean;
  /** The uploaded file's contents (upload forms only; null: no file chosen). */
  file: string | null;
}

/** One dashboard endpoint the fuzz covers. */
export interface DashEndpoint extends DashboardSpec {
  readonly method: "GET" | "POST";
  /** Path with `:name` parameters. */
  readonly path: string;
  readonly params?: Record<string, fc.Arbitrary<Value | { raw: string }>>;
  readonly fields?: Fields;
  readonly required?: readonly string[];
  /** Whose cookie the request carries: the admin's, a fresh session of its own, or none. */
  readonly session?: "admin" | "fresh" | "none" | "any";
  /** Whose admin signs in (ecellar by default). */
  readonly merchant?: Merchant;
  /** After a successful post, what the fuzz must remember (a new password, for one). */
  readonly after?: (sent: Record<string, string>, res: Response) => void;
  /** What to set up before the endpoint is fuzzed (the preset whose ids its fields draw from, for one). */
  readonly prepare?: () => Promise<void>;
  /** An upload form: the contents of its `file` field, sent mostly as multipart. */
  readonly file?: fc.Arbitrary<string>;
}

/** Fields as form or query pairs, each valid, hostile, missing, repeated or wrapped in junk. */
function fieldPairs(fields: Fields, required: readonly string[] = []) {
  const names = Object.keys(fields);
  if (names.length === 0) return fc.constant([] as { key: string; value: Value; raw?: string }[]);
  return fc
    .tuple(
      ...names.map((name) =>
        fc.option(
          fc.oneof(
            { weight: 5, arbitrary: fields[name] as fc.Arbitrary<Value> },
            { weight: 2, arbitrary: hostile },
            // Form values often name an object key (a calendar, a preset, a notice).
            { weight: 1, arbitrary: fc.constantFrom(...prototypeKeys) },
          ),
          {
            freq: required.includes(name) ? 16 : 3,
            nil: undefined,
          },
        ),
      ),
    )
    .map((values) => names.flatMap((key, i) => (values[i] === undefined ? [] : [{ key, value: values[i] as Value }])));
}

function caseOf(ep: DashEndpoint): fc.Arbitrary<DashCase> {
  const params = ep.params ? fc.record(ep.params) : fc.constant({});
  return fc.record({
    params,
    fields: fieldPairs(ep.fields ?? {}, ep.required),
    extra: fc.oneof({ weight: 4, arbitrary: fc.constant([] as Pair[]) }, { weight: 1, arbitrary: pairs({}) }),
    encoding: fc.oneof(
      { weight: ep.file ? 2 : 16, arbitrary: fc.constant<Encoding>("urlencoded") },
      { weight: ep.file ? 16 : 2, arbitrary: fc.constant<Encoding>("multipart") },
      { weight: 2, arbitrary: fc.constantFrom<Encoding>("junk", "bad-multipart", "not-a-form", "huge") },
    ),
    csrf: fc.oneof(
      { weight: 20, arbitrary: fc.constant("valid" as const) },
      { weight: 1, arbitrary: fc.constantFrom("missing" as const, "wrong" as const) },
    ),
    origin: fc.oneof(
      { weight: 16, arbitrary: fc.constant("same" as const) },
      { weight: 2, arbitrary: fc.constant("none" as const) },
      { weight: 1, arbitrary: fc.constantFrom("foreign" as const, "null" as const) },
    ),
    contentType: fc.oneof(fc.constantFrom("text/plain", "application/json", "application/x-www-form-urlencodedx"), hostileHeader),
    junk: fc.oneof(hostile, fc.constantFrom("_csrf=", "a=%", "%zz=%ED%A0%80", "--x\r\nContent-Disposition: form-data\r\n\r\n--x--")),
    signedIn: fc.boolean(),
    file: ep.file ? fc.option(ep.file, { freq: 8, nil: null }) : fc.constant(null),
  });
}

const login = { cookie: "", token: "" };

/** Builds one request (resolving running values, signing in fresh sessions as needed). */
async function build(ep: DashEndpoint, c: DashCase) {
  const m = ep.merchant ?? "ecellar";
  const me = await admin(m);
  let path = ep.path;
  for (const [name, v] of Object.entries(c.params)) {
    const value = typeof v === "object" && "raw" in v ? encodeSegment(v.raw) : encodeURIComponent(await resolve(v as Value, m));
    path = path.replace(`:${name}`, value);
  }
  const sent: Record<string, string> = {};
  const resolved: Pair[] = [];
  for (const f of c.fields) {
    const value = await resolve(f.value, m);
    sent[f.key] = value;
    resolved.push({ key: f.key, value, ...(f.raw ? { raw: f.raw } : {}) });
  }
  const headers: [string, string][] = [["CF-Connecting-IP", freshIp()]];
  const cookies: string[] = [];
  const session = ep.session ?? "admin";
  let csrf = me.csrf;
  if (session === "admin" || (session === "any" && c.signedIn)) cookies.push(`${SESSION_COOKIE}=${me.token}`);
  if (session === "fresh") {
    const token = await newSession(adminId(m), merchantId(m));
    cookies.push(`${SESSION_COOKIE}=${token}`);
    csrf = await formToken(token);
  }
  if (session === "none" && ep.method === "POST") {
    // The sign-in form's token is bound to the pre-login cookie: fetch the form like a browser.
    const page = await exports.default.fetch(new Request(`${HOST}/dashboard/login`, { headers: { "CF-Connecting-IP": freshIp() } }));
    const set = page.headers.getSetCookie().find((l) => l.startsWith("__Host-rb_login="));
    if (set) login.cookie = (set.split(";")[0] as string).slice("__Host-rb_login=".length);
    login.token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
    cookies.push(`__Host-rb_login=${login.cookie}`);
    csrf = login.token;
  }
  if (cookies.length) headers.push(["Cookie", cookies.join("; ")]);
  if (ep.method === "GET") {
    const query = encodePairs([...resolved, ...c.extra]);
    return { req: { method: "GET", path: `${path}${query ? `?${query}` : ""}`, headers } as Outgoing, sent };
  }
  if (c.origin !== "none") headers.push(["Origin", c.origin === "same" ? HOST : c.origin === "foreign" ? "https://evil.test" : "null"]);
  const form: Pair[] = [
    ...(c.csrf === "missing" ? [] : [{ key: "_csrf", value: c.csrf === "valid" ? csrf : "0".repeat(64) }]),
    ...resolved,
    ...c.extra,
  ];
  let body: string | FormData;
  if (c.encoding === "multipart") {
    const data = new FormData();
    // (workerd's multipart writer refuses a name ending in a backslash: a client-side limit)
    for (const p of form) data.append(wellFormed(p.key).replace(/\\+$/, "") || "_", wellFormed(p.value));
    data.append("upload", new File(["<script>alert(1)</script>"], "../../evil.html", { type: "text/html" }));
    if (c.file !== null) data.append("file", new File([c.file], "accounts.csv", { type: "text/csv" }));
    body = data;
  } else {
    body = encodePairs(form);
    if (c.encoding === "junk") body = `${body}&${c.junk}`;
    if (c.encoding === "huge") body = `${body}&pad=${"a".repeat(300 * 1024)}`;
    if (c.encoding === "bad-multipart") body = `--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n${c.junk}`;
    headers.push([
      "Content-Type",
      c.encoding === "not-a-form"
        ? c.contentType
        : c.encoding === "bad-multipart"
          ? "multipart/form-data; boundary=x"
          : "application/x-www-form-urlencoded",
    ]);
  }
  return { req: { method: "POST", path, headers, body } as Outgoing, sent };
}

/** Fuzzes one dashboard endpoint with the invariants of checkDashboard. */
export async function fuzzDashboard(ep: DashEndpoint, runs = RUNS): Promise<Map<number, number>> {
  return fuzz(
    `${ep.method} ${ep.path}`,
    caseOf(ep),
    async (c) => {
      const { req, sent } = await build(ep, c);
      const ex = await exchange(req);
      checkDashboard(ex, ep);
      // A password change gives this browser a fresh session: keep it, as a browser would.
      const renewed = ex.res.headers.getSetCookie().find((l) => l.startsWith(`${SESSION_COOKIE}=`));
      if ((ep.session ?? "admin") === "admin" && renewed) {
        const token = (renewed.split(";")[0] as string).slice(SESSION_COOKIE.length + 1);
        if (token) state.admins.set(ep.merchant ?? "ecellar", { token, csrf: await formToken(token) });
      }
      if (ex.res.status === 303 && ep.method === "POST") ep.after?.(sent, ex.res);
    },
    runs,
  );
}

/**
 * One test per endpoint: fuzzDashboard's invariants for its cases, and at least one case that
 * reached the handler's success path (a 200 or 303) wherever `reachesSuccess` says it must.
 */
export function fuzzEachEndpoint(endpoints: readonly DashEndpoint[], msPerRun: number, reachesSuccess = (_: DashEndpoint) => true): void {
  it.each(endpoints.map((ep) => [`${ep.method} ${ep.path}`, ep] as const))(
    "%s answers only its listed statuses, renders data inertly and writes only on success",
    async (_, ep) => {
      await ep.prepare?.();
      const tally = await fuzzDashboard(ep);
      if (reachesSuccess(ep)) expect((tally.get(200) ?? 0) + (tally.get(201) ?? 0) + (tally.get(303) ?? 0)).toBeGreaterThan(0);
    },
    timeoutFor(RUNS, msPerRun),
  );
}
