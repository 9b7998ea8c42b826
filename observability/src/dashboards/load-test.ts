import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { timeseriesPanel } from './timeseries-panel.js';

/**
 * k6 as its `experimental-prometheus-rw` output writes it: counters `k6_*_total`, rates
 * `k6_*_rate`, trends as one gauge per stat (`k6_http_req_duration_p95`, `_p99`, in
 * seconds; which stats is K6_PROMETHEUS_RW_TREND_STATS, so it must list p(95),p(99)).
 * Requests are tagged `name` with the route pattern.
 */
export const loadTestDashboard = new DashboardBuilder('Tandem / Load test (k6)')
  .uid('tandem-load-test')
  .description('k6 runs written to Prometheus by remote write: load, throughput, latency, failures, checks.')
  .tags(['tandem', 'generated', 'k6'])
  .refresh('5s')
  .time({ from: 'now-30m', to: 'now' })
  .timezone('browser')
  .withRow(new RowBuilder('Load and throughput'))
  .withPanel(
    timeseriesPanel({
      title: 'Virtual users',
      unit: 'short',
      width: 8,
      queries: [{ expr: 'sum(k6_vus)', legend: 'VUs' }],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Requests per second by route',
      unit: 'reqps',
      width: 8,
      queries: [{ expr: 'sum by (name) (rate(k6_http_reqs_total[$__rate_interval]))', legend: '{{name}}' }],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Iterations and data received',
      unit: 'short',
      width: 8,
      queries: [
        { expr: 'sum(rate(k6_iterations_total[$__rate_interval]))', legend: 'iterations/s' },
        { expr: 'sum(rate(k6_data_received_total[$__rate_interval]))', legend: 'bytes/s received' },
      ],
    }),
  )
  .withRow(new RowBuilder('Latency and failures'))
  .withPanel(
    timeseriesPanel({
      title: 'Request duration p95 / p99 by route',
      unit: 's',
      queries: [
        { expr: 'max by (name) (k6_http_req_duration_p95)', legend: 'p95 {{name}}' },
        { expr: 'max by (name) (k6_http_req_duration_p99)', legend: 'p99 {{name}}' },
      ],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Failed requests and checks',
      unit: 'percentunit',
      queries: [
        { expr: 'avg(k6_http_req_failed_rate)', legend: 'failed requests' },
        { expr: 'avg(k6_checks_rate)', legend: 'checks passed' },
      ],
    }),
  )
  .build();
