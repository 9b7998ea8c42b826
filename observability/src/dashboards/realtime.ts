import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { timeseriesPanel } from './timeseries-panel.js';

/** Long-lived channels: SSE streams, WebSockets, TLS connections by protocol, the event bus, dead peers, what replicas share. */
export const realtimeDashboard = new DashboardBuilder('Tandem / Realtime')
  .uid('tandem-realtime')
  .description(
    'Open SSE streams and WebSockets, TLS connections by protocol, events published, dead peers closed, and what replicas share through Redis.',
  )
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
  // With REDIS_URL (docs/decisions/0016-shared-state-on-redis.md); flat zero on one process.
  .withRow(new RowBuilder('Replicas (Redis)'))
  .withPanel(
    timeseriesPanel({
      title: 'Events through the Redis stream',
      description:
        'read: taken from the stream by the replicas (each replica counts every event); lost: Redis did not take them.',
      unit: 'ops',
      queries: [
        { expr: 'sum by (outcome) (rate(tandem_live_events_relayed_total[$__rate_interval]))', legend: '{{outcome}}' },
      ],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Cache invalidations between replicas',
      unit: 'ops',
      queries: [
        {
          expr: 'sum by (cache, direction) (rate(tandem_cache_invalidations_total[$__rate_interval]))',
          legend: '{{cache}} {{direction}}',
        },
      ],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Redis failures of the shared state by feature',
      description:
        'Each feature falls back (decision 0016): events lost and streams reset, presence local, caches by TTL.',
      unit: 'short',
      queries: [
        {
          expr: 'sum by (feature) (increase(tandem_shared_state_failures_total[$__rate_interval]))',
          legend: '{{feature}}',
        },
      ],
    }),
  )
  .build();
