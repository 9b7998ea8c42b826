import { ErrorEnvelope, endpoints, HealthEnvelope, ReadinessEnvelope } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { useStartedApi } from '../../../test/api-server.js';
import type { Database } from '../../db/database.js';

describe('health endpoints', () => {
  const started = useStartedApi();

  it('/healthz says the process is up', async () => {
    const res = await started.client.request({ path: '/healthz' });
    expect(res.status).toBe(200);
    const body = HealthEnvelope.parse(res.json());
    expect(body.data.status).toBe('ok');
    expect(body.data.uptimeSeconds).toBeGreaterThan(0);
  });

  it('/readyz says the database answers and which one it is', async () => {
    const res = await started.client.request({ path: '/readyz' });
    expect(res.status).toBe(200);
    expect(ReadinessEnvelope.parse(res.json()).data).toEqual({ status: 'ready', database: 'pglite' });
  });
});

describe('/readyz once a shutdown has begun draining', () => {
  const started = useStartedApi();

  it('answers 503 NOT_READY while /healthz and the API still answer', async () => {
    started.api.app.shutdownDrain.begin();
    const ready = await started.client.request({ path: '/readyz' });
    expect(ready.status).toBe(503);
    const body = ErrorEnvelope.parse(ready.json());
    expect(body).toMatchObject({ code: 50301, data: { error: 'NOT_READY' } });
    expect(body.message).toMatch(/shutting down/i);
    expect((await started.client.request({ path: '/healthz' })).status).toBe(200);
    const orders = await started.client.request({ path: `${endpoints.listOrders.path}?limit=1` });
    expect(orders.status).toBe(200);
  });
});

describe('/readyz with a database that does not answer', () => {
  const unreachable: Database = {
    kind: 'postgres',
    query: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    },
    exec: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    },
    transaction: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    },
    close: async () => {},
  };
  const started = useStartedApi({ database: unreachable, signIn: false });

  it('answers 503 NOT_READY without the driver message', async () => {
    const res = await started.client.request({ path: '/readyz' });
    expect(res.status).toBe(503);
    const body = ErrorEnvelope.parse(res.json());
    expect(body).toMatchObject({ code: 50301, data: { error: 'NOT_READY' } });
    expect(body.message).toMatch(/database/i);
    expect(res.text).not.toContain('ECONNREFUSED');
  });

  it('keeps /healthz at 200: the process is still up', async () => {
    const res = await started.client.request({ path: '/healthz' });
    expect(res.status).toBe(200);
  });
});
