/**
 * A small line chart as SVG text: no dependency, readable in a browser, GitHub and the
 * docs. Each series is a line with its points; the y axis starts at zero.
 */
export interface ChartSeries {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** A horizontal reference line, e.g. a target. */
  reference?: { y: number; label: string };
}

const WIDTH = 720;
const HEIGHT = 400;
const MARGIN = { top: 48, right: 170, bottom: 56, left: 72 };

export function renderLineChart(chart: LineChart): string {
  const xs = chart.series.flatMap((series) => series.points.map((point) => point.x));
  const ys = chart.series.flatMap((series) => series.points.map((point) => point.y));
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs, xMin + 1);
  const yMax = niceCeiling(Math.max(...ys, chart.reference?.y ?? 0, 1));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (value: number) => MARGIN.left + ((value - xMin) / (xMax - xMin)) * plotWidth;
  const y = (value: number) => MARGIN.top + plotHeight - (value / yMax) * plotHeight;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="15" font-weight="600">${escapeXml(chart.title)}</text>`,
  );
  for (let step = 0; step <= 4; step++) {
    const value = (yMax / 4) * step;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e7eb"/>`,
      `<text x="${MARGIN.left - 8}" y="${y(value) + 4}" text-anchor="end" fill="#374151">${round(value)}</text>`,
    );
  }
  const distinctXs = [...new Set(xs)].sort((a, b) => a - b);
  // Few points: label each; many (a time series): five even ticks.
  const xTicks =
    distinctXs.length <= 12 ? distinctXs : [0, 1, 2, 3, 4, 5].map((step) => xMin + ((xMax - xMin) / 5) * step);
  for (const value of xTicks) {
    parts.push(
      `<text x="${x(value)}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle" fill="#374151">${round(value)}</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 14}" text-anchor="middle" fill="#111827">${escapeXml(chart.xLabel)}</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" fill="#111827">${escapeXml(chart.yLabel)}</text>`,
  );
  if (chart.reference) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(chart.reference.y)}" y2="${y(chart.reference.y)}" stroke="#9ca3af" stroke-dasharray="6 4"/>`,
      `<text x="${MARGIN.left + plotWidth + 6}" y="${y(chart.reference.y) + 4}" fill="#6b7280">${escapeXml(chart.reference.label)}</text>`,
    );
  }
  chart.series.forEach((series, index) => {
    const path = series.points.map((point, i) => `${i === 0 ? 'M' : 'L'}${x(point.x)},${y(point.y)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2.5"/>`);
    for (const point of series.points) {
      parts.push(`<circle cx="${x(point.x)}" cy="${y(point.y)}" r="3.5" fill="${series.color}"/>`);
    }
    const legendY = MARGIN.top + 10 + index * 20;
    parts.push(
      `<rect x="${MARGIN.left + plotWidth + 16}" y="${legendY - 9}" width="12" height="12" fill="${series.color}"/>`,
      `<text x="${MARGIN.left + plotWidth + 34}" y="${legendY + 1}" fill="#111827">${escapeXml(series.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
