import { describe, expect, it } from 'vitest';
import { naiveSuccessData, reviveDatesAdHoc } from './naive-dates';

describe('lab date-codec: the naive client path', () => {
  it('reads RFC 3339 UTC right, but text without an offset as the reader’s local time and null as 1970', () => {
    const revived = reviveDatesAdHoc({
      createdAt: '2026-11-24T09:30:00.000Z',
      shippedAt: '2026-11-24 09:30:00.000',
      paidAt: null,
      note: '2026-11-24 09:30:00.000',
    }) as Record<string, unknown>;
    expect(revived.createdAt).toEqual(new Date(Date.UTC(2026, 10, 24, 9, 30)));
    expect(revived.shippedAt).toEqual(new Date(2026, 10, 24, 9, 30));
    expect(revived.paidAt).toEqual(new Date(0));
    expect(revived.note).toBe('2026-11-24 09:30:00.000');
  });

  it('takes the data of an envelope without checking it against the contract', () => {
    const data = naiveSuccessData({
      code: 200,
      timestamp: 'not a date at all',
      data: { items: [{ createdAt: '2026-11-24 09:30:00.000' }], nextCursor: null },
    });
    expect(data).toEqual({ items: [{ createdAt: new Date(2026, 10, 24, 9, 30) }], nextCursor: null });
  });
});
