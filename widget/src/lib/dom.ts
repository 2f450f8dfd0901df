import { html, type LitElement, type PropertyDeclaration } from "lit";

/** The focused element, looking inside open shadow roots (document.activeElement stops at hosts). */
export function deepActiveElement(): HTMLElement | undefined {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el instanceof HTMLElement && el !== document.body ? el : undefined;
}

/** Dispatches a namespaced public event: bubbles and is composed, so it leaves every shadow root. */
export function emit<T>(el: HTMLElement, name: `replyby-${string}`, detail?: T): void {
  el.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
}

/** Dispatches an internal event on a child view's host, for its parent's template listener only. */
export function notify<T>(el: HTMLElement, name: `rb-${string}`, detail?: T): void {
  el.dispatchEvent(new CustomEvent(name, { detail }));
}

/** Registers a custom element once: the app chunk may be evaluated twice (two loaders, HMR, a merchant bundle). */
export function define(name: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, ctor);
}

/** Moves focus to a view's heading once it has rendered, so screen readers announce the new step. */
export async function focusHeading(el: LitElement): Promise<void> {
  await el.updateComplete;
  el.renderRoot.querySelector<HTMLElement>("h3[tabindex]")?.focus();
}

/** The busy indicator beside a label (decorative: the label says what is happening). */
export const spinner = html`<span class="spinner" aria-hidden="true"></span>`;

/** The back arrow before a view's "back" link. */
export const backIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M15.4 4.6 8 12l7.4 7.4 1.4-1.4-6-6 6-6z"></path></svg>`;

/** Lit declarations of a view's internal reactive state, one a name: `{ state: true }`. */
export function states(...names: string[]): Record<string, PropertyDeclaration> {
  return Object.fromEntries(names.map((name) => [name, { state: true }]));
}

/** Lit declarations of properties a parent hands down as objects, one a name: set by property, no attribute. */
export function handedDown(...names: string[]): Record<string, PropertyDeclaration> {
  return Object.fromEntries(names.map((name) => [name, { attribute: false }]));
}
