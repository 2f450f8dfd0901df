import { Hono } from "hono";

/**
 * Demo storefronts, one per preset, embedding the widget exactly as a merchant would (one async
 * script tag). They are deliberately hostile: CSS that resets and overrides everything it can
 * reach with !important and the largest z-index, and a strict CSP (scripts, styles and requests
 * from this origin only; no inline code, no eval, no frames). Used by `npm start` and by the
 * browser tests. Nothing here is inline: styles and the store's own script are served below.
 */
export const demo = new Hono<{ Bindings: Env }>();

const presets = {
  ecellar: {
    store: "Hillside Cellars",
    tagline: "Estate wines from the Napa Valley",
    lang: "en",
    order: "HC-10482",
    theme: "wine",
    products: [
      ["2022 Estate Cabernet Sauvignon", "$68"],
      ["2023 Carneros Chardonnay", "$42"],
      ["Spring Club Allocation", "$240"],
      ["Library Magnum 2016", "$185"],
    ],
  },
  "easy-commission": {
    store: "Northwind Sales Ops",
    tagline: "Commission statements for 120 reps, powered by Easy Commission",
    lang: "en",
    order: "NW-ACCT-311",
    theme: "saas",
    products: [
      ["Q3 commission run", "Processing"],
      ["Plan: Enterprise", "120 seats"],
      ["Payout export", "Ready"],
      ["Clawback report", "Draft"],
    ],
  },
  commerceup: {
    store: "Lumen Lamps",
    tagline: "Handmade lighting — a CommerceUp store",
    lang: "en",
    order: "LL-58821",
    theme: "shop",
    products: [
      ["Arc floor lamp", "$289"],
      ["Brass desk lamp", "$119"],
      ["Paper pendant", "$74"],
      ["Smart bulb 3-pack", "$39"],
    ],
  },
  ecshops: {
    store: "Ultramarinos Ruiz",
    tagline: "Tienda online de productos gourmet — desarrollada por ECShops",
    lang: "es",
    order: "UR-2291",
    theme: "deli",
    products: [
      ["Jamón ibérico de bellota", "89 €"],
      ["Aceite de oliva virgen extra 1 L", "14 €"],
      ["Queso manchego curado", "22 €"],
      ["Lote de conservas", "35 €"],
    ],
  },
} as const;

type PresetName = keyof typeof presets;

// The strictest policy a careful merchant would set: only this origin may run scripts, apply
// stylesheets or be fetched, nothing inline or evaluated, and the page may not be framed.
const csp = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join("; ");

const pageHeaders = {
  "Content-Type": "text/html; charset=utf-8",
  "Content-Security-Policy": csp,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => escapes[ch] as string);

function page(lang: string, dir: string, title: string, body: string, head = ""): string {
  return `<!doctype html>
<html lang="${lang}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/demo/store.css">
${head}
</head>
<body>
${body}
</body>
</html>`;
}

demo.get("/", (c) => {
  const items = (Object.keys(presets) as PresetName[])
    .map(
      (id) =>
        `<li><a href="/demo/${id}">${esc(presets[id].store)}</a> <span class="muted">— preset <code>${id}</code>, site key <code>demo-${id}</code></span></li>`,
    )
    .join("\n");
  const body = `<main class="index">
<h1>Replyby demo storefronts</h1>
<p>Each page embeds the widget with one script tag, under a strict Content-Security-Policy and deliberately hostile CSS.</p>
<ul>
${items}
</ul>
<p class="muted">Add <code>?lang=es</code> or <code>?lang=en</code> for the language, <code>?dir=rtl</code> for a right-to-left page, <code>?preload=intent</code> to load the app only on hover, focus or click, <code>?embed=element</code> to use <code>&lt;replyby-widget&gt;</code> directly instead of the loader.</p>
</main>`;
  return c.body(page("en", "ltr", "Replyby demo storefronts", body), 200, pageHeaders);
});

demo.get("/store.css", (c) =>
  c.body(storeCss, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff" }),
);

demo.get("/store.js", (c) =>
  c.body(storeJs, 200, {
    "Content-Type": "text/javascript; charset=utf-8",
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
  }),
);

demo.get("/:preset", (c) => {
  const id = c.req.param("preset");
  if (!Object.hasOwn(presets, id)) {
    return c.body(
      page("en", "ltr", "Not found", `<main class="index"><h1>No such demo</h1><p><a href="/demo">All demos</a></p></main>`),
      404,
      pageHeaders,
    );
  }
  const p = presets[id as PresetName];
  const q = c.req.query();
  const lang = q.lang === "es" || q.lang === "en" ? q.lang : p.lang;
  const dir = q.dir === "rtl" ? "rtl" : "ltr";
  const preload = q.preload === "intent" ? ` data-preload="intent"` : "";
  // ?embed=element: the app as a custom element, without the loader (theming through ::part below).
  const element = q.embed === "element";
  const es = lang === "es";
  const cards = p.products
    .map(
      ([name, price], i) => `<article class="card">
<div class="art art-${i}" aria-hidden="true"></div>
<h3>${esc(name)}</h3>
<p class="price">${esc(price)}</p>
<button type="button" class="buy">${es ? "Añadir" : "Add to cart"}</button>
</article>`,
    )
    .join("\n");
  // store.js runs first and queues Replyby() calls before the async loader has arrived.
  // ?widget=off: the same store without the widget, the baseline `npm run bench` measures against.
  const head = element
    ? `<script type="module" src="/widget/app.js"></script>`
    : q.widget === "off"
      ? `<script src="/demo/store.js"></script>`
      : `<script src="/demo/store.js"></script>
<script src="/widget.js" data-site="demo-${id}"${preload} async></script>`;
  const body = `<div class="store theme-${p.theme}" data-order="${esc(p.order)}">
<header class="top">
<a class="brand" href="/demo/${id}">${esc(p.store)}</a>
<nav aria-label="${es ? "Tienda" : "Store"}"><a href="/demo/${id}">${es ? "Productos" : "Shop"}</a> <a href="/demo">${es ? "Otras demos" : "Other demos"}</a> <a href="#help" data-replyby-open>${es ? "Contactar con soporte" : "Contact support"}</a></nav>
</header>
<main>
<section class="hero">
<h1>${esc(p.store)}</h1>
<p>${esc(p.tagline)}</p>
<p id="last-ticket" role="status"></p>
</section>
<section class="grid" aria-label="${es ? "Productos" : "Products"}">
${cards}
</section>
</main>
<footer class="bottom"><p>${es ? "Pedido de prueba" : "Test order"} ${esc(p.order)} · <a href="#help" data-replyby-open>${es ? "¿Necesita ayuda?" : "Need help?"}</a></p></footer>
<aside class="promo" aria-label="${es ? "Oferta" : "Offer"}">${es ? "Envío gratis desde 50 €" : "Free shipping over $50"}</aside>
</div>${element ? `\n<replyby-widget site="demo-${id}" locale="${lang}"></replyby-widget>` : ""}`;
  return c.body(page(lang, dir, p.store, body, head), 200, pageHeaders);
});

// The merchant's own script, as a merchant would write it: a stub so calls made before the async
// widget.js arrives are queued (the loader replays them), plus an event handler and a prefill.
const storeJs = `"use strict";
window.Replyby = window.Replyby || function () { (window.Replyby.q = window.Replyby.q || []).push(arguments); };
Replyby("on", "submitted", function (ticket) {
  var el = document.getElementById("last-ticket");
  if (el) el.textContent = (document.documentElement.lang === "es" ? "Solicitud de soporte recibida: " : "Support request received: ") + ticket.reference;
});
// A link to /demo/<preset>#help opens help straight away: this call is queued by the stub above.
if (location.hash === "#help") Replyby("open");
document.addEventListener("DOMContentLoaded", function () {
  var store = document.querySelector("[data-order]");
  if (store) Replyby("prefill", { orderId: store.getAttribute("data-order") });
  document.querySelectorAll("[data-replyby-open]").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); Replyby("open"); });
  });
});
`;

// Hostile on purpose. The first block is what breaks most embedded widgets; the rest is an
// ordinary store theme written on top of a full reset.
const storeCss = `/* --- hostile rules: the widget must look and work the same under all of them --- */
* { all: unset; }
head, script, style, title, link, meta, template { display: none !important; }
html { font-size: 31px !important; line-height: 3 !important; color: #0f0 !important; font-family: "Comic Sans MS", fantasy !important; }
div, span, section, article, aside, header, footer, main, nav, p, a, button, input, textarea, dialog, svg {
  z-index: 2147483647 !important;
}
button, [role="button"], input, textarea, select {
  background: #ff00ff !important; color: #00ff00 !important; font-size: 40px !important;
  padding: 24px !important; border: 6px dotted red !important; border-radius: 0 !important; text-transform: uppercase !important;
}
svg, svg * { width: 500px !important; height: 500px !important; fill: red !important; }
dialog, [popover], [role="dialog"] { display: none !important; visibility: hidden !important; }
replyby-root, replyby-widget { display: none !important; opacity: 0 !important; transform: scale(0) !important; pointer-events: none !important; }
:focus { outline: none !important; }
*, *::before, *::after { box-sizing: content-box !important; letter-spacing: 0.08em !important; }

/* --- the store's own theme --- */
html { display: block; background: #faf7f2; }
body { display: block; margin: 0; font-size: 16px; line-height: 1.5; color: #1f1b16 !important; font-family: Georgia, "Times New Roman", serif !important; }
div, section, article, header, footer, main, nav, p, h1, h2, h3, ul, li, aside { display: block; }
a { color: #7a1f3d; text-decoration: underline; cursor: pointer; }
code { font-family: ui-monospace, monospace; background: #eee; padding: 0 4px; }
.index { max-width: 760px; margin: 40px auto; padding: 0 20px; }
.index h1 { font-size: 32px; font-weight: bold; margin-bottom: 12px; }
.index li { margin: 10px 0; list-style: disc; margin-inline-start: 24px; display: list-item; }
.muted { color: #5d554b; }
.top { display: flex; justify-content: space-between; align-items: center; padding: 16px 32px; background: #1f1b16; color: #fff !important; }
.top a { color: #fff; margin-inline-start: 18px; }
.top .brand { font-size: 22px; font-weight: bold; margin: 0; text-decoration: none; }
.hero { padding: 56px 32px 24px; }
.hero h1 { font-size: 44px; font-weight: bold; line-height: 1.1; margin-bottom: 8px; }
.hero p { font-size: 18px; }
#last-ticket { margin-top: 12px; font-weight: bold; color: #05603a; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 20px; padding: 24px 32px 120px; }
.card { background: #fff; border: 1px solid #e5ded3; border-radius: 10px; padding: 16px; }
.card h3 { font-size: 18px; font-weight: bold; margin: 12px 0 4px; }
.card .price { font-size: 16px; margin-bottom: 10px; }
.art { height: 140px; border-radius: 6px; background: linear-gradient(135deg, #7a1f3d, #d8a7b1); }
.art-1 { background: linear-gradient(135deg, #c9a227, #f3e3a1); }
.art-2 { background: linear-gradient(135deg, #3d5a80, #98c1d9); }
.art-3 { background: linear-gradient(135deg, #2a9d8f, #e9c46a); }
.buy { display: inline-block; cursor: pointer; }
.bottom { padding: 24px 32px; border-top: 1px solid #e5ded3; }
/* A competing fixed element exactly where launchers usually sit, at the largest z-index. */
.promo { position: fixed !important; right: 0 !important; bottom: 0 !important; z-index: 2147483647 !important;
  display: block; width: 260px; padding: 28px 20px !important; background: #ffd400; color: #1f1b16 !important; font-weight: bold; text-align: center; }
/* A merchant theming the element form of the widget: only ::part and custom properties get in. */
replyby-widget { --replyby-radius: 4px; }
replyby-widget::part(title) { letter-spacing: 0.02em; }
.theme-saas .top { background: #0b2e59; }
.theme-shop .top { background: #123c2e; }
.theme-deli .top { background: #5a1e00; }
`;
