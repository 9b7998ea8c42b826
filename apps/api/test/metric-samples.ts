// Reads one value out of a Prometheus text exposition (what `GET /metrics` answers).

/** The value of the first sample of `name` whose labels include all of `labels`, or undefined when none does. */
export function metricSample(text: string, name: string, labels: Record<string, string>): number | undefined {
  return matchingSamples(text, name, labels)[0];
}

/** The sum of every sample of `name` whose labels include all of `labels` (0 when none does). */
export function metricSum(text: string, name: string, labels: Record<string, string>): number {
  return matchingSamples(text, name, labels).reduce((sum, value) => sum + value, 0);
}

function matchingSamples(text: string, name: string, labels: Record<string, string>): number[] {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const values: number[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const close = line.lastIndexOf('}');
    const parts = line.slice(name.length + 1, close).split(/,(?=[a-z_]+=")/);
    if (wanted.every((pair) => parts.includes(pair))) values.push(Number(line.slice(close + 2)));
  }
  return values;
}
