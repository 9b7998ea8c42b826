import { ApiCallSample } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { apiCallTimingOf, millis, type ResourceTimingFields, serverTimingOf } from './api-call-timing';

/** A first call on a new HTTP/2 connection: DNS, TCP, TLS, request, response. */
const FRESH: ResourceTimingFields = {
  startTime: 100,
  nextHopProtocol: 'h2',
  domainLookupStart: 101,
  domainLookupEnd: 104,
  connectStart: 104,
  connectEnd: 130,
  secureConnectionStart: 110,
  requestStart: 131,
  responseStart: 171.25,
  responseEnd: 180,
  serverTiming: [
    { name: 'db', duration: 12.34 },
    { name: 'app', duration: 35.5 },
  ],
};

/** A later call on the same connection: lookup and connect start and end at fetchStart. */
const REUSED: ResourceTimingFields = {
  startTime: 500,
  nextHopProtocol: 'h2',
  domainLookupStart: 500,
  domainLookupEnd: 500,
  connectStart: 500,
  connectEnd: 500,
  secureConnectionStart: 0,
  requestStart: 501,
  responseStart: 520,
  responseEnd: 522,
  serverTiming: [{ name: 'app', duration: 15 }],
};

/** Cross-origin without Timing-Allow-Origin: only start and end are shown. */
const HIDDEN: ResourceTimingFields = {
  startTime: 800,
  nextHopProtocol: '',
  domainLookupStart: 0,
  domainLookupEnd: 0,
  connectStart: 0,
  connectEnd: 0,
  secureConnectionStart: 0,
  requestStart: 0,
  responseStart: 0,
  responseEnd: 845,
  serverTiming: [],
};

const CALL = {
  type: 'api-call',
  route: '/api/v1/orders',
  method: 'GET',
  status: 200,
  requestId: 'r-1',
  page: 'orders',
  attempt: 1,
};

describe('apiCallTimingOf', () => {
  it('splits a fresh connection into DNS, connect, TLS, request and response', () => {
    expect(apiCallTimingOf(FRESH)).toEqual({
      protocol: 'h2',
      durationMs: 80,
      phases: { dnsMs: 3, connectMs: 26, tlsMs: 20, requestMs: 40.3, responseMs: 8.8 },
      server: { appMs: 35.5, dbMs: 12.3 },
    });
  });

  it('gives a reused connection 0 for DNS, connect and TLS', () => {
    expect(apiCallTimingOf(REUSED)).toEqual({
      protocol: 'h2',
      durationMs: 22,
      phases: { dnsMs: 0, connectMs: 0, tlsMs: 0, requestMs: 19, responseMs: 2 },
      server: { appMs: 15 },
    });
  });

  it('has no phases and an unknown protocol when the browser hides the details', () => {
    expect(apiCallTimingOf(HIDDEN)).toEqual({ protocol: 'unknown', durationMs: 45 });
  });

  it('names HTTP/1.1 and HTTP/3, and nothing else', () => {
    expect(apiCallTimingOf({ ...REUSED, nextHopProtocol: 'http/1.1' }).protocol).toBe('http/1.1');
    expect(apiCallTimingOf({ ...REUSED, nextHopProtocol: 'h3' }).protocol).toBe('h3');
    expect(apiCallTimingOf({ ...REUSED, nextHopProtocol: 'http/1.0' }).protocol).toBe('unknown');
  });

  it('makes samples the contract accepts', () => {
    for (const entry of [FRESH, REUSED, HIDDEN]) {
      expect(ApiCallSample.safeParse({ ...CALL, ...apiCallTimingOf(entry) }).success).toBe(true);
    }
  });
});

describe('serverTimingOf', () => {
  it('reads app and db and ignores other metrics', () => {
    expect(serverTimingOf([{ name: 'cache', duration: 3 }])).toBeUndefined();
    expect(serverTimingOf([{ name: 'db', duration: 4 }])).toEqual({ dbMs: 4 });
    expect(serverTimingOf([])).toBeUndefined();
  });
});

describe('millis', () => {
  it('keeps a duration within the contract: never negative, at most 2 minutes, to 0.1 ms', () => {
    expect(millis(-3)).toBe(0);
    expect(millis(Number.NaN)).toBe(0);
    expect(millis(12.345)).toBe(12.3);
    expect(millis(200_000)).toBe(120_000);
  });
});
