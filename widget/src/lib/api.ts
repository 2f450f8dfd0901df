// Type-only: the contract's zod schemas stay on the worker; the bundle gets none of them.
import type { Problem, SiteConfig, TicketCreate, TicketCreated, TicketLink, TicketView, WindowResult } from "../../../schema/api.ts";

export type { Problem, SiteConfig, TicketCreate, TicketCreated, TicketLink, TicketView, WindowResult };

/** POST /v1/sites/:siteKey/window: the ticket's classifying fields. */
export type WindowRequest = Pick<TicketCreate, "issueType" | "severity" | "locale" | "timeZone" | "identity">;
/** A signed customer identity from `Replyby('identify', …)`. */
export type Identity = NonNullable<TicketCreate["identity"]>;

/** The server answered with an error status; `problem` is its RFC 9457 body when it sent one. */
export class HttpError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;
  /** Seconds the server asked us to wait (Retry-After), when it said. */
  readonly retryAfter: number | undefined;

  constructor(status: number, problem: Problem | undefined, retryAfter: number | undefined) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = "HttpError";
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  /**
   * Whether the same request may succeed later unchanged: server faults, rate limits, timeouts.
   * (A twin with the same Idempotency-Key never waits: creation is one batch, so a retry gets the
   * stored answer.)
   */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 408 || this.status === 429;
  }
}

/** The request never got an HTTP answer (offline, DNS, TLS, CORS refusal, timeout). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : "Network error");
    this.name = "NetworkError";
  }
}

/**
 * What to tell the customer about a failed call: the server's own words (its problem's detail or
 * title) when it answered, else the catalog's generic or network message.
 */
export function problemText(error: unknown, t: { genericError: string; networkError: string }): string {
  return error instanceof HttpError ? (error.problem?.detail ?? error.problem?.title ?? t.genericError) : t.networkError;
}

/** Whether an error is worth retrying later with the same request. */
export function isTransient(error: unknown): boolean {
  return error instanceof NetworkError || (error instanceof HttpError && error.retryable);
}

const TIMEOUT_MS = 20_000;

/** The widget's client for the public API of one site. */
export class Api {
  readonly base: string;
  readonly site: string;

  constructor(base: string, site: string) {
    this.base = base.replace(/\/+$/, "");
    this.site = site;
  }

  /** GET /v1/sites/:siteKey/config, labels localised for `locale`. */
  config(locale: string): Promise<SiteConfig> {
    return this.#call<SiteConfig>("GET", `${this.#sitePath()}/config?locale=${encodeURIComponent(locale)}`).then((r) => r.body);
  }

  /** POST /v1/sites/:siteKey/window: when the customer will hear back, before sending. */
  window(request: WindowRequest): Promise<WindowResult> {
    return this.#call<WindowResult>("POST", `${this.#sitePath()}/window`, { body: JSON.stringify(request) }).then((r) => r.body);
  }

  /**
   * POST /v1/sites/:siteKey/tickets with the exact body text stored in the outbox, so every retry
   * is byte-for-byte the request the Idempotency-Key was first used with.
   */
  createTicket(bodyJson: string, idempotencyKey: string): Promise<{ body: TicketCreated; replayed: boolean }> {
    return this.#call<TicketCreated>("POST", `${this.#sitePath()}/tickets`, {
      body: bodyJson,
      headers: { "Idempotency-Key": idempotencyKey },
    });
  }

  /** GET /v1/tickets/:ref with the ticket's bearer access token. */
  ticket(ref: string, token: string): Promise<TicketView> {
    return this.#call<TicketView>("GET", this.#ticketPath(ref), { token }).then((r) => r.body);
  }

  /** POST /v1/tickets/:ref/reopen: "not fixed", with what is still wrong. */
  reopen(ref: string, token: string, body: string): Promise<TicketView> {
    return this.#act(ref, token, "reopen", { body });
  }

  /**
   * POST /v1/tickets/:ref/attachments: a follow-up or the answer to an info request, with any files,
   * as the reply form's own multipart body (its `body` and `file` fields).
   */
  attach(ref: string, token: string, form: FormData): Promise<TicketView> {
    return this.#call<TicketView>("POST", `${this.#ticketPath(ref)}/attachments`, { token, body: form }).then((r) => r.body);
  }

  /** POST /v1/tickets/:ref/quote. */
  decideQuote(ref: string, token: string, decision: "accept" | "decline"): Promise<TicketView> {
    return this.#act(ref, token, "quote", { decision });
  }

  /** POST /v1/tickets/:ref/close: the customer confirms the fix. */
  closeTicket(ref: string, token: string): Promise<TicketView> {
    return this.#act(ref, token, "close", {});
  }

  /** POST /v1/tickets/:ref/link: a fresh status-page link, to open the request on another device. */
  link(ref: string, token: string): Promise<TicketLink> {
    return this.#act(ref, token, "link", {});
  }

  /** One customer action on a ticket: POST /v1/tickets/:ref/<action> with its bearer token. */
  #act<T = TicketView>(ref: string, token: string, action: string, body: object): Promise<T> {
    return this.#call<T>("POST", `${this.#ticketPath(ref)}/${action}`, { token, body: JSON.stringify(body) }).then((r) => r.body);
  }

  #sitePath(): string {
    return `${this.base}/v1/sites/${encodeURIComponent(this.site)}`;
  }

  #ticketPath(ref: string): string {
    return `${this.base}/v1/tickets/${encodeURIComponent(ref)}`;
  }

  async #call<T>(
    method: "GET" | "POST",
    url: string,
    opts: { body?: string | FormData; token?: string; headers?: Record<string, string> } = {},
  ): Promise<{ body: T; replayed: boolean }> {
    const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
    // FormData sets its own multipart Content-Type with the boundary.
    if (typeof opts.body === "string") headers["Content-Type"] = "application/json";
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: opts.body,
        // Cookies of our origin mean nothing to the API: the site key and bearer token do.
        credentials: "omit",
        cache: "no-store",
        signal: typeof AbortSignal.timeout === "function" ? AbortSignal.timeout(TIMEOUT_MS) : undefined,
      });
    } catch (e) {
      throw new NetworkError(e);
    }
    const text = await res.text().catch(() => "");
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const problem = json && typeof json === "object" && "status" in json ? (json as Problem) : undefined;
      const after = Number(res.headers.get("Retry-After"));
      throw new HttpError(res.status, problem, Number.isFinite(after) && after > 0 ? after : undefined);
    }
    // A 2xx without JSON is a proxy or captive portal talking, not our API: try again later.
    if (json === undefined) throw new HttpError(502, undefined, undefined);
    return { body: json as T, replayed: res.headers.get("Idempotent-Replayed") === "true" };
  }
}
