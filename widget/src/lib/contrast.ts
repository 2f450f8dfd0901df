/**
 * Picks readable colours around a brand accent, so a merchant's pale yellow or dark navy both meet
 * WCAG AA: text on the accent is black or white, whichever contrasts more, and the accent is only
 * used as text/border ink on white when it reaches 4.5:1 there.
 */

type Rgb = [number, number, number];

/** "rgb(29, 78, 216)" / "rgba(…)" / "#1d4ed8" / "#fff" → [r, g, b], else undefined. */
export function parseColor(value: string): Rgb | undefined {
  const v = value.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(v)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
    return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16)) as Rgb;
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(v);
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : undefined;
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of two colours. */
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Accent, text on the accent, and accent ink on white, for a colour the browser has resolved. */
export function accentPalette(accent: string): { accent: string; onAccent: string; ink: string } {
  const rgb = parseColor(accent);
  if (!rgb) return { accent, onAccent: "#fff", ink: "#1a1a1a" };
  const white: Rgb = [255, 255, 255];
  const black: Rgb = [0, 0, 0];
  return {
    accent,
    onAccent: contrast(rgb, white) >= contrast(rgb, black) ? "#fff" : "#000",
    ink: contrast(rgb, white) >= 4.5 ? accent : "#1a1a1a",
  };
}
