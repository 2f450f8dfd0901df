import { type Context, Hono, type MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { JSX } from "preact";
import { renderToString } from "preact-render-to-string";
import { downloadFile, ticketFiles } from "../attachments/download.ts";
import { customerMessageWithFiles, messageBody } from "../attachments/messages.ts";
import { MAX_UPLOAD_BYTES } from "../attachments/store.ts";
import { formFiles, isMultipart, readUpload } from "../attachments/upload.ts";
import { EngineError } from "../engine/errors.ts";
import { type Locale, localeOf } from "../engine/format.ts";
import { computeWindow } from "../engine/window.ts";
import { ApiError, problemStatus } from "../errors.ts";
import { base64url, hmacHex, randomBytes, randomToken, timingSafeEqual } from "../infra/crypto.ts";
import { database } from "../infra/db.ts";
import { type AppEnv, burstLimit, clientIp, readBody } from "../infra/http.ts";
import { type Brand, brandOf } from "../merchant/branding.ts";
import { siteById, siteByKey } from "../merchant/site-context.ts";
import { contextOf, type TicketContext } from "../tickets/commit.ts";
import { closeByCustomer, decideQuote, reopenable, reopenTicket } from "../tickets/lifecycle.ts";
import { isReference } from "../tickets/reference.ts";
import type { TicketRow } from "../tickets/rows.ts";
import { customerParts } from "../tickets/view.ts";
import { CUSTOMER_SESSION_TTL_MS, isToken, startCustomerSession, ticketForLink, ticketForSession } from "./links.ts";
import { requestLinks } from "./my-requests.ts";
import { ErrorPage, InvalidLinkPage, LinksPage, LinksSentPage, QuoteConfirmPage, Shell, type StatusData, StatusPage } from "./pages.tsx";
import { stylesheet } from "./style.ts";
import { type Texts, texts } from "./text.ts";

/*
 * The status page, mounted at /t: what a customer reaches from the link in every email, on any
 * device. `GET /t/<REF>?k=<link token>` exchanges a valid link for a session cookie on that one
 * ticket and redirects to the clean URL; the link stays valid until it expires, so a mail
 * scanner that opens it first neither burns it nor changes the ticket. Pages are Preact rendered
 * here, with no script; every action is a POST form carrying a token bound to the session.
 *
 * Cookies: one per ticket, `__Host-rb_t_<REF>` — HttpOnly, Secure, SameSite=Lax, Path=/ (the
 * `__Host-` prefix demands Path=/ and no Domain, which is what keeps a sibling subdomain from
 * planting or overwriting it). A browser holding links to several tickets keeps one session each.
 */

type Upload = Awaited<ReturnType<typeof formFiles>>;

type StatusEnv = AppEnv & { Variables: { nonce: string; locale: Locale } };

/** The session cookie of one ticket. */
export const sessionCookie = (ref: string) => `__Host-rb_t_${ref}`;
/** The cookie the "email me my requests" form's token is bound to. */
export const LINKS_COOKIE = "__Host-rb_tl";
/** Largest form body the status page reads. */
export const MAX_STATUS_FORM_BYTES = 32 * 1024;

const cookieOptions = { path: "/", secure: true, httpOnly: true, sameSite: "Lax" } as const;

/** The form token of a status-page session (an HMAC keyed by its HttpOnly cookie). */
export function statusFormToken(sessionToken: string): Promise<string> {
  return hmacHex(sessionToken, "replyby-status-form");
}

const linksFormToken = (secret: string) => hmacHex(secret, "replyby-status-links");

/** The Content-Security-Policy of a status page: no script at all; styles from our file and the nonce'd brand colour. */
export function statusCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const securityHeaders: MiddlewareHandler<StatusEnv> = async (c, next) => {
  c.set("nonce", base64url(randomBytes(16)));
  c.set("locale", localeOf(c.req.header("Accept-Language")?.split(",")[0]?.trim()));
  await next();
  if (!c.res.headers.has("Content-Security-Policy")) c.header("Content-Security-Policy", statusCsp(c.var.nonce));
  c.header("X-Frame-Options", "DENY");
  c.header("Cross-Origin-Opener-Policy", "same-origin");
  c.header("Cross-Origin-Resource-Policy", "same-origin");
  c.header("Referrer-Policy", "no-referrer");
  if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
};

/**
 * Refuses cross-site, oversized and non-form posts before anything reads them. Our pages send no
 * referrer, so a browser posts their forms with `Origin: null`; that (like no Origin) is left to
 * the form token and the SameSite cookies, while an Origin naming another site is refused.
 */
const formGuard: MiddlewareHandler<StatusEnv> = async (c, next) => {
  if (c.req.method !== "POST") return next();
  const p = texts(c.var.locale).problems;
  const origin = c.req.header("Origin");
  if (origin !== undefined && origin !== "null" && origin !== new URL(c.req.url).origin) throw new ApiError("forbidden", p.otherSite);
  // A message may carry files: its multipart body is read, capped, once the session is checked (authorised).
  const upload = isMultipart(c) && /^\/t\/[^/]+\/message$/.test(c.req.path);
  const max = upload ? MAX_UPLOAD_BYTES : MAX_STATUS_FORM_BYTES;
  if (Number(c.req.header("Content-Length") ?? "0") > max) throw new ApiError("payload-too-large", p.formTooLarge);
  if (upload) return next();
  if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header("Content-Type") ?? ""))
    throw new ApiError("unsupported-media-type", p.sendForm);
  await readBody(c, MAX_STATUS_FORM_BYTES, () => new ApiError("payload-too-large", p.formTooLarge));
  await next();
};

async function readForm(c: Context<StatusEnv>): Promise<Record<string, string>> {
  let body: Awaited<ReturnType<typeof c.req.parseBody>>;
  try {
    body = await c.req.parseBody();
  } catch {
    throw new ApiError("malformed-request", texts(c.var.locale).problems.formUnreadable);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

function render(
  c: Context<StatusEnv>,
  opts: { title: string; locale: Locale; brand?: Brand | undefined; status?: number },
  body: JSX.Element,
) {
  const html = renderToString(
    <Shell locale={opts.locale} nonce={c.var.nonce} title={opts.title} brand={opts.brand}>
      {body}
    </Shell>,
  );
  return c.html(`<!doctype html>${html}`, (opts.status ?? 200) as 200);
}

async function siteBrand(db: ReturnType<typeof database>, siteId: string, locale: Locale): Promise<Brand | undefined> {
  const site = await siteById(db, siteId);
  return site ? brandOf(site, locale) : undefined;
}

/** The secret the "email me my requests" form's token is bound to, set as a cookie when missing. */
function linksSecret(c: Context<StatusEnv>): string {
  const existing = getCookie(c, LINKS_COOKIE);
  if (isToken(existing)) return existing;
  const secret = randomToken();
  setCookie(c, LINKS_COOKIE, secret, { ...cookieOptions, sameSite: "Strict", maxAge: 86_400 });
  return secret;
}

/** The one answer for a link or session that opens nothing (404, whatever the reason). */
async function invalid(c: Context<StatusEnv>, ref: string | undefined) {
  const locale = c.var.locale;
  const csrf = await linksFormToken(linksSecret(c));
  return render(
    c,
    { title: texts(locale).invalidTitle, locale, status: 404 },
    <InvalidLinkPage locale={locale} csrf={csrf} ref={ref && isReference(ref) ? ref : undefined} />,
  );
}

/** The ticket this browser is signed in to at this reference, with its form token; null when none. */
async function signedIn(c: Context<StatusEnv>, ref: string): Promise<{ ticket: TicketRow; csrf: string } | null> {
  if (!isReference(ref)) return null;
  const token = getCookie(c, sessionCookie(ref));
  const ticket = await ticketForSession(database(c.env.DB), ref, token, c.var.now);
  return ticket && token ? { ticket, csrf: await statusFormToken(token) } : null;
}

async function pageData(c: Context<StatusEnv>, ctx: TicketContext, csrf: string): Promise<StatusData> {
  const db = database(c.env.DB);
  const t = ctx.ticket;
  const locale = localeOf(t.locale);
  const [{ events, quote }, files] = await Promise.all([customerParts(db, t.id), ticketFiles(db, t)]);
  let explanation: string[] = [];
  try {
    explanation = computeWindow(ctx.policy, { issueType: t.issueType, priority: t.priority, at: t.receivedAt, locale }).explanation;
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
  }
  const zone = zoneOrPolicy(t.timeZone, ctx.policy.timeZone);
  return {
    ticket: t,
    events,
    quote,
    attachments: files,
    explanation,
    timeZone: zone,
    ownZone: zone === t.timeZone,
    policyZone: ctx.policy.timeZone,
    reopenable: reopenable(t, c.var.now),
    locale,
    csrf,
    now: c.var.now,
  };
}

function zoneOrPolicy(zone: string | null, policyZone: string): string {
  if (!zone) return policyZone;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    return policyZone;
  }
}

const doneKeys = ["message", "reopen", "close", "accept", "decline"] as const;

async function showTicket(
  c: Context<StatusEnv>,
  ticket: TicketRow,
  csrf: string,
  opts: { status?: number; error?: ApiError; notice?: string | undefined } = {},
) {
  const db = database(c.env.DB);
  const ctx = await contextOf(db, ticket);
  const d = await pageData(c, ctx, csrf);
  const brand = await siteBrand(db, ticket.siteId, d.locale);
  const t = texts(d.locale);
  return render(
    c,
    { title: `${t.title} ${ticket.ref}`, locale: d.locale, brand, ...(opts.status ? { status: opts.status } : {}) },
    <StatusPage d={d} notice={opts.notice} error={opts.error?.message} errors={opts.error?.errors} />,
  );
}

/** The status page, mounted at /t. */
export const statusPage = new Hono<StatusEnv>();

statusPage.get("/assets/status.css", (c) =>
  c.body(stylesheet, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=31536000, immutable" }),
);
statusPage.use(securityHeaders);
statusPage.use(formGuard);
// Every page and action counts against the client's burst through the rate-limit binding.
statusPage.use(async (c, next) => {
  await burstLimit(c.env, `status:${clientIp(c)}`);
  await next();
});

// ——— "Email me my requests" ———

statusPage.get("/links", async (c) => {
  const site = await siteByKey(database(c.env.DB), c.req.query("site") ?? "", c.var.now);
  if (!site) throw new ApiError("not-found", "No such site");
  const locale = localeOf(c.req.query("locale") ?? site.defaultLocale);
  const csrf = await linksFormToken(linksSecret(c));
  return render(
    c,
    { title: texts(locale).linksTitle, locale, brand: brandOf(site, locale) },
    <LinksPage locale={locale} csrf={csrf} site={site.siteKey} />,
  );
});

statusPage.post("/links", async (c) => {
  const form = await readForm(c);
  const locale = localeOf(form.locale);
  c.set("locale", locale);
  const p = texts(locale).problems;
  const secret = getCookie(c, LINKS_COOKIE);
  if (!isToken(secret) || !timingSafeEqual(await linksFormToken(secret), form._csrf ?? "")) {
    throw new ApiError("forbidden", p.formExpired);
  }
  const email = (form.email ?? "").trim();
  if (email.length < 3 || email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new ApiError("validation-failed", p.validEmail, { errors: [{ path: "email", message: p.validEmail }] });
  }
  const db = database(c.env.DB);
  // The site: named by its public key, or the one of the reference the expired link was for.
  // An unknown site or reference is answered like a known one with no open requests.
  let site: { id: string; merchantId: string } | null = null;
  // The answer wears the site's brand only when the form named the site: a reference's site would
  // tell whether that reference exists.
  let brand: Brand | undefined;
  if (form.site) {
    const named = await siteByKey(db, form.site, c.var.now);
    site = named;
    brand = named ? brandOf(named, locale) : undefined;
  } else if (form.ref && isReference(form.ref)) {
    const row = await db.query.tickets.findFirst({
      where: (t, { eq }) => eq(t.ref, form.ref ?? ""),
      columns: { siteId: true, merchantId: true },
    });
    site = row ? { id: row.siteId, merchantId: row.merchantId } : null;
  }
  await requestLinks(c.env, site, email, clientIp(c), c.var.now);
  return render(c, { title: texts(locale).linksTitle, locale, brand }, <LinksSentPage locale={locale} />);
});

// ——— One ticket ———

statusPage.get("/:ref", async (c) => {
  const ref = c.req.param("ref");
  const db = database(c.env.DB);
  const link = c.req.query("k");
  if (link !== undefined) {
    // Exchanging a link for a session changes no ticket: a scanner that follows it is harmless.
    const ticket = await ticketForLink(db, ref, link, c.var.now);
    if (!ticket) return invalid(c, ref);
    const token = await startCustomerSession(db, ticket, c.var.now);
    setCookie(c, sessionCookie(ticket.ref), token, { ...cookieOptions, maxAge: CUSTOMER_SESSION_TTL_MS / 1000 });
    return c.redirect(`/t/${ticket.ref}`, 303);
  }
  const session = await signedIn(c, ref);
  if (!session) return invalid(c, ref);
  const done = c.req.query("done");
  const key = doneKeys.find((k) => k === done);
  return showTicket(c, session.ticket, session.csrf, { notice: key ? texts(localeOf(session.ticket.locale)).notices[key] : undefined });
});

// A file of the signed-in customer's ticket, always as a download: never rendered inline, never sniffed.
statusPage.get("/:ref/files/:id", async (c) => {
  const session = await signedIn(c, c.req.param("ref"));
  if (!session) return invalid(c, c.req.param("ref"));
  return downloadFile(c.env, database(c.env.DB), session.ticket, c.req.param("id"));
});

/** A POST by the signed-in customer of this ticket, with the session's form token; else refused, nothing read further. */
async function authorised(c: Context<StatusEnv>): Promise<{ ticket: TicketRow; csrf: string; form: Record<string, string> }> {
  const session = await signedIn(c, c.req.param("ref") ?? "");
  if (!session) throw new ApiError("not-found", texts(c.var.locale).problems.linkExpired);
  c.set("locale", localeOf(session.ticket.locale));
  if (isMultipart(c)) await readUpload(c);
  const form = await readForm(c);
  if (!timingSafeEqual(session.csrf, form._csrf ?? "")) throw new ApiError("forbidden", texts(c.var.locale).problems.formExpired);
  return { ...session, form };
}

function messageOf(form: Record<string, string>, p: Problems): string {
  const body = (form.body ?? "").trim();
  if (!body) throw new ApiError("validation-failed", p.writeMessage, { errors: [{ path: "body", message: p.writeMessage }] });
  if (body.length > 5000)
    throw new ApiError("validation-failed", p.messageTooLong, { errors: [{ path: "body", message: p.messageTooLong }] });
  return body;
}

type Problems = Texts["problems"];

/**
 * A lifecycle refusal (its reason is written for the API, in English) in the customer's words,
 * told from the ticket as it is now; the page's own refusals are already in them.
 */
async function refusalOf(env: Env, e: ApiError, path: string, t: TicketRow, now: number, p: Problems): Promise<ApiError> {
  if (e.code !== "conflict" || (Object.values(p) as string[]).includes(e.message)) return e;
  let message = p.changed;
  if (t.status === "closed") message = p.closed;
  else if (path === "reopen" && t.status !== "resolved") message = t.status === "waiting-on-customer" ? p.stillOpenAnswer : p.stillOpen;
  else if (t.status === "resolved" && !reopenable(t, now)) message = p.reopenPassed;
  else if (path === "quote/confirm") {
    const quote = await database(env.DB).query.quotes.findFirst({ where: (q, { eq }) => eq(q.ticketId, t.id) });
    if (quote?.status !== "quoted") message = p.noQuote;
  }
  return new ApiError("conflict", message);
}

/**
 * One customer transition (tickets/lifecycle.ts): parse, call, redirect. A refusal — the state
 * machine's 409 or an invalid field — re-renders the ticket as it is now with the reason, and the
 * lifecycle wrote nothing.
 */
function act(
  path: string,
  run: (a: { ctx: TicketContext; form: Record<string, string>; files: Upload; env: Env; now: number; p: Problems }) => Promise<string>,
) {
  statusPage.post(`/:ref/${path}`, async (c) => {
    const { ticket, csrf, form } = await authorised(c);
    const ctx = await contextOf(database(c.env.DB), ticket);
    const p = texts(localeOf(ticket.locale)).problems;
    let done: string;
    try {
      const files = isMultipart(c) ? await formFiles(c) : { fields: form, files: [] };
      done = await run({ ctx, form, files, env: c.env, now: c.var.now, p });
    } catch (e) {
      if (
        e instanceof ApiError &&
        (e.code === "conflict" || e.code === "validation-failed" || e.code === "attachments-refused" || e.code === "payload-too-large")
      ) {
        const now = await ticketForSession(database(c.env.DB), ticket.ref, getCookie(c, sessionCookie(ticket.ref)), c.var.now);
        const error = await refusalOf(c.env, e, path, now ?? ticket, c.var.now, p);
        return showTicket(c, now ?? ticket, csrf, { status: problemStatus[e.code], error });
      }
      throw e;
    }
    return c.redirect(`/t/${ticket.ref}?done=${done}`, 303);
  });
}

act("message", async ({ ctx, env, now, files, p }) => {
  const words = { empty: p.writeMessage, tooLong: p.messageTooLong };
  await customerMessageWithFiles(env, ctx, messageBody(files.fields.body, files.files, 5000, words), files.files, now);
  return "message";
});
act("reopen", async ({ ctx, form, env, now, p }) => {
  await reopenTicket(env, ctx, messageOf(form, p), now);
  return "reopen";
});
act("close", async ({ ctx, env, now }) => {
  await closeByCustomer(env, ctx, now);
  return "close";
});

function decisionOf(form: Record<string, string>, p: Problems): "accept" | "decline" {
  const d = form.decision;
  if (d !== "accept" && d !== "decline")
    throw new ApiError("validation-failed", p.chooseDecision, { errors: [{ path: "decision", message: p.chooseDecision }] });
  return d;
}

// Step one of a quote decision: a page that repeats amount, scope and validity. Nothing is written.
statusPage.post("/:ref/quote", async (c) => {
  const { ticket, csrf, form } = await authorised(c);
  const db = database(c.env.DB);
  const ctx = await contextOf(db, ticket);
  const p = texts(localeOf(ticket.locale)).problems;
  const decision = decisionOf(form, p);
  const d = await pageData(c, ctx, csrf);
  const quote = d.quote;
  if (quote?.status !== "quoted") {
    return showTicket(c, ticket, csrf, { status: 409, error: new ApiError("conflict", p.noQuote) });
  }
  const brand = await siteBrand(db, ticket.siteId, d.locale);
  const t = texts(d.locale);
  return render(
    c,
    { title: decision === "accept" ? t.confirmAcceptTitle : t.confirmDeclineTitle, locale: d.locale, brand },
    <QuoteConfirmPage d={d} quote={quote} decision={decision} />,
  );
});

// Step two: the decision, only on the revision the customer confirmed.
act("quote/confirm", async ({ ctx, form, env, now, p }) => {
  const decision = decisionOf(form, p);
  const quote = await database(env.DB).query.quotes.findFirst({ where: (q, { eq }) => eq(q.ticketId, ctx.ticket.id) });
  if (!quote || String(quote.revision) !== form.revision) throw new ApiError("conflict", p.quoteChanged);
  await decideQuote(env, ctx, decision, now);
  return decision;
});

statusPage.all("*", (c) => invalid(c, undefined));

// Expected failures become pages with the problem's status; anything else goes on to the app's handler.
statusPage.onError((err, c) => {
  if (!(err instanceof ApiError)) throw err;
  const status = problemStatus[err.code];
  const ref = c.req.param("ref");
  const p = texts(c.var.locale).problems;
  // Refusals from below the page (the rate limits, a missing file) are worded for the API.
  const detail =
    err.code === "rate-limited" ? p.tooMany : err.code === "not-found" && err.message !== p.linkExpired ? p.notFound : err.message;
  const res = render(
    c,
    { title: texts(c.var.locale).errorTitles[status] ?? texts(c.var.locale).errorTitles[400] ?? "", locale: c.var.locale, status },
    <ErrorPage
      locale={c.var.locale}
      status={status}
      detail={detail}
      back={ref && isReference(ref) && status !== 404 ? `/t/${ref}` : undefined}
    />,
  );
  for (const [k, v] of Object.entries(err.headers ?? {})) res.headers.set(k, v);
  return res;
});
