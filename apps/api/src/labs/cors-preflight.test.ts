import { afterAll, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, useStartedApi } from '../../test/api-server.js';
import { preflightOrders } from '../../test/clients.js';
import { CACHED_PREFLIGHT, CORS_ALLOWED_HEADERS } from '../plugins/external/cors.js';
import { UNCACHED_PREFLIGHT } from './cors-preflight.js';

const started = useStartedApi({ env: { LABS_ENABLED: 'true', LAB_MODE_CORS_PREFLIGHT: 'naive' } });

afterAll(() => {
  started.api?.app.labs.set('cors-preflight', 'tuned');
});

const preflight = (requestHeaders: string) => preflightOrders(started.client, ALLOWED_ORIGIN, requestHeaders);

describe('lab cors-preflight on the server', () => {
  it('starts naive from LAB_MODE_CORS_PREFLIGHT: no max-age, and only the headers this preflight asked for', async () => {
    expect(started.api.app.corsPreflight.get()).toEqual(UNCACHED_PREFLIGHT);
    const res = await preflight('content-type, x-request-id');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(res.headers['access-control-max-age']).toBeUndefined();
    expect(res.headers['access-control-allow-headers']).toBe('content-type, x-request-id');
    expect(res.headers.vary).toContain('Access-Control-Request-Headers');
  });

  it('tuned is the product’s policy: the browser cap as max-age and one complete list, whatever was asked', async () => {
    started.api.app.labs.set('cors-preflight', 'tuned');
    expect(started.api.app.corsPreflight.get()).toEqual(CACHED_PREFLIGHT);
    for (const asked of ['content-type', 'content-type, idempotency-key, x-request-id, x-request-timeout']) {
      const res = await preflight(asked);
      expect(res.status).toBe(204);
      expect(res.headers['access-control-max-age']).toBe('7200');
      expect(String(res.headers['access-control-allow-headers']).split(/,\s*/)).toEqual(CORS_ALLOWED_HEADERS);
    }
  });

  it('switches at run time without a restart', async () => {
    started.api.app.labs.set('cors-preflight', 'naive');
    expect((await preflight('x-request-id')).headers['access-control-max-age']).toBeUndefined();
    started.api.app.labs.set('cors-preflight', 'tuned');
    expect((await preflight('x-request-id')).headers['access-control-max-age']).toBe('7200');
  });
});
