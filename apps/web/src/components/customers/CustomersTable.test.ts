import type { CustomerSummary } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { createSSRApp, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import CustomersTable from './CustomersTable.vue';
import type { CustomersRendering } from './customers-rendering';

const customers: CustomerSummary[] = Array.from({ length: 2_000 }, (_, n) => ({
  customer: `Customer ${n + 1}`,
  orders: 1 + (n % 7),
  revenue: 12.5 * (1 + (n % 7)),
  lastOrderAt: new Date(Date.UTC(2026, 0, 1 + (n % 28))),
}));

async function render(rendering: CustomersRendering) {
  const html = await renderToString(createSSRApp({ render: () => h(CustomersTable, { customers, rendering }) }));
  const names = [...html.matchAll(/<td[^>]*>(Customer \d+)<\/td>/g)].map((match) => match[1]);
  return { html, names };
}

describe('CustomersTable', () => {
  it('all-rows: renders a row for every customer', async () => {
    const { html, names } = await render('all-rows');
    expect(names).toHaveLength(customers.length);
    expect(names).toEqual(customers.map((c) => c.customer));
    expect(html).toContain('data-rendering="all-rows"');
    expect(html).not.toContain('customers-table__spacer');
  });

  it('virtual: renders the first rows in view, in the same order, and a spacer for the rest', async () => {
    const { html, names } = await render('virtual');
    expect(names.length).toBeGreaterThan(10);
    expect(names.length).toBeLessThan(60);
    expect(names).toEqual(customers.slice(0, names.length).map((c) => c.customer));
    // The spacer keeps the scroll height of the whole list: every row not rendered, 40 px each.
    expect(html).toContain(`height:${(customers.length - names.length) * 40}px`);
    expect(html).toContain(`aria-rowcount="${customers.length + 1}"`);
  });
});
