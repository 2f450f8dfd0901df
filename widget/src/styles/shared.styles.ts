import { css } from "lit";

/**
 * Controls shared by every view: buttons, fields, option cards, notices. Colours meet WCAG AA on
 * the white panel (text ≥ 4.5:1, borders and focus rings ≥ 3:1); the accent's own text colour is
 * chosen at run time (see contrast.ts) so any brand colour stays readable. px only (see loader.styles.ts).
 */
export const sharedStyles = css`
  :host {
    display: block;
    --_ink: #1a1a1a;
    --_muted: #4b5563;
    --_line: #8a94a3;
    --_soft: #f3f4f6;
    --_danger: #b42318;
    --_ok: #05603a;
    --_warn-bg: #fff7e0;
    --_warn-line: #b54708;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .back {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    min-height: 32px;
    margin-bottom: 6px;
  }
  .back svg {
    width: 16px;
    height: 16px;
    fill: currentColor;
    vertical-align: -3px;
  }
  :host(:dir(rtl)) .back svg {
    transform: scaleX(-1);
  }
  h3 {
    margin: 0 0 12px;
    font-size: 17px;
    line-height: 1.3;
    font-weight: 650;
  }
  h3:focus {
    outline: none;
  }
  h3:focus-visible {
    outline: 2px solid var(--_ink);
    outline-offset: 2px;
  }
  h4 {
    margin: 0 0 6px;
    font-size: 14px;
    font-weight: 650;
  }
  p {
    margin: 0 0 10px;
  }
  ul {
    margin: 0 0 10px;
    padding-inline-start: 20px;
  }
  .muted {
    color: var(--_muted);
    font-size: 13px;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
  button {
    font: inherit;
    cursor: pointer;
  }
  button:disabled {
    cursor: not-allowed;
  }
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    min-height: 44px;
    padding: 8px 16px;
    border-radius: var(--replyby-radius, 10px);
    border: 1px solid var(--_line);
    background: #fff;
    color: var(--_ink);
    font-weight: 600;
    text-align: center;
  }
  .btn:hover:not(:disabled) {
    background: var(--_soft);
  }
  .btn.primary {
    border-color: transparent;
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .btn.primary:hover:not(:disabled) {
    background: var(--_accent);
    filter: brightness(1.08);
  }
  .btn:disabled {
    opacity: 0.6;
  }
  .btn:focus-visible,
  .link:focus-visible,
  input:focus-visible,
  textarea:focus-visible {
    outline: 3px solid var(--_ink);
    outline-offset: 2px;
  }
  .link {
    padding: 0;
    border: 0;
    background: none;
    color: var(--_accent-ink);
    text-decoration: underline;
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    margin-top: 16px;
  }
  .actions .btn.primary {
    flex: 1 1 auto;
  }
  fieldset {
    margin: 0 0 16px;
    padding: 0;
    border: 0;
    min-width: 0;
  }
  legend,
  label.field-label {
    display: block;
    margin-bottom: 6px;
    padding: 0;
    font-weight: 650;
    font-size: 14px;
  }
  .options {
    display: grid;
    gap: 6px;
  }
  .option {
    display: flex;
    align-items: flex-start;
    gap: 10px;
    padding: 10px 12px;
    border: 1px solid var(--_line);
    border-radius: var(--replyby-radius, 10px);
    background: #fff;
    cursor: pointer;
  }
  .option:has(input:checked) {
    border-color: var(--_accent-ink);
    box-shadow: inset 0 0 0 1px var(--_accent-ink);
    background: var(--_soft);
  }
  .option:has(input:focus-visible) {
    outline: 3px solid var(--_ink);
    outline-offset: 2px;
  }
  .option input {
    margin: 3px 0 0;
    accent-color: var(--_accent-ink);
    flex: none;
    width: 16px;
    height: 16px;
  }
  .option small {
    display: block;
    color: var(--_muted);
    font-size: 13px;
  }
  .field {
    margin-bottom: 14px;
  }
  input[type="text"],
  input[type="email"],
  textarea {
    display: block;
    width: 100%;
    min-height: 44px;
    padding: 9px 11px;
    border: 1px solid var(--_line);
    border-radius: var(--replyby-radius, 10px);
    background: #fff;
    color: var(--_ink);
    font: inherit;
  }
  textarea {
    min-height: 112px;
    resize: vertical;
  }
  [aria-invalid="true"] {
    border-color: var(--_danger);
    box-shadow: inset 0 0 0 1px var(--_danger);
  }
  .hint {
    margin: 4px 0 0;
    color: var(--_muted);
    font-size: 13px;
  }
  .error {
    margin: 4px 0 0;
    color: var(--_danger);
    font-size: 13px;
    font-weight: 600;
  }
  .notice {
    margin: 0 0 12px;
    padding: 10px 12px;
    border-radius: var(--replyby-radius, 10px);
    border: 1px solid var(--_line);
    background: var(--_soft);
  }
  .notice.warn {
    border-color: var(--_warn-line);
    background: var(--_warn-bg);
  }
  .notice.bad {
    border-color: var(--_danger);
    background: #fef3f2;
  }
  .notice > :last-child {
    margin-bottom: 0;
  }
  .pre {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .badge {
    display: inline-block;
    padding: 2px 8px;
    border-radius: 999px;
    border: 1px solid currentColor;
    font-size: 12px;
    font-weight: 650;
  }
  .spinner {
    display: inline-block;
    width: 16px;
    height: 16px;
    border: 2px solid currentColor;
    border-inline-end-color: transparent;
    border-radius: 50%;
    vertical-align: -3px;
  }
  @media (prefers-reduced-motion: no-preference) {
    .spinner {
      animation: spin 0.8s linear infinite;
    }
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
`;
