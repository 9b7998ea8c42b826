import { ErrorEnvelope } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../../../test/api-server.js';
import { H2Client } from '../../../test/clients.js';

let api: StartedApi;
let client: H2Client;

beforeAll(async () => {
  api = await startApi();
  client = new H2Client(api.origin, api.signedIn);
});

afterAll(async () => {
  await client?.close();
  await api?.close();
});

describe('app.requestIdPolicy', () => {
  it('echoes the id by default; without echo only an error names it; a change applies to the next request', async () => {
    expect(api.app.requestIdPolicy.get()).toEqual({ echo: true });
    const echoed = await client.request({ path: '/healthz', headers: { 'x-request-id': 'rid-1' } });
    expect(echoed.headers['x-request-id']).toBe('rid-1');

    api.app.requestIdPolicy.set({ echo: false });
    try {
      const quiet = await client.request({ path: '/healthz', headers: { 'x-request-id': 'rid-2' } });
      expect(quiet.status).toBe(200);
      expect(quiet.headers['x-request-id']).toBeUndefined();
      // An error still names the id it was logged under (envelope and header): the one answer that tells.
      const failed = await client.request({ path: '/api/v1/orders/not-a-uuid', headers: { 'x-request-id': 'rid-3' } });
      expect(failed.status).toBe(400);
      expect(ErrorEnvelope.parse(failed.json()).data.requestId).toBe('rid-3');
    } finally {
      api.app.requestIdPolicy.set({ echo: true });
    }
    const again = await client.request({ path: '/healthz', headers: { 'x-request-id': 'rid-4' } });
    expect(again.headers['x-request-id']).toBe('rid-4');
  });
});
