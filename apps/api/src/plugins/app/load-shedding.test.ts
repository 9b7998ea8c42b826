import { ErrorCatalogue, ErrorEnvelope } from '@tandem/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, useStartedApi } from '../../../test/api-server.js';
import { eventually, type TestResponse } from '../../../test/clients.js';

/**
 * Real pressure, made deterministic: the test blocks the event loop it shares with the
 * app in a busy loop of BLOCK_MS, lets one turn of the loop run (timers, I/O: the
 * requests get through, slowly), and blocks again, until told to stop. Every sample then
 * sees an event-loop delay of about BLOCK_MS, far past the threshold the app was given;
 * once the blocking stops, the next samples are far under it. The test waits for the
 * app's own signals (/readyz), never for a duration.
 */
// Far apart, so that a busy test machine neither sheds on its own (a delay of a few tens of
// ms is ordinary there) nor misses the blocks: every sample while blocking sees ~BLOCK_MS.
const BLOCK_MS = 800;
const THRESHOLD_MS = 300;
const RETRY_AFTER_S = 1;

function holdEventLoopBusy(): () => void {
  let holding = true;
  const block = () => {
    if (!holding) return;
    const until = performance.now() + BLOCK_MS;
    while (performance.now() < until) {
      // Nothing: the point is that the event loop runs nothing else meanwhile.
    }
    setImmediate(block);
  };
  setImmediate(block);
  return () => {
    holding = false;
  };
}

const header = (res: TestResponse, name: string) => [res.headers[name]].flat()[0];

describe('load shedding (a real event-loop delay past LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS)', () => {
  const started = useStartedApi({
    env: {
      LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS: String(THRESHOLD_MS),
      LOAD_SHEDDING_MAX_EVENT_LOOP_UTILIZATION: '0',
      LOAD_SHEDDING_MAX_HEAP_USED_MB: '0',
      LOAD_SHEDDING_SAMPLE_INTERVAL_MS: '50',
      LOAD_SHEDDING_RETRY_AFTER_S: String(RETRY_AFTER_S),
    },
  });
  const get = (path: string) => started.client.request({ path, headers: { origin: ALLOWED_ORIGIN } });
  const statusOf = async (path: string) => (await get(path)).status;
  let release: (() => void) | undefined;
  afterEach(() => {
    release?.();
    started.api.app.loadSheddingPolicy.set({ shed: true });
  });

  it('sheds API calls with a 503 envelope and Retry-After while overloaded, keeps the probes apart, and recovers', {
    timeout: 60_000,
  }, async () => {
    // Starting (PGlite, the JIT) is itself a busy event loop: wait until the app says it is calm.
    expect(await eventually(() => statusOf('/readyz'), 200, 15_000)).toBe(200);
    expect(await eventually(() => statusOf('/api/v1/orders?limit=5'), 200, 15_000)).toBe(200);

    release = holdEventLoopBusy();
    expect(await eventually(() => statusOf('/readyz'), 503, 15_000)).toBe(503);

    const shed = await get('/api/v1/orders?limit=5');
    expect(shed.status).toBe(503);
    expect(header(shed, 'retry-after')).toBe(String(RETRY_AFTER_S));
    // Readable by the SPA: CORS headers and the request id, as on any answer.
    expect(header(shed, 'access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(header(shed, 'x-request-id')).toBeTruthy();
    const envelope = ErrorEnvelope.parse(shed.json());
    expect(envelope.code).toBe(ErrorCatalogue.OVERLOADED.code);
    expect(envelope.data.error).toBe('OVERLOADED');
    expect(envelope.data.retryAfterMs).toBe(RETRY_AFTER_S * 1000);

    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(ErrorEnvelope.parse(ready.json()).data.error).toBe('OVERLOADED');
    // Liveness and the scrape are never shed: a restart would not help, and the figures are wanted most now.
    expect(await statusOf('/healthz')).toBe(200);
    expect(await statusOf('/metrics')).toBe(200);

    release();
    release = undefined;
    expect(await eventually(() => statusOf('/readyz'), 200, 15_000)).toBe(200);
    expect(await eventually(() => statusOf('/api/v1/orders?limit=5'), 200, 15_000)).toBe(200);
  });

  it('with the policy off (app.loadSheddingPolicy), an overloaded API still answers', { timeout: 60_000 }, async () => {
    release = holdEventLoopBusy();
    expect(await eventually(() => statusOf('/readyz'), 503, 15_000)).toBe(503);
    expect(started.api.app.loadShedding.overloaded).toBe(true);

    started.api.app.loadSheddingPolicy.set({ shed: false });
    expect(started.api.app.loadShedding.shedding).toBe(false);
    expect(await statusOf('/api/v1/orders?limit=5')).toBe(200);
    expect(await statusOf('/readyz')).toBe(200);
  });
});

describe('load shedding off (every threshold 0)', () => {
  const started = useStartedApi();

  it('samples nothing and adds no check to the routes', async () => {
    const { app } = started.api;
    expect(app.loadShedding).toEqual({ overloaded: false, shedding: false });
    expect(app.printRoutes({ includeHooks: true })).not.toContain('shedWhenOverloadedHook');
  });
});
