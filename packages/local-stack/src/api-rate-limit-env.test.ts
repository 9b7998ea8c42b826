import { describe, expect, it } from 'vitest';
import { apiRateLimitEnv, LIFTED_API_RATE_LIMIT } from './api-rate-limit-env.js';

describe('apiRateLimitEnv', () => {
  it('writes the api bucket as the variables the API reads', () => {
    expect(apiRateLimitEnv({ unitsPerSecond: 5, burst: 100 })).toEqual({
      RATE_LIMIT_API_UNITS_PER_SECOND: '5',
      RATE_LIMIT_API_BURST: '100',
    });
    expect(apiRateLimitEnv(LIFTED_API_RATE_LIMIT)).toEqual({
      RATE_LIMIT_API_UNITS_PER_SECOND: '1000000',
      RATE_LIMIT_API_BURST: '1000000',
    });
  });
});
