import { mkdtempSync, rmSync } from 'node:fs';
import { createSecureServer, type Http2SecureServer, type IncomingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTlsCertificate } from '@tandem/dev-cert';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventStreamFollower } from './event-stream-follower.js';

const created = (id: number, orderId: string) =>
  `id: ${id}\nevent: order.created\ndata: ${JSON.stringify({ type: 'order.created', seq: id, order: { id: orderId } })}\n\n`;

let certDir: string;
let server: Http2SecureServer;
/** The request headers of every stream opened, in order. */
let requests: IncomingHttpHeaders[];
/** What each request is answered: `end` ends the stream after the body, as a replica shutting down does. */
let answers: { status: number; body: string; end: boolean }[];

async function listen(): Promise<string> {
  const { cert, key } = await loadTlsCertificate({ devCertDir: certDir });
  server = createSecureServer({ cert, key }, (request, response) => {
    requests.push(request.headers);
    const answer = answers.shift() ?? { status: 200, body: ': idle\n\n', end: false };
    response.writeHead(answer.status, { 'content-type': 'text/event-stream' });
    if (answer.end) response.end(answer.body);
    else response.write(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://localhost:${(server.address() as AddressInfo).port}`;
}

beforeEach(() => {
  certDir = mkdtempSync(join(tmpdir(), 'tandem-follower-'));
  requests = [];
  answers = [];
});

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(certDir, { recursive: true, force: true });
});

describe('EventStreamFollower', () => {
  it('reopens an ended stream after the retry hint with Last-Event-ID, keeping every event in order', async () => {
    answers = [
      { status: 200, body: `retry: 20\nid: 6\n\n${created(7, 'a')}`, end: true },
      { status: 200, body: `retry: 20\n\n${created(8, 'b')}`, end: false },
    ];
    const follower = await EventStreamFollower.start({ origin: await listen(), cookie: 'tandem_session=x' });
    await expect.poll(() => follower.createdOrderIds()).toEqual(['a', 'b']);
    await follower.stop();

    expect(requests.map((headers) => headers['last-event-id'])).toEqual([undefined, '7']);
    expect(requests.every((headers) => headers.cookie === 'tandem_session=x')).toBe(true);
    expect(follower.events.map(({ id }) => id)).toEqual([7, 8]);
    expect(follower.reconnects).toBe(1);
  });

  it('keeps trying while the stream cannot be opened (a 502 between replicas), from the same id', async () => {
    answers = [
      { status: 200, body: `retry: 20\nid: 3\n\n`, end: true },
      { status: 502, body: '', end: true },
      { status: 503, body: '', end: true },
      { status: 200, body: created(4, 'c'), end: false },
    ];
    const follower = await EventStreamFollower.start({ origin: await listen(), cookie: 'tandem_session=x' });
    await expect.poll(() => follower.createdOrderIds()).toEqual(['c']);
    await follower.stop();

    expect(requests.map((headers) => headers['last-event-id'])).toEqual([undefined, '3', '3', '3']);
    expect(follower.failedOpens).toBe(2);
    expect(follower.reconnects).toBe(1);
  });

  it('stops without reconnecting: no request after stop()', async () => {
    answers = [{ status: 200, body: `retry: 20\nid: 1\n\n`, end: false }];
    const follower = await EventStreamFollower.start({ origin: await listen(), cookie: 'tandem_session=x' });
    await follower.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(requests).toHaveLength(1);
    expect(follower.reconnects).toBe(0);
  });
});
