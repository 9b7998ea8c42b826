import { describe, expect, it } from 'vitest';
import { compareCustomerNames, sortByCustomerName } from './customer-name-order.js';

const NAMES = [
  'Zoë Adams',
  'zoe adams',
  'Zoe Adams',
  'Customer 10',
  'Customer 2',
  'Émile Zola',
  'Emile Dupont',
  'ångström labs',
  'Anna Berg',
  'Zurich Tea Co',
  'Customer 1',
];

const rows = () => NAMES.map((customer, position) => ({ customer, position }));

describe('sortByCustomerName', () => {
  it('sorts as people read names: accents and case break ties only, digits as numbers', () => {
    expect(sortByCustomerName(rows()).map((row) => row.customer)).toEqual([
      'ångström labs',
      'Anna Berg',
      'Customer 1',
      'Customer 2',
      'Customer 10',
      'Emile Dupont',
      'Émile Zola',
      // Equal to the collation: by code point, whatever order they came in.
      'Zoe Adams',
      'Zoë Adams',
      'zoe adams',
      'Zurich Tea Co',
    ]);
  });

  it('gives the same order whatever the input order', () => {
    expect(sortByCustomerName(rows().reverse())).toEqual(sortByCustomerName(rows()));
  });

  it('sorts with the comparator it is given (compareCustomerNames by default)', () => {
    const byLength = (a: string, b: string) => a.length - b.length || compareCustomerNames(a, b);
    expect(sortByCustomerName(rows(), byLength).map((row) => row.customer)[0]).toBe('Anna Berg');
  });
});
