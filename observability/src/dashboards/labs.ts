import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { LAB_CATALOGUE, LAB_IDS, type LabId } from '@tandem/contract/labs';
import { type PanelSpec, timeseriesPanel } from './timeseries-panel.js';

/** The series each lab is about, beside its mode. Keyed by LabId: a new lab in the contract does not compile until it has its row. */
const LAB_SERIES = {
  'h2-sse': [
    {
      title: 'TLS connections by protocol',
      description: 'Naive: each EventSource holds its own HTTP/1.1 connection. Tuned: one h2 connection, many streams.',
      unit: 'short',
      queries: [{ expr: 'sum by (protocol) (tandem_connections_open)', legend: '{{protocol}}' }],
    },
    {
      title: 'Open SSE streams',
      unit: 'short',
      queries: [{ expr: 'sum(tandem_sse_streams_open)', legend: 'SSE streams' }],
    },
  ],
  heartbeat: [
    {
      title: 'Dead peers closed by channel',
      description: 'Naive closes none (no ping); tuned closes silent peers within the pong / PING-ack deadline.',
      unit: 'short',
      queries: [
        {
          expr: 'sum by (channel) (increase(tandem_dead_peers_closed_total[$__rate_interval]))',
          legend: '{{channel}}',
        },
      ],
    },
    {
      title: 'Connections held',
      unit: 'short',
      queries: [
        { expr: 'sum(tandem_ws_connections_open)', legend: 'WebSockets' },
        { expr: 'sum by (protocol) (tandem_connections_open)', legend: 'TLS {{protocol}}' },
      ],
    },
  ],
  'cors-preflight': [
    {
      title: 'Preflights per API call',
      description:
        'OPTIONS requests answered per other request. Naive: close to 1 (a preflight before nearly every call); tuned: close to 0 (simple GETs, writes’ preflights cached 2 h).',
      unit: 'percentunit',
      queries: [
        {
          expr: 'sum(rate(tandem_http_requests_total{method="OPTIONS"}[$__rate_interval])) / sum(rate(tandem_http_requests_total{method!="OPTIONS"}[$__rate_interval]))',
          legend: 'OPTIONS / other requests',
        },
      ],
    },
  ],
  leaks: [
    {
      title: 'Streams and sockets left open',
      description: 'Naive: unmounted components keep their EventSource / WebSocket, so these only grow.',
      unit: 'short',
      queries: [
        { expr: 'sum(tandem_sse_streams_open)', legend: 'SSE streams' },
        { expr: 'sum(tandem_ws_connections_open)', legend: 'WebSockets' },
      ],
    },
    {
      title: 'Active handles and heap',
      unit: 'short',
      queries: [
        { expr: 'sum(tandem_active_handles)', legend: 'active handles' },
        { expr: 'sum(nodejs_heap_size_used_bytes) / 1048576', legend: 'heap used (MiB)' },
      ],
    },
  ],
  serialization: [
    {
      title: 'Orders list requests/s',
      description: 'Under a fixed load, naive (Zod encode + JSON.stringify per response) answers fewer.',
      unit: 'reqps',
      queries: [
        {
          expr: 'sum(rate(tandem_http_requests_total{route="/api/v1/orders",method="GET"}[$__rate_interval]))',
          legend: 'GET /api/v1/orders',
        },
      ],
    },
    {
      title: 'API CPU per request',
      description: 'Process CPU seconds per answered request, in ms. Naive spends more of it serializing.',
      unit: 'ms',
      queries: [
        {
          expr: '1000 * sum(rate(process_cpu_seconds_total[$__rate_interval])) / sum(rate(tandem_http_requests_total[$__rate_interval]))',
          legend: 'CPU ms / request',
        },
      ],
    },
  ],
  'date-codec': [
    {
      title: 'Order answers by status class',
      description:
        'Naive dates are silently wrong in the client, not errors on the server: 2xx stays 2xx. (With serialization naive too, per-response validation turns them into 5xx.)',
      unit: 'reqps',
      queries: [
        {
          expr: 'sum by (status_class) (rate(tandem_http_requests_total{route=~"/api/v1/orders.*"}[$__rate_interval]))',
          legend: '{{status_class}}',
        },
      ],
    },
  ],
  'batch-weight': [
    {
      title: 'Batch answers: admitted vs rejected',
      description:
        'GET /api/v1/orders/batch by status class: 2xx admitted, 4xx mostly 429. Naive charges a batch 1 unit, so the budget admits N times the work; tuned charges its ids.',
      unit: 'reqps',
      queries: [
        {
          expr: 'sum by (status_class) (rate(tandem_http_requests_total{route="/api/v1/orders/batch"}[$__rate_interval]))',
          legend: '{{status_class}}',
        },
      ],
    },
    {
      title: 'Order reads: database queries/s by query',
      description:
        'Naive reads a batch with one orders.get per id; tuned with one orders.find_many per batch (orders.get also counts GET /api/v1/orders/:id).',
      unit: 'short',
      queries: [
        {
          expr: 'sum by (query) (rate(tandem_db_query_duration_seconds_count{query=~"orders.get|orders.find_many"}[$__rate_interval]))',
          legend: '{{query}}',
        },
      ],
    },
  ],
  'retry-429': [
    {
      title: 'API bucket: requests served vs refused with 429',
      description:
        'Under overload the limiter admits its budget either way; naive clients come back 3 times per failed read (1, 2, 4 s later), so the refusals, not the admissions, grow. Tuned: about one request per user action.',
      unit: 'reqps',
      queries: [
        { expr: 'sum(rate(tandem_http_requests_total[$__rate_interval]))', legend: 'requests served' },
        {
          expr: 'sum(rate(tandem_rate_limit_rejections_total{bucket="api"}[$__rate_interval]))',
          legend: 'refused (429)',
        },
      ],
    },
    {
      title: 'Client retries reported by RUM',
      description:
        'API calls the browsers reported with attempt > 1, by route: the retries the SPA’s policy made. Tuned keeps them within its retry budget (about 10% of calls when everything fails).',
      unit: 'short',
      queries: [
        {
          expr: 'sum by (route) (increase(tandem_rum_api_retries_total[$__rate_interval]))',
          legend: '{{route}}',
        },
      ],
    },
  ],
  'request-id': [
    {
      title: 'Browser-reported calls vs requests served',
      description:
        'RUM api-call samples/s beside the API’s own requests/s. Both flow in either mode: whether a sample joins its server log line is in the logs (pnpm trace <id>, pnpm lab request-id), not in a metric.',
      unit: 'reqps',
      queries: [
        {
          expr: 'sum(rate(tandem_rum_samples_total{type="api-call"}[$__rate_interval]))',
          legend: 'RUM api-call samples',
        },
        { expr: 'sum(rate(tandem_http_requests_total[$__rate_interval]))', legend: 'requests served' },
      ],
    },
  ],
  timeout: [
    {
      title: 'Requests past their deadline (504)',
      description:
        'Tuned: a request still running at its X-Request-Timeout is answered 504 DEADLINE_EXCEEDED. Naive ignores the deadline: none, however late the answer.',
      unit: 'short',
      queries: [
        {
          expr: 'sum by (route) (increase(tandem_deadline_exceeded_total[$__rate_interval]))',
          legend: '{{route}}',
        },
      ],
    },
    {
      title: 'Database queries cancelled',
      description:
        'Tuned: the deadline (or the client leaving) cancels the query in PostgreSQL (running) or refuses it (not_started). Naive: none; the query runs to the end after the caller gave up.',
      unit: 'short',
      queries: [
        {
          expr: 'sum by (stage) (increase(tandem_db_queries_cancelled_total[$__rate_interval]))',
          legend: '{{stage}}',
        },
      ],
    },
  ],
  versioning: [
    {
      title: 'v2 share of clients',
      description:
        'The release plan as it runs: naive jumps to 100 %, tuned steps 10 → 50 → 100 %; 0 after the rollback (PUT /api/v1/admin/rollout).',
      unit: 'percent',
      queries: [{ expr: 'max (tandem_api_rollout_v2_share)', legend: 'v2 share' }],
    },
    {
      title: '5xx answers per second by version',
      description:
        'What users met: the injected v2 fault fails a share of v2 calls for as many clients as the plan put on v2, until the alert fires and v2 is rolled back.',
      unit: 'reqps',
      queries: [
        {
          expr: 'sum by (version) (rate(tandem_http_requests_total{version=~"v[0-9]+",status_class="5xx"}[$__rate_interval]))',
          legend: '{{version}}',
        },
      ],
    },
  ],
  profiling: [
    {
      title: 'Customers report: API CPU per answer',
      description:
        'Process CPU seconds per answered request while the customers report is asked for, in ms. Naive builds a collator for every name comparison of its sort; the browser half (long tasks) is in the trace `pnpm lab profiling` records, not in Prometheus.',
      unit: 'ms',
      queries: [
        {
          expr: '1000 * sum(rate(process_cpu_seconds_total[$__rate_interval])) / sum(rate(tandem_http_requests_total[$__rate_interval]))',
          legend: 'CPU ms / request',
        },
      ],
    },
    {
      title: 'Customers report latency (p95)',
      unit: 's',
      queries: [
        {
          expr: 'histogram_quantile(0.95, sum by (le) (rate(tandem_http_request_duration_seconds_bucket{route="/api/v1/reports/customers"}[$__rate_interval])))',
          legend: 'p95 GET /api/v1/reports/customers',
        },
      ],
    },
  ],
  'auth-cost': [
    {
      title: 'Session lookups per second, by outcome',
      description:
        'Every request to a session endpoint looks its session up once: database ÷ (cache + database) is the queries a request costs to authenticate. Naive: all database (the cache is off); tuned: mostly cache.',
      unit: 'reqps',
      queries: [
        {
          expr: 'sum by (outcome) (rate(tandem_session_lookups_total[$__rate_interval]))',
          legend: '{{outcome}}',
        },
      ],
    },
    {
      title: 'Orders list p99 and event-loop delay p99',
      description:
        'What everyone else feels while users sign in. Naive hashes passwords on the event loop: every hash (hundreds of ms) stalls the loop and every call waiting on it; tuned hashes on libuv’s thread pool.',
      unit: 's',
      queries: [
        {
          expr: 'histogram_quantile(0.99, sum by (le) (rate(tandem_http_request_duration_seconds_bucket{route="/api/v1/orders",method="GET"}[$__rate_interval])))',
          legend: 'p99 GET /api/v1/orders',
        },
        { expr: 'max(nodejs_eventloop_lag_p99_seconds)', legend: 'event-loop delay p99' },
      ],
    },
  ],
  'scale-out': [
    {
      title: 'Limited requests admitted and refused, by replica',
      description:
        'One client through the balancer. Naive: each replica charges its own buckets, so together they admit one budget per replica and refuse little. Tuned: every replica charges the same buckets in Redis; admitted summed over the replicas is the configured budget.',
      unit: 'reqps',
      queries: [
        {
          expr: 'sum by (instance) (rate(tandem_http_requests_total{route=~"/api/v1/orders.*",status_class="2xx"}[$__rate_interval]))',
          legend: 'admitted {{instance}}',
        },
        {
          expr: 'sum by (instance) (rate(tandem_rate_limit_rejections_total{bucket="api"}[$__rate_interval]))',
          legend: '429 {{instance}}',
        },
      ],
    },
    {
      title: 'Live events published and read from the stream, by replica',
      description:
        'Naive: a replica publishes only the orders created through it, to its own clients (nothing read from Redis). Tuned: every replica reads every event from the Redis stream, its own included, so each one’s read rate is the sum of all published.',
      unit: 'short',
      queries: [
        {
          expr: 'sum by (instance) (rate(tandem_live_events_published_total{type="order.created"}[$__rate_interval]))',
          legend: 'published {{instance}}',
        },
        {
          expr: 'sum by (instance) (rate(tandem_live_events_relayed_total{outcome="read"}[$__rate_interval]))',
          legend: 'read from Redis {{instance}}',
        },
      ],
    },
    {
      title: 'Event streams and WebSockets open, by replica',
      description:
        'Where the balancer put the live clients (leastconn). Naive: each client sees only its own replica’s events and presence count.',
      unit: 'short',
      queries: [
        { expr: 'sum by (instance) (tandem_sse_streams_open)', legend: 'SSE {{instance}}' },
        { expr: 'sum by (instance) (tandem_ws_connections_open)', legend: 'WS {{instance}}' },
      ],
    },
  ],
} satisfies Record<LabId, PanelSpec[]>;

const builder = new DashboardBuilder('Tandem / Labs')
  .uid('tandem-labs')
  .description('One row per lab: its switch (naive / tuned) and the series it is measured by. See docs/labs/.')
  .tags(['tandem', 'generated', 'labs'])
  .refresh('5s')
  .time({ from: 'now-15m', to: 'now' })
  .timezone('browser');

for (const lab of LAB_IDS) {
  builder.withRow(new RowBuilder(`${lab}: ${LAB_CATALOGUE[lab].title}`));
  builder.withPanel(
    timeseriesPanel({
      title: `${lab} mode`,
      description: `1 on the active mode. Naive: ${LAB_CATALOGUE[lab].naive} Tuned: ${LAB_CATALOGUE[lab].tuned}`,
      unit: 'short',
      width: 8,
      queries: [{ expr: `max by (mode) (tandem_lab_mode{lab="${lab}"})`, legend: '{{mode}}' }],
    }),
  );
  for (const spec of LAB_SERIES[lab]) builder.withPanel(timeseriesPanel({ width: 8, ...spec }));
}

/** The labs dashboard: one row per lab in the contract's catalogue. */
export const labsDashboard = builder.build();
