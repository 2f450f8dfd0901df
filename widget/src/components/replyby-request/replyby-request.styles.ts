import { css } from "lit";
import { sharedStyles } from "../../styles/shared.styles.ts";

export const requestStyles = [
  sharedStyles,
  css`
    .step {
      margin: 0 0 2px;
    }
    .incidents {
      margin-bottom: 16px;
    }
    .incidents ul {
      list-style: none;
      padding: 0;
      margin: 0;
      display: grid;
      gap: 6px;
    }
    .incidents li {
      padding: 8px 10px;
      border-inline-start: 4px solid var(--_warn-line);
      background: var(--_warn-bg);
      border-radius: 6px;
    }
    .incidents strong {
      display: block;
    }
    .reply-by {
      margin: 0 0 14px;
      padding: 12px 14px;
      border-radius: var(--replyby-radius, 10px);
      border: 2px solid var(--_accent-ink);
      background: #fff;
    }
    .reply-by > :last-child {
      margin-bottom: 0;
    }
    .reply-by .when {
      margin: 0 0 4px;
      font-size: 19px;
      font-weight: 700;
      line-height: 1.3;
    }
    .reply-by .when span {
      font-size: 14px;
      font-weight: 500;
      color: var(--_muted);
    }
    .why li {
      margin-bottom: 4px;
    }
    dl.summary {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 4px 12px;
      margin: 0 0 8px;
      font-size: 14px;
    }
    dl.summary dt {
      color: var(--_muted);
    }
    dl.summary dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .reference {
      display: block;
      margin: 4px 0 12px;
      font: 700 22px/1.2 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      letter-spacing: 0.02em;
      user-select: all;
    }
    .pending {
      list-style: none;
      padding: 0;
      display: grid;
      gap: 6px;
    }
    .pending strong {
      display: block;
    }
    .pending li {
      padding: 8px 10px;
      border: 1px dashed var(--_line);
      border-radius: 8px;
    }
    .counter {
      float: inline-end;
    }
  `,
];
