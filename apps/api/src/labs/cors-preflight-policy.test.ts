import { afterAll, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, useStartedApi } from '../../test/api-server.js';
import { CORS_ALLOWED_HEADERS, PREFLIGHT_MAX_AGE_SECONDS } from './cors-preflight-policy.js';

const started = useStartedApi();

afterAll(() => {
  started.api?.app.labs.set('cors-preflight', 'tuned');
});

const preflight = (requestHeaders: string) =>
  started.client.request({
    method: 'OPTIONS',
    path: '/api/v1/orders',
    headers: {
      origin: ALLOWED_ORIGIN,
      'access-control-request-method': 'POST',
      'access-control-request-headers': requestHeaders,
    },
  });

describe('lab cors-preflight on the server', () => {
  it('tuned: the browser cap as max-age and one sorted, lowercase, complete list, whatever was asked', async () => {
    started.api.app.labs.set('cors-preflight', 'tuned');
    expect(PREFLIGHT_MAX_AGE_SECONDS).toBe(7200);
    expect(CORS_ALLOWED_HEADERS).toEqual([...CORS_ALLOWED_HEADERS].sort());
    expect(CORS_ALLOWED_HEADERS.every((header) => header === header.toLowerCase())).toBe(true);
    for (const asked of ['content-type', 'content-type, idempotency-key, x-request-id, x-request-timeout']) {
      const res = await preflight(asked);
      expect(res.status).toBe(204);
      expect(res.headers['access-control-max-age']).toBe('7200');
      expect(String(res.headers['access-control-allow-headers']).split(/,\s*/)).toEqual(CORS_ALLOWED_HEADERS);
    }
  });

  it('naive: no max-age, and only the headers this preflight asked for', async () => {
    started.api.app.labs.set('cors-preflight', 'naive');
    try {
      const res = await preflight('content-type, x-request-id');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(res.headers['access-control-max-age']).toBeUndefined();
      expect(res.headers['access-control-allow-headers']).toBe('content-type, x-request-id');
      expect(res.headers.vary).toContain('Access-Control-Request-Headers');
    } finally {
      started.api.app.labs.set('cors-preflight', 'tuned');
    }
  });

  it('switches at run time without a restart', async () => {
    started.api.app.labs.set('cors-preflight', 'naive');
    expect((await preflight('x-request-id')).headers['access-control-max-age']).toBeUndefined();
    started.api.app.labs.set('cors-preflight', 'tuned');
    expect((await preflight('x-request-id')).headers['access-control-max-age']).toBe('7200');
  });
});
