import { html, LitElement, nothing, type PropertyValues } from "lit";
import { live } from "lit/directives/live.js";
import {
  type Api,
  type Identity,
  problemText,
  type SiteConfig,
  type TicketCreate,
  type TicketCreated,
  type WindowResult,
} from "../../lib/api.ts";
import { afterHoursOptions, chargeLines } from "../../lib/charges.ts";
import { backIcon, define, handedDown, notify, spinner, states } from "../../lib/dom.ts";
import { formatLocale, formatWhen, visitorZone } from "../../lib/format.ts";
import { draftKey } from "../../lib/keys.ts";
import type { Outbox, Outcome, Pending } from "../../lib/outbox.ts";
import { read, write } from "../../lib/storage.ts";
import { type Catalog, catalog } from "../../locales/index.ts";
import { requestStyles } from "./replyby-request.styles.ts";

/** What `Replyby('prefill', …)` may fill in. */
export interface Prefill {
  email?: string;
  name?: string;
  orderId?: string;
  issueType?: string;
  severity?: string;
  description?: string;
}

type Step = "topic" | "details" | "review" | "queued" | "sent";
type Field = "issueType" | "severity" | "description" | "email" | "name" | "orderId";
type Draft = Record<Field, string> & { step?: Step };

const emptyDraft: Draft = { issueType: "", severity: "", description: "", email: "", name: "", orderId: "" };
const fieldStep: Record<Field, Step> = {
  issueType: "topic",
  severity: "topic",
  description: "details",
  email: "details",
  name: "details",
  orderId: "details",
};
const limits: Partial<Record<Field, number>> = { description: 5000, email: 254, name: 120, orderId: 80 };
// Close to the API's check; the server's answer is the authority and maps back onto the field.
const emailPattern = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/**
 * The request flow: topic (issue type, severity, known incidents first) → details → review with
 * the reply-by time, billing and allowance notices from the window endpoint → send. Sending goes
 * through the outbox, so an offline or failing send becomes a queued request that is retried and
 * lands once; what the customer typed is kept in storage at every keystroke until it has landed.
 */
export class ReplybyRequest extends LitElement {
  static override styles = requestStyles;

  static override properties = {
    ...handedDown("client", "outbox", "config"),
    lang: { type: String },
    ...handedDown("prefillData", "follows", "identity"),
    ...states("_step", "_draft", "_errors", "_window", "_windowState", "_sending", "_sent", "_problem", "_online", "_choice"),
  };

  declare client: Api | undefined;
  declare outbox: Outbox | undefined;
  declare config: SiteConfig | undefined;
  declare lang: string;
  declare prefillData: Prefill;
  /** The reference of a closed request this one continues, if any. */
  declare follows: string;
  declare identity: Identity | undefined;
  declare _step: Step;
  declare _draft: Draft;
  declare _errors: Partial<Record<Field, string>>;
  declare _window: WindowResult | undefined;
  declare _windowState: "idle" | "loading" | "ready" | "error";
  declare _sending: boolean;
  declare _sent: TicketCreated | undefined;
  declare _problem: string;
  declare _online: boolean;
  /** Out of hours, where the policy offers it: wait for support hours (the default) or have it addressed now. */
  declare _choice: "wait" | "now";

  #windowKey = "";
  #coverageKey = "null";
  #focus: "heading" | "error" | undefined;
  #onOutboxChange = () => this.requestUpdate();
  #onOutcome = (e: Event) => this.#handleOutcome((e as CustomEvent<Outcome>).detail, false);
  #onNetwork = () => {
    this._online = navigator.onLine;
  };

  constructor() {
    super();
    // Properties that start undefined are not assigned: declared fields are not initialised.
    this.lang = "en";
    this.prefillData = {};
    this.follows = "";
    this._step = "topic";
    this._draft = { ...emptyDraft };
    this._errors = {};
    this._windowState = "idle";
    this._sending = false;
    this._problem = "";
    this._online = navigator.onLine;
    this._choice = "wait";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener("online", this.#onNetwork);
    addEventListener("offline", this.#onNetwork);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener("online", this.#onNetwork);
    removeEventListener("offline", this.#onNetwork);
    this.#watch(undefined);
  }

  get #t(): Catalog {
    return catalog(this.lang);
  }

  get #locale(): string {
    return formatLocale(this.lang);
  }

  get #pending(): Pending[] {
    return this.outbox?.pending ?? [];
  }

  #watch(outbox: Outbox | undefined, previous?: Outbox): void {
    previous?.removeEventListener("change", this.#onOutboxChange);
    previous?.removeEventListener("outcome", this.#onOutcome);
    outbox?.addEventListener("change", this.#onOutboxChange);
    outbox?.addEventListener("outcome", this.#onOutcome);
  }

  #restoreDraft(): void {
    if (!this.outbox) return;
    const stored = read<Partial<Draft>>(draftKey(this.outbox.api.site), {});
    const draft = { ...emptyDraft };
    for (const key of Object.keys(emptyDraft) as Field[]) {
      const v = stored?.[key];
      if (typeof v === "string") draft[key] = v.slice(0, limits[key] ?? 200);
    }
    this._draft = draft;
    const step = stored?.step;
    // A queued request wins: the customer must see it is waiting, whatever they typed since.
    this._step = this.#pending.length ? "queued" : step === "details" || step === "review" ? step : "topic";
  }

  #saveDraft(): void {
    if (!this.outbox) return;
    const d = this._draft;
    const empty = !d.issueType && !d.severity && !d.description && !d.email && !d.name && !d.orderId;
    write(draftKey(this.outbox.api.site), empty ? null : { ...d, step: this._step });
  }

  #set(field: Field, value: string): void {
    this._draft = { ...this._draft, [field]: value };
    if (this._errors[field]) this._errors = { ...this._errors, [field]: this.#validate(field) };
    this.#saveDraft();
  }

  #go(step: Step): void {
    this._step = step;
    this._problem = "";
    this.#focus = "heading";
    this.#saveDraft();
    if (step === "review") void this.#loadWindow();
  }

  #validate(field: Field): string {
    const t = this.#t;
    const v = this._draft[field].trim();
    switch (field) {
      case "issueType":
        return this.config?.issueTypes.some((i) => i.id === v) ? "" : t.errors.issueType;
      case "severity":
        return this.config?.severities.some((s) => s.id === v) ? "" : t.errors.severity;
      case "description":
        return v ? "" : t.errors.description;
      case "email":
        return emailPattern.test(v) && v.length <= 254 ? "" : t.errors.email;
      default:
        return "";
    }
  }

  /** Validates a step's fields; on failure shows the errors and focuses the first. */
  #check(fields: Field[]): boolean {
    const errors: Partial<Record<Field, string>> = {};
    for (const f of fields) {
      const message = this.#validate(f);
      if (message) errors[f] = message;
    }
    this._errors = errors;
    const count = Object.keys(errors).length;
    if (count) {
      this.#focus = "error";
      notify(this, "rb-announce", this.#t.fixErrors(count));
    }
    return count === 0;
  }

  async #loadWindow(): Promise<void> {
    const client = this.client;
    const d = this._draft;
    if (!client) return;
    const request = {
      issueType: d.issueType,
      severity: d.severity,
      locale: this.lang,
      ...(visitorZone() ? { timeZone: visitorZone() } : {}),
      ...(this.identity ? { identity: this.identity } : {}),
    };
    const key = JSON.stringify(request);
    if (key === this.#windowKey && this._windowState === "ready") return;
    this.#windowKey = key;
    this._windowState = "loading";
    try {
      const result = await client.window(request);
      if (key !== this.#windowKey) return;
      this._window = result;
      this._windowState = "ready";
      const due = result.firstResponse?.dueAt;
      if (due) notify(this, "rb-announce", this.#t.replyBy(formatWhen(due, this.#locale)));
    } catch {
      if (key !== this.#windowKey) return;
      this._window = undefined;
      this._windowState = "error";
    }
  }

  #body(): TicketCreate {
    const d = this._draft;
    const zone = visitorZone();
    return {
      issueType: d.issueType,
      severity: d.severity,
      email: d.email.trim(),
      description: d.description.trim(),
      ...(d.name.trim() ? { name: d.name.trim() } : {}),
      ...(d.orderId.trim() ? { orderId: d.orderId.trim() } : {}),
      locale: this.lang,
      ...(zone ? { timeZone: zone } : {}),
      ...(this.identity ? { identity: this.identity } : {}),
      ...(this.follows ? { follows: this.follows } : {}),
      // The customer's pick is sent only when they were offered it; the server records it.
      ...(this._window?.billing?.options ? { afterHoursChoice: this._choice } : {}),
    };
  }

  async #send(e: Event): Promise<void> {
    e.preventDefault();
    const outbox = this.outbox;
    if (!outbox || this._sending) return;
    if (!this.#check(["issueType", "severity", "description", "email"])) {
      this.#go(fieldStep[Object.keys(this._errors)[0] as Field]);
      this.#focus = "error";
      return;
    }
    this._sending = true;
    this._problem = "";
    notify(this, "rb-announce", this.#t.sending);
    const pending = outbox.submit(this.#body());
    // The outbox holds it now (written before the first attempt), so the draft can go.
    write(draftKey(outbox.api.site), null);
    const outcome = await pending;
    this._sending = false;
    this.#handleOutcome(outcome, true);
  }

  #handleOutcome(outcome: Outcome, own: boolean): void {
    const t = this.#t;
    if (outcome.kind === "landed") {
      if (own || this._step === "queued") {
        this._sent = outcome.created;
        this._draft = { ...emptyDraft, email: this._draft.email, name: this._draft.name };
        this.#go(this.#pending.length ? "queued" : "sent");
      }
      notify(this, "rb-announce", `${t.sentHeading}. ${t.reference} ${outcome.created.reference}`);
      notify(this, "rb-submitted", { created: outcome.created, replayed: outcome.replayed });
    } else if (outcome.kind === "queued") {
      if (!own) return;
      this._draft = { ...emptyDraft, email: this._draft.email, name: this._draft.name };
      this.#go("queued");
      notify(this, "rb-announce", t.queuedHeading);
      notify(this, "rb-queued", { key: outcome.pending.key });
    } else {
      // Refused for good (validation, ineligible…): give the request back for editing.
      const sent = JSON.parse(outcome.pending.json) as Partial<Draft>;
      const draft = { ...emptyDraft };
      for (const key of Object.keys(emptyDraft) as Field[]) draft[key] = typeof sent[key] === "string" ? (sent[key] as string) : "";
      this._draft = draft;
      const errors: Partial<Record<Field, string>> = {};
      for (const err of outcome.error.problem?.errors ?? []) {
        const field = err.path.split(".")[0] as Field;
        if (field in emptyDraft && !errors[field]) errors[field] = err.message;
      }
      this._errors = errors;
      const first = Object.keys(errors)[0] as Field | undefined;
      this.#go(first ? fieldStep[first] : "review");
      this._problem = problemText(outcome.error, t);
      if (first) this.#focus = "error";
      notify(this, "rb-announce", this._problem);
      notify(this, "rb-error", this._problem);
    }
  }

  #retry(): void {
    void this.outbox?.flush(true);
  }

  /** "Ask something else": the way out of every outcome screen. */
  #another() {
    return html`<button class="btn" type="button" @click=${this.#startOver}>${this.#t.another}</button>`;
  }

  #startOver(): void {
    this._sent = undefined;
    this._choice = "wait";
    this._errors = {};
    this.#go("topic");
  }

  override willUpdate(changed: PropertyValues<this>): void {
    // "Open a new request" on a closed one starts a fresh request, whatever this flow last showed.
    if (changed.has("follows") && this.follows && (this._step === "sent" || this._step === "queued")) this.#startOver();
    if (changed.has("outbox")) {
      this.#watch(this.outbox, changed.get("outbox"));
      this.#restoreDraft();
    }
    if (changed.has("prefillData") && this.prefillData) {
      const d = { ...this._draft };
      for (const key of Object.keys(emptyDraft) as Field[]) {
        const v = this.prefillData[key];
        if (typeof v === "string" && !d[key]) d[key] = v.slice(0, limits[key] ?? 200);
      }
      this._draft = d;
    }
    if ((changed.has("lang") || changed.has("identity")) && this._step === "review") void this.#loadWindow();
  }

  override updated(): void {
    // The dialog's header says whether this kind of issue is being worked now (its priority's coverage).
    const coverage = this._step === "review" && this._windowState === "ready" ? this._window?.coverage : undefined;
    const key = JSON.stringify(coverage ?? null);
    if (key !== this.#coverageKey) {
      this.#coverageKey = key;
      notify(this, "rb-coverage", coverage);
    }
    if (this.#focus === "error") {
      this.#focus = undefined;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    } else if (this.#focus === "heading" && !this.hidden) {
      // While the site's config loads there is no heading yet: the request stays until there is.
      const heading = this.renderRoot.querySelector<HTMLElement>("h3[tabindex]");
      if (heading) {
        this.#focus = undefined;
        heading.focus();
      }
    }
  }

  /** Focuses the current step's heading, now or as soon as it renders (the dialog calls this on open). */
  async focusStart(): Promise<void> {
    this.#focus = "heading";
    this.requestUpdate();
    await this.updateComplete;
  }

  #stepHeader(n: number, heading: string, back?: Step) {
    return html`${back ? html`<button class="link back" type="button" @click=${() => this.#go(back)}>${backIcon}<span>${this.#t.back}</span></button>` : nothing}
      <p class="step muted">${this.#t.step(n, 3)}</p>
      <h3 tabindex="-1">${heading}</h3>`;
  }

  #error(field: Field) {
    const message = this._errors[field];
    return message ? html`<p class="error" id=${`${field}-error`}>${message}</p>` : nothing;
  }

  #renderTopic() {
    const t = this.#t;
    const config = this.config as SiteConfig;
    const locale = this.#locale;
    const radio = (
      field: "issueType" | "severity",
      options: { id: string; label: string; description?: string; workflow?: "quote" }[],
    ) => html`
      <fieldset aria-describedby=${this._errors[field] ? `${field}-error` : nothing}>
        <legend>${field === "issueType" ? t.issueType : t.severity}</legend>
        <div class="options">
          ${options.map(
            (o) => html`<label class="option">
              <input
                type="radio"
                name=${field}
                value=${o.id}
                .checked=${live(this._draft[field] === o.id)}
                aria-invalid=${this._errors[field] ? "true" : nothing}
                @change=${() => this.#set(field, o.id)}
              />
              <span>
                ${o.label}
                ${o.description ? html`<small>${o.description}</small>` : nothing}
                ${o.workflow === "quote" ? html`<small>${t.quoteNote}</small>` : nothing}
              </span>
            </label>`,
          )}
        </div>
        ${this.#error(field)}
      </fieldset>
    `;
    return html`
      ${this.#stepHeader(1, t.topicHeading)}
      ${this.follows ? html`<p class="notice">${t.continues(this.follows)}</p>` : nothing}
      ${
        config.incidents.length
          ? html`<section class="incidents" aria-labelledby="incidents-heading">
              <h4 id="incidents-heading">${t.knownIssues}</h4>
              <p class="muted">${t.knownIssuesHint}</p>
              <ul>
                ${config.incidents.map(
                  (i) => html`<li>
                    <strong>${i.title}</strong>
                    <span class="pre">${i.body}</span>
                    <span class="muted"> · ${t.since(formatWhen(i.startedAt, locale))}</span>
                  </li>`,
                )}
              </ul>
            </section>`
          : nothing
      }
      <form
        novalidate
        @submit=${(e: Event) => {
          e.preventDefault();
          if (this.#check(["issueType", "severity"])) this.#go("details");
        }}
      >
        ${radio("issueType", config.issueTypes)} ${radio("severity", config.severities)}
        <div class="actions"><button class="btn primary" type="submit">${t.continue}</button></div>
      </form>
    `;
  }

  #input(field: Field, label: string, type: "text" | "email", opts: { hint?: string; autocomplete?: string; required?: boolean } = {}) {
    const described = [opts.hint ? `${field}-hint` : "", this._errors[field] ? `${field}-error` : ""].filter(Boolean).join(" ");
    return html`<div class="field">
      <label class="field-label" for=${field}>${label}</label>
      <input
        id=${field}
        name=${field}
        type=${type}
        .value=${live(this._draft[field])}
        maxlength=${limits[field] ?? 200}
        autocomplete=${opts.autocomplete ?? "off"}
        ?required=${opts.required}
        aria-required=${opts.required ? "true" : nothing}
        aria-invalid=${this._errors[field] ? "true" : nothing}
        aria-describedby=${described || nothing}
        @input=${(e: Event) => this.#set(field, (e.target as HTMLInputElement).value)}
        @blur=${() => {
          if (this._draft[field] && opts.required) this._errors = { ...this._errors, [field]: this.#validate(field) };
        }}
      />
      ${opts.hint ? html`<p class="hint" id=${`${field}-hint`}>${opts.hint}</p>` : nothing} ${this.#error(field)}
    </div>`;
  }

  #renderDetails() {
    const t = this.#t;
    const d = this._draft;
    const left = 5000 - d.description.length;
    const described = ["description-hint", this._errors.description ? "description-error" : ""].filter(Boolean).join(" ");
    return html`
      ${this.#stepHeader(2, t.detailsHeading, "topic")}
      <form
        novalidate
        @submit=${(e: Event) => {
          e.preventDefault();
          if (this.#check(["description", "email"])) this.#go("review");
        }}
      >
        <div class="field">
          <label class="field-label" for="description">${t.description}</label>
          <textarea
            id="description"
            name="description"
            .value=${live(d.description)}
            maxlength="5000"
            required
            aria-required="true"
            aria-invalid=${this._errors.description ? "true" : nothing}
            aria-describedby=${described}
            @input=${(e: Event) => this.#set("description", (e.target as HTMLTextAreaElement).value)}
          ></textarea>
          <p class="hint" id="description-hint">${t.descriptionHint} ${left < 500 ? html`<span class="counter">${t.charsLeft(left)}</span>` : nothing}</p>
          ${this.#error("description")}
        </div>
        ${this.#input("email", t.email, "email", { hint: t.emailHint, autocomplete: "email", required: true })}
        ${this.#input("name", t.name, "text", { autocomplete: "name" })} ${this.#input("orderId", t.orderId, "text")}
        <div class="actions"><button class="btn primary" type="submit">${t.continue}</button></div>
      </form>
    `;
  }

  #renderWindow() {
    const t = this.#t;
    const locale = this.#locale;
    if (this._windowState === "loading" || this._windowState === "idle") {
      return html`<p class="notice" aria-busy="true">${spinner} ${t.computing}</p>`;
    }
    const w = this._window;
    if (!w) return html`<p class="notice">${t.windowUnavailable}</p>`;
    if (!w.eligibility.eligible) {
      return html`<div class="notice bad" part="ineligible"><h4>${t.ineligible}</h4><p>${w.eligibility.reason}</p></div>`;
    }
    const when = (iso: string) => formatWhen(iso, locale);
    const r = w.resolution;
    const charges = chargeLines(w, t, locale);
    const choice = afterHoursOptions(w, t, locale);
    const chosenDue = w.billing?.options?.find((o) => o.choice === this._choice)?.firstResponseDueAt ?? w.firstResponse?.dueAt;
    return html`
      <div class="reply-by" part="reply-by">
        ${
          chosenDue
            ? html`<p class="when">
                ${t.replyBy(when(chosenDue))}
              </p>`
            : nothing
        }
        ${
          r && (r.earliestAt ?? r.dueAt)
            ? html`<p>${r.earliestAt && r.latestAt ? t.resolutionBetween(when(r.earliestAt), when(r.latestAt)) : t.resolutionBy(when(r.dueAt))}</p>`
            : nothing
        }
        ${w.workflow === "quote" ? html`<p>${t.quoteFirst}</p>` : nothing}
      </div>
      ${
        choice
          ? html`<div class="notice warn" part="after-hours-choice"><fieldset>
              <legend>${choice.legend}</legend>
              <div class="options">
                ${choice.options.map(
                  (o) => html`<label class="option">
                    <input
                      type="radio"
                      name="afterHoursChoice"
                      value=${o.choice}
                      .checked=${live(this._choice === o.choice)}
                      @change=${() => {
                        this._choice = o.choice;
                      }}
                    />
                    <span>${o.label} <small>${o.replyBy}</small> <small>${o.terms}</small></span>
                  </label>`,
                )}
              </div>
            </fieldset></div>`
          : nothing
      }
      ${
        charges.length
          ? html`<div class=${charges.some((c) => c.chargeable) ? "notice warn" : "notice"} part="charges">
              <h4>${t.charges}</h4>
              ${charges.map((c) => html`<p>${c.text}</p>`)}
            </div>`
          : nothing
      }
      ${
        w.explanation.length
          ? html`<h4>${t.why}</h4>
              <ul class="why">
                ${w.explanation.map((line) => html`<li>${line}</li>`)}
              </ul>`
          : nothing
      }
    `;
  }

  #renderReview() {
    const t = this.#t;
    const d = this._draft;
    const config = this.config as SiteConfig;
    const label = (list: { id: string; label: string }[], id: string) => list.find((o) => o.id === id)?.label ?? id;
    const blocked = this._window?.eligibility.eligible === false;
    return html`
      ${this.#stepHeader(3, t.reviewHeading, "details")}
      ${this.#renderWindow()}
      <h4>${t.summary}</h4>
      <dl class="summary">
        <dt>${t.issueType}</dt>
        <dd>${label(config.issueTypes, d.issueType)}</dd>
        <dt>${t.severity}</dt>
        <dd>${label(config.severities, d.severity)}</dd>
        <dt>${t.email}</dt>
        <dd>${d.email}</dd>
        <dt>${t.description}</dt>
        <dd class="pre">${d.description.length > 280 ? `${d.description.slice(0, 280)}…` : d.description}</dd>
      </dl>
      <button class="link" type="button" @click=${() => this.#go("topic")}>${t.edit}</button>
      ${this._problem ? html`<p class="notice bad" role="alert">${this._problem}</p>` : nothing}
      <form novalidate @submit=${this.#send}>
        <div class="actions">
          <button class="btn primary" type="submit" ?disabled=${blocked} aria-disabled=${this._sending ? "true" : nothing}>
            ${this._sending ? html`${spinner} ${t.sending}` : t.send}
          </button>
        </div>
      </form>
    `;
  }

  #renderQueued() {
    const t = this.#t;
    const pending = this.#pending;
    const types = new Map(this.config?.issueTypes.map((i) => [i.id, i.label]));
    if (!pending.length) {
      return html`<h3 tabindex="-1">${t.queuedHeading}</h3>
        <div class="actions">${this.#another()}</div>`;
    }
    return html`
      <h3 tabindex="-1">${t.queuedHeading}</h3>
      <div class="notice warn" part="queued">
        <p>${t.queuedBody}</p>
        <p><strong>${this._online ? t.queuedRetrying : t.queuedOffline}</strong></p>
      </div>
      <ul class="pending">
        ${pending.map((p) => {
          const body = JSON.parse(p.json) as TicketCreate;
          return html`<li>
            <strong>${types.get(body.issueType) ?? body.issueType}</strong>
            <span class="pre">${body.description.length > 140 ? `${body.description.slice(0, 140)}…` : body.description}</span>
            <span class="muted">
              · ${this.outbox?.isSending(p.key) ? html`${spinner} ${t.sending}` : t.queuedItem}</span
            >
          </li>`;
        })}
      </ul>
      <div class="actions">
        <button class="btn primary" type="button" @click=${this.#retry}>${t.retryNow}</button>
        ${this.#another()}
      </div>
    `;
  }

  #renderSent() {
    const t = this.#t;
    const sent = this._sent;
    if (!sent) {
      return html`<h3 tabindex="-1">${t.sentHeading}</h3>
        <div class="actions">${this.#another()}</div>`;
    }
    const due = sent.window.firstResponse?.dueAt;
    return html`
      <h3 tabindex="-1">${t.sentHeading}</h3>
      <p>${t.reference}<strong class="reference" part="reference">${sent.reference}</strong></p>
      <p class="reply-by" part="reply-by">${due ? t.sentReplyBy(formatWhen(due, this.#locale)) : t.sentNoDue}</p>
      <p class="muted">${t.sentSaved} ${t.sentEmailed}</p>
      <div class="actions">
        <button class="btn primary" type="button" @click=${() => notify(this, "rb-open-ticket", sent.reference)}>${t.viewStatus}</button>
        ${this.#another()}
      </div>
    `;
  }
  override render() {
    switch (this._step) {
      case "queued":
        return this.#renderQueued();
      case "sent":
        return this.#renderSent();
    }
    if (!this.config) return html`<p class="muted">${spinner} ${this.#t.loading}</p>`;
    if (this._step === "details") return this.#renderDetails();
    if (this._step === "review") return this.#renderReview();
    return this.#renderTopic();
  }
}

define("replyby-request", ReplybyRequest);

declare global {
  interface HTMLElementTagNameMap {
    "replyby-request": ReplybyRequest;
  }
}
