import { describe, expect, it } from 'vitest';
import { sortByCustomerName } from './customer-name-order.js';

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
    expect(sortByCustomerName(rows(), 'tuned').map((row) => row.customer)).toEqual([
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

  it('gives the same order in both lab settings, whatever the input order', () => {
    const shuffled = rows().reverse();
    const naive = sortByCustomerName([...shuffled], 'naive');
    const tuned = sortByCustomerName([...shuffled], 'tuned');
    expect(naive).toEqual(tuned);
    expect(sortByCustomerName(rows(), 'naive')).toEqual(tuned);
  });
});
