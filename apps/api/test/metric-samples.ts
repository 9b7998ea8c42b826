// Reads one value out of a Prometheus text exposition (what `GET /metrics` answers).

/** The value of the first sample of `name` whose labels include all of `labels`, or undefined when none does. */
export function metricSample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const close = line.lastIndexOf('}');
    const parts = line.slice(name.length + 1, close).split(/,(?=[a-z_]+=")/);
    if (wanted.every((pair) => parts.includes(pair))) return Number(line.slice(close + 2));
  }
  return undefined;
}
