import http from 'k6/http';
import { newRequestId } from './checks.ts';
import { config } from './config.ts';

/**
 * The sum of one series of the API's GET /metrics (Prometheus text), over the label sets
 * whose text contains every `labels` fragment (e.g. `route="/api/v1/orders"`).
 * Null when the series is absent (METRICS_ENABLED=false).
 */
export function readServerMetric(name: string, labels: string[] = []): number | null {
  const res = http.get(`${config.baseUrl}/metrics`, {
    headers: { 'X-Request-ID': newRequestId() },
    tags: { route: '/metrics', name: 'GET /metrics' },
  });
  if (res.status !== 200) return null;
  let total: number | null = null;
  for (const line of String(res.body).split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    if (!labels.every((fragment) => (match[2] ?? '').includes(fragment))) continue;
    total = (total ?? 0) + Number(match[3]);
  }
  return total;
}
