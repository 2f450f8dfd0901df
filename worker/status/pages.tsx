import type { ComponentChildren } from "preact";
import type { FieldError } from "../../schema/policy.ts";
import { accentPalette } from "../../widget/src/lib/contrast.ts";
import { fileSize } from "../attachments/content.ts";
import { EventFileList } from "../attachments/file-list.tsx";
import { formatDateWithYear, formatInstant, formatInstantWithYear, formatMoney, type Locale } from "../engine/format.ts";
import type { Brand } from "../merchant/branding.ts";
import { allowed } from "../tickets/machine.ts";
import type { EventRow, QuoteRow, TicketRow } from "../tickets/rows.ts";
import { Lines } from "../ui/lines.tsx";
import { stylesheetUrl } from "./style.ts";
import { type Texts, texts } from "./text.ts";

/** The brand's colours, readable whatever the accent: text on it black or white, and ink on white only where it contrasts (WCAG AA). */
function brandStyle(accent: string): string {
  const p = accentPalette(accent);
  return `:root { --accent: ${p.accent}; --on-accent: ${p.onAccent}; --accent-ink: ${p.ink}; }`;
}

/** The page shell: no script at all; the site's accent in a nonce'd style element. */
export function Shell({
  locale,
  nonce,
  title,
  brand,
  children,
}: {
  locale: Locale;
  nonce: string;
  title: string;
  brand?: Brand | undefined;
  children: ComponentChildren;
}) {
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <link rel="icon" href="data:," />
        <title>{brand ? `${title} · ${brand.title}` : title}</title>
        <link rel="stylesheet" href={stylesheetUrl} />
        {brand?.accent ? <style nonce={nonce}>{brandStyle(brand.accent)}</style> : null}
      </head>
      <body>
        <header class="brand">{brand?.title ?? "Replyby"}</header>
        <main>{children}</main>
      </body>
    </html>
  );
}

/** The hidden form token every status-page form posts. */
function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

function Flash({ message, error }: { message?: string | undefined; error?: boolean }) {
  if (!message) return null;
  return (
    <p class={error ? "flash error" : "flash"} role={error ? "alert" : "status"}>
      {message}
    </p>
  );
}

function FieldErrors({ errors, t }: { errors?: readonly FieldError[] | undefined; t: Texts }) {
  if (!errors?.length) return null;
  return (
    <div class="flash error" role="alert">
      {t.fieldErrors}
      <ul>
        {errors.map((e) => (
          <li key={`${e.path}:${e.message}`}>{e.message}</li>
        ))}
      </ul>
    </div>
  );
}

/** What the status page shows of one ticket. */
export interface StatusData {
  readonly ticket: TicketRow;
  readonly events: readonly EventRow[];
  readonly quote: QuoteRow | undefined;
  readonly attachments: readonly { id: string; name: string; size: number; createdAt: number }[];
  readonly explanation: readonly string[];
  /** The zone times are shown in: the customer's, else the policy's. */
  readonly timeZone: string;
  /** Whether that zone is the customer's own. */
  readonly ownZone: boolean;
  /** The policy's zone: the one a whole date staff picked (a planned delivery day) belongs to. */
  readonly policyZone: string;
  readonly reopenable: boolean;
  readonly locale: Locale;
  readonly csrf: string;
  readonly now: number;
}

const action = (ref: string, name: string) => `/t/${ref}/${name}`;

function QuoteFacts({ quote, d, t }: { quote: QuoteRow; d: StatusData; t: Texts }) {
  const when = (at: number) => formatInstantWithYear(at, d.timeZone, d.locale);
  return (
    <dl class="facts">
      <dt>{t.status}</dt>
      <dd>{t.quoteStatuses[quote.status] ?? quote.status}</dd>
      {quote.amount !== null && quote.currency !== null ? (
        <>
          <dt>{t.amount}</dt>
          <dd class="amount">{formatMoney(quote.amount, quote.currency, d.locale)}</dd>
        </>
      ) : null}
      <dt>{t.scope}</dt>
      <dd class="prewrap">{quote.note?.trim() || d.ticket.description}</dd>
      {quote.validUntil !== null && quote.status === "quoted" ? (
        <>
          <dt>{t.validUntil}</dt>
          <dd>{when(quote.validUntil)}</dd>
        </>
      ) : null}
      {quote.plannedFor !== null ? (
        <>
          <dt>{t.plannedFor}</dt>
          <dd>{formatDateWithYear(quote.plannedFor, d.policyZone, d.locale)}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** The files a message carries, as download links, and any a mail carried that were not kept. */
function MessageFiles({ e, ref, t }: { e: EventRow | undefined; ref: string; t: Texts }) {
  return <EventFileList data={e?.data} href={(id) => `/t/${ref}/files/${encodeURIComponent(id)}`} notAttached={t.notAttached} />;
}

/** An event's name on the timeline: a quote sent again is a revision. */
function eventName(e: EventRow): string {
  return e.type === "quote-sent" && typeof e.data?.revision === "number" && e.data.revision > 1 ? "quote-revised" : e.type;
}

function author(e: EventRow, t: Texts): string {
  return e.actor === "customer" ? t.you : e.actor === "staff" ? t.support : t.system;
}

/** The status page of one ticket: status, due times, the public conversation, files and the actions its status allows. */
export function StatusPage({
  d,
  notice,
  error,
  errors,
}: {
  d: StatusData;
  notice?: string | undefined;
  error?: string | undefined;
  errors?: readonly FieldError[] | undefined;
}) {
  const t = texts(d.locale);
  const tk = d.ticket;
  const when = (at: number) => formatInstant(at, d.timeZone, d.locale);
  const canMessage = allowed("customer.message", tk.status) && tk.status !== "resolved";
  const canClose = allowed("customer.close", tk.status) && tk.status !== "closed";
  const quoteOpen = d.quote?.status === "quoted" && allowed("customer.quote", tk.status);
  return (
    <>
      <h1>
        {t.title} <span class="ref">{tk.ref}</span>
      </h1>
      <Flash message={notice} />
      <Flash message={error} error />
      <FieldErrors errors={errors} t={t} />

      <section class="card" aria-labelledby="status-h">
        <h2 id="status-h" class={`status ${tk.status}`}>
          {t.statuses[tk.status]}
        </h2>
        <dl class="facts">
          <dt>{t.received}</dt>
          <dd>{when(tk.receivedAt)}</dd>
          {tk.firstRespondedAt !== null ? (
            <>
              <dt>{t.firstRespondedAt}</dt>
              <dd>{when(tk.firstRespondedAt)}</dd>
            </>
          ) : tk.firstResponseDueAt !== null ? (
            <>
              <dt>{t.firstResponseDue}</dt>
              <dd class="due">{when(tk.firstResponseDueAt)}</dd>
            </>
          ) : null}
          {tk.resolutionDueAt !== null && tk.status !== "resolved" && tk.status !== "closed" ? (
            <>
              <dt>{t.resolutionDue}</dt>
              <dd class="due">
                {tk.resolutionEarliestAt !== null && tk.resolutionEarliestAt < tk.resolutionDueAt
                  ? t.resolutionBetween(when(tk.resolutionEarliestAt), when(tk.resolutionDueAt))
                  : when(tk.resolutionDueAt)}
              </dd>
            </>
          ) : null}
        </dl>
        {tk.status === "waiting-on-customer" ? <p>{t.pausedNote}</p> : null}
        <p class="muted">{d.ownZone ? t.zoneNote(d.timeZone) : t.teamZoneNote(d.timeZone)}</p>
        {/* How the due times were worked out, while they still stand (its lines speak of the time of receipt). */}
        {d.explanation.length && tk.status !== "resolved" && tk.status !== "closed" ? (
          <details>
            <summary>{t.whyTitle}</summary>
            <Lines lines={d.explanation} />
          </details>
        ) : null}
      </section>

      {d.quote ? (
        <section class="card" aria-labelledby="quote-h">
          <h2 id="quote-h">{t.quote}</h2>
          <QuoteFacts quote={d.quote} d={d} t={t} />
          {quoteOpen ? (
            <div class="actions">
              <form method="post" action={action(tk.ref, "quote")}>
                <Csrf token={d.csrf} />
                <input type="hidden" name="decision" value="accept" />
                <button type="submit">{t.accept}</button>
              </form>
              <form method="post" action={action(tk.ref, "quote")}>
                <Csrf token={d.csrf} />
                <input type="hidden" name="decision" value="decline" />
                <button type="submit" class="secondary">
                  {t.decline}
                </button>
              </form>
            </div>
          ) : null}
        </section>
      ) : null}

      <section class="card" aria-labelledby="timeline-h">
        <h2 id="timeline-h">{t.timeline}</h2>
        <ol class="timeline">
          <li class="customer">
            <div class="meta">
              {t.events.created} · {when(tk.receivedAt)}
            </div>
            <p class="prewrap">{tk.description}</p>
            <MessageFiles e={d.events.find((e) => e.type === "created")} ref={tk.ref} t={t} />
          </li>
          {d.events
            .filter((e) => e.type !== "created")
            .map((e) => (
              <li key={e.id} class={e.actor}>
                <div class="meta">
                  {e.type === "reply" || e.type === "customer-reply"
                    ? `${author(e, t)} · ${when(e.at)}`
                    : `${author(e, t)} · ${t.events[eventName(e)] ?? e.type} · ${when(e.at)}`}
                </div>
                {e.body ? <p class="prewrap">{e.body}</p> : null}
                <MessageFiles e={e} ref={tk.ref} t={t} />
              </li>
            ))}
        </ol>
      </section>

      {d.attachments.length ? (
        <section class="card" aria-labelledby="files-h">
          <h2 id="files-h">{t.attachments}</h2>
          <ul class="files">
            {d.attachments.map((a) => (
              <li key={a.id}>
                <a href={`/t/${tk.ref}/files/${encodeURIComponent(a.id)}`} download>
                  {a.name}
                </a>{" "}
                <span class="muted">({fileSize(a.size)})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {canMessage ? (
        <section class="card" aria-labelledby="message-h">
          <h2 id="message-h">{tk.status === "waiting-on-customer" ? t.answer : t.followUp}</h2>
          <form method="post" action={action(tk.ref, "message")} enctype="multipart/form-data">
            <Csrf token={d.csrf} />
            <label htmlFor="message-body">{t.messageLabel}</label>
            <textarea id="message-body" name="body" maxLength={5000} />
            <label htmlFor="message-files">{t.filesLabel}</label>
            <input id="message-files" type="file" name="file" multiple aria-describedby="message-files-hint" />
            <p id="message-files-hint" class="muted">
              {t.filesHint}
            </p>
            <button type="submit">{t.send}</button>
          </form>
        </section>
      ) : null}

      {d.reopenable && tk.reopenUntil !== null ? (
        <section class="card" aria-labelledby="reopen-h">
          <h2 id="reopen-h">{t.notFixed}</h2>
          <p>{t.notFixedUntil(when(tk.reopenUntil))}</p>
          <form method="post" action={action(tk.ref, "reopen")}>
            <Csrf token={d.csrf} />
            <label htmlFor="reopen-body">{t.whatsWrong}</label>
            <textarea id="reopen-body" name="body" required maxLength={5000} />
            <button type="submit">{t.reopen}</button>
          </form>
        </section>
      ) : null}

      {canClose ? (
        <section class="card" aria-labelledby="close-h">
          <h2 id="close-h">{t.closeTitle}</h2>
          <p class="muted">{t.closeHint}</p>
          <form method="post" action={action(tk.ref, "close")}>
            <Csrf token={d.csrf} />
            <button type="submit" class="secondary">
              {t.close}
            </button>
          </form>
        </section>
      ) : null}
    </>
  );
}

/** The confirmation step of a quote decision: repeats amount, scope and validity before the decision is posted. */
export function QuoteConfirmPage({ d, quote, decision }: { d: StatusData; quote: QuoteRow; decision: "accept" | "decline" }) {
  const t = texts(d.locale);
  const ref = d.ticket.ref;
  return (
    <>
      <h1>{decision === "accept" ? t.confirmAcceptTitle : t.confirmDeclineTitle}</h1>
      <section class="card">
        <p class="muted">
          {t.reference} {ref}
        </p>
        <QuoteFacts quote={quote} d={d} t={t} />
        <div class="actions">
          <form method="post" action={action(ref, "quote/confirm")}>
            <Csrf token={d.csrf} />
            <input type="hidden" name="decision" value={decision} />
            <input type="hidden" name="revision" value={String(quote.revision)} />
            <button type="submit" class={decision === "decline" ? "danger" : undefined}>
              {decision === "accept" ? t.confirmAccept : t.confirmDecline}
            </button>
          </form>
          <a href={`/t/${ref}`}>{t.cancel}</a>
        </div>
      </section>
    </>
  );
}

/** The "email me my requests" form: for one site (its key) or for the site of the reference in the address. */
export function LinksForm({ locale, csrf, site, ref }: { locale: Locale; csrf: string; site?: string; ref?: string }) {
  const t = texts(locale);
  return (
    <form method="post" action="/t/links" class="links">
      <Csrf token={csrf} />
      {site ? <input type="hidden" name="site" value={site} /> : null}
      {ref ? <input type="hidden" name="ref" value={ref} /> : null}
      <input type="hidden" name="locale" value={locale} />
      <label htmlFor="links-email">{t.email}</label>
      <input id="links-email" type="email" name="email" required maxLength={254} autocomplete="email" />
      <button type="submit">{t.sendLinks}</button>
    </form>
  );
}

/** The answer for a link or session that opens nothing: the same for an expired, unknown or another ticket's link. */
export function InvalidLinkPage({ locale, csrf, ref }: { locale: Locale; csrf: string; ref?: string | undefined }) {
  const t = texts(locale);
  return (
    <section class="card">
      <h1>{t.invalidTitle}</h1>
      <p>{t.invalidBody}</p>
      <LinksForm locale={locale} csrf={csrf} {...(ref ? { ref } : {})} />
    </section>
  );
}

/** The "email me my requests" page of one site. */
export function LinksPage({ locale, csrf, site }: { locale: Locale; csrf: string; site: string }) {
  const t = texts(locale);
  return (
    <section class="card">
      <h1>{t.linksTitle}</h1>
      <p>{t.linksBody}</p>
      <LinksForm locale={locale} csrf={csrf} site={site} />
    </section>
  );
}

/** The one answer to "email me my requests", whether or not the address has any. */
export function LinksSentPage({ locale }: { locale: Locale }) {
  const t = texts(locale);
  return (
    <section class="card">
      <h1>{t.linksTitle}</h1>
      <p role="status">{t.linksSent}</p>
    </section>
  );
}

/** A refusal as a page: its title by status and the reason. */
export function ErrorPage({ locale, status, detail, back }: { locale: Locale; status: number; detail: string; back?: string | undefined }) {
  const t = texts(locale);
  return (
    <section class="card">
      <h1>{t.errorTitles[status] ?? t.errorTitles[400]}</h1>
      <p role="alert">{detail}</p>
      {back ? <a href={back}>{t.back}</a> : null}
    </section>
  );
}
