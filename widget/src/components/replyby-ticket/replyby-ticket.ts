import { html, LitElement, nothing, type PropertyValues } from "lit";
import { live } from "lit/directives/live.js";
import { type Api, HttpError, problemText, type SiteConfig, type TicketView } from "../../lib/api.ts";
import { backIcon, define, focusHeading, handedDown, notify, spinner, states } from "../../lib/dom.ts";
import { formatLocale, formatMoney, formatSpan, formatWhen } from "../../lib/format.ts";
import type { SavedTicket } from "../../lib/saved-tickets.ts";
import { type Catalog, catalog } from "../../locales/index.ts";
import { ticketStyles } from "./replyby-ticket.styles.ts";

type Action = "reply" | "reopen" | "accept" | "decline" | "close" | "";

// The countdown moves by the minute; a 30 s tick keeps it within half a minute without busy work.
const TICK_MS = 30_000;

/**
 * One ticket as the customer sees it: status, the next due time counting down, staff replies,
 * a message box (an info request's answer, or a follow-up), a quote to accept or decline, "this is
 * fixed" to close it, and on a resolved one "not fixed" to reopen it (or, once that time has passed
 * or it is closed, a new request that mentions this one).
 */
export class ReplybyTicket extends LitElement {
  static override styles = ticketStyles;

  static override properties = {
    ...handedDown("client", "saved", "config"),
    lang: { type: String },
    ...states("_ticket", "_state", "_busy", "_reply", "_replyError", "_actionError", "_now", "_link", "_linkNote", "_confirming"),
  };

  declare client: Api | undefined;
  declare saved: SavedTicket | undefined;
  declare config: SiteConfig | undefined;
  declare lang: string;
  declare _ticket: TicketView | undefined;
  declare _state: "loading" | "ready" | "error" | "gone";
  declare _busy: Action;
  declare _reply: string;
  declare _replyError: string;
  declare _actionError: string;
  declare _now: number;
  /** A fresh status-page link, once the customer asked to open the request on another device. */
  declare _link: string;
  declare _linkNote: string;
  declare _confirming: boolean;

  #timer: ReturnType<typeof setInterval> | undefined;
  #coverageKey = "null";
  #onVisible = () => {
    if (document.visibilityState === "visible") void this.#load();
  };

  constructor() {
    super();
    // client, saved, config and _ticket start undefined: declared fields are not initialised.
    this.lang = "en";
    this._state = "loading";
    this._busy = "";
    this._reply = "";
    this._replyError = "";
    this._actionError = "";
    this._now = Date.now();
    this._link = "";
    this._linkNote = "";
    this._confirming = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#timer = setInterval(() => {
      this._now = Date.now();
    }, TICK_MS);
    document.addEventListener("visibilitychange", this.#onVisible);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#timer);
    document.removeEventListener("visibilitychange", this.#onVisible);
  }

  get #t(): Catalog {
    return catalog(this.lang);
  }

  get #locale(): string {
    return formatLocale(this.lang);
  }

  async #load(): Promise<void> {
    const { client, saved } = this;
    if (!client || !saved) return;
    if (!this._ticket) this._state = "loading";
    try {
      this._ticket = await client.ticket(saved.reference, saved.accessToken);
      this._state = "ready";
      notify(this, "rb-seen", { reference: saved.reference, status: this._ticket.status });
      this._now = Date.now();
    } catch (error) {
      this._state = error instanceof HttpError && (error.status === 401 || error.status === 404) ? "gone" : "error";
    }
  }

  async #act(action: Exclude<Action, "">, form?: HTMLFormElement): Promise<void> {
    const { client, saved } = this;
    if (!client || !saved || this._busy) return;
    const t = this.#t;
    // A reply goes as the form's own multipart body, with any files (which may stand without text).
    if ((action === "reply" || action === "reopen") && !form?.querySelector("input")?.files?.length && !this._reply.trim()) {
      this._replyError = t.errors.description;
      this.renderRoot.querySelector<HTMLElement>("#answer")?.focus();
      return;
    }
    this._busy = action;
    this._actionError = "";
    try {
      const ref = saved.reference;
      const token = saved.accessToken;
      if (action === "reply" || action === "reopen") {
        const answering = this._ticket?.awaitingCustomer === true;
        this._ticket = await (action === "reply"
          ? client.attach(ref, token, new FormData(form))
          : client.reopen(ref, token, this._reply.trim()));
        this._reply = "";
        form?.reset();
        notify(this, "rb-announce", action === "reopen" ? t.reopenedDone : answering ? t.answerSent : t.messageSent);
        notify(this, "rb-event", { name: action === "reopen" ? "replyby-reopen" : "replyby-reply", detail: { reference: ref } });
      } else if (action === "close") {
        this._ticket = await client.closeTicket(ref, token);
        notify(this, "rb-announce", t.closedDone);
        notify(this, "rb-event", { name: "replyby-ticket-closed", detail: { reference: ref } });
      } else {
        this._ticket = await client.decideQuote(ref, token, action);
        this._confirming = false;
        notify(this, "rb-announce", action === "accept" ? t.quoteAccepted : t.quoteDeclined);
        notify(this, "rb-event", { name: "replyby-quote", detail: { reference: ref, decision: action } });
      }
      this._now = Date.now();
      if (this._ticket) notify(this, "rb-seen", { reference: ref, status: this._ticket.status });
    } catch (error) {
      this._actionError = problemText(error, t);
      notify(this, "rb-announce", this._actionError);
    } finally {
      this._busy = "";
    }
  }

  /** Asks for a fresh status-page link and shows it, ready to copy. */
  async #otherDevice(): Promise<void> {
    const { client, saved } = this;
    if (!client || !saved) return;
    this._linkNote = "";
    try {
      this._link = (await client.link(saved.reference, saved.accessToken)).url;
      await this.updateComplete;
      const input = this.renderRoot.querySelector<HTMLInputElement>("#device-link");
      input?.focus();
      input?.select();
    } catch (error) {
      this._linkNote = problemText(error, this.#t);
    }
  }

  async #copyLink(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this._link);
      this._linkNote = this.#t.copied;
      notify(this, "rb-announce", this.#t.copied);
    } catch {
      this.renderRoot.querySelector<HTMLInputElement>("#device-link")?.select();
    }
  }

  #renderOtherDevice() {
    const t = this.#t;
    if (!this._link) {
      return html`${this._linkNote ? html`<p class="notice bad" role="alert">${this._linkNote}</p>` : nothing}`;
    }
    return html`<section class="notice" part="other-device">
      <p>${t.otherDeviceHint}</p>
      <label class="field-label" for="device-link">${t.otherDeviceLabel}</label>
      <input id="device-link" type="text" readonly .value=${this._link} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
      <div class="actions">
        <button class="btn" type="button" @click=${() => this.#copyLink()}>${t.copy}</button>
      </div>
      ${this._linkNote ? html`<p class="muted" role="status">${this._linkNote}</p>` : nothing}
    </section>`;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("saved") || changed.has("client")) {
      this._link = "";
      this._linkNote = "";
      this._ticket = undefined;
      void this.#load();
    }
  }

  override updated(): void {
    // The dialog's header says whether this ticket's kind of issue is being worked now.
    const coverage = this._ticket?.coverage;
    const key = JSON.stringify(coverage ?? null);
    if (key !== this.#coverageKey) {
      this.#coverageKey = key;
      notify(this, "rb-coverage", coverage);
    }
  }

  /** Focuses the heading and refreshes the ticket (the dialog calls this when it opens on this view). */
  focusStart(): Promise<void> {
    if (this._state !== "loading") void this.#load();
    return focusHeading(this);
  }

  #renderDue(ticket: TicketView, done: boolean) {
    const t = this.#t;
    const locale = this.#locale;
    if (done) return nothing;
    if (ticket.awaitingCustomer || ticket.slaState === "paused") return html`<p class="notice">${t.pausedNote}</p>`;
    const row = (label: string, iso: string | undefined) => {
      if (!iso) return nothing;
      const left = Date.parse(iso) - this._now;
      return html`<dt>${label}</dt>
        <dd>
          <span class="countdown">${left >= 0 ? t.dueIn(formatSpan(left, locale)) : t.overdueBy(formatSpan(left, locale))}</span>
          · <time datetime=${iso}>${formatWhen(iso, locale)}</time>
        </dd>`;
    };
    return html`<dl class="due" part="due">
        ${ticket.firstRespondedAt ? nothing : row(t.firstResponseDue, ticket.firstResponseDueAt)}
        ${row(t.resolutionDue, ticket.resolutionDueAt)}
      </dl>
      ${ticket.firstRespondedAt ? html`<p class="muted">${t.answeredAt(formatWhen(ticket.firstRespondedAt, locale))}</p>` : nothing}`;
  }

  /**
   * What the customer can write now: the answer to an info request, a follow-up on an open request,
   * "not fixed" on a resolved one within its reopen window; after that, a new request instead.
   */
  #renderMessage(ticket: TicketView) {
    const t = this.#t;
    if (ticket.status === "closed" || (ticket.status === "resolved" && !ticket.reopenUntil)) {
      return html`<section class="notice" part="follow-up">
        <p>${t.closedHint}</p>
        <button class="btn" type="button" @click=${() => notify(this, "rb-follow-up", ticket.reference)}>${t.newFollowUp}</button>
      </section>`;
    }
    const asked = ticket.awaitingCustomer ? [...ticket.events].reverse().find((e) => e.type === "info-requested") : undefined;
    const reopening = ticket.status === "resolved";
    const [heading, label, send, action] = ticket.awaitingCustomer
      ? [t.infoNeeded, t.yourAnswer, t.sendAnswer, "reply" as const]
      : reopening
        ? [t.notFixedHeading, t.whatIsWrong, t.reopen, "reopen" as const]
        : [t.followUpHeading, t.yourMessage, t.sendMessage, "reply" as const];
    return html`<section class=${ticket.awaitingCustomer ? "notice warn" : "compose"} part=${ticket.awaitingCustomer ? "info-request" : "message"} aria-labelledby="message-heading">
      <h4 id="message-heading">${heading}</h4>
      ${asked?.body ? html`<p class="pre">${asked.body}</p>` : nothing}
      ${reopening && ticket.reopenUntil ? html`<p class="muted">${t.notFixedHint(formatWhen(ticket.reopenUntil, this.#locale, true))}</p>` : nothing}
      <form
        novalidate
        @submit=${(e: Event) => {
          e.preventDefault();
          void this.#act(action, e.target as HTMLFormElement);
        }}
      >
        <label class="field-label" for="answer">${label}</label>
        <textarea
          id="answer"
          name="body"
          maxlength="5000"
          required
          aria-required="true"
          aria-invalid=${this._replyError ? "true" : nothing}
          aria-describedby=${this._replyError ? "answer-error" : nothing}
          .value=${live(this._reply)}
          @input=${(e: Event) => {
            this._reply = (e.target as HTMLTextAreaElement).value;
            this._replyError = "";
          }}
        ></textarea>
        ${this._replyError ? html`<p class="error" id="answer-error">${this._replyError}</p>` : nothing}
        ${reopening ? nothing : html`<label class="field-label">${t.attach}<input type="file" name="file" multiple /></label>`}
        <div class="actions">
          <button class=${ticket.awaitingCustomer || reopening ? "btn primary" : "btn"} type="submit" ?disabled=${this._busy !== ""}>
            ${this._busy === action ? spinner : nothing} ${send}
          </button>
        </div>
      </form>
    </section>`;
  }

  #renderQuote(ticket: TicketView) {
    const quote = ticket.quote;
    if (!quote) return nothing;
    const t = this.#t;
    const locale = this.#locale;
    const open = quote.status === "quoted";
    const amount = quote.amount !== undefined && quote.currency ? formatMoney(quote.amount, quote.currency, locale) : "";
    const validity = open && quote.validUntil ? html`<p>${t.validUntil(formatWhen(quote.validUntil, locale, true))}</p>` : nothing;
    const scope = quote.scope
      ? html`<h5>${t.scope}</h5>
          <p class="pre" part="quote-scope">${quote.scope}</p>`
      : nothing;
    const busy = this._busy !== "";
    // Accepting commits the customer to pay: a second, explicit step with everything they agree to.
    if (open && this._confirming) {
      return html`<section class="notice warn" part="quote" role="group" aria-labelledby="confirm-heading">
        <h4 id="confirm-heading" tabindex="-1">${t.confirmHeading}</h4>
        ${amount ? html`<p class="amount">${amount}</p><p>${t.confirmBody(amount)}</p>` : nothing} ${scope} ${validity}
        <p>${t.nextSteps}</p>
        <div class="actions">
          <button class="btn primary" type="button" ?disabled=${busy} @click=${() => this.#act("accept")}>
            ${this._busy === "accept" ? spinner : nothing} ${t.confirmAccept}
          </button>
          <button class="btn" type="button" ?disabled=${busy} @click=${() => this.#confirm(false)}>${t.cancelAccept}</button>
        </div>
      </section>`;
    }
    return html`<section class=${open ? "notice warn" : "notice"} part="quote" aria-labelledby="quote-heading">
      <h4 id="quote-heading">${t.quoteHeading} <span class="muted">· ${t.revision(quote.revision)}</span></h4>
      ${amount ? html`<p class="amount">${amount}</p>` : nothing}
      <p>${t.quoteStatus[quote.status] ?? quote.status}</p>
      ${scope} ${validity}
      ${quote.status === "accepted" ? html`<p>${t.nextSteps}</p>` : nothing}
      ${quote.plannedFor ? html`<p>${t.plannedFor(formatWhen(quote.plannedFor, locale, true))}</p>` : nothing}
      ${
        open
          ? html`<div class="actions">
              <button class="btn primary" type="button" ?disabled=${busy} @click=${() => this.#confirm(true)}>${t.accept}</button>
              <button class="btn" type="button" ?disabled=${busy} @click=${() => this.#act("decline")}>${t.decline}</button>
            </div>`
          : nothing
      }
    </section>`;
  }

  /** Shows or leaves the confirmation step of accepting the quote, moving focus to what appears. */
  async #confirm(on: boolean): Promise<void> {
    this._confirming = on;
    await this.updateComplete;
    const target = on ? "#confirm-heading" : "[part=quote] .btn.primary";
    this.renderRoot.querySelector<HTMLElement>(target)?.focus();
  }

  #renderHistory(ticket: TicketView) {
    const t = this.#t;
    const locale = this.#locale;
    return html`<ol class="history">
      ${ticket.events.map(
        (e) => html`<li class=${e.author}>
          <span class="meta"
            >${t.events[e.type] ?? e.type}${t.author[e.author] ? ` · ${t.author[e.author]}` : ""} ·
            <time datetime=${e.at}>${formatWhen(e.at, locale)}</time></span
          >
          ${e.body ? html`<span class="pre">${e.body}</span>` : nothing}
        </li>`,
      )}
    </ol>`;
  }
  override render() {
    const t = this.#t;
    const ref = this.saved?.reference ?? "";
    const header = html`<button class="link back" type="button" @click=${() => notify(this, "rb-back")}>${backIcon}<span>${t.back}</span></button>
      <h3 tabindex="-1">${t.ticketHeading(ref)}</h3>`;
    if (this._state === "loading") return html`${header}<p class="muted">${spinner} ${t.loading}</p>`;
    if (this._state === "gone") {
      return html`${header}
        <p class="notice bad">${t.ticketGone}</p>
        <button class="btn" type="button" @click=${() => notify(this, "rb-forget", ref)}>${t.forget}</button>`;
    }
    if (this._state === "error" || !this._ticket) {
      return html`${header}
        <p class="notice bad" role="alert">${t.ticketError}</p>
        <button class="btn" type="button" @click=${() => this.#load()}>${t.retry}</button>`;
    }
    const ticket = this._ticket;
    const done = ticket.status === "resolved" || ticket.status === "closed";
    return html`
      ${header}
      <div class="badges">
        <span class="badge" part="status">${t.status[ticket.status] ?? ticket.status}</span>
        ${done ? nothing : html`<span class=${`badge sla-${ticket.slaState}`} part="sla">${t.sla[ticket.slaState] ?? ticket.slaState}</span>`}
      </div>
      <p class="muted">${this.config?.issueTypes.find((i) => i.id === ticket.issueType)?.label ?? ticket.issueType}</p>
      ${this.#renderDue(ticket, done)} ${ticket.follows ? html`<p class="muted">${t.continues(ticket.follows)}</p>` : nothing}
      ${this.#renderQuote(ticket)} ${this.#renderMessage(ticket)}
      ${this._actionError ? html`<p class="notice bad" role="alert">${this._actionError}</p>` : nothing}
      <section aria-labelledby="history-heading">
        <h4 id="history-heading">${t.history}</h4>
        ${this.#renderHistory(ticket)}
      </section>
      <div class="actions">
        ${
          ticket.status === "closed"
            ? nothing
            : html`<button class="btn" type="button" ?disabled=${this._busy !== ""} @click=${() => this.#act("close")}>${t.fixed}</button>`
        }
        <button class="btn" type="button" @click=${() => this.#load()}>${t.refresh}</button>
        ${this._link ? nothing : html`<button class="btn" type="button" @click=${() => this.#otherDevice()}>${t.otherDevice}</button>`}
      </div>
      ${this.#renderOtherDevice()}
    `;
  }
}

define("replyby-ticket", ReplybyTicket);

declare global {
  interface HTMLElementTagNameMap {
    "replyby-ticket": ReplybyTicket;
  }
}
