import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ErrorEnvelope, successEnvelope } from './envelope.js';
import { ERROR_NAMES, ErrorCatalogue, errorNameOfCode } from './error-catalogue.js';
import { OrderPageEnvelope } from './orders.js';

const now = '2026-11-24T09:30:00.000Z';

describe('success envelope', () => {
  const Thing = successEnvelope('TestThingEnvelope', 201, z.object({ name: z.string() }));

  it('accepts { code: status, message, data, timestamp } and decodes the timestamp', () => {
    const decoded = Thing.parse({ code: 201, message: 'Created', data: { name: 'x' }, timestamp: now });
    expect(decoded.timestamp).toBeInstanceOf(Date);
    expect(decoded.data).toEqual({ name: 'x' });
  });

  it('rejects null data, a wrong status code and a non-UTC timestamp', () => {
    expect(Thing.safeParse({ code: 201, message: 'Created', data: null, timestamp: now }).success).toBe(false);
    expect(Thing.safeParse({ code: 200, message: 'OK', data: { name: 'x' }, timestamp: now }).success).toBe(false);
    expect(
      Thing.safeParse({ code: 201, message: 'Created', data: { name: 'x' }, timestamp: '2026-11-24T10:30:00+01:00' })
        .success,
    ).toBe(false);
  });

  it('wraps a page of a list as an object { items, nextCursor }', () => {
    const page = OrderPageEnvelope.parse({
      code: 200,
      message: 'OK',
      data: { items: [], nextCursor: null },
      timestamp: now,
    });
    expect(page.data.items).toEqual([]);
    expect(OrderPageEnvelope.safeParse({ code: 200, message: 'OK', data: [], timestamp: now }).success).toBe(false);
  });
});

describe('error envelope', () => {
  it('carries the catalogue name, the request id and the issues naming each field', () => {
    const envelope = ErrorEnvelope.parse({
      code: ErrorCatalogue.VALIDATION_FAILED.code,
      message: 'The request is invalid.',
      data: { error: 'VALIDATION_FAILED', requestId: 'r-1', issues: [{ path: 'body.customer', message: 'Required' }] },
      timestamp: now,
    });
    expect(envelope.data.issues?.[0]?.path).toBe('body.customer');
  });

  it('rejects a success code, an unknown error name and a retryAfterMs that is not a whole number', () => {
    const base = { message: 'x', timestamp: now };
    expect(ErrorEnvelope.safeParse({ ...base, code: 200, data: { error: 'INTERNAL' } }).success).toBe(false);
    expect(ErrorEnvelope.safeParse({ ...base, code: 50001, data: { error: 'OOPS' } }).success).toBe(false);
    expect(
      ErrorEnvelope.safeParse({ ...base, code: 42901, data: { error: 'RATE_LIMITED', retryAfterMs: 1.5 } }).success,
    ).toBe(false);
  });
});

describe('error catalogue', () => {
  it('gives every entry a unique business code whose first three digits are its HTTP status', () => {
    const codes = ERROR_NAMES.map((name) => ErrorCatalogue[name].code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const name of ERROR_NAMES) {
      const { code, status, message } = ErrorCatalogue[name];
      expect(Math.floor(code / 100)).toBe(status);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(message.length).toBeGreaterThan(0);
      expect(errorNameOfCode(code)).toBe(name);
    }
  });

  it('knows no name for a code it never sends', () => {
    expect(errorNameOfCode(40099)).toBeUndefined();
  });
});
