/** An ISO-8601 instant with an explicit zone (Z or ±HH:MM); local-only times are ambiguous. */
export const isoInstantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of an ISO-8601 instant with a zone, or null when malformed or impossible. */
export function parseInstant(text: string): number | null {
  if (!isoInstantPattern.test(text)) return null;
  // Date.parse rolls an impossible day over (2026-02-30 → March 2): refuse it instead.
  const [y, m, d] = text.slice(0, 10).split("-").map(Number) as [number, number, number];
  if (m < 1 || m > 12 || d < 1 || d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : at;
}
