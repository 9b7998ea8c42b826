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
const quantile = (q: number, by: string, histogram: string, filter = '') =>
  `histogram_quantile(${q}, ${rateBy(`le, ${by}`, `${histogram}_bucket${filter}`)}) and on (${by}) (${rateBy(by, `${histogram}_count${filter}`)} > 0)`;
/** Series of a versioned route (`/api/v1/…`, `/api/v2/…`); `none` is everything else. */
const VERSIONED = 'version=~"v[0-9]+"';

/** RED (rate, errors, duration) per route pattern, API version and protocol, then the DB and the Node process. */
export const overviewDashboard = new DashboardBuilder('Tandem / Overview')
  .uid('tandem-overview')
  .description(
    'Requests, errors and latency by route, API version and protocol (h2 / http/1.1); versions side by side (the canary); database; Node process.',
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
  // Versions: the canary's view (issue 6, docs/versioning.md). v1 next to v2 on every panel.
  .withRow(new RowBuilder('Versions'))
  .withPanel(
    timeseriesPanel({
      title: 'Traffic share per version',
      description: 'Share of /api/<version>/ requests each API version served (routes outside a version left out).',
      unit: 'percentunit',
      width: 8,
      queries: [
        {
          expr: `${rateBy('version', `${requests}{${VERSIONED}}`)} / ignoring (version) group_left () (sum (rate(${requests}{${VERSIONED}}[$__rate_interval])) > 0)`,
          legend: '{{version}}',
        },
      ],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: '5xx ratio per version',
      description:
        'What TandemV2ErrorRateAboveV1 compares (it fires when v2 exceeds v1 by 0.02 for 1m): 0 for a version that served no 5xx, absent for one with no traffic.',
      unit: 'percentunit',
      width: 8,
      queries: [
        {
          expr: `(${rateBy('version', `${requests}{${VERSIONED},status_class="5xx"}`)} or ${rateBy('version', `${requests}{${VERSIONED}}`)} * 0) / (${rateBy('version', `${requests}{${VERSIONED}}`)} > 0)`,
          legend: '{{version}}',
        },
      ],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'p95 latency per version: server and browser',
      description:
        'Server: onRequest to onResponse (tandem_http_request_duration_seconds). Browser: the same calls as the SPA timed them (RUM, tandem_rum_api_call_duration_seconds).',
      unit: 's',
      width: 8,
      queries: [
        { expr: quantile(0.95, 'version', `${httpDuration}`, `{${VERSIONED}}`), legend: 'server {{version}}' },
        {
          expr: quantile(0.95, 'version', 'tandem_rum_api_call_duration_seconds', `{${VERSIONED}}`),
          legend: 'browser {{version}}',
        },
      ],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Rollout: v2 share',
      description:
        'The share of clients (by their sticky bucket 0–99) assigned v2; 0 after a rollback. Set with PUT /api/v1/admin/rollout.',
      unit: 'percent',
      queries: [{ expr: 'max (tandem_api_rollout_v2_share)', legend: 'v2 share' }],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Version assignments by reason',
      description:
        'GET /api/version answers per second: `share` (bucket below the v2 share), `header` (x-api-canary), `rolled-back` (v2 disabled: everyone v1).',
      unit: 'ops',
      queries: [
        {
          expr: rateBy('version, reason', 'tandem_api_version_assignments_total'),
          legend: '{{version}} {{reason}}',
        },
      ],
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
