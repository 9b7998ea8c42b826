import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { timeseriesPanel } from './timeseries-panel.js';

/** Long-lived channels: SSE streams, WebSockets, TLS connections by protocol, the event bus, dead peers. */
export const realtimeDashboard = new DashboardBuilder('Tandem / Realtime')
  .uid('tandem-realtime')
  .description('Open SSE streams and WebSockets, TLS connections by protocol, events published, dead peers closed.')
  .tags(['tandem', 'generated'])
  .refresh('5s')
  .time({ from: 'now-15m', to: 'now' })
  .timezone('browser')
  .withRow(new RowBuilder('Channels'))
  .withPanel(
    timeseriesPanel({
      title: 'Open SSE streams and WebSockets',
      unit: 'short',
      queries: [
        { expr: 'sum(tandem_sse_streams_open)', legend: 'SSE streams' },
        { expr: 'sum(tandem_ws_connections_open)', legend: 'WebSockets' },
      ],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'TLS connections by protocol',
      unit: 'short',
      queries: [{ expr: 'sum by (protocol) (tandem_connections_open)', legend: '{{protocol}}' }],
    }),
  )
  .withRow(new RowBuilder('Events and dead peers'))
  .withPanel(
    timeseriesPanel({
      title: 'Live events published by type',
      unit: 'ops',
      queries: [
        { expr: 'sum by (type) (rate(tandem_live_events_published_total[$__rate_interval]))', legend: '{{type}}' },
      ],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Dead peers closed by channel',
      description: 'ws: no pong; h2: no PING ack; sse: a stream that stopped draining.',
      unit: 'short',
      queries: [
        {
          expr: 'sum by (channel) (increase(tandem_dead_peers_closed_total[$__rate_interval]))',
          legend: '{{channel}}',
        },
      ],
    }),
  )
  .build();
