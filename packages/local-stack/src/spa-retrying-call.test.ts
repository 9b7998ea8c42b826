import { type ClientHttp2Session, connect, createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { IDEMPOTENCY_KEY_HEADER } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPA_RETRY, spaRetryingCall } from './spa-retrying-call.js';

/** What the server answers, call after call: a status (with an optional body), or `reset` (no answer). */
type Answer = number | { status: number; body: object } | 'reset';

let server: Http2Server;
let session: ClientHttp2Session;
let script: Answer[] = [];
let received = 0;
const keysReceived: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    received++;
    keysReceived.push(request.headers[IDEMPOTENCY_KEY_HEADER] as string | undefined);
    const answer = script.shift() ?? 200;
    if (answer === 'reset') {
      response.stream.close(0x2); // INTERNAL_ERROR: the stream ends without an answer
      return;
    }
    const { status, body } = typeof answer === 'number' ? { status: answer, body: {} } : answer;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  session = connect(`http://127.0.0.1:${port}`);
});

afterAll(async () => {
  session.close();
  await new Promise((resolve) => server.close(resolve));
});

/** Runs one call against `answers`; no waiting between attempts (the jitter draws 0). */
async function call(answers: Answer[], request: Parameters<typeof spaRetryingCall>[1]) {
  script = [...answers];
  received = 0;
  keysReceived.length = 0;
  const result = await spaRetryingCall(
    async () => session,
    request,
    () => 0,
  );
  return { result, received };
}

describe('spaRetryingCall (the SPA retry rules, for the edge suite)', () => {
  it('retries a read after no answer and after a 502, until it succeeds', async () => {
    const { result, received } = await call(['reset', 502, 200], { path: '/orders' });
    expect(result).toMatchObject({ status: 200, attempts: 3 });
    expect(received).toBe(3);
  });

  it(`gives up after ${SPA_RETRY.maxAttempts} attempts and returns the last failure`, async () => {
    const { result } = await call([502, 502, 502, 200], { path: '/orders' });
    expect(result).toMatchObject({ status: 502, attempts: SPA_RETRY.maxAttempts });
  });

  it('never retries a 4xx other than 429, nor a 504', async () => {
    expect((await call([400, 200], { path: '/orders' })).result).toMatchObject({ status: 400, attempts: 1 });
    expect((await call([504, 200], { path: '/orders' })).result).toMatchObject({ status: 504, attempts: 1 });
  });

  it('retries a create only with an Idempotency-Key, the same key every time', async () => {
    const withoutKey = await call([502, 201], { method: 'POST', path: '/orders', body: '{}' });
    expect(withoutKey.result).toMatchObject({ status: 502, attempts: 1 });

    const withKey = await call(['reset', 201], {
      method: 'POST',
      path: '/orders',
      headers: { [IDEMPOTENCY_KEY_HEADER]: 'action-0001' },
      body: '{}',
    });
    expect(withKey.result).toMatchObject({ status: 201, attempts: 2 });
    expect(keysReceived).toEqual(['action-0001', 'action-0001']);
  });

  it('waits for a 503 that asks for a short delay, and gives up on one that asks for too long', async () => {
    const short = await call([{ status: 503, body: { data: { retryAfterMs: 1 } } }, 200], { path: '/orders' });
    expect(short.result).toMatchObject({ status: 200, attempts: 2 });
    const tooLong = { status: 429, body: { data: { retryAfterMs: SPA_RETRY.maxRetryAfterMs + 1 } } };
    expect((await call([tooLong, 200], { path: '/orders' })).result).toMatchObject({ status: 429, attempts: 1 });
  });
});
