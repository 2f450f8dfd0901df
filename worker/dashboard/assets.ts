/**
 * The dashboard's only stylesheet and script, served as files so the CSP can forbid inline code.
 * The script is progressive: every page works without it; it keeps countdowns current, previews
 * a time entry's bill as it is typed, and copies the embed snippet.
 */

/** The stylesheet. */
export const css = `
:root { --ink: #1b1f24; --muted: #5b6470; --line: #d9dee4; --bg: #f6f7f9; --card: #fff; --accent: #2456c9;
  --ok: #1d6b3a; --ok-bg: #e3f4e8; --warn: #8a5a00; --warn-bg: #fff1d1; --bad: #a11d1d; --bad-bg: #fde4e4;
  --idle: #4a5563; --idle-bg: #e8ebef; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); }
a { color: var(--accent); }
header.top { display: flex; align-items: center; gap: 1.5rem; padding: .6rem 1.5rem; background: #14213d; color: #fff; flex-wrap: wrap; }
header.top a { color: #fff; text-decoration: none; padding: .25rem .5rem; border-radius: 4px; }
header.top a[aria-current="page"] { background: rgba(255,255,255,.18); }
header.top .brand { font-weight: 700; }
header.top nav { display: flex; gap: .25rem; flex: 1; flex-wrap: wrap; }
header.top form { margin: 0; }
header.top .who { opacity: .85; font-size: .9em; }
header.top button { background: transparent; color: #fff; border: 1px solid rgba(255,255,255,.5); }
main { padding: 1.25rem 1.5rem 3rem; max-width: 1200px; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
.card > h2:first-child, .card > h1:first-child { margin-top: 0; }
.actions .field { margin-bottom: 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 1rem; }
table { border-collapse: collapse; width: 100%; background: var(--card); }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: .1rem .5rem; border-radius: 999px; font-size: .8rem; font-weight: 600; white-space: nowrap; }
.badge.on-track { color: var(--ok); background: var(--ok-bg); }
.badge.at-risk { color: var(--warn); background: var(--warn-bg); }
.badge.breached { color: var(--bad); background: var(--bad-bg); }
.badge.paused, .badge.waiting { color: var(--idle); background: var(--idle-bg); }
.badge.internal { color: var(--idle); background: var(--idle-bg); font-weight: 500; }
.muted { color: var(--muted); }
.overdue { color: var(--bad); font-weight: 600; }
form.inline { display: inline; }
form.filters { display: flex; gap: .6rem; flex-wrap: wrap; align-items: end; margin-bottom: 1rem; }
label { display: block; font-size: .85rem; color: var(--muted); margin-bottom: .2rem; }
.field { margin-bottom: .75rem; }
input, select, textarea, button { font: inherit; }
input[type=text], input[type=email], input[type=password], input[type=number], input[type=search], input[type=date],
input[type=datetime-local], input[type=url], select, textarea { padding: .4rem .5rem; border: 1px solid #b8c0ca; border-radius: 5px; background: #fff; min-width: 0; }
textarea { width: 100%; min-height: 5rem; }
input[type=url] { width: 100%; max-width: 40rem; }
textarea.code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; min-height: 28rem; }
button { padding: .4rem .9rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 5px; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
.flash { padding: .6rem 1rem; border-radius: 6px; margin-bottom: 1rem; background: var(--ok-bg); color: var(--ok); }
.flash.error { background: var(--bad-bg); color: var(--bad); }
ul.errors { margin: .25rem 0 .75rem; padding-left: 1.2rem; color: var(--bad); }
ul.errors code { color: var(--ink); }
.timeline { list-style: none; padding: 0; margin: 0; }
.timeline > li { border-left: 3px solid var(--line); padding: .3rem 0 .7rem .8rem; }
.timeline > li.public { border-left-color: var(--accent); }
.timeline > li.email { border-left-style: dashed; }
ul.files { margin: .3rem 0 0; padding-left: 1.2rem; overflow-wrap: anywhere; }
.timeline > li.note { border-left-color: var(--warn); background: var(--warn-bg); border-radius: 0 6px 6px 0; padding-right: .8rem; }
.timeline > li.note .meta strong { color: var(--warn); }
.assign { margin-bottom: .75rem; }
table + .card { margin-top: 1rem; }
.badge.email-sent { color: var(--ok); background: var(--ok-bg); }
.badge.email-queued { color: var(--idle); background: var(--idle-bg); }
.badge.email-failed, .badge.email-suppressed { color: var(--bad); background: var(--bad-bg); }
.timeline .meta { font-size: .85rem; color: var(--muted); }
.prewrap { white-space: pre-wrap; overflow-wrap: anywhere; margin: .3rem 0 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
td .actions { align-items: center; }
td button { white-space: nowrap; }
.pager { display: flex; justify-content: space-between; margin-top: .75rem; }
pre.snippet { background: #0f172a; color: #e2e8f0; padding: .75rem; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
label.check { display: inline-flex; gap: .3rem; align-items: center; margin: 0 1rem .4rem 0; font-weight: normal; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .75rem; }
.card.reveal { border: 2px solid #b45309; background: #fffbeb; }
output.bill { display: block; margin: .4rem 0; font-weight: 600; }
output.bill.error { color: var(--bad); }
svg.chart { width: 100%; max-width: 900px; height: auto; background: #fff; }
svg.chart .bar { fill: var(--accent); }
svg.chart .bar.low { fill: #c2410c; }
svg.chart text { font-size: 11px; fill: var(--ink); }
svg.chart .axis { stroke: var(--line); }
.login { max-width: 380px; margin: 4rem auto; }
.login input { width: 100%; }
.sub-nav { display: flex; gap: .75rem; margin-bottom: 1rem; flex-wrap: wrap; }
.sub-nav a[aria-current="page"] { font-weight: 700; text-decoration: none; color: var(--ink); }
.site-more { margin: .75rem 0; }
.field-error { color: var(--bad); font-size: .85rem; margin: -.5rem 0 .75rem; }
[aria-invalid="true"] { border-color: var(--bad) !important; }
ol.checklist { list-style: none; padding: 0; margin: 0; counter-reset: step; }
ol.checklist li { display: flex; gap: .75rem; align-items: baseline; padding: .6rem 0; border-bottom: 1px solid var(--line); }
ol.checklist li:last-child { border-bottom: 0; }
.step-state { min-width: 5.5rem; }
.presets { display: grid; gap: .6rem; }
.presets label { display: flex; gap: .6rem; align-items: flex-start; color: var(--ink); font-size: 1rem; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; background: #fff; }
.presets label input { margin-top: .3rem; }
.presets .reading { display: block; color: var(--muted); font-size: .88rem; }
table.week td, table.week th { padding: .3rem .4rem; }
table.week input[type=time] { padding: .25rem .3rem; border: 1px solid #b8c0ca; border-radius: 5px; }
.install { padding: .8rem 1rem; border-radius: 6px; font-weight: 600; }
.install.ok { background: var(--ok-bg); color: var(--ok); }
.install.bad { background: var(--bad-bg); color: var(--bad); }
.install.idle { background: var(--idle-bg); color: var(--idle); }
`;

/** The script: countdowns, the live bill preview and copy buttons. */
export const js = `"use strict";
(function () {
  function span(ms) {
    var minutes = Math.floor(Math.abs(ms) / 60000);
    var hours = Math.floor(minutes / 60);
    if (hours >= 48) return Math.floor(minutes / 1440) + "d " + Math.floor((minutes % 1440) / 60) + "h";
    if (hours > 0) return hours + "h " + String(minutes % 60).padStart(2, "0") + "m";
    return minutes + "m";
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("datetime") || "");
      if (isNaN(due)) return;
      el.textContent = due > now ? "in " + span(due - now) : span(now - due) + " overdue";
      el.classList.toggle("overdue", due <= now);
    });
  }
  tick();
  setInterval(tick, 30000);

  document.querySelectorAll("form[data-bill-preview]").forEach(function (form) {
    var out = form.querySelector("output");
    var url = form.getAttribute("data-bill-preview");
    var timer = 0;
    var seq = 0;
    function update() {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var id = ++seq;
        var q = new URLSearchParams();
        ["startedAt", "minutes", "category"].forEach(function (name) {
          var field = form.elements.namedItem(name);
          if (field) q.set(name, field.value);
        });
        fetch(url + "?" + q.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (res) { return res.json().then(function (body) { return { ok: res.ok, body: body }; }); })
          .then(function (r) {
            if (id !== seq || !out) return;
            out.textContent = r.body.text || r.body.detail || "";
            out.classList.toggle("error", !r.ok);
          })
          .catch(function () {});
      }, 150);
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
  });

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-copy") || "");
      if (!target) return;
      navigator.clipboard.writeText(target.textContent || "").then(
        function () { button.textContent = "Copied"; },
        function () {
          var range = document.createRange();
          range.selectNodeContents(target);
          var sel = window.getSelection();
          if (sel) { sel.removeAllRanges(); sel.addRange(range); }
        },
      );
    });
  });
})();
`;

function fingerprint(text: string): string {
  // FNV-1a: a cache-busting version, not a security hash.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/** Versioned URLs of the assets, so they can be cached for a long time. */
export const assetUrls = {
  css: `/dashboard/assets/app.css?v=${fingerprint(css)}`,
  js: `/dashboard/assets/app.js?v=${fingerprint(js)}`,
} as const;
