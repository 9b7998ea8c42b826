import { ErrorEnvelope, OrdersReportEnvelope, REQUEST_TIMEOUT_HEADER } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { useStartedApi } from '../../test/api-server.js';
import { TEMPLATE_SEED_ORDERS } from '../../test/pglite-template.js';

/** Longer than the deadline each call below sends. */
const SLOW_QUERY_MS = 1500;

const started = useStartedApi({
  role: 'admin',
  env: { LABS_ENABLED: 'true', LAB_MODE_TIMEOUT: 'naive', LAB_SLOW_QUERY_MS: String(SLOW_QUERY_MS) },
});

const report = () =>
  started.client.request({ path: '/api/v1/reports/orders', headers: { [REQUEST_TIMEOUT_HEADER]: '200' } });

describe('lab timeout on the server', () => {
  it('naive (from LAB_MODE_TIMEOUT): the deadline is ignored, the slow report runs to its end and is answered late', async () => {
    expect(started.api.app.deadlinePolicy.get()).toEqual({ enforce: false });
    const sentAt = performance.now();
    const res = await report();
    expect(res.status, res.text).toBe(200);
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(SLOW_QUERY_MS - 50);
    const { rows } = OrdersReportEnvelope.parse(res.json()).data;
    expect(rows.reduce((sum, row) => sum + row.orders, 0)).toBe(TEMPLATE_SEED_ORDERS);
  });

  it('tuned, flipped at run time: the same call is a 504 DEADLINE_EXCEEDED', async () => {
    started.api.app.labs.set('timeout', 'tuned');
    try {
      expect(started.api.app.deadlinePolicy.get()).toEqual({ enforce: true });
      const res = await report();
      expect(res.status, res.text).toBe(504);
      expect(ErrorEnvelope.parse(res.json()).data.error).toBe('DEADLINE_EXCEEDED');
    } finally {
      started.api.app.labs.set('timeout', 'naive');
    }
  });

  it('slows only the orders report: the customers report answers at once', async () => {
    const res = await started.client.request({
      path: '/api/v1/reports/customers',
      headers: { [REQUEST_TIMEOUT_HEADER]: '1000' },
    });
    expect(res.status, res.text).toBe(200);
  });
});
