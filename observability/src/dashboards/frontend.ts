import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { timeseriesPanel } from './timeseries-panel.js';

const vital = 'tandem_rum_web_vital_seconds';
const browserCall = 'tandem_rum_api_call_duration_seconds';
const serverCall = 'tandem_http_request_duration_seconds';
const phase = 'tandem_rum_api_call_phase_seconds';
const serverTiming = 'tandem_rum_server_timing_seconds';

/** `sum by (...)` of a counter's rate over the panel's rate interval. */
const rateBy = (by: string, selector: string) => `sum by (${by}) (rate(${selector}[$__rate_interval]))`;
/** A quantile of a histogram per `by`, kept only where samples arrived in the window (else NaN, 0/0). */
const quantile = (q: number, by: string, histogram: string, filter = '') =>
  `histogram_quantile(${q}, ${rateBy(`le, ${by}`, `${histogram}_bucket${filter}`)}) and on (${by}) (${rateBy(by, `${histogram}_count${filter}`)} > 0)`;
/** Mean per `by`: rate of the sum over rate of the count, where the count moved. */
const mean = (by: string, histogram: string) =>
  `${rateBy(by, `${histogram}_sum`)} / (${rateBy(by, `${histogram}_count`)} > 0)`;
/** Routes browsers reported calls for in the window: the server's quantile is shown for these only. */
const browserRoutes = `(${rateBy('route, version', `${browserCall}_count`)} > 0)`;

const vitalPanel = (name: string, what: string) =>
  timeseriesPanel({
    title: `${name} p75 by page`,
    description: `${what} p75 per SPA page, from the web-vitals beacons (POST /api/v1/rum).`,
    unit: 's',
    width: 6,
    queries: [{ expr: quantile(0.75, 'page', vital, `{name="${name}"}`), legend: '{{page}}' }],
  });

/**
 * What users' browsers measured (RUM): web vitals per page, and each API call's
 * browser-side time next to the server's own time for the same route and version.
 */
export const frontendDashboard = new DashboardBuilder('Tandem / Front end')
  .uid('tandem-frontend')
  .description(
    'Browser RUM: web vitals p75 by page; API calls as the browser timed them next to the server histogram for the same route; phases, Server-Timing read back, protocol, retries.',
  )
  .tags(['tandem', 'generated'])
  .refresh('5s')
  .time({ from: 'now-15m', to: 'now' })
  .timezone('browser')
  .withRow(new RowBuilder('Web vitals (p75 by page)'))
  .withPanel(vitalPanel('LCP', 'Largest Contentful Paint'))
  .withPanel(vitalPanel('INP', 'Interaction to Next Paint'))
  .withPanel(vitalPanel('FCP', 'First Contentful Paint'))
  .withPanel(vitalPanel('TTFB', 'Time to First Byte of the document'))
  .withPanel(
    timeseriesPanel({
      title: 'CLS p75 by page',
      description: 'Cumulative Layout Shift (unitless): good ≤ 0.1, poor > 0.25.',
      unit: 'none',
      queries: [{ expr: quantile(0.75, 'page', 'tandem_rum_cls_score'), legend: '{{page}}' }],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'RUM samples received by type',
      unit: 'ops',
      queries: [{ expr: rateBy('type', 'tandem_rum_samples_total'), legend: '{{type}}' }],
    }),
  )
  .withRow(new RowBuilder('API calls: browser next to server'))
  .withPanel(
    timeseriesPanel({
      title: 'API call p95: browser vs server, by route',
      description:
        'Browser: Resource Timing start to responseEnd (network, TLS, queueing included). Server: onRequest to onResponse (tandem_http_request_duration_seconds), for the routes browsers reported. The gap is time outside the server.',
      unit: 's',
      width: 24,
      queries: [
        { expr: quantile(0.95, 'route, version', browserCall), legend: 'browser {{route}} {{version}}' },
        {
          expr: `${quantile(0.95, 'route, version', serverCall)} and on (route, version) ${browserRoutes}`,
          legend: 'server {{route}} {{version}}',
        },
      ],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Browser phases, mean per call',
      description:
        'Resource Timing phases: 0 on a reused connection, so the mean is what each call paid on average. connect includes tls.',
      unit: 's',
      queries: [{ expr: mean('phase', phase), legend: '{{phase}}' }],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Server-Timing read back, p95 by route',
      description: "The API's Server-Timing (app, db) as the browser read it from the response.",
      unit: 's',
      queries: [{ expr: quantile(0.95, 'route, metric', serverTiming), legend: '{{metric}} {{route}}' }],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Protocol share of API calls',
      description: "Resource Timing's nextHopProtocol: h2 expected; unknown when the browser hid it.",
      unit: 'percentunit',
      width: 8,
      queries: [
        {
          expr: `${rateBy('protocol', `${browserCall}_count`)} / ignoring (protocol) group_left () (sum (rate(${browserCall}_count[$__rate_interval])) > 0)`,
          legend: '{{protocol}}',
        },
      ],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Browser API calls by status class',
      description: 'none: the call got no answer (network error, timeout, cancel).',
      unit: 'ops',
      width: 8,
      queries: [{ expr: rateBy('status_class', `${browserCall}_count`), legend: '{{status_class}}' }],
    }),
  )
  .withPanel(
    timeseriesPanel({
      title: 'Retries (attempt > 1) by route',
      unit: 'ops',
      width: 8,
      queries: [{ expr: rateBy('route', 'tandem_rum_api_retries_total'), legend: '{{route}}' }],
    }),
  )
  .build();
