import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { LAB_CATALOGUE, LAB_IDS, type LabId } from '@tandem/contract';
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
