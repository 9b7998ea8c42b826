import { LAB_IDS, type LabId } from '@tandem/contract/labs';
import { describe, expect, it } from 'vitest';
import { useStartedApi } from '../../test/api-server.js';
import { compareCustomerNames } from '../customer-name-order.js';
import { CACHED_PREFLIGHT } from '../plugins/external/cors.js';
import { eventLoopScryptHasher } from './auth-cost.js';
import { UNCACHED_PREFLIGHT } from './cors-preflight.js';
import { NO_HEARTBEAT } from './heartbeat.js';
import { LABS } from './index.js';
import { compareNamesPerCallCollator } from './profiling.js';

/** Functions by identity, anything else by value. */
const same = (a: unknown, b: unknown) =>
  typeof a === 'function' || typeof b === 'function' ? a === b : JSON.stringify(a) === JSON.stringify(b);
const changedKeys = (before: Record<string, unknown>, after: Record<string, unknown>) =>
  Object.keys(after).filter((key) => !same(before[key], after[key]));

describe('LABS', () => {
  it('has one definition per lab of the catalogue, each under its own id', () => {
    expect(Object.keys(LABS).sort()).toEqual([...LAB_IDS].sort());
    for (const [id, lab] of Object.entries(LABS)) expect(lab.id).toBe(id);
  });
});

describe('the lab layer maps each lab’s mode onto the API’s seams, at start and at run time', () => {
  // Every lab starts naive: the start values reach the seams too.
  const started = useStartedApi({
    env: {
      LABS_ENABLED: 'true',
      ...Object.fromEntries(LAB_IDS.map((id) => [`LAB_MODE_${id.toUpperCase().replaceAll('-', '_')}`, 'naive'])),
    },
  });
  const app = () => started.api.app;

  /** What each lab's seams read now, by lab. */
  const seamsOf = (): Record<string, unknown> => ({
    'cors-preflight': app().corsPreflight.get(),
    'request-id': app().requestIdPolicy.get(),
    timeout: app().deadlinePolicy.get(),
    heartbeat: app().heartbeatPolicy.get(),
    'batch-weight': app().rateLimiter.weighting,
    // The batch read: the product's, or the lab's per-id decorator over it.
    'orders repository': app().ordersRepository.findMany,
    profiling: app().customerNameComparator.get(),
    // Its hash function, compared by identity (the hasher object would compare as {}).
    'password hasher': app().passwordHasher.get().hash,
    'session cache': app().sessionCachePolicy.get(),
    'first-page cache': app().ordersPageCache.enabled,
  });

  it('naive, from LAB_MODE_*: each seam holds the lab’s naive side', () => {
    expect(LAB_IDS.every((id) => app().labs.mode(id) === 'naive')).toBe(true);
    expect(seamsOf()).toEqual({
      'cors-preflight': UNCACHED_PREFLIGHT,
      'request-id': { echo: false },
      timeout: { enforce: false },
      heartbeat: NO_HEARTBEAT,
      'batch-weight': 'per-request',
      'orders repository': expect.any(Function),
      profiling: compareNamesPerCallCollator,
      'password hasher': eventLoopScryptHasher.hash,
      'session cache': { ttlMs: 0 },
      // Suspended by the serialization and date-codec labs.
      'first-page cache': false,
    });
  });

  it('tuned, flipped one lab at a time: each seam is back to the product’s default', () => {
    for (const id of LAB_IDS) app().labs.set(id, 'tuned');
    const tuned = seamsOf();
    expect(tuned).toMatchObject({
      'cors-preflight': CACHED_PREFLIGHT,
      'request-id': { echo: true },
      timeout: { enforce: true },
      'batch-weight': 'weighted',
      profiling: compareCustomerNames,
      'first-page cache': true,
    });
    expect(tuned['password hasher']).not.toBe(eventLoopScryptHasher.hash);
    expect(tuned['session cache']).toEqual({ ttlMs: 5000 });
    expect(tuned.heartbeat).toMatchObject({ wsPing: { intervalMs: 30_000 }, sseHeartbeatMs: 15_000 });
  });

  it('naive again: one flip changes only its own lab’s seams', () => {
    const flips: [LabId, string[]][] = [
      ['cors-preflight', ['cors-preflight']],
      ['request-id', ['request-id']],
      ['timeout', ['timeout']],
      ['heartbeat', ['heartbeat']],
      ['batch-weight', ['batch-weight', 'orders repository']],
      ['profiling', ['profiling']],
      ['auth-cost', ['password hasher', 'session cache']],
      ['serialization', ['first-page cache']],
      ['date-codec', ['first-page cache']],
    ];
    for (const [id, seams] of flips) {
      const before = seamsOf();
      app().labs.set(id, 'naive');
      const after = seamsOf();
      expect(changedKeys(before, after), id).toEqual(seams);
      app().labs.set(id, 'tuned');
      expect(changedKeys(before, seamsOf()), `${id} back to tuned`).toEqual([]);
    }
  });

  it('leaves the seams alone for the labs whose sides live in the SPA, a script or the start config', () => {
    const before = seamsOf();
    for (const id of ['h2-sse', 'leaks', 'retry-429', 'versioning', 'scale-out'] as const) {
      app().labs.set(id, 'tuned');
      app().labs.set(id, 'naive');
      expect(changedKeys(before, seamsOf()), id).toEqual([]);
    }
  });
});
