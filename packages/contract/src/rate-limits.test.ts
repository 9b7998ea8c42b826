import { describe, expect, it } from 'vitest';
import { endpoints } from './all-endpoints.js';
import type { Endpoint } from './endpoint.js';
import { RATE_LIMIT_DEFAULTS, RateLimits } from './rate-limits.js';

const all = Object.entries(endpoints as Record<string, Endpoint>);

describe('rate-limit declarations', () => {
  it('limit every JSON /api/ endpoint except the admin ones, and nothing else', () => {
    const shouldBeLimited = all
      .filter(([, endpoint]) => endpoint.path.startsWith('/api/') && !endpoint.produces && endpoint.auth !== 'admin')
      .map(([name]) => name);
    const limited = all.filter(([, endpoint]) => endpoint.rateLimit).map(([name]) => name);
    expect(limited.sort()).toEqual(shouldBeLimited.sort());
    // The ones the limiter must never touch, by name, so a change here is a decision.
    for (const name of ['metrics', 'health', 'ready', 'orderEvents', 'liveSocket', 'setLabMode']) {
      expect(limited).not.toContain(name);
    }
  });

  it('give sign-in and sign-up their own bucket, and nothing else', () => {
    const signInBucket = all.filter(([, endpoint]) => endpoint.rateLimit?.bucket === 'signIn').map(([name]) => name);
    expect(signInBucket.sort()).toEqual(['signIn', 'signUp']);
  });

  it('give browser beacons their own bucket', () => {
    expect(endpoints.ingestRum.rateLimit).toEqual({ bucket: 'rum' });
    const rumBucket = all.filter(([, endpoint]) => endpoint.rateLimit?.bucket === 'rum').map(([name]) => name);
    expect(rumBucket).toEqual(['ingestRum']);
  });

  it('document the 429 on every limited endpoint', () => {
    for (const [name, endpoint] of all.filter(([, e]) => e.rateLimit)) {
      expect(Object.keys(endpoint.responses), name).toContain('429');
    }
  });

  it('charge per id only where the query has ids', () => {
    for (const [name, endpoint] of all.filter(([, e]) => e.rateLimit?.cost === 'ids')) {
      expect(endpoint.query?.shape, name).toHaveProperty('ids');
    }
  });
});

describe('RATE_LIMIT_DEFAULTS', () => {
  it('are valid limits', () => {
    expect(
      RateLimits.parse({ ...RATE_LIMIT_DEFAULTS, weighting: 'weighted', key: 'client-ip' }).buckets.api.burst,
    ).toBe(RATE_LIMIT_DEFAULTS.buckets.api.burst);
  });

  it('refuse a zero rate and a fractional burst', () => {
    const bad = {
      weighting: 'weighted',
      key: 'client-ip',
      buckets: { ...RATE_LIMIT_DEFAULTS.buckets, api: { unitsPerSecond: 0, burst: 1.5 } },
    };
    const result = RateLimits.safeParse(bad);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'buckets.api.burst',
      'buckets.api.unitsPerSecond',
    ]);
  });
});
