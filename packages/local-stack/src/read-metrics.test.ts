import { describe, expect, it } from 'vitest';
import { parseMetricSamples } from './read-metrics.js';

describe('parseMetricSamples', () => {
  it('reads names, labels and values and skips comments', () => {
    const text = [
      '# HELP tandem_http_requests_total Requests.',
      '# TYPE tandem_http_requests_total counter',
      'tandem_http_requests_total{route="/api/v1/orders/:id",method="GET",status_class="2xx"} 12',
      'tandem_http_requests_total{route="/api/v1/orders",method="OPTIONS",status_class="2xx"} 3',
      'process_cpu_seconds_total 1.5',
      'tandem_rum_cls_score_bucket{page="orders",le="+Inf"} 2',
      'odd{note="a \\"quoted\\" value"} 1',
    ].join('\n');
    expect(parseMetricSamples(text)).toEqual([
      {
        name: 'tandem_http_requests_total',
        labels: { route: '/api/v1/orders/:id', method: 'GET', status_class: '2xx' },
        value: 12,
      },
      {
        name: 'tandem_http_requests_total',
        labels: { route: '/api/v1/orders', method: 'OPTIONS', status_class: '2xx' },
        value: 3,
      },
      { name: 'process_cpu_seconds_total', labels: {}, value: 1.5 },
      { name: 'tandem_rum_cls_score_bucket', labels: { page: 'orders', le: '+Inf' }, value: 2 },
      { name: 'odd', labels: { note: 'a \\"quoted\\" value' }, value: 1 },
    ]);
  });
});
