import { beforeAll, describe, expect, it } from 'vitest';
import { useRecordingServer } from '../../test/recording-server';
import { sendRumBeacon } from './rum-beacon';

// The fetch fallback posts to a real server.
const server = useRecordingServer((_request, response) => response.writeHead(202).end());
const { seen: received } = server;
let url: string;

beforeAll(() => {
  url = `${server.origin}/api/v1/rum`;
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
    sendRumBeacon(url, BODY, { sendBeacon: () => false, fetch: globalThis.fetch.bind(globalThis) });
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]).toMatchObject({ method: 'POST', body: BODY });
    expect(received[0]?.headers['content-type']).toBe('text/plain;charset=UTF-8');
  });

  it('posts with fetch when there is no sendBeacon, and never throws when that fails', async () => {
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
