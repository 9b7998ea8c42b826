import { ErrorEnvelope, EventGeneratorEnvelope } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../../../test/api-server.js';
import { EventStreamReader, H2Client, type TestRequest } from '../../../test/clients.js';

const TOKEN = 'admin-test-token';
let api: StartedApi;
let client: H2Client;

beforeAll(async () => {
  api = await startApi({ env: { ADMIN_TOKEN: TOKEN } });
  client = new H2Client(api.origin, api.signedIn);
});

afterAll(async () => {
  await client?.close();
  await api?.close();
});

async function expectError(request: TestRequest, status: number, error: string) {
  const res = await client.request(request);
  expect(res.status, res.text).toBe(status);
  const body = ErrorEnvelope.parse(res.json());
  expect(body.data.error).toBe(error);
  return body;
}

describe('PUT /api/v1/admin/event-generator', () => {
  const setGenerator = (body: unknown): TestRequest => ({
    method: 'PUT',
    path: '/api/v1/admin/event-generator',
    headers: { authorization: `Bearer ${TOKEN}` },
    body,
  });
  const published = async () =>
    (await api.app.metrics.liveEventsPublished.get()).values.find((v) => v.labels.type === 'generator.tick')?.value ??
    0;

  it('starts generator.tick events at the rate asked, with the padding asked, and stops at 0', async () => {
    const reader = EventStreamReader.overHttp2(client);
    await reader.open();
    const before = await published();
    const res = await client.request(setGenerator({ eventsPerSecond: 2000, payloadBytes: 32 }));
    expect(res.status, res.text).toBe(200);
    expect(EventGeneratorEnvelope.parse(res.json()).data).toEqual({ eventsPerSecond: 2000, payloadBytes: 32 });
    const tick = await reader.waitFor((m) => m.event === 'generator.tick');
    expect(JSON.parse(tick.data ?? '{}')).toMatchObject({ type: 'generator.tick', padding: 'x'.repeat(32) });
    await new Promise((resolve) => setTimeout(resolve, 300));

    const stopped = await client.request(setGenerator({ eventsPerSecond: 0 }));
    expect(EventGeneratorEnvelope.parse(stopped.json()).data).toEqual({ eventsPerSecond: 0, payloadBytes: 0 });
    const emitted = (await published()) - before;
    // ~0.3 s at 2000/s; wide bounds so a slow machine cannot flip it.
    expect(emitted).toBeGreaterThan(200);
    expect(emitted).toBeLessThan(2000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = await published();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await published()).toBe(after);
    reader.close();
  });

  it.each([
    [{ eventsPerSecond: -1 }, 'body.eventsPerSecond'],
    [{ eventsPerSecond: 1, payloadBytes: 1e9 }, 'body.payloadBytes'],
    [{ eventsPerSecond: 1, burst: true }, 'body.burst'],
  ])('refuses %j with a 400 naming the field', async (input, path) => {
    const body = await expectError(setGenerator(input), 400, 'VALIDATION_FAILED');
    expect(body.data.issues?.map((issue) => issue.path)).toEqual([path]);
  });
});

describe('PUT /api/v1/admin/event-generator without the token', () => {
  it('answers 401 UNAUTHORIZED, and 403 ADMIN_DISABLED on an API without ADMIN_TOKEN', async () => {
    await expectError(
      { method: 'PUT', path: '/api/v1/admin/event-generator', body: { eventsPerSecond: 1 } },
      401,
      'UNAUTHORIZED',
    );
    const closed = await startApi();
    const other = new H2Client(closed.origin, closed.signedIn);
    try {
      const res = await other.request({
        method: 'PUT',
        path: '/api/v1/admin/event-generator',
        headers: { authorization: `Bearer ${TOKEN}` },
        body: { eventsPerSecond: 1 },
      });
      expect(res.status, res.text).toBe(403);
      expect(ErrorEnvelope.parse(res.json()).data.error).toBe('ADMIN_DISABLED');
    } finally {
      await other.close();
      await closed.close();
    }
  });
});
