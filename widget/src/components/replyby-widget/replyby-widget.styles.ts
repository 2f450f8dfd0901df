import { css, unsafeCSS } from "lit";
import { launcherCss } from "../../loader/loader.styles.ts";
import { sharedStyles } from "../../styles/shared.styles.ts";

// launcherCss is our own constant, never user input: unsafeCSS only wraps it for Lit.
export const widgetStyles = [
  sharedStyles,
  unsafeCSS(launcherCss),
  css`
    :host {
      /* The shell draws nothing in flow: launcher and panel live in the top layer. */
      display: contents !important;
      --_accent: var(--replyby-accent, #1d4ed8);
      --_on-accent: var(--replyby-accent-text, #fff);
      --_accent-ink: #1d4ed8;
    }
    dialog {
      position: fixed;
      inset: auto;
      inset-block-end: calc(var(--replyby-offset, 20px) + 60px);
      /* The side follows the page (beside the launcher); the text inside follows the widget's language. */
      right: var(--replyby-offset, 20px);
      margin: 0;
      padding: 0;
      width: min(400px, calc(100vw - 24px));
      max-width: none;
      height: min(680px, calc(100vh - 110px));
      max-height: none;
      border: 1px solid #8a94a3;
      border-radius: calc(var(--replyby-radius, 10px) + 4px);
      background: var(--replyby-surface, #fff);
      color: var(--_ink);
      color-scheme: light;
      font: 15px/1.45 var(--replyby-font, system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif);
      text-align: start;
      box-shadow: 0 12px 40px rgba(15, 23, 42, 0.3);
      overflow: hidden;
    }
    dialog.page-rtl {
      right: auto;
      left: var(--replyby-offset, 20px);
    }
    dialog[open] {
      display: flex;
      flex-direction: column;
    }
    dialog::backdrop {
      /* Visible on purpose: a modal that blocks the page must look like it does. */
      background: rgba(15, 23, 42, 0.35);
    }
    @media (max-width: 480px), (max-height: 560px) {
      dialog,
      dialog.page-rtl {
        inset: 0;
        width: 100%;
        height: 100%;
        border: 0;
        border-radius: 0;
      }
    }
    @media (prefers-reduced-motion: no-preference) {
      dialog[open] {
        animation: rise 0.16s ease-out;
      }
    }
    @keyframes rise {
      from {
        opacity: 0;
        transform: translateY(8px);
      }
    }
    .header {
      display: flex;
      align-items: flex-start;
      gap: 8px;
      padding: 14px 14px 10px 18px;
      padding-inline: 18px 10px;
      background: var(--_accent);
      color: var(--_on-accent);
    }
    .header h2 {
      flex: 1;
      margin: 0;
      font-size: 18px;
      line-height: 1.3;
      font-weight: 700;
    }
    .header p {
      margin: 2px 0 0;
      font-size: 13px;
    }
    .titles {
      flex: 1;
      min-width: 0;
    }
    .close {
      flex: none;
      display: grid;
      place-items: center;
      width: 40px;
      height: 40px;
      border: 0;
      border-radius: 8px;
      background: transparent;
      color: inherit;
    }
    .close:hover {
      background: rgba(127, 127, 127, 0.25);
    }
    .close:focus-visible {
      outline: 3px solid currentColor;
      outline-offset: -3px;
    }
    .close svg {
      width: 20px;
      height: 20px;
      fill: currentColor;
    }
    nav {
      display: flex;
      gap: 4px;
      padding: 8px 12px 0;
      border-bottom: 1px solid #d0d5dd;
    }
    nav button {
      min-height: 40px;
      padding: 6px 10px;
      border: 0;
      border-bottom: 3px solid transparent;
      background: none;
      color: var(--_muted);
      font-weight: 600;
    }
    nav button[aria-current="page"] {
      color: var(--_ink);
      border-bottom-color: var(--_accent-ink);
    }
    nav button:focus-visible {
      outline: 3px solid var(--_ink);
      outline-offset: -3px;
    }
    .body {
      flex: 1;
      overflow-y: auto;
      overscroll-behavior: contain;
      padding: 16px 18px 20px;
    }
    .footer {
      padding: 10px 18px;
      border-top: 1px solid #d0d5dd;
      font-size: 13px;
      color: var(--_muted);
    }
    .footer p {
      margin: 4px 0 0;
    }
    .footer a {
      color: var(--_accent-ink);
      font-weight: 600;
    }
    .footer a:focus-visible,
    .tickets button:focus-visible {
      outline: 3px solid var(--_ink);
      outline-offset: 2px;
    }
    .tickets {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 8px;
    }
    .tickets button {
      display: block;
      width: 100%;
      padding: 10px 12px;
      border: 1px solid var(--_line);
      border-radius: var(--replyby-radius, 10px);
      background: #fff;
      color: var(--_ink);
      text-align: start;
    }
    .tickets button:hover {
      background: var(--_soft);
    }
    .tickets strong {
      display: block;
      font-size: 15px;
    }
    .tickets .badge {
      margin-top: 4px;
    }
    .tickets .badge.warn {
      color: #93370d;
      background: var(--_warn-bg);
    }
    .probe {
      display: none;
    }
  `,
];
