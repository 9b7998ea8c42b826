import { request } from 'node:https';

/** The API's `/metrics` page (Prometheus text); rejects on a status other than 200. */
export function fetchMetricsText(origin: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const req = request(`${origin}/metrics`, { rejectUnauthorized: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`/metrics → ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Every sample of the text exposition format, comments skipped. */
export function parseMetricSamples(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!match?.[1] || match[3] === undefined) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      if (key !== undefined && value !== undefined) labels[key] = value;
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of each named series in the API's `/metrics` (labels summed), 0 when absent. */
export async function readMetrics(origin: string, names: readonly string[]): Promise<Record<string, number>> {
  const values: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
  for (const sample of parseMetricSamples(await fetchMetricsText(origin))) {
    if (names.includes(sample.name)) values[sample.name] = (values[sample.name] ?? 0) + sample.value;
  }
  return values;
}
