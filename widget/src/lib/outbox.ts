import { type Api, HttpError, isTransient, type TicketCreate, type TicketCreated } from "./api.ts";
import { outboxKey } from "./keys.ts";
import { saveTicket } from "./saved-tickets.ts";
import { read, write } from "./storage.ts";

/** A submission not yet acknowledged by the server, kept across reloads. */
export interface Pending {
  /** The Idempotency-Key: created once, sent with every attempt, so the ticket lands exactly once. */
  key: string;
  /** The exact JSON body of the first attempt; retries must not differ by a byte (or the key is refused). */
  json: string;
  queuedAt: number;
  attempts: number;
  /** Epoch ms of the next automatic attempt. */
  nextAt: number;
}

/** How a submission attempt ended. */
export type Outcome =
  | { kind: "landed"; pending: Pending; created: TicketCreated; replayed: boolean }
  | { kind: "queued"; pending: Pending; error: unknown }
  | { kind: "rejected"; pending: Pending; error: HttpError };

const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 60_000;

/** Exponential backoff with ±20 % jitter (so a fleet of tabs does not retry in step), or Retry-After if longer. */
export function backoff(attempts: number, retryAfterSeconds?: number): number {
  const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  const jittered = exp * (0.8 + Math.random() * 0.4);
  return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}

/**
 * A random v4 UUID from getRandomValues, which every page has (crypto.randomUUID is missing on
 * plain-http pages, so one way serves all).
 */
export function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The unsent submissions of one site. Each is written to localStorage before the first attempt,
 * retried with backoff (and at once when the browser comes back online), and removed only when
 * the server acknowledged it (201, or its replay) or refused it for good (a 4xx that will not
 * change). Events: `change`, and `outcome` (CustomEvent<Outcome>) for attempts made in the background.
 */
export class Outbox extends EventTarget {
  static #all = new Map<string, Outbox>();

  /** The one outbox of a site in this page, shared by every element showing it. */
  static for(api: Api): Outbox {
    const id = `${api.base}|${api.site}`;
    let box = Outbox.#all.get(id);
    if (!box) {
      box = new Outbox(api);
      Outbox.#all.set(id, box);
    }
    return box;
  }

  readonly api: Api;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> | undefined;
  #sending = new Set<string>();
  /** Used when the browser refuses storage: the queue then lives as long as the page. */
  #volatile: Pending[] | undefined;

  constructor(api: Api) {
    super();
    this.api = api;
    addEventListener("online", () => void this.flush(true));
    // Another tab queued, sent or dropped something: show it and take over its retries.
    addEventListener("storage", (e) => {
      if (e.key === outboxKey(api.site)) {
        this.dispatchEvent(new Event("change"));
        this.#schedule();
      }
    });
    this.#schedule();
  }

  /** Submissions waiting to be sent, oldest first. */
  get pending(): Pending[] {
    if (this.#volatile) return this.#volatile;
    const list = read<Pending[]>(outboxKey(this.api.site), []);
    return Array.isArray(list) ? list.filter((p) => p && typeof p.key === "string" && typeof p.json === "string") : [];
  }

  /** Whether an attempt for this key is in flight in this page. */
  isSending(key: string): boolean {
    return this.#sending.has(key);
  }

  /** Stores a new submission, then makes its first attempt; resolves with how that attempt ended. */
  async submit(body: TicketCreate): Promise<Outcome> {
    const pending: Pending = { key: uuid(), json: JSON.stringify(body), queuedAt: Date.now(), attempts: 0, nextAt: 0 };
    this.#save([...this.pending, pending]);
    return this.#attempt(pending);
  }

  /** Attempts every due submission (every one when `force`), one at a time. */
  flush(force = false): Promise<void> {
    // The flag is cleared in a continuation, never inside the run: when nothing is due the run
    // finishes without awaiting, and clearing it there would happen before this assignment,
    // leaving a settled promise in #flushing and no retry ever again.
    this.#flushing ??= this.#run(force).finally(() => {
      this.#flushing = undefined;
      this.#schedule();
    });
    return this.#flushing;
  }

  async #run(force: boolean): Promise<void> {
    for (const p of this.pending) {
      if ((force || p.nextAt <= Date.now()) && !this.#sending.has(p.key)) {
        const outcome = await this.#attempt(p);
        this.dispatchEvent(new CustomEvent<Outcome>("outcome", { detail: outcome }));
      }
    }
  }

  async #attempt(pending: Pending): Promise<Outcome> {
    this.#sending.add(pending.key);
    this.dispatchEvent(new Event("change"));
    try {
      const { body: created, replayed } = await this.api.createTicket(pending.json, pending.key);
      const sent = JSON.parse(pending.json) as TicketCreate;
      saveTicket(this.api.site, {
        reference: created.reference,
        accessToken: created.accessToken,
        createdAt: created.createdAt,
        issueType: sent.issueType,
        ...(created.window.firstResponse ? { dueAt: created.window.firstResponse.dueAt } : {}),
      });
      this.#remove(pending.key);
      return { kind: "landed", pending, created, replayed };
    } catch (error) {
      if (!isTransient(error) && error instanceof HttpError) {
        this.#remove(pending.key);
        return { kind: "rejected", pending, error };
      }
      const attempts = pending.attempts + 1;
      const retryAfter = error instanceof HttpError ? error.retryAfter : undefined;
      const updated = { ...pending, attempts, nextAt: Math.ceil(Date.now() + backoff(attempts, retryAfter)) };
      // Another tab may have sent it meanwhile: only update an entry that is still there.
      this.#save(this.pending.map((p) => (p.key === pending.key ? updated : p)));
      return { kind: "queued", pending: updated, error };
    } finally {
      this.#sending.delete(pending.key);
      this.dispatchEvent(new Event("change"));
      this.#schedule();
    }
  }

  #remove(key: string): void {
    this.#save(this.pending.filter((p) => p.key !== key));
  }

  #save(list: Pending[]): void {
    if (this.#volatile || !write(outboxKey(this.api.site), list.length ? list : null)) this.#volatile = list;
    this.dispatchEvent(new Event("change"));
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    const next = Math.min(...this.pending.filter((p) => !this.#sending.has(p.key)).map((p) => p.nextAt));
    if (Number.isFinite(next)) this.#timer = setTimeout(() => void this.flush(), Math.max(0, next - Date.now()));
  }
}
