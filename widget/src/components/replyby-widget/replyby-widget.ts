import { html, LitElement, nothing, type PropertyValues } from "lit";
import { Api, type Identity, type SiteConfig, type TicketCreated } from "../../lib/api.ts";
import { accentPalette } from "../../lib/contrast.ts";
import { deepActiveElement, define, emit, states } from "../../lib/dom.ts";
import { formatLocale, formatWhen } from "../../lib/format.ts";
import { brandKey } from "../../lib/keys.ts";
import { Outbox } from "../../lib/outbox.ts";
import { type Phone, telHref } from "../../lib/phone.ts";
import { forgetTicket, noteStatus, type SavedTicket, savedTickets } from "../../lib/saved-tickets.ts";
import { write } from "../../lib/storage.ts";
import { type Catalog, catalog, pickLanguage } from "../../locales/index.ts";
import type { Prefill } from "../replyby-request/replyby-request.ts";
import "../replyby-request/replyby-request.ts";
import "../replyby-ticket/replyby-ticket.ts";
import { widgetStyles } from "./replyby-widget.styles.ts";

type View = "request" | "list" | "ticket";
type Coverage = NonNullable<SiteConfig["coverage"]>;

/**
 * The help widget: a launcher and a modal dialog (WAI-ARIA dialog through <dialog>.showModal(),
 * which also puts it in the top layer, above any z-index the page uses). The dialog holds the
 * request flow, the tickets this browser created, and one ticket's status.
 *
 * @attr site - the site key (required)
 * @attr api - base URL of the Replyby API; defaults to the origin this script came from
 * @attr locale - preferred language (else the page's `lang`, else the browser's)
 * @attr launcher - "floating" (default) draws the launcher; "none" leaves opening to `show()` or `Replyby('open')`
 * @attr open - reflects whether the dialog is open
 *
 * @csspart launcher, panel, header, title, close, nav, body, footer
 * @cssprop --replyby-accent, --replyby-accent-text, --replyby-font, --replyby-radius, --replyby-offset, --replyby-surface
 *
 * @event replyby-open, replyby-close, replyby-ready ({ config, brand }), replyby-queued ({ key }),
 *   replyby-submitted ({ reference, status, createdAt, window, replayed }), replyby-reply, replyby-reopen, replyby-quote
 *   ({ reference, decision }), replyby-ticket-closed ({ reference }), replyby-error ({ message })
 */
export class ReplybyWidget extends LitElement {
  static override styles = widgetStyles;

  static override properties = {
    site: { type: String },
    api: { type: String },
    locale: { type: String },
    launcher: { type: String },
    open: { type: Boolean, reflect: true },
    ...states(
      "_config",
      "_configState",
      "_view",
      "_ticket",
      "_tickets",
      "_announcement",
      "_prefill",
      "_follows",
      "_identity",
      "_localeOverride",
      "_viewCoverage",
    ),
  };

  declare site: string;
  declare api: string;
  declare locale: string;
  declare launcher: "floating" | "none";
  declare open: boolean;
  declare _config: SiteConfig | undefined;
  declare _configState: "idle" | "loading" | "ready" | "error";
  declare _view: View;
  declare _ticket: SavedTicket | undefined;
  declare _tickets: SavedTicket[];
  declare _announcement: string;
  declare _prefill: Prefill;
  /** The closed request a new one continues ("open a new request" on it). */
  declare _follows: string;
  declare _identity: Identity | undefined;
  declare _localeOverride: string;
  /** The coverage of what the request review or the ticket view shows (its priority's), when it has one. */
  declare _viewCoverage: { request?: Coverage | undefined; ticket?: Coverage | undefined };

  #client: Api | undefined;
  #outbox: Outbox | undefined;
  #opener: HTMLElement | undefined;
  #configLang = "";
  #refused = false;
  #refreshTickets = () => {
    this._tickets = savedTickets(this.site);
  };

  constructor() {
    super();
    // Properties that start undefined are not assigned: declared fields are not initialised.
    this.site = "";
    this.api = "";
    this.locale = "";
    this.launcher = "floating";
    this.open = false;
    this._configState = "idle";
    this._view = "request";
    this._tickets = [];
    this._announcement = "";
    this._prefill = {};
    this._follows = "";
    this._localeOverride = "";
    this._viewCoverage = {};
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The outbox starts retrying as soon as the element exists, dialog open or not, so a request
    // queued before a reload is delivered without the customer having to come back to it.
    this.#ensureClient();
    this.#refreshTickets();
    addEventListener("storage", this.#refreshTickets);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener("storage", this.#refreshTickets);
  }

  get #lang(): string {
    return pickLanguage([
      this._localeOverride,
      this.locale,
      document.documentElement.lang,
      ...(navigator.languages ?? [navigator.language]),
    ]);
  }

  get #t(): Catalog {
    return catalog(this.#lang);
  }

  get #dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector("dialog");
  }

  #ensureClient(): Api | undefined {
    if (!this.site) return undefined;
    // Default API: the origin this module was served from, i.e. the host of widget.js.
    const base = this.api || new URL(import.meta.url).origin;
    if (!this.#client || this.#client.base !== base.replace(/\/+$/, "") || this.#client.site !== this.site) {
      this.#client = new Api(base, this.site);
      this.#outbox = Outbox.for(this.#client);
    }
    return this.#client;
  }

  async #loadConfig(force = false): Promise<void> {
    const client = this.#ensureClient();
    const lang = this.#lang;
    if (!client || (!force && this.#configLang === lang && this._configState !== "error")) return;
    this.#configLang = lang;
    this._configState = "loading";
    try {
      const config = await client.config(lang);
      if (this.#configLang !== lang) return;
      this._config = config;
      this._configState = "ready";
      const brand = this.#applyBrand(config);
      emit(this, "replyby-ready", { config, brand });
    } catch (error) {
      if (this.#configLang !== lang) return;
      // 403: this page's origin is not allowed for the site (the server's message names it).
      this.#refused = (error as { status?: number }).status === 403;
      if (this.#refused) console.warn(`Replyby: ${(error as Error).message}`);
      this._configState = "error";
      this.#announce(this.#refused ? this.#t.notSetUp : this.#t.configError);
      emit(this, "replyby-error", { message: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * Resolves the accent (the page's --replyby-accent wins over the site's branding) to an rgb()
   * value through a probe element, then derives readable text and ink colours from it.
   */
  #applyBrand(config: SiteConfig): [string, string] | undefined {
    const probe = this.renderRoot.querySelector<HTMLElement>(".probe");
    if (!probe) return undefined;
    const wanted = getComputedStyle(this).getPropertyValue("--replyby-accent").trim() || config.branding.accent || "";
    probe.style.color = "";
    probe.style.color = wanted;
    if (!wanted || !probe.style.color) return undefined;
    const palette = accentPalette(getComputedStyle(probe).color);
    const onAccent = getComputedStyle(this).getPropertyValue("--replyby-accent-text").trim() || palette.onAccent;
    // CSSOM custom properties, not a style attribute: allowed under a CSP without 'unsafe-inline'.
    this.style.setProperty("--_accent", palette.accent);
    this.style.setProperty("--_on-accent", onAccent);
    this.style.setProperty("--_accent-ink", palette.ink);
    // The launcher's own variables (shared with the loader's copy of it).
    this.style.setProperty("--_brand", palette.accent);
    this.style.setProperty("--_on-brand", onAccent);
    const brand: [string, string] = [palette.accent, onAccent];
    write(brandKey(this.site), brand);
    return brand;
  }

  #announce(message: string): void {
    // Clearing first makes a repeated message ("Request sent") be announced again.
    this._announcement = "";
    setTimeout(() => {
      this._announcement = message;
    }, 30);
  }

  async #focusView(): Promise<void> {
    await this.updateComplete;
    const view = this.renderRoot.querySelector<HTMLElement & { focusStart?: () => Promise<void> }>("[data-view]:not([hidden])");
    if (view?.focusStart) await view.focusStart();
    else view?.querySelector<HTMLElement>("h3[tabindex]")?.focus();
  }

  #onCancel(e: Event): void {
    // Escape: close through hide() so focus goes back and replyby-close fires.
    e.preventDefault();
    this.hide();
  }

  #onDialogClose(): void {
    // The browser may close the dialog itself (a forced close request): keep state in step.
    if (this.open) this.hide();
  }

  #onDialogClick(e: MouseEvent): void {
    const dialog = this.#dialog;
    if (!dialog || e.target !== dialog) return;
    // A click on the dialog element itself, outside its box, is a click on the backdrop.
    const r = dialog.getBoundingClientRect();
    if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) this.hide();
  }

  #go(view: View, ticket?: SavedTicket): void {
    // A ticket view reports its own coverage once its ticket has loaded.
    if (ticket !== this._ticket) this._viewCoverage = { request: this._viewCoverage.request };
    this._view = view;
    this._ticket = ticket;
    this.#refreshTickets();
    if (view === "list") void this.#refreshStatuses();
    void this.#focusView();
  }

  // The list shows each request's status: the last one seen at once, then the current one.
  // A browser keeps few tickets; the newest ten are asked for, in parallel.
  async #refreshStatuses(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    await Promise.all(
      savedTickets(this.site)
        .slice(0, 10)
        .map(async (saved) => {
          try {
            const view = await client.ticket(saved.reference, saved.accessToken);
            noteStatus(this.site, saved.reference, view.status);
          } catch {}
        }),
    );
    this.#refreshTickets();
  }

  #openTicket(reference: string): void {
    const ticket = savedTickets(this.site).find((t) => t.reference === reference);
    if (ticket) this.#go("ticket", ticket);
  }

  #onSubmitted(e: CustomEvent<{ created: TicketCreated; replayed: boolean }>): void {
    const { created, replayed } = e.detail;
    this._follows = "";
    this.#refreshTickets();
    emit(this, "replyby-submitted", {
      reference: created.reference,
      status: created.status,
      createdAt: created.createdAt,
      window: created.window,
      replayed,
    });
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("site") || changed.has("api")) this.#ensureClient();
  }

  override updated(changed: PropertyValues<this>): void {
    // Top layer for the launcher too; where popover is missing it stays a fixed, max z-index button.
    try {
      const launcher = this.renderRoot.querySelector<HTMLElement>("[part=launcher]");
      if (launcher && !launcher.matches(":popover-open")) launcher.showPopover();
    } catch {}
    const dialog = this.#dialog;
    if (!dialog) return;
    if (this.open && !dialog.open) {
      dialog.showModal();
      this.#refreshTickets();
      void this.#loadConfig();
      void this.#focusView();
      emit(this, "replyby-open");
    } else if (!this.open && dialog.open) {
      dialog.close();
      const opener = this.#opener;
      this.#opener = undefined;
      if (opener?.isConnected) opener.focus({ preventScroll: true });
      else this.renderRoot.querySelector<HTMLElement>("[part=launcher]")?.focus({ preventScroll: true });
      emit(this, "replyby-close");
    }
    if (changed.has("_localeOverride") || changed.has("locale")) {
      if (this.open || this._configState !== "idle") void this.#loadConfig();
    }
  }

  /** Opens the dialog; focus returns to `opener` (else to whatever had focus) when it closes. */
  show(opener?: HTMLElement): void {
    if (this.open) return;
    this.#opener = opener ?? deepActiveElement();
    this.open = true;
  }

  /** Closes the dialog. */
  hide(): void {
    this.open = false;
  }

  /** Fills empty fields of the request (email, name, orderId, issueType, severity, description). */
  prefill(data: Prefill): void {
    this._prefill = { ...this._prefill, ...data };
  }

  /** Sets the signed identity sent with window previews and tickets ({ accountId, signature }). */
  identify(identity: Identity): void {
    this._identity = identity;
  }

  /** Switches the widget's language (labels from the site are fetched again in it). */
  setLocale(locale: string): void {
    this._localeOverride = locale;
  }

  /**
   * The header's coverage line: the priority's own coverage where the view has one (a 24/7 issue is
   * handled around the clock even while the office is closed), else the site's.
   */
  #coverageText(config: SiteConfig | undefined, t: Catalog, lang: string): string {
    const own =
      this._view === "ticket" && this._ticket ? this._viewCoverage.ticket : this._view === "list" ? undefined : this._viewCoverage.request;
    const coverage = own ?? config?.coverage;
    if (!coverage) return "";
    if (coverage.aroundTheClock) return t.aroundTheClock;
    if (coverage.openNow) return t.openNow;
    return coverage.nextOpenAt ? t.closedUntil(formatWhen(coverage.nextOpenAt, formatLocale(lang))) : "";
  }

  #renderView(t: Catalog, lang: string) {
    // The request flow stays mounted (hidden when another view shows) so its outbox listener and
    // half-typed fields survive switching views and closing the dialog.
    const onRequest = this._view === "request" || (this._view === "ticket" && !this._ticket);
    let other: unknown = nothing;
    if (this._view === "ticket" && this._ticket && this.#client) {
      other = html`<replyby-ticket
        data-view
        .client=${this.#client}
        .saved=${this._ticket}
        .config=${this._config}
        .lang=${lang}
        @rb-announce=${(e: CustomEvent<string>) => this.#announce(e.detail)}
        @rb-back=${() => this.#go("list")}
        @rb-seen=${(e: CustomEvent<{ reference: string; status: string }>) => noteStatus(this.site, e.detail.reference, e.detail.status)}
        @rb-follow-up=${(e: CustomEvent<string>) => {
          this._follows = e.detail;
          this.#go("request");
        }}
        @rb-forget=${(e: CustomEvent<string>) => {
          forgetTicket(this.site, e.detail);
          this.#go("list");
        }}
        @rb-event=${(e: CustomEvent<{ name: `replyby-${string}`; detail: unknown }>) => emit(this, e.detail.name, e.detail.detail)}
        @rb-coverage=${(e: CustomEvent<Coverage | undefined>) => {
          this._viewCoverage = { ...this._viewCoverage, ticket: e.detail };
        }}
      ></replyby-ticket>`;
    } else if (this._view === "list") {
      other = this.#renderList(t, lang);
    }
    const configError =
      onRequest && this._configState === "error" && !this._config
        ? html`<div data-view>
            <h3 tabindex="-1">${t.title}</h3>
            <p class="notice bad" role="alert">${this.#refused ? t.notSetUp : t.configError}</p>
            <button class="btn primary" type="button" @click=${() => this.#loadConfig(true)}>${t.retry}</button>
          </div>`
        : nothing;
    return html`${other}${configError}
      <replyby-request
        data-view
        ?hidden=${!onRequest || (!this._config && this._configState === "error")}
        .client=${this.#client}
        .outbox=${this.#outbox}
        .config=${this._config}
        .lang=${lang}
        .prefillData=${this._prefill}
        .follows=${this._follows}
        .identity=${this._identity}
        @rb-announce=${(e: CustomEvent<string>) => this.#announce(e.detail)}
        @rb-submitted=${this.#onSubmitted}
        @rb-queued=${(e: CustomEvent<{ key: string }>) => {
          this.requestUpdate();
          emit(this, "replyby-queued", e.detail);
        }}
        @rb-open-ticket=${(e: CustomEvent<string>) => this.#openTicket(e.detail)}
        @rb-error=${(e: CustomEvent<string>) => emit(this, "replyby-error", { message: e.detail })}
        @rb-coverage=${(e: CustomEvent<Coverage | undefined>) => {
          this._viewCoverage = { ...this._viewCoverage, request: e.detail };
        }}
      ></replyby-request>`;
  }

  #renderList(t: Catalog, lang: string) {
    const locale = formatLocale(lang);
    const types = new Map(this._config?.issueTypes.map((i) => [i.id, i.label]));
    const pending = this.#outbox?.pending ?? [];
    return html`<div data-view>
      <h3 tabindex="-1">${t.ticketsHeading}</h3>
      ${pending.length ? html`<p class="notice warn">${t.queuedCount(pending.length)}</p>` : nothing}
      ${
        this._tickets.length
          ? html`<ul class="tickets">
              ${this._tickets.map(
                (ticket) => html`<li>
                  <button type="button" @click=${() => this.#go("ticket", ticket)}>
                    <strong>${ticket.reference}</strong>
                    <span>${types.get(ticket.issueType) ?? ticket.issueType}</span>
                    <span class="muted"> · ${t.sentOn(formatWhen(ticket.createdAt, locale))}</span>
                    ${
                      ticket.status
                        ? html`<span class=${ticket.status === "waiting-on-customer" ? "badge warn" : "badge"}>${t.status[ticket.status] ?? ticket.status}</span>`
                        : nothing
                    }
                  </button>
                </li>`,
              )}
            </ul>`
          : html`<p class="muted">${t.noTickets}</p>`
      }
    </div>`;
  }

  #renderFooter(config: SiteConfig | undefined, t: Catalog) {
    const contact = config?.contact;
    if (!contact) return nothing;
    return html`<div class="footer" part="footer">
      ${
        contact.email || contact.phone
          ? html`${t.contact}:
            ${contact.email ? html`<a href=${`mailto:${contact.email}`}>${contact.email}</a>` : nothing}
            ${contact.email && contact.phone ? " · " : nothing}
            ${contact.phone ? this.#renderPhone(contact.phone) : nothing}`
          : nothing
      }
      ${contact.note ? html`<p>${contact.note}</p>` : nothing}
    </div>`;
  }
  #renderPhone(phone: Phone) {
    const href = telHref(phone);
    return href ? html`<a href=${href}>${phone.text}</a>` : phone.text;
  }

  override render() {
    const t = this.#t;
    const lang = this.#lang;
    const config = this._config;
    // Text runs in the direction of the widget's own language; only where it sits follows the page
    // (on a right-to-left page the launcher and panel are on the left, as the loader's launcher is).
    const pageDir = getComputedStyle(this).direction === "rtl" ? "rtl" : "ltr";
    const title = config?.branding.title || config?.name || t.title;
    const pending = this.#outbox?.pending.length ?? 0;
    return html`
      ${
        this.launcher === "none"
          ? nothing
          : html`<button
              part="launcher"
              type="button"
              popover="manual"
              aria-haspopup="dialog"
              aria-expanded=${this.open ? "true" : "false"}
              dir=${pageDir}
              @click=${(e: Event) => this.show(e.currentTarget as HTMLElement)}
            >${t.launcher}</button>`
      }
      <dialog
        part="panel"
        aria-labelledby="title"
        aria-describedby="coverage"
        class=${pageDir === "rtl" ? "page-rtl" : ""}
        lang=${lang}
        dir=${t.dir}
        @cancel=${this.#onCancel}
        @close=${this.#onDialogClose}
        @click=${this.#onDialogClick}
      >
        <div class="header" part="header">
          <div class="titles">
            <h2 id="title" part="title">${title}</h2>
            <p id="coverage">${this.#coverageText(config, t, lang)}</p>
          </div>
          <button class="close" part="close" type="button" aria-label=${t.close} @click=${() => this.hide()}>
            <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7l-1.4-1.4L9.2 12 2.9 5.7l1.4-1.4 6.3 6.3 6.3-6.3z"></path></svg>
          </button>
        </div>
        <nav part="nav" aria-label=${t.title}>
          <button type="button" aria-current=${this._view === "request" ? "page" : "false"} @click=${() => this.#go("request")}>${t.newRequest}</button>
          <button type="button" aria-current=${this._view !== "request" ? "page" : "false"} @click=${() => this.#go("list")}>
            ${t.myRequests} (${this._tickets.length + pending})
          </button>
        </nav>
        <div class="body" part="body">${this.#renderView(t, lang)}</div>
        ${this.#renderFooter(config, t)}
        <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this._announcement}</div>
        <span class="probe"></span>
      </dialog>
    `;
  }
}

define("replyby-widget", ReplybyWidget);

declare global {
  interface HTMLElementTagNameMap {
    "replyby-widget": ReplybyWidget;
  }
}
