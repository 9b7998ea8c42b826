import { describe, expect, it } from 'vitest';
import { openConnections, trackOpen } from './open-connections';
import { setTrackedInterval, setTrackedTimeout } from './tracked-timers';

describe('the open-connections registry', () => {
  it('counts a resource open until it is released, once', () => {
    const before = openConnections.eventSources;
    const release = trackOpen('eventSources');
    const other = trackOpen('eventSources');
    expect(openConnections.eventSources).toBe(before + 2);
    release();
    release();
    expect(openConnections.eventSources).toBe(before + 1);
    other();
    expect(openConnections.eventSources).toBe(before);
  });

  it('counts a timeout until it fires', async () => {
    const before = openConnections.timers;
    const fired = new Promise<void>((resolve) => setTrackedTimeout(resolve, 5));
    expect(openConnections.timers).toBe(before + 1);
    await fired;
    expect(openConnections.timers).toBe(before);
  });

  it('counts a timeout or an interval until it is cancelled', () => {
    const before = openConnections.timers;
    const cancelTimeout = setTrackedTimeout(() => {}, 60_000);
    const cancelInterval = setTrackedInterval(() => {}, 60_000);
    expect(openConnections.timers).toBe(before + 2);
    cancelTimeout();
    cancelInterval();
    cancelInterval();
    expect(openConnections.timers).toBe(before);
  });
});
