import { ErrorEnvelope } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../../../test/api-server.js';
import { H2Client } from '../../../test/clients.js';

let api: StartedApi;
let client: H2Client;

beforeAll(async () => {
  api = await startApi({ env: { LAB_MODE_REQUEST_ID: 'naive' } });
  client = new H2Client(api.origin);
});

afterAll(async () => {
  await client?.close();
  await api?.close();
});

describe('lab request-id', () => {
  it('naive: the API keeps its id to itself; tuned: it echoes the id it logs', async () => {
    expect(api.app.labs.mode('request-id')).toBe('naive');
    const quiet = await client.request({ path: '/healthz', headers: { 'x-request-id': 'lab-rid-1' } });
    expect(quiet.status).toBe(200);
    expect(quiet.headers['x-request-id']).toBeUndefined();
    // An error still names the id it was logged under (envelope and header): the one answer that tells.
    const failed = await client.request({
      path: '/api/v1/orders/not-a-uuid',
      headers: { 'x-request-id': 'lab-rid-2' },
    });
    expect(failed.status).toBe(400);
    expect(ErrorEnvelope.parse(failed.json()).data.requestId).toBe('lab-rid-2');

    api.app.labs.set('request-id', 'tuned');
    try {
      const echoed = await client.request({ path: '/healthz', headers: { 'x-request-id': 'lab-rid-3' } });
      expect(echoed.headers['x-request-id']).toBe('lab-rid-3');
    } finally {
      api.app.labs.set('request-id', 'naive');
    }
  });
});
