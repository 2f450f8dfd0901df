/** The status page's only stylesheet, served as a file so the CSP allows no inline style but the brand's. */
export const stylesheet = `
:root { --ink: #1b1f24; --muted: #5b6470; --line: #d9dee4; --bg: #f6f7f9; --card: #fff; --accent: #2456c9; --on-accent: #fff; --accent-ink: #2456c9;
  --ok: #1d6b3a; --ok-bg: #e3f4e8; --bad: #a11d1d; --bad-bg: #fde4e4;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); }
a { color: var(--accent-ink); }
header.brand { padding: .8rem 1.25rem; background: var(--accent); color: var(--on-accent); font-weight: 700; font-size: 1.1rem; }
main { padding: 1.25rem 1rem 3rem; max-width: 720px; margin: 0 auto; }
h1 { font-size: 1.45rem; margin: .25rem 0 1rem; overflow-wrap: anywhere; }
h1 .ref { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .8em; color: var(--muted); white-space: nowrap; }
h2 { font-size: 1.1rem; margin: 0 0 .6rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
.card > h1:first-child { margin-top: 0; }
h2.status::before { content: ""; display: inline-block; width: .7em; height: .7em; border-radius: 50%; margin-right: .45em; background: var(--accent); }
h2.status.waiting-on-customer::before { background: #c27c00; }
h2.status.resolved::before, h2.status.closed::before { background: var(--ok); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0 0 .6rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
dd.due, dd.amount { font-weight: 600; }
/* On a phone a long label (es "Primera respuesta antes de") would squeeze the time into a sliver: label above value. */
@media (max-width: 480px) { dl.facts { grid-template-columns: 1fr; gap: 0; } dl.facts dd { margin-bottom: .45rem; } }
.muted { color: var(--muted); font-size: .92rem; }
details summary { cursor: pointer; color: var(--accent-ink); }
details ul { margin: .4rem 0 0; padding-left: 1.2rem; }
.timeline { list-style: none; padding: 0; margin: 0; }
.timeline > li { border-left: 3px solid var(--line); padding: .3rem 0 .7rem .8rem; }
.timeline > li.staff { border-left-color: var(--accent); }
.timeline .meta { font-size: .85rem; color: var(--muted); }
.prewrap { white-space: pre-wrap; overflow-wrap: anywhere; margin: .3rem 0 0; }
ul.files { margin: 0; padding-left: 1.2rem; overflow-wrap: anywhere; }
label { display: block; font-size: .9rem; color: var(--muted); margin-bottom: .25rem; }
input, textarea, button { font: inherit; }
input[type=email], textarea { width: 100%; padding: .5rem .6rem; border: 1px solid #b8c0ca; border-radius: 6px; background: #fff; margin-bottom: .6rem; }
textarea { min-height: 6rem; }
button { padding: .5rem 1rem; border: 1px solid var(--accent); background: var(--accent); color: var(--on-accent); border-radius: 6px; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent-ink); border-color: var(--accent-ink); }
button.danger { background: var(--bad); border-color: var(--bad); color: #fff; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin-top: .6rem; }
.actions form { margin: 0; }
.flash { padding: .6rem 1rem; border-radius: 6px; margin-bottom: 1rem; background: var(--ok-bg); color: var(--ok); }
.flash.error { background: var(--bad-bg); color: var(--bad); }
.flash ul { margin: .25rem 0 0; padding-left: 1.2rem; }
`;

function fingerprint(text: string): string {
  // FNV-1a: a cache-busting version, not a security hash.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/** The stylesheet's versioned URL, so it can be cached for good. */
export const stylesheetUrl = `/t/assets/status.css?v=${fingerprint(stylesheet)}`;
