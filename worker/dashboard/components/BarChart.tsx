/** One bar: a label under it, its value, and the text read out for it. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly text: string;
  /** Drawn in the warning colour (e.g. attainment under target). */
  readonly low?: boolean;
}

/**
 * A bar chart as inline SVG (no chart library, no script): labelled for screen readers with a
 * title and description, and each bar carries its value as a tooltip title.
 */
export function BarChart({
  id,
  title,
  description,
  bars,
  max,
  labelEvery = 1,
}: {
  id: string;
  title: string;
  description: string;
  bars: readonly Bar[];
  max?: number;
  labelEvery?: number;
}) {
  const width = 720;
  const height = 240;
  const pad = { top: 24, right: 8, bottom: 40, left: 8 };
  const plotH = height - pad.top - pad.bottom;
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value), 1);
  const slot = (width - pad.left - pad.right) / Math.max(bars.length, 1);
  const barW = Math.max(2, Math.min(64, slot * 0.7));
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <line class="axis" x1={pad.left} x2={width - pad.right} y1={pad.top + plotH} y2={pad.top + plotH} />
      {bars.map((b, i) => {
        const h = Math.round((b.value / top) * plotH);
        const x = pad.left + i * slot + (slot - barW) / 2;
        const y = pad.top + plotH - h;
        return (
          <g key={b.label}>
            <rect class={b.low ? "bar low" : "bar"} x={x.toFixed(1)} y={y} width={barW.toFixed(1)} height={h}>
              <title>{`${b.label}: ${b.text}`}</title>
            </rect>
            {bars.length <= 12 ? (
              <text x={(x + barW / 2).toFixed(1)} y={Math.max(y - 6, 12)} text-anchor="middle">
                {b.text}
              </text>
            ) : null}
            {i % labelEvery === 0 ? (
              <text x={(x + barW / 2).toFixed(1)} y={height - pad.bottom + 16} text-anchor="middle">
                {b.label}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
