import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { timeseriesPanel } from './timeseries-panel.js';

const BY = 'route, version, protocol';
const requests = 'tandem_http_requests_total';
const httpDuration = 'tandem_http_request_duration_seconds';

/** `sum by (...)` of a counter's rate over the panel's rate interval. */
const rateBy = (by: string, selector: string) => `sum by (${by}) (rate(${selector}[$__rate_interval]))`;
/**
 * A quantile of a histogram per `by`, kept only where requests happened in the window:
 * an idle route has no latency, and would otherwise read NaN (0/0).
 */
const quantile = (q: number, by: string, histogram: string) =>
  `histogram_quantile(${q}, ${rateBy(`le, ${by}`, `${histogram}_bucket`)}) and on (${by}) (${rateBy(by, `${histogram}_count`)} > 0)`;

/** RED (rate, errors, duration) per route pattern, API version and protocol, then the DB and the Node process. */
export const overviewDashboard = new DashboardBuilder('Tandem / Overview')
  .uid('tandem-overview')
  .description(
    'Requests, errors and latency by route, API version and protocol (h2 / http/1.1); database; Node process.',
  )
  .tags(['tandem', 'generated'])
  .refresh('5s')
  .time({ from: 'now-15m', to: 'now' })
  .timezone('browser')
  .withRow(new RowBuilder('RED by route, version and protocol'))
  .withPanel(
    timeseriesPanel({
      title: 'Request rate',
      unit: 'reqps',
      queries: [{ expr: rateBy(BY, requests), legend: '{{route}} {{version}} {{protocol}}' }],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Responses by status class',
      unit: 'reqps',
      queries: [{ expr: rateBy('status_class', requests), legend: '{{status_class}}' }],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: '5xx ratio',
      description:
        'Share of responses that are 5xx: 0 for a route that served no 5xx, absent for a route with no traffic.',
      unit: 'percentunit',
      queries: [
        {
          expr: `(${rateBy(BY, `${requests}{status_class="5xx"}`)} or ${rateBy(BY, requests)} * 0) / (${rateBy(BY, requests)} > 0)`,
          legend: '{{route}} {{version}} {{protocol}}',
        },
      ],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'In-flight requests',
      unit: 'short',
      queries: [{ expr: 'sum by (protocol) (tandem_http_requests_in_flight)', legend: '{{protocol}}' }],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Latency p50 / p95 / p99',
      unit: 's',
      width: 24,
      queries: [0.5, 0.95, 0.99].map((q) => ({
        expr: quantile(q, BY, httpDuration),
        legend: `p${Math.round(q * 100)} {{route}} {{version}} {{protocol}}`,
      })),
    }),
  )
  .withRow(new RowBuilder('Database and rate limiting'))
  .withPanel(
    timeseriesPanel({
      title: 'DB query p95 by query',
      unit: 's',
      queries: [{ expr: quantile(0.95, 'query', 'tandem_db_query_duration_seconds'), legend: '{{query}}' }],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'DB pool connections by state',
      unit: 'short',
      queries: [{ expr: 'sum by (state) (tandem_db_pool_connections)', legend: '{{state}}' }],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Rate-limit rejections (429) by route',
      unit: 'reqps',
      queries: [{ expr: rateBy('route', 'tandem_rate_limit_rejections_total'), legend: '{{route}}' }],
    }),
  )
  .withRow(new RowBuilder('Node process'))
  .withPanel(
    timeseriesPanel({
      title: 'CPU',
      unit: 'percentunit',
      width: 8,
      queries: [
        { expr: 'rate(process_cpu_seconds_total{job="tandem-api"}[$__rate_interval])', legend: '{{instance}}' },
      ],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Memory',
      unit: 'bytes',
      width: 8,
      queries: [
        { expr: 'process_resident_memory_bytes{job="tandem-api"}', legend: 'rss' },
        { expr: 'sum(nodejs_heap_size_used_bytes{job="tandem-api"})', legend: 'heap used' },
      ],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Event-loop lag p99 and active handles',
      unit: 's',
      width: 8,
      queries: [
        { expr: 'nodejs_eventloop_lag_p99_seconds{job="tandem-api"}', legend: 'lag p99' },
        { expr: 'tandem_active_handles{job="tandem-api"}', legend: 'active handles' },
      ],
    }),
  )
  .build();
