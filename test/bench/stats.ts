/** The middle value (upper middle for an even count) of a list of measurements; 0 for none. */
export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** The value at quantile `q` (0–1) of a list of measurements, nearest rank; 0 for none. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? 0;
}
