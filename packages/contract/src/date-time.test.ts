import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DateTime, encodeDateTime } from './date-time.js';

describe('DateTime codec', () => {
  it('decodes an RFC 3339 UTC string to the same instant and encodes it back unchanged', () => {
    const wire = '2026-11-24T09:30:15.123Z';
    const date = DateTime.decode(wire);
    expect(date).toBeInstanceOf(Date);
    expect(date.getTime()).toBe(Date.UTC(2026, 10, 24, 9, 30, 15, 123));
    expect(DateTime.encode(date)).toBe(wire);
  });

  it('round-trips inside an object: Date in memory, string on the wire', () => {
    const Stamped = z.object({ at: DateTime });
    const inMemory = { at: new Date('2024-02-29T23:59:59.999Z') };
    const wire = Stamped.encode(inMemory);
    expect(wire).toEqual({ at: '2024-02-29T23:59:59.999Z' });
    expect(JSON.parse(JSON.stringify(wire))).toEqual(wire);
    expect(Stamped.decode(wire).at.getTime()).toBe(inMemory.at.getTime());
  });

  it.each([
    ['an impossible calendar day', '2025-02-29T00:00:00Z'],
    ['a month 13', '2026-13-01T00:00:00Z'],
    ['an offset instead of Z', '2026-11-24T10:30:00+01:00'],
    ['a local time without zone', '2026-11-24T10:30:00'],
    ['a date only', '2026-11-24'],
    ['an epoch number as string', '1732440000000'],
    ['an empty string', ''],
    ['free text', 'yesterday'],
  ])('rejects %s with an issue at the field, never Invalid Date or a zero time', (_, wire) => {
    const Stamped = z.object({ createdAt: DateTime });
    const result = Stamped.safeDecode({ createdAt: wire });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['createdAt']);
  });

  it('rejects non-strings on the wire (a number, null, a Date object)', () => {
    for (const value of [0, null, new Date(0)]) {
      expect(DateTime.safeParse(value).success).toBe(false);
    }
  });

  it('refuses to encode an Invalid Date instead of sending garbage', () => {
    expect(() => encodeDateTime(new Date('nope'))).toThrow();
  });
});
