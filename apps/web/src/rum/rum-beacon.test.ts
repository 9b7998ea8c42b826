import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRumBeacon } from './rum-beacon';

// The fetch fallback posts to a real server.
let server: Server;
let url: string;
let received: { method: string; headers: IncomingHttpHeaders; body: string }[];

beforeAll(async () => {
  received = [];
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ method: request.method ?? '', headers: request.headers, body });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/rum`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const BODY = '{"app":"@tandem/web@test","samples":[]}';

describe('sendRumBeacon', () => {
  it('hands the batch to sendBeacon as a text/plain Blob, and stops there when it is queued', async () => {
    const beacons: { url: string; data: Blob }[] = [];
    let fetched = false;
    sendRumBeacon(url, BODY, {
      sendBeacon: (to, data) => beacons.push({ url: to, data }) > 0,
      fetch: async () => {
        fetched = true;
        return new Response();
      },
    });
    expect(beacons).toHaveLength(1);
    expect(beacons[0]?.url).toBe(url);
    expect(beacons[0]?.data.type).toBe('text/plain;charset=utf-8');
    expect(await beacons[0]?.data.text()).toBe(BODY);
    expect(fetched).toBe(false);
  });

  it('posts with fetch when the browser will not queue the beacon', async () => {
    received.length = 0;
    sendRumBeacon(url, BODY, { sendBeacon: () => false, fetch: globalThis.fetch.bind(globalThis) });
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]).toMatchObject({ method: 'POST', body: BODY });
    expect(received[0]?.headers['content-type']).toBe('text/plain;charset=UTF-8');
  });

  it('posts with fetch when there is no sendBeacon, and never throws when that fails', async () => {
    received.length = 0;
    sendRumBeacon(url, BODY, { sendBeacon: undefined, fetch: globalThis.fetch.bind(globalThis) });
    await expect.poll(() => received.length).toBe(1);
    expect(() =>
      sendRumBeacon('http://127.0.0.1:1/api/v1/rum', BODY, {
        sendBeacon: undefined,
        fetch: globalThis.fetch.bind(globalThis),
      }),
    ).not.toThrow();
  });
});
