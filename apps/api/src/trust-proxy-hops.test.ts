import { randomUUID } from 'node:crypto';
import { MAX_BATCH_IDS } from '@tandem/contract';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { useStartedApi } from '../test/api-server.js';
import type { H2Client } from '../test/clients.js';
import { clientKeyOf } from './rate-limit/client-key.js';

/** What the app made of a request's peer: the rate limiter's key comes from `ip`. */
interface Peer {
  ip: string;
  ips: string[] | undefined;
  protocol: string;
  host: string;
}

const PEER_PATH = '/test/peer';
const addPeerRoute = (app: FastifyInstance) => {
  app.get(PEER_PATH, async (request) => ({
    ip: request.ip,
    ips: request.ips,
    protocol: request.protocol,
    host: request.host,
  }));
};

async function peerOf(client: H2Client, headers: Record<string, string>): Promise<Peer> {
  const res = await client.request({ path: PEER_PATH, headers });
  expect(res.status).toBe(200);
  // Answered inside the success envelope like any route's data.
  return (res.json() as { data: Peer }).data;
}

/** Everything a client can send to pass for another address, scheme or host. */
const FORGED = {
  'x-forwarded-for': '203.0.113.66',
  'x-forwarded-proto': 'http',
  'x-forwarded-host': 'evil.example',
};

// The limiter's budget, spent by one batch: whether a request is refused never depends on timing.
const LIMITS = { RATE_LIMIT_API_UNITS_PER_SECOND: '0.001', RATE_LIMIT_API_BURST: String(MAX_BATCH_IDS) };
const spendingBatch = () =>
  `/api/v1/orders/batch?ids=${Array.from({ length: MAX_BATCH_IDS }, () => randomUUID()).join(',')}`;

describe('TRUST_PROXY_HOPS=0 (the default): X-Forwarded-* is the client talking', () => {
  const started = useStartedApi({ env: LIMITS, beforeListen: addPeerRoute });

  it('changes neither request.ip (the rate-limit key), nor the protocol, nor the host', async () => {
    const honest = await peerOf(started.client, {});
    expect(honest.ip).toBe('127.0.0.1');
    expect(honest.protocol).toBe('https');

    const forged = await peerOf(started.client, FORGED);
    expect(forged).toEqual(honest);
    expect(forged.host).not.toContain('evil.example');
  });

  it('a forged X-Forwarded-For, even a list, buys no fresh rate-limit budget', async () => {
    expect((await started.client.request({ path: spendingBatch() })).status).toBe(200);
    for (const forged of ['203.0.113.67', '203.0.113.68, 203.0.113.69']) {
      const res = await started.client.request({ path: '/api/v1/orders', headers: { 'x-forwarded-for': forged } });
      expect(res.status, forged).toBe(429);
    }
  });
});

describe('TRUST_PROXY_HOPS=1: only the last hop, the one our proxy appended, is believed', () => {
  const started = useStartedApi({ env: { ...LIMITS, TRUST_PROXY_HOPS: '1' }, beforeListen: addPeerRoute });
  // What the proxy sends on: whatever the client claimed, then the address it saw.
  const viaProxy = (clientClaims: string, seenByProxy: string) => `${clientClaims}, ${seenByProxy}`;

  it('takes request.ip, the protocol and the host from the proxy', async () => {
    const peer = await peerOf(started.client, {
      'x-forwarded-for': '198.51.100.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'api.example',
    });
    expect(peer).toMatchObject({ ip: '198.51.100.7', protocol: 'http', host: 'api.example' });
  });

  it('ignores what the client prepended', async () => {
    const peer = await peerOf(started.client, {
      'x-forwarded-for': viaProxy('203.0.113.66, 10.0.0.1', '198.51.100.7'),
    });
    expect(peer.ip).toBe('198.51.100.7');
    expect(clientKeyOf(peer.ip)).toBe('198.51.100.7');
    // request.ips is the trusted chain only: the proxy (the socket's peer), then what it saw.
    expect(peer.ips).toEqual(['127.0.0.1', '198.51.100.7']);
  });

  it('a client cannot prepend a fake address to get a fresh rate-limit budget', async () => {
    const real = '198.51.100.20';
    const spent = await started.client.request({ path: spendingBatch(), headers: { 'x-forwarded-for': real } });
    expect(spent.status).toBe(200);
    for (const fake of ['203.0.113.70', '203.0.113.71, 203.0.113.72']) {
      const res = await started.client.request({
        path: '/api/v1/orders',
        headers: { 'x-forwarded-for': viaProxy(fake, real) },
      });
      expect(res.status, fake).toBe(429);
    }
    // Another client behind the same proxy keeps its own budget.
    const other = await started.client.request({
      path: '/api/v1/orders',
      headers: { 'x-forwarded-for': viaProxy(real, '198.51.100.21') },
    });
    expect(other.status).toBe(200);
  });
});

describe('TRUST_PROXY_HOPS=2: the address two hops back', () => {
  const started = useStartedApi({ env: { TRUST_PROXY_HOPS: '2' }, beforeListen: addPeerRoute });

  it('skips the inner proxy and nothing before the outer one', async () => {
    const peer = await peerOf(started.client, { 'x-forwarded-for': '203.0.113.66, 198.51.100.7, 10.0.0.2' });
    expect(peer.ip).toBe('198.51.100.7');
  });
});
