/**
 * widget.js: the only script a store loads up front. It must stay tiny (≤ 4 KB gzip) and never
 * block the page, so it holds no Lit and no app code. It:
 * - defines `Replyby(...)`, keeping every call made before the app is here (including calls
 *   queued by a merchant's own stub, `window.Replyby.q`), and replaying them in order;
 * - draws the launcher button, in its own shadow root, in an idle moment after the page's load
 *   event (at once when opened before that), in the store's colour once the app has seen it;
 * - loads the app chunk on intent (hover, focus, click), on `Replyby('open')`, or, in that same
 *   idle moment, when a submission is waiting in storage to be sent;
 * - once the visitor uses the page (a mouse move or press, a key, a scroll), moves the launcher
 *   into the top layer where the browser has one, and downloads the app chunk into the HTTP cache
 *   without evaluating it, so that opening is instant and the store pays no evaluation for it.
 * At page load the store's main thread pays only for defining `Replyby`, replaying the stub's
 * queue and drawing the button (test/bench/widget.ts measures it): no request, no style
 * recalculation forced from script, and no synchronous storage read for a visitor who never used
 * the widget.
 * If the app fails to load, only the launcher stays (now offering to retry): no overlay is ever
 * drawn by the loader.
 */
import { brandKey, markerDatabase, outboxKey } from "../lib/keys.ts";
import { launcherCss } from "./loader.styles.ts";

/** Path of the app chunk relative to widget.js, set by widget/build.ts. */
declare const __APP_CHUNK__: string;

/** The element API the loader drives (see replyby-widget.ts). */
interface WidgetElement extends HTMLElement {
  show(opener?: HTMLElement): void;
  hide(): void;
  prefill(data: Record<string, unknown>): void;
  identify(identity: Record<string, unknown>): void;
  setLocale(locale: string): void;
}

type Handler = (detail: unknown) => void;
interface ReplybyFn {
  (command: string, ...args: unknown[]): void;
  /** Calls made before the app loaded (a merchant's stub may have started this queue). */
  q?: ArrayLike<unknown>[];
  /** Set once the loader ran, so a second copy of widget.js on the page does nothing. */
  loaded?: boolean;
}

((w: Window & { Replyby?: ReplybyFn }, d: Document) => {
  // currentScript is null when a tag manager or bundler evaluates us: fall back to the tag itself.
  const script = (d.currentScript ?? d.querySelector("script[data-site][src*='widget.js']")) as HTMLScriptElement | null;
  // Attributes, not `dataset`: its DOMStringMap would be one more interface for the page's first
  // script to set up, for five reads.
  const option = (name: string) => script?.getAttribute(`data-${name}`) || undefined;
  const site = option("site");
  const prior = w.Replyby;
  if (!script || prior?.loaded) return;
  if (!site) {
    console.warn("Replyby: add data-site to the widget's script tag");
    return;
  }
  const src = script.src;
  const queue: unknown[][] = Array.from(prior?.q ?? [], (args) => Array.from(args));
  const handlers: [string, Handler, EventListener][] = [];
  let widget: WidgetElement | undefined;
  let loading: Promise<void> | undefined;
  let failures = 0;
  // The launcher, built by draw() on first need.
  let host: HTMLElement | undefined;
  let root: ShadowRoot;
  let button: HTMLButtonElement;
  let text: string[];
  // Whether localStorage may hold anything of ours (see start()); unknown until then, and an early
  // open reads it anyway.
  let stored: boolean | undefined;
  let engaged = false;

  // No deadline: a timeout option costs the page's first idle callback a second timer, and a page
  // idles soon after its load event anyway.
  function whenIdle(fn: () => void): void {
    if ("requestIdleCallback" in w) w.requestIdleCallback(fn);
    else setTimeout(fn, 200);
  }

  function draw(): HTMLElement {
    if (host) return host;
    host = d.createElement("replyby-root");
    root = host.attachShadow({ mode: "open" });
    if ("adoptedStyleSheets" in Document.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(launcherCss);
      root.adoptedStyleSheets = [sheet];
    } else {
      // Browsers without constructable stylesheets (Safari < 16.4) get a <style>; a strict CSP blocks
      // it there, leaving an unstyled but working button rather than no help at all.
      root.append(Object.assign(d.createElement("style"), { textContent: launcherCss }));
    }

    // The last accent the app saw, so the launcher is drawn in the store's colour on the next page.
    if (stored !== false)
      try {
        const brand = JSON.parse(localStorage.getItem(brandKey(site as string)) || "null") as [string, string] | null;
        if (brand) paint(brand);
      } catch {}

    const lang = (option("locale") || d.documentElement.lang || navigator.language || "en").slice(0, 2).toLowerCase();
    text = lang === "es" ? ["Ayuda", "Reintentar ayuda"] : ["Help", "Retry help"];
    button = d.createElement("button");
    if (option("launcher") !== "none") {
      // The icon is the button's ::before (launcherCss), the label its only child.
      button.textContent = text[0] as string;
      button.type = "button";
      button.setAttribute("part", "launcher");
      button.setAttribute("aria-haspopup", "dialog");
      button.setAttribute("aria-expanded", "false");
      // Shown as a popover by promote(); a plain fixed button where popover is missing.
      button.setAttribute("popover", "manual");
      root.append(button);
      button.addEventListener("click", () => run(["open", button]));
      // Intent: hover or focus; a tap goes straight to the click. Mouse events rather than pointer
      // events: the page's first pointer listener costs it a hit-test set-up of its own.
      for (const type of ["mouseenter", "focus"]) button.addEventListener(type, () => void load().catch(() => {}));
    }
    // Pages that swap <body> (Turbo, some routers) would drop the launcher: put it back.
    new MutationObserver(mount).observe(d.documentElement, { childList: true });
    return host;
  }

  function paint(brand: [string, string]): void {
    host?.style.setProperty("--_brand", brand[0]);
    host?.style.setProperty("--_on-brand", brand[1]);
  }

  function mount(): void {
    const el = draw();
    if (el.isConnected) return;
    (d.body ?? d.documentElement).append(el);
    // Put back by the observer below once the visitor engaged: into the top layer again.
    if (engaged) whenIdle(promote);
  }

  /**
   * Into the top layer: above anything the page stacks, transforms or adds later. Until then the
   * launcher is the body's last child at the highest z-index, which covers nearly every page; the
   * move waits for the visitor because showing a popover recalculates style from script.
   */
  function promote(): void {
    // Never over the open dialog (the top layer stacks in order of entry): on close instead.
    if (button.getAttribute("aria-expanded") === "true") return;
    // Showing a popover that is not connected, or twice, throws; both are harmless here.
    try {
      button.showPopover?.();
    } catch {}
  }

  // A browser keeps a failed module import in its module map and fails every later import of
  // that URL without fetching, so a retry asks for the chunk under a URL of its own.
  function chunkUrl(): string {
    const chunk = new URL(__APP_CHUNK__, src);
    if (failures) chunk.searchParams.set("retry", String(failures));
    return chunk.href;
  }

  function load(): Promise<void> {
    loading ??= import(chunkUrl()).then(
      () => {
        const el = d.createElement("replyby-widget") as WidgetElement;
        el.setAttribute("site", site as string);
        el.setAttribute("api", option("api") || new URL(src).origin);
        el.setAttribute("launcher", "none");
        const locale = option("locale");
        if (locale) el.setAttribute("locale", locale);
        el.addEventListener("replyby-open", () => button.setAttribute("aria-expanded", "true"));
        el.addEventListener("replyby-close", () => {
          button.setAttribute("aria-expanded", "false");
          promote();
        });
        el.addEventListener("replyby-ready", (e) => {
          const brand = (e as CustomEvent<{ brand?: [string, string] }>).detail.brand;
          if (brand) paint(brand);
        });
        draw();
        root.append(el);
        widget = el;
        for (const [name, , listener] of handlers) el.addEventListener(`replyby-${name}`, listener);
        for (const call of queue.splice(0)) run(call);
        button.textContent = text[0] as string;
      },
      (error: unknown) => {
        // Forget the failure so the next click tries again, and the click that failed: a later
        // hover that loads the app must not open it out of the blue. Say so on the button itself.
        loading = undefined;
        failures += 1;
        for (let i = queue.length - 1; i >= 0; i--) if (queue[i]?.[0] === "open") queue.splice(i, 1);
        button.textContent = text[1] as string;
        throw error;
      },
    );
    return loading;
  }

  function run(call: unknown[]): void {
    const [command, a, b] = call as [string, unknown, unknown];
    if (command === "on" || command === "off") {
      const name = String(a);
      if (command === "on" && typeof b === "function") {
        const fn = b as Handler;
        // A merchant's handler that throws must not break the widget's own event dispatch.
        const listener: EventListener = (e) => {
          try {
            fn((e as CustomEvent).detail);
          } catch (err) {
            console.error(err);
          }
        };
        handlers.push([name, fn, listener]);
        widget?.addEventListener(`replyby-${name}`, listener);
      } else {
        for (const h of handlers.filter(([n, fn]) => n === name && (b === undefined || fn === b))) {
          handlers.splice(handlers.indexOf(h), 1);
          widget?.removeEventListener(`replyby-${name}`, h[2]);
        }
      }
      return;
    }
    // Opening cannot wait for the idle moment the launcher is otherwise drawn in.
    if (command === "open") mount();
    if (!widget) {
      queue.push(call);
      if (command === "open") {
        // Busy only when the customer is waiting for it, not during an idle preload.
        button.setAttribute("aria-busy", "true");
        void load()
          .catch(() => {})
          .finally(() => button.removeAttribute("aria-busy"));
      }
      return;
    }
    if (command === "open") widget.show(a instanceof HTMLElement ? a : undefined);
    else if (command === "close") widget.hide();
    else if (command === "prefill" && a && typeof a === "object") widget.prefill(a as Record<string, unknown>);
    else if (command === "identify" && a && typeof a === "object") widget.identify(a as Record<string, unknown>);
    else if (command === "setLocale" && typeof a === "string") widget.setLocale(a);
    else console.warn(`Replyby: unknown command "${command}"`);
  }

  const api: ReplybyFn = (command, ...args) => run([command, ...args]);
  api.loaded = true;
  api.q = queue;
  w.Replyby = api;
  // Events registered before load are listeners, not queued commands: take them out of the queue now.
  for (const call of queue.splice(0)) run(call);

  // The visitor's first use of the page: a mouse move or press (a tap sends one), a key, a scroll.
  const engagement = ["mousemove", "mousedown", "keydown", "scroll"];

  // Everything else waits for an idle moment after the store's load event (and another once the
  // list below arrives). localStorage is read only where the app left its marker database
  // (lib/storage.ts), which listing databases tells without blocking: a first localStorage read
  // blocks the page while the browser loads the origin's storage. Browsers that cannot list
  // databases read it always.
  const start = () => {
    let list: Promise<IDBDatabaseInfo[]> | undefined;
    try {
      list = indexedDB.databases?.();
    } catch {}
    if (!list) return settle(true);
    list.then(
      (dbs) => whenIdle(() => settle(dbs.some((db) => db.name === markerDatabase))),
      () => settle(true),
    );
  };

  function settle(found: boolean): void {
    stored = found;
    mount();
    let pending = false;
    if (stored)
      try {
        pending = (localStorage.getItem(outboxKey(site as string)) ?? "[]") !== "[]";
      } catch {}
    if (pending) void load().catch(() => {});
    for (const type of engagement) w.addEventListener(type, engage, { capture: true, passive: true });
  }

  // The top layer and the prefetch wait for the visitor to use the page, then for an idle moment.
  function engage(): void {
    if (engaged) return;
    engaged = true;
    for (const type of engagement) w.removeEventListener(type, engage, { capture: true });
    whenIdle(() => {
      promote();
      const saveData = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData;
      // Only downloads the app into the HTTP cache: nothing is evaluated until the customer shows
      // intent, and then the import is served from the cache. fetch()'s defaults (cors,
      // same-origin credentials) are the module import's, so the cached response is the one the
      // import asks for.
      if (!loading && option("preload") !== "intent" && !saveData) void fetch(new URL(__APP_CHUNK__, src).href).catch(() => {});
    });
  }

  if (d.readyState === "complete") whenIdle(start);
  else w.addEventListener("load", () => whenIdle(start), { once: true });
})(window, document);
