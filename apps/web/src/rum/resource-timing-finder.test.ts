import { afterEach, describe, expect, it } from 'vitest';
import { useRecordingServer } from '../../test/recording-server';
import { ResourceTimingFinder } from './resource-timing-finder';

// Node's fetch adds real Resource Timing entries, delivered to a real PerformanceObserver.
const server = useRecordingServer((request, response) => {
  const delay = Number(new URL(request.url, 'http://x').searchParams.get('delay') ?? 0);
  setTimeout(() => response.end('{}'), delay);
});
let finder: ResourceTimingFinder;

afterEach(() => finder?.stop());

async function timedFetch(url: string) {
  const startedAt = performance.now();
  await (await fetch(url)).text();
  return { url, startedAt, endedAt: performance.now() };
}

describe('ResourceTimingFinder', () => {
  it("finds a call's entry, waiting for the observer to deliver it", async () => {
    finder = new ResourceTimingFinder((entry) => entry.name.startsWith(server.origin)).start();
    const call = await timedFetch(`${server.origin}/api/v1/orders?limit=20`);
    const entry = await finder.find(call, 5_000);
    expect(entry?.name).toBe(call.url);
    expect(entry?.startTime).toBeGreaterThanOrEqual(call.startedAt - 1);
  });

  it('gives two calls of one URL one entry each, by start time', async () => {
    finder = new ResourceTimingFinder((entry) => entry.name.startsWith(server.origin)).start();
    const url = `${server.origin}/api/v1/orders/same?delay=20`;
    const [first, second] = [await timedFetch(url), await timedFetch(url)];
    const [secondEntry, firstEntry] = await Promise.all([finder.find(second, 5_000), finder.find(first, 5_000)]);
    expect(firstEntry).toBeDefined();
    expect(secondEntry).toBeDefined();
    expect(firstEntry).not.toBe(secondEntry);
    expect(firstEntry?.startTime).toBeLessThan(second.startedAt);
    expect(secondEntry?.startTime).toBeGreaterThanOrEqual(second.startedAt - 1);
  });

  it('finds entries that were buffered before it started', async () => {
    const call = await timedFetch(`${server.origin}/api/v1/labs?before=1`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    finder = new ResourceTimingFinder((entry) => entry.name.startsWith(server.origin)).start();
    expect((await finder.find(call, 5_000))?.name).toBe(call.url);
  });

  it('gives up after the wait when no entry fits (another URL, an entry not wanted)', async () => {
    finder = new ResourceTimingFinder((entry) => !entry.name.includes('unwanted')).start();
    const unwanted = await timedFetch(`${server.origin}/unwanted`);
    expect(await finder.find(unwanted, 100)).toBeUndefined();
    const call = await timedFetch(`${server.origin}/api/v1/orders/a`);
    expect(await finder.find({ ...call, url: `${server.origin}/api/v1/orders/b` }, 100)).toBeUndefined();
  });

  it('does not hand an entry that started before the call to it', async () => {
    finder = new ResourceTimingFinder((entry) => entry.name.startsWith(server.origin)).start();
    const earlier = await timedFetch(`${server.origin}/api/v1/orders/early`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const later = { ...earlier, startedAt: performance.now(), endedAt: performance.now() + 10 };
    expect(await finder.find(later, 100)).toBeUndefined();
    // The entry is still there for its own call.
    expect((await finder.find(earlier, 100))?.name).toBe(earlier.url);
  });

  it('ends every wait at once when settled', async () => {
    finder = new ResourceTimingFinder(() => true).start();
    const waiting = finder.find({ url: `${server.origin}/never`, startedAt: 0, endedAt: performance.now() }, 60_000);
    finder.settle();
    expect(await waiting).toBeUndefined();
  });
});
