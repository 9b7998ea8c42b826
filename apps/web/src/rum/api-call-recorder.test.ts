import { ApiCallSample, REQUEST_ID_HEADER, type RumPage } from '@tandem/contract';
import axios, { type AxiosInstance } from 'axios';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useRecordingServer } from '../../test/recording-server';
import { recordApiCalls } from './api-call-recorder';
import { ResourceTimingFinder } from './resource-timing-finder';

// A real server, and axios on Node's fetch, which adds real Resource Timing entries.
const server = useRecordingServer((request, response) => {
  if (request.url.startsWith('/api/v1/orders/hang')) return; // never answers
  const echoed = request.headers[REQUEST_ID_HEADER];
  response.writeHead(request.url.includes('missing') ? 404 : 200, {
    'content-type': 'application/json',
    // The API echoes a valid id, and replaces one it will not log; the request-id lab's naive API echoes none.
    ...(echoed !== undefined && { [REQUEST_ID_HEADER]: echoed === 'not valid!' ? 'server-made-id' : String(echoed) }),
  });
  response.end('{}');
});
let client: AxiosInstance;
let finder: ResourceTimingFinder;
let samples: ApiCallSample[];
let page: RumPage | undefined;
let eject: () => void;
let idInterceptor: number;

beforeEach(() => {
  samples = [];
  page = 'orders';
  client = axios.create({ baseURL: server.origin, adapter: 'fetch', validateStatus: () => true, timeout: 2_000 });
  idInterceptor = client.interceptors.request.use((config) => {
    if (!config.headers.has(REQUEST_ID_HEADER)) config.headers.set(REQUEST_ID_HEADER, crypto.randomUUID());
    return config;
  });
  finder = new ResourceTimingFinder((entry) => entry.name.startsWith(server.origin)).start();
  eject = recordApiCalls(client, {
    currentPage: () => page,
    finder,
    record: (sample) => samples.push(sample),
    waitMs: 2_000,
  });
});

afterEach(() => {
  eject();
  finder.stop();
});

async function recorded(count: number): Promise<ApiCallSample[]> {
  const until = Date.now() + 5_000;
  while (samples.length < count && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
  return samples;
}

describe('recordApiCalls', () => {
  it('records a call with its route pattern, request id, status, page and attempt, joined with Resource Timing', async () => {
    const response = await client.get('/api/v1/orders/6d1f', { rumRoute: '/api/v1/orders/:id', params: { x: 'a b' } });
    const [sample] = await recorded(1);
    expect(sample).toMatchObject({
      type: 'api-call',
      route: '/api/v1/orders/:id',
      method: 'GET',
      status: 200,
      requestId: response.headers[REQUEST_ID_HEADER],
      page: 'orders',
      attempt: 1,
    });
    // Node's entries have request/response times (so phases) but no protocol.
    expect(sample?.phases).toBeDefined();
    expect(sample?.protocol).toBe('unknown');
    expect(ApiCallSample.safeParse(sample).success).toBe(true);
  });

  it('keeps the attempt number and the error status', async () => {
    await client.patch('/api/v1/orders/missing', {}, { rumRoute: '/api/v1/orders/:id', attempt: 3 });
    const [sample] = await recorded(1);
    expect(sample).toMatchObject({ method: 'PATCH', status: 404, attempt: 3 });
  });

  it('records the id the API answered with when it replaced the one sent', async () => {
    await client.get('/api/v1/orders', { rumRoute: '/api/v1/orders', headers: { [REQUEST_ID_HEADER]: 'not valid!' } });
    const [sample] = await recorded(1);
    expect(sample?.requestId).toBe('server-made-id');
  });

  it('gives a call that sent no id and got none back an id of its own (the request-id lab, naive)', async () => {
    client.interceptors.request.eject(idInterceptor);
    const response = await client.get('/api/v1/orders', { rumRoute: '/api/v1/orders' });
    expect(response.headers[REQUEST_ID_HEADER]).toBeUndefined();
    const [sample] = await recorded(1);
    expect(sample?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ApiCallSample.safeParse(sample).success).toBe(true);
  });

  it('records a call that got no answer as status 0, with the duration axios saw and no phases', async () => {
    await expect(client.get('/api/v1/orders/hang', { rumRoute: '/api/v1/orders/:id', timeout: 200 })).rejects.toThrow();
    const [sample] = await recorded(1);
    expect(sample).toMatchObject({ status: 0, protocol: 'unknown', route: '/api/v1/orders/:id' });
    expect(sample?.phases).toBeUndefined();
    expect(sample?.durationMs).toBeGreaterThan(0);
    expect(ApiCallSample.safeParse(sample).success).toBe(true);
  });

  it('does not record calls without a contract route, or made on a page RUM does not name', async () => {
    await client.get('/api/v1/orders');
    await client.get('/api/v1/whatever', { rumRoute: '/api/v1/whatever' });
    page = undefined;
    await client.get('/api/v1/orders', { rumRoute: '/api/v1/orders' });
    page = 'customers';
    await client.get('/api/v1/reports/customers', { rumRoute: '/api/v1/reports/customers' });
    const found = await recorded(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(found.map((sample) => [sample.route, sample.page])).toEqual([['/api/v1/reports/customers', 'customers']]);
  });

  it('records nothing once ejected', async () => {
    eject();
    await client.get('/api/v1/orders', { rumRoute: '/api/v1/orders' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(samples).toEqual([]);
  });
});
