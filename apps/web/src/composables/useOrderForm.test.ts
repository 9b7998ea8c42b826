import type { ServerResponse } from 'node:http';
import { IDEMPOTENCY_KEY_HEADER } from '@tandem/contract';
import { QueryClient, VueQueryPlugin } from '@tanstack/vue-query';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, effectScope, nextTick } from 'vue';
import { useRecordingServer } from '../../test/recording-server';
import { apiClient } from '../api/client';
import { queryClientConfig } from '../api/query-client';
import { setActiveApiVersion } from '../api/versions/active-api-version';
import { loadApiVersion } from '../api/versions/load-api-version';
import { useOrderForm } from './useOrderForm';

// The form against a real HTTP server: which Idempotency-Key each request carries.
let answers: ((response: ServerResponse) => void)[] = [];
const server = useRecordingServer((_request, response) => (answers.shift() ?? created)(response));
/** The Idempotency-Key of each request the server has seen in this test, in order. */
const keys = () => server.seen.map((request) => request.headers[IDEMPOTENCY_KEY_HEADER] as string | undefined);

const ORDER = {
  id: '0b7c2a5e-8f43-4d7a-9a39-2d4f3c6b1e90',
  customer: 'Ada Lovelace',
  items: [{ sku: 'TEA-OOLONG-250', qty: 2, price: 7.5 }],
  total: 15,
  status: 'pending',
  createdAt: '2026-11-24T09:30:00.000Z',
};
const timestamp = '2026-11-24T09:30:01.000Z';
const json = (status: number, body: unknown) => (response: ServerResponse) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const created = json(201, { code: 201, message: 'Created', data: ORDER, timestamp });
const notReady = json(503, {
  code: 50301,
  message: 'The service is not ready.',
  data: { error: 'NOT_READY', retryAfterMs: 30 },
  timestamp,
});
const invalid = json(400, {
  code: 40001,
  message: 'The request is invalid.',
  data: { error: 'VALIDATION_FAILED', issues: [{ path: 'body.customer', message: 'Name the customer.' }] },
  timestamp,
});
const reused = json(422, {
  code: 42201,
  message: 'This Idempotency-Key was already used with a different request body.',
  data: { error: 'IDEMPOTENCY_KEY_REUSED' },
  timestamp,
});

beforeAll(async () => {
  apiClient.defaults.baseURL = server.origin;
  // The form creates through the API version main.ts loads at start: v1 here.
  setActiveApiVersion({
    module: await loadApiVersion('v1'),
    discovery: { source: 'fallback', version: 'v1', problem: 'not asked in this test', canary: { kind: 'none' } },
  });
});

afterEach(() => {
  answers = [];
});

/** The composable as a component would run it: inside an app that provides the query client. */
function mountForm() {
  const app = createApp({});
  app.use(VueQueryPlugin, { queryClient: new QueryClient(queryClientConfig) });
  const scope = effectScope();
  const form = app.runWithContext(() => scope.run(() => useOrderForm()));
  if (!form) throw new Error('useOrderForm returned nothing');
  form.customer.value = 'Ada Lovelace';
  Object.assign(form.items.value[0] ?? {}, { sku: 'TEA-OOLONG-250', qty: 2, price: 7.5 });
  return form;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('useOrderForm: one Idempotency-Key per user action', () => {
  it('sends a key, the same one on the automatic retry, and a new one after a success', async () => {
    const form = mountForm();
    answers = [notReady, created];
    expect(await form.submit()).toMatchObject({ id: ORDER.id });
    expect(keys()).toHaveLength(2);
    expect(keys()[0]).toMatch(UUID);
    expect(keys()[1]).toBe(keys()[0]);

    await form.submit();
    expect(keys()[2]).toMatch(UUID);
    expect(keys()[2]).not.toBe(keys()[0]);
  });

  it('keeps the key when the person presses again unchanged, and drops it when they edit', async () => {
    const form = mountForm();
    answers = [invalid, invalid];
    expect(await form.submit()).toBeUndefined();
    expect(await form.submit()).toBeUndefined();
    expect(keys()[1]).toBe(keys()[0]);

    form.customer.value = 'Ada King';
    expect(await form.submit()).toMatchObject({ id: ORDER.id });
    expect(keys()[2]).not.toBe(keys()[0]);

    // An edit inside an item counts too.
    answers = [invalid];
    await form.submit();
    const item = form.items.value[0];
    if (item) item.qty = 3;
    await nextTick();
    await form.submit();
    expect(keys()[4]).not.toBe(keys()[3]);
  });

  it('shows IDEMPOTENCY_KEY_REUSED as such, and the next press is a new action', async () => {
    const form = mountForm();
    answers = [reused];
    expect(await form.submit()).toBeUndefined();
    expect(form.error.value).toMatchObject({ name: 'IDEMPOTENCY_KEY_REUSED', status: 422 });

    await form.submit();
    expect(keys()[1]).toMatch(UUID);
    expect(keys()[1]).not.toBe(keys()[0]);
  });
});
