import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveResourceOpened, observeLiveResources } from '../live/live-resources';
import { setLiveInterval, setLiveTimeout } from '../live/live-timers';
import { countOpenConnections, openConnections } from './open-connections';

beforeEach(() => observeLiveResources(countOpenConnections));
afterEach(() => observeLiveResources(undefined));

describe('the open-connections registry', () => {
  it('counts a resource the product reports open until it is released, once', () => {
    const before = openConnections.eventSources;
    const release = liveResourceOpened('eventSource');
    const other = liveResourceOpened('eventSource');
    expect(openConnections.eventSources).toBe(before + 2);
    release();
    release();
    expect(openConnections.eventSources).toBe(before + 1);
    other();
    expect(openConnections.eventSources).toBe(before);
  });

  it('counts a timeout until it fires', async () => {
    const before = openConnections.timers;
    const fired = new Promise<void>((resolve) => setLiveTimeout(resolve, 5));
    expect(openConnections.timers).toBe(before + 1);
    await fired;
    expect(openConnections.timers).toBe(before);
  });

  it('counts a timeout or an interval until it is cancelled', () => {
    const before = openConnections.timers;
    const cancelTimeout = setLiveTimeout(() => {}, 60_000);
    const cancelInterval = setLiveInterval(() => {}, 60_000);
    expect(openConnections.timers).toBe(before + 2);
    cancelTimeout();
    cancelInterval();
    cancelInterval();
    expect(openConnections.timers).toBe(before);
  });
});
