import { CustomersReportEnvelope } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../../../test/api-server.js';
import { H2Client } from '../../../test/clients.js';
import { compareCustomerNames } from '../../customer-name-order.js';

let api: StartedApi;
let client: H2Client;

const CUSTOMERS = ['Zoë Adams', 'Customer 10', 'Customer 2', 'Émile Zola', 'Emile Dupont', 'ångström labs'];

beforeAll(async () => {
  api = await startApi({ role: 'admin' });
  client = new H2Client(api.origin, api.signedIn);
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

async function report() {
  const res = await client.request({ path: '/api/v1/reports/customers' });
  expect(res.status, res.text).toBe(200);
  return CustomersReportEnvelope.parse(res.json()).data.rows;
}

describe('GET /api/v1/reports/customers', () => {
  it('answers every customer once, by name as people read names, with their orders and revenue', async () => {
    const rows = await report();
    const names = rows.map((row) => row.customer);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(CUSTOMERS));
    const ours = names.filter((name) => CUSTOMERS.includes(name));
    expect(ours).toEqual(['ångström labs', 'Customer 2', 'Customer 10', 'Emile Dupont', 'Émile Zola', 'Zoë Adams']);
    // 'Customer 10' is CUSTOMERS[1]: two orders of 2 × 1.25.
    expect(rows.find((row) => row.customer === 'Customer 10')).toMatchObject({ orders: 2, revenue: 5 });
    expect(rows.every((row) => row.lastOrderAt instanceof Date)).toBe(true);
  });

  it('sorts with app.customerNameComparator, read once per report', async () => {
    const usual = await report();
    expect(usual.length).toBeGreaterThan(CUSTOMERS.length);
    api.app.customerNameComparator.set((a, b) => compareCustomerNames(b, a));
    try {
      expect(await report()).toEqual([...usual].reverse());
    } finally {
      api.app.customerNameComparator.set(compareCustomerNames);
    }
    expect(await report()).toEqual(usual);
  });

  it('refuses a query parameter it does not know with a 400 naming it', async () => {
    const res = await client.request({ path: '/api/v1/reports/customers?sort=revenue' });
    expect(res.status, res.text).toBe(400);
    expect(res.json()).toMatchObject({ data: { error: 'VALIDATION_FAILED', issues: [{ path: 'query.sort' }] } });
  });
});
