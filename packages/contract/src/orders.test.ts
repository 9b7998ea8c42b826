import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fromCents, toCents } from './money.js';
import {
  BatchOrdersQuery,
  CreateOrderBody,
  CreateOrderHeaders,
  ListOrdersQuery,
  MAX_BATCH_IDS,
  OrderCursor,
} from './orders.js';
import { type RequestPart, toValidationIssues } from './validation-issues.js';

/** The validation issues of a result that must have failed. */
function issuesOf(result: { success: boolean; error?: z.ZodError }, part: RequestPart) {
  if (result.success || !result.error) throw new Error('expected a validation failure');
  return toValidationIssues(result.error, part);
}

const id = '3f0c6d1e-8a4b-4c2d-9e1f-0a1b2c3d4e5f';

describe('ListOrdersQuery', () => {
  it('defaults an absent limit and coerces a numeric string', () => {
    expect(ListOrdersQuery.parse({})).toEqual({ limit: 20 });
    expect(ListOrdersQuery.parse({ limit: '100' }).limit).toBe(100);
  });

  it.each(['0', '101', 'abc', '1.5', '', '-1'])('rejects limit=%j rather than defaulting it', (limit) => {
    const result = ListOrdersQuery.safeParse({ limit });
    expect(result.success).toBe(false);
    expect(issuesOf(result, 'query')[0]?.path).toBe('query.limit');
  });

  it('rejects unknown query parameters by name', () => {
    const result = ListOrdersQuery.safeParse({ limit: '5', page: '2' });
    expect(issuesOf(result, 'query')).toEqual([{ path: 'query.page', message: 'Unknown field' }]);
  });
});

describe('OrderCursor', () => {
  it('round-trips the keyset position through an opaque url-safe string', () => {
    const position = { createdAt: new Date('2026-11-20T08:00:00.000Z'), id };
    const wire = OrderCursor.encode(position);
    expect(wire).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(OrderCursor.decode(wire)).toEqual(position);
  });

  it.each([
    ['not base64', '!!!'],
    ['base64 of non-JSON', btoa('hello').replace(/=+$/, '')],
    ['JSON with a bad id', btoa(JSON.stringify({ createdAt: '2026-11-20T08:00:00.000Z', id: 'x' })).replace(/=+$/, '')],
    ['JSON with a bad date', btoa(JSON.stringify({ createdAt: 'then', id })).replace(/=+$/, '')],
    [
      'JSON with extra keys',
      btoa(JSON.stringify({ createdAt: '2026-11-20T08:00:00.000Z', id, x: 1 })).replace(/=+$/, ''),
    ],
  ])('rejects %s as an invalid cursor', (_, wire) => {
    const result = ListOrdersQuery.safeParse({ cursor: wire });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['cursor']);
  });
});

describe('CreateOrderBody', () => {
  const valid = { customer: 'Ada', items: [{ sku: 'TEA-OOLONG-250', qty: 2, price: 12.5 }] };

  it('accepts a valid order and trims the customer', () => {
    expect(CreateOrderBody.parse({ ...valid, customer: '  Ada ' }).customer).toBe('Ada');
  });

  it('refuses an order whose total Money could not state, naming items', () => {
    const items = [{ sku: 'TEA-OOLONG-250', qty: 2, price: 5_000_000 }];
    expect(CreateOrderBody.safeParse({ ...valid, items }).success).toBe(true);
    const result = CreateOrderBody.safeParse({ ...valid, items: [...items, { sku: 'CUP-01', qty: 1, price: 0.01 }] });
    expect(issuesOf(result, 'body').map((issue) => issue.path)).toEqual(['body.items']);
  });

  it('refuses a customer PostgreSQL cannot store (U+0000), naming it', () => {
    const result = CreateOrderBody.safeParse({ ...valid, customer: 'Ada\u0000' });
    expect(issuesOf(result, 'body').map((issue) => issue.path)).toEqual(['body.customer']);
  });

  it('names every bad field, including fields only the server may set', () => {
    const result = CreateOrderBody.safeParse({
      customer: ' ',
      items: [{ sku: 'tea', qty: 0, price: 1.001 }],
      total: 3,
    });
    const paths = issuesOf(result, 'body').map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.customer',
        'body.items.0.sku',
        'body.items.0.qty',
        'body.items.0.price',
        'body.total',
      ]),
    );
  });

  it('rejects an order without items and a string where a number belongs', () => {
    expect(CreateOrderBody.safeParse({ ...valid, items: [] }).success).toBe(false);
    expect(CreateOrderBody.safeParse({ ...valid, items: [{ sku: 'TEA-1', qty: '2', price: 1 }] }).success).toBe(false);
  });
});

describe('money', () => {
  it('converts exactly between amounts and cents', () => {
    expect(toCents(0.1) + toCents(0.2)).toBe(30);
    expect(fromCents(toCents(19.99) * 3)).toBe(59.97);
  });
});

describe('BatchOrdersQuery', () => {
  const ids = Array.from({ length: 4 }, (_, i) => `3f0c6d1e-8a4b-4c2d-9e1f-0a1b2c3d4e5${i}`);

  it('takes comma-separated, repeated, or mixed ids, in the order sent', () => {
    expect(BatchOrdersQuery.parse({ ids: ids.join(',') }).ids).toEqual(ids);
    expect(BatchOrdersQuery.parse({ ids }).ids).toEqual(ids);
    expect(BatchOrdersQuery.parse({ ids: [`${ids[0]},${ids[1]}`, ids[2], ids[3]] }).ids).toEqual(ids);
  });

  it('collapses duplicates, case-insensitively, keeping the first position', () => {
    const [a, b] = ids as [string, string];
    expect(BatchOrdersQuery.parse({ ids: [b, a, b.toUpperCase(), a].join(',') }).ids).toEqual([b, a]);
  });

  it(`accepts ${MAX_BATCH_IDS} ids and refuses one more as one issue naming query.ids`, () => {
    const many = Array.from({ length: MAX_BATCH_IDS + 1 }, () => id);
    expect(BatchOrdersQuery.parse({ ids: many.slice(1).join(',') }).ids).toEqual([id]);
    // Even when every id is bad, the count is refused first: one issue, not a hundred.
    const result = BatchOrdersQuery.safeParse({ ids: Array.from({ length: MAX_BATCH_IDS + 1 }, () => 'x').join(',') });
    expect(issuesOf(result, 'query')).toEqual([
      { path: 'query.ids', message: `Send at most ${MAX_BATCH_IDS} ids in one batch.` },
    ]);
  });

  it.each([
    ['a bad id, by position', `${id},${id},${id},nope`, ['query.ids.3']],
    ['an empty entry', `${id},`, ['query.ids.1']],
    ['an empty value', '', ['query.ids.0']],
  ])('refuses %s', (_case, wire, paths) => {
    const result = BatchOrdersQuery.safeParse({ ids: wire });
    expect(issuesOf(result, 'query').map((issue) => issue.path)).toEqual(paths);
  });

  it('requires ids and refuses other parameters', () => {
    expect(issuesOf(BatchOrdersQuery.safeParse({}), 'query').map((issue) => issue.path)).toEqual(['query.ids']);
    expect(issuesOf(BatchOrdersQuery.safeParse({ ids: id, limit: '5' }), 'query')).toEqual([
      { path: 'query.limit', message: 'Unknown field' },
    ]);
  });
});

describe('CreateOrderHeaders', () => {
  it('takes no key, or a well-formed one, and leaves other headers alone', () => {
    expect(CreateOrderHeaders.safeParse({ 'content-type': 'application/json' }).success).toBe(true);
    expect(CreateOrderHeaders.parse({ 'idempotency-key': id })['idempotency-key']).toBe(id);
  });

  it.each(['short', 'has space in it', 'x'.repeat(129), `${id}, ${id}`])(
    'refuses the key %j naming headers.idempotency-key',
    (key) => {
      const result = CreateOrderHeaders.safeParse({ 'idempotency-key': key });
      expect(issuesOf(result, 'headers').map((issue) => issue.path)).toEqual(['headers.idempotency-key']);
    },
  );
});
