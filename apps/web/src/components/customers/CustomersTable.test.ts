import type { CustomerSummary } from '@tandem/contract';
import type { LabMode } from '@tandem/contract/labs';
import { describe, expect, it } from 'vitest';
import { createSSRApp, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import CustomersTable from './CustomersTable.vue';

const customers: CustomerSummary[] = Array.from({ length: 2_000 }, (_, n) => ({
  customer: `Customer ${n + 1}`,
  orders: 1 + (n % 7),
  revenue: 12.5 * (1 + (n % 7)),
  lastOrderAt: new Date(Date.UTC(2026, 0, 1 + (n % 28))),
}));

async function render(mode: LabMode) {
  const html = await renderToString(createSSRApp({ render: () => h(CustomersTable, { customers, mode }) }));
  const names = [...html.matchAll(/<td[^>]*>(Customer \d+)<\/td>/g)].map((match) => match[1]);
  return { html, names };
}

describe('CustomersTable', () => {
  it('naive: renders a row for every customer', async () => {
    const { html, names } = await render('naive');
    expect(names).toHaveLength(customers.length);
    expect(names).toEqual(customers.map((c) => c.customer));
    expect(html).toContain('data-rendering="naive"');
    expect(html).not.toContain('customers-table__spacer');
  });

  it('tuned: renders the first rows in view, in the same order, and a spacer for the rest', async () => {
    const { html, names } = await render('tuned');
    expect(names.length).toBeGreaterThan(10);
    expect(names.length).toBeLessThan(60);
    expect(names).toEqual(customers.slice(0, names.length).map((c) => c.customer));
    // The spacer keeps the scroll height of the whole list: every row not rendered, 40 px each.
    expect(html).toContain(`height:${(customers.length - names.length) * 40}px`);
    expect(html).toContain(`aria-rowcount="${customers.length + 1}"`);
  });
});
