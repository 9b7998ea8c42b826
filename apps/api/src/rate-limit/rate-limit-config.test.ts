import { MAX_BATCH_IDS, RATE_LIMIT_DEFAULTS } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';

describe('rate-limit configuration', () => {
  it('defaults to the contract’s RATE_LIMIT_DEFAULTS, in process, no trusted proxy', () => {
    const config = loadConfig({});
    expect(config.rateLimit).toEqual({ settings: RATE_LIMIT_DEFAULTS, redisUrl: undefined });
    expect(config.trustProxyHops).toBe(0);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      RATE_LIMIT_API_UNITS_PER_SECOND: '0.5',
      RATE_LIMIT_API_BURST: '500',
      RATE_LIMIT_RUM_UNITS_PER_SECOND: '20',
      RATE_LIMIT_RUM_BURST: '1',
      RATE_LIMIT_SIGN_IN_UNITS_PER_SECOND: '2',
      RATE_LIMIT_SIGN_IN_BURST: '3',
      RATE_LIMIT_SIGN_IN_ACCOUNT_UNITS_PER_SECOND: '0.25',
      RATE_LIMIT_SIGN_IN_ACCOUNT_BURST: '4',
      REDIS_URL: 'redis://:secret@cache.internal:6380/2',
      TRUST_PROXY_HOPS: '2',
    });
    expect(config.rateLimit).toEqual({
      settings: {
        buckets: {
          api: { unitsPerSecond: 0.5, burst: 500 },
          rum: { unitsPerSecond: 20, burst: 1 },
          signIn: { unitsPerSecond: 2, burst: 3 },
          signInAccount: { unitsPerSecond: 0.25, burst: 4 },
        },
      },
      redisUrl: 'redis://:secret@cache.internal:6380/2',
    });
    expect(config.trustProxyHops).toBe(2);
  });

  it('stops with every bad variable named at once', () => {
    const bad = {
      RATE_LIMIT_API_UNITS_PER_SECOND: '0',
      RATE_LIMIT_API_BURST: String(MAX_BATCH_IDS - 1),
      RATE_LIMIT_RUM_UNITS_PER_SECOND: 'fast',
      RATE_LIMIT_RUM_BURST: '1.5',
      RATE_LIMIT_WEIGHTING: 'heavy',
      REDIS_URL: 'http://localhost:6379',
      TRUST_PROXY_HOPS: '-1',
    };
    let message = '';
    try {
      loadConfig(bad);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const name of Object.keys(bad)) expect(message).toContain(`${name}=`);
    expect(message).toMatch(
      new RegExp(`RATE_LIMIT_API_BURST="${MAX_BATCH_IDS - 1}": must be at least ${MAX_BATCH_IDS}: a batch`),
    );
  });

  it('refuses the removed RATE_LIMIT_WEIGHTING, saying what a request is charged instead', () => {
    expect(() => loadConfig({ RATE_LIMIT_WEIGHTING: 'weighted' })).toThrow(
      /RATE_LIMIT_WEIGHTING="weighted": was removed: every request is charged what its endpoint declares/,
    );
  });
});
