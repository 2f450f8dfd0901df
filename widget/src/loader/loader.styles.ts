/**
 * The launcher icon (a speech bubble with a clock hand) in a 24 × 24 box: the clip-path of the
 * launcher's ::before, drawn at 22 px. No elements and no SVG for the loader to create.
 */
const launcherIcon =
  "M12 2C6.5 2 2 5.9 2 10.7c0 2.6 1.3 4.9 3.4 6.5L4.5 22l4.6-2.6c.9.2 1.9.3 2.9.3 5.5 0 10-3.9 10-8.8S17.5 2 12 2zm1 9.3V6h-2v6.2l4.2 2.5 1-1.7-3.2-1.7z";

/**
 * The launcher's CSS, shared by the loader and the app's own launcher so both look the same.
 * Plain text, no Lit: the loader adopts it through a constructable stylesheet, which a strict CSP
 * (style-src without 'unsafe-inline') allows, unlike <style> elements or style attributes.
 *
 * `:host` rules are !important because the host element is the one part of the widget the page's
 * selectors can reach (`* { all: unset }`); in the cascade an important rule from inside a shadow
 * tree beats an important rule from the page. Units are px, never rem: a page may resize its root font.
 */
export const launcherCss = `
:host{all:initial!important;display:contents!important}
[part=launcher]{all:initial;position:fixed;z-index:2147483647;inset:auto;inset-block-end:var(--replyby-offset,20px);inset-inline-end:var(--replyby-offset,20px);margin:0;box-sizing:border-box;display:inline-flex;align-items:center;gap:8px;min-height:48px;min-width:48px;padding:0 18px 0 14px;border:0;border-radius:24px;background:var(--replyby-accent,var(--_brand,#1d4ed8));color:var(--replyby-accent-text,var(--_on-brand,#fff));font:600 15px/1.2 var(--replyby-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);box-shadow:0 4px 14px rgba(0,0,0,.28);cursor:pointer;overflow:visible;user-select:none;-webkit-tap-highlight-color:transparent}
[part=launcher]:focus-visible{outline:3px solid #111;outline-offset:2px;box-shadow:0 0 0 2px #fff,0 4px 14px rgba(0,0,0,.28)}
[part=launcher]:hover{filter:brightness(1.08)}
[part=launcher][aria-busy=true]{cursor:progress}
[part=launcher]::before{content:"";width:24px;height:24px;margin:-1px;transform:scale(.9167);background:currentColor;clip-path:path("${launcherIcon}");flex:none}
@media (prefers-reduced-motion:no-preference){[part=launcher]{transition:transform .15s}[part=launcher]:hover{transform:translateY(-1px)}}
@media print{[part=launcher]{display:none}}
`;
