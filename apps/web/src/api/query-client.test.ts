import { describe, expect, it } from 'vitest';
import { ApiError, type ApiErrorName } from './api-error';
import { retryPolicy } from './query-client';

const failure = (name: ApiErrorName, status: number) => new ApiError({ name, status, code: 0, message: name });

describe('retryPolicy', () => {
  it('retries only failures that may pass: no answer, or a 5xx', () => {
    expect(retryPolicy(0, failure('NETWORK', 0))).toBe(true);
    expect(retryPolicy(0, failure('TIMEOUT', 0))).toBe(true);
    expect(retryPolicy(0, failure('INTERNAL', 500))).toBe(true);
    expect(retryPolicy(0, failure('VALIDATION_FAILED', 400))).toBe(false);
    expect(retryPolicy(0, failure('ORDER_NOT_FOUND', 404))).toBe(false);
    expect(retryPolicy(0, failure('BAD_RESPONSE', 200))).toBe(false);
    expect(retryPolicy(0, failure('CANCELLED', 0))).toBe(false);
    expect(retryPolicy(0, new Error('not from the client'))).toBe(false);
  });

  it('gives up after two retries', () => {
    expect(retryPolicy(1, failure('NETWORK', 0))).toBe(true);
    expect(retryPolicy(2, failure('NETWORK', 0))).toBe(false);
  });
});
