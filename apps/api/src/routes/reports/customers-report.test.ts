import { CustomersReportEnvelope } from '@tandem/contract';
import type { LabMode } from '@tandem/contract/labs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../../../test/api-server.js';
import { H2Client } from '../../../test/clients.js';

let api: StartedApi;
let client: H2Client;

const CUSTOMERS = ['Zoë Adams', 'Customer 10', 'Customer 2', 'Émile Zola', 'Emile Dupont', 'ångström labs'];

beforeAll(async () => {
  api = await startApi({ env: { LAB_MODE_PROFILING: 'naive' } });
  client = new H2Client(api.origin);
  for (const [n, customer] of CUSTOMERS.entries()) {
    for (let copy = 0; copy <= n % 2; copy++) {
      const res = await client.request({
        method: 'POST',
        path: '/api/v1/orders',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customer, items: [{ sku: 'TEA-OOLONG-250', qty: 1 + n, price: 1.25 }] }),
      });
      expect(res.status, res.text).toBe(201);
    }
  }
});

afterAll(async () => {
  await client?.close();
  await api?.close();
});

async function report(mode: LabMode) {
  api.app.labs.set('profiling', mode);
  const res = await client.request({ path: '/api/v1/reports/customers' });
  expect(res.status, res.text).toBe(200);
  return CustomersReportEnvelope.parse(res.json()).data.rows;
}

describe('GET /api/v1/reports/customers', () => {
  it('answers every customer once, by name as people read names, with their orders and revenue', async () => {
    const rows = await report('tuned');
    const names = rows.map((row) => row.customer);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(CUSTOMERS));
    const ours = names.filter((name) => CUSTOMERS.includes(name));
    expect(ours).toEqual(['ångström labs', 'Customer 2', 'Customer 10', 'Emile Dupont', 'Émile Zola', 'Zoë Adams']);
    // 'Customer 10' is CUSTOMERS[1]: two orders of 2 × 1.25.
    expect(rows.find((row) => row.customer === 'Customer 10')).toMatchObject({ orders: 2, revenue: 5 });
    expect(rows.every((row) => row.lastOrderAt instanceof Date)).toBe(true);
  });

  it('gives the same answer in both profiling lab settings (only the cost differs)', async () => {
    const naive = await report('naive');
    const tuned = await report('tuned');
    expect(naive.length).toBeGreaterThan(CUSTOMERS.length);
    expect(naive).toEqual(tuned);
  });

  it('refuses a query parameter it does not know with a 400 naming it', async () => {
    const res = await client.request({ path: '/api/v1/reports/customers?sort=revenue' });
    expect(res.status, res.text).toBe(400);
    expect(res.json()).toMatchObject({ data: { error: 'VALIDATION_FAILED', issues: [{ path: 'query.sort' }] } });
  });
});
