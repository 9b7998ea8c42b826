import { CustomersReportEnvelope } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { useStartedApi } from '../../test/api-server.js';
import { compareCustomerNames, sortByCustomerName } from '../customer-name-order.js';
import { compareNamesPerCallCollator } from './profiling.js';

const NAMES = ['Zoë Adams', 'zoe adams', 'Zoe Adams', 'Customer 10', 'Customer 2', 'Émile Zola', 'Emile Dupont'];
const rows = () => NAMES.map((customer, position) => ({ customer, position }));

describe('lab profiling on the server', () => {
  it('naive’s per-call collator gives the product’s order, whatever the input order (only the cost differs)', () => {
    const shuffled = rows().reverse();
    const naive = sortByCustomerName([...shuffled], compareNamesPerCallCollator);
    expect(naive).toEqual(sortByCustomerName([...shuffled]));
    expect(sortByCustomerName(rows(), compareNamesPerCallCollator)).toEqual(naive);
  });

  describe('GET /api/v1/reports/customers', () => {
    const started = useStartedApi({ role: 'admin', env: { LABS_ENABLED: 'true', LAB_MODE_PROFILING: 'naive' } });
    const report = async () =>
      CustomersReportEnvelope.parse((await started.client.request({ path: '/api/v1/reports/customers' })).json()).data
        .rows;

    it('sorts with the per-call collator while naive and the shared one while tuned: the same answer', async () => {
      expect(started.api.app.customerNameComparator.get()).toBe(compareNamesPerCallCollator);
      const naive = await report();
      started.api.app.labs.set('profiling', 'tuned');
      expect(started.api.app.customerNameComparator.get()).toBe(compareCustomerNames);
      expect(await report()).toEqual(naive);
    });
  });
});
