import { css } from "lit";
import { sharedStyles } from "../../styles/shared.styles.ts";

export const ticketStyles = [
  sharedStyles,
  css`
    .badges {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      margin-bottom: 12px;
    }
    .sla-at-risk {
      color: #93370d;
    }
    .sla-breached {
      color: var(--_danger);
    }
    .sla-on-track {
      color: var(--_ok);
    }
    dl.due {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 4px 12px;
      margin: 0 0 12px;
    }
    dl.due dt {
      font-weight: 650;
    }
    dl.due dd {
      margin: 0;
    }
    .countdown {
      font-weight: 650;
    }
    .amount {
      font-size: 22px;
      font-weight: 700;
      margin-bottom: 4px;
    }
    ol.history {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 8px;
    }
    ol.history li {
      padding: 8px 10px;
      border-inline-start: 3px solid var(--_line);
      background: var(--_soft);
      border-radius: 6px;
    }
    ol.history li.staff {
      border-inline-start-color: var(--_accent-ink);
      background: #fff;
      border: 1px solid var(--_line);
      border-inline-start: 3px solid var(--_accent-ink);
    }
    ol.history .meta {
      display: block;
      font-size: 13px;
      color: var(--_muted);
    }
    section {
      margin-bottom: 16px;
    }
    h5 {
      margin: 0 0 4px;
      font-size: 13px;
      font-weight: 650;
    }
    h4[tabindex]:focus {
      outline: none;
    }
    h4[tabindex]:focus-visible {
      outline: 2px solid var(--_ink);
      outline-offset: 2px;
    }
  `,
];
