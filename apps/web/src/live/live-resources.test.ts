import { afterEach, describe, expect, it } from 'vitest';
import { effectScope } from 'vue';
import { closeOnDispose, setCloseOnDispose } from './close-on-dispose';
import { type LiveResourceKind, liveResourceOpened, observeLiveResources } from './live-resources';
import { setLiveInterval, setLiveTimeout } from './live-timers';

function countingObserver() {
  const open: Record<LiveResourceKind, number> = { eventSource: 0, webSocket: 0, timer: 0 };
  observeLiveResources((kind) => {
    open[kind] += 1;
    return () => {
      open[kind] -= 1;
    };
  });
  return open;
}

afterEach(() => {
  observeLiveResources(undefined);
  setCloseOnDispose(true);
});

describe('live resources', () => {
  it('are reported open until released, once', () => {
    const open = countingObserver();
    const release = liveResourceOpened('eventSource');
    const other = liveResourceOpened('eventSource');
    expect(open.eventSource).toBe(2);
    release();
    release();
    expect(open.eventSource).toBe(1);
    other();
    expect(open.eventSource).toBe(0);
  });

  it('need no observer', () => {
    const release = liveResourceOpened('webSocket');
    expect(() => release()).not.toThrow();
  });

  it('count a timeout until it fires', async () => {
    const open = countingObserver();
    const fired = new Promise<void>((resolve) => setLiveTimeout(resolve, 5));
    expect(open.timer).toBe(1);
    await fired;
    expect(open.timer).toBe(0);
  });

  it('count a timeout or an interval until it is cancelled', () => {
    const open = countingObserver();
    const cancelTimeout = setLiveTimeout(() => {}, 60_000);
    const cancelInterval = setLiveInterval(() => {}, 60_000);
    expect(open.timer).toBe(2);
    cancelTimeout();
    cancelInterval();
    cancelInterval();
    expect(open.timer).toBe(0);
  });
});

describe('closeOnDispose', () => {
  it('closes with the scope by default', () => {
    let closed = 0;
    const scope = effectScope();
    scope.run(() => closeOnDispose(() => closed++));
    scope.stop();
    expect(closed).toBe(1);
  });

  it('leaves a scope set up after setCloseOnDispose(false) open, and only those', () => {
    let closed = 0;
    const before = effectScope();
    before.run(() => closeOnDispose(() => closed++));
    setCloseOnDispose(false);
    const after = effectScope();
    after.run(() => closeOnDispose(() => closed++));
    before.stop();
    after.stop();
    expect(closed).toBe(1);
  });
});
