// Create: place an order, read it back, move it along its statuses.
// k6 run -e PROFILE=load scenarios/create-order.ts
import type { Options } from 'k6/options';
import { callApi, sampleOrder } from '../lib/api.ts';
import { checkEnvelope } from '../lib/checks.ts';
import { config } from '../lib/config.ts';
import { profile } from '../lib/profiles.ts';
import { type Session, signIn, useSession } from '../lib/session.ts';
import { commonThresholds, routeLatency } from '../lib/thresholds.ts';

export const options: Options = {
  ...profile(config.profile),
  insecureSkipTLSVerify: true,
  thresholds: {
    ...commonThresholds,
    ...routeLatency('/api/v1/orders', 400, 800),
    ...routeLatency('/api/v1/orders/:id', 300, 600),
  },
};

/** Signs in once; every VU's calls send that session. */
export function setup(): Session {
  return signIn();
}

export default function createOrder(session: Session) {
  useSession(session);
  const created = callApi('POST', '/api/v1/orders', '/api/v1/orders', sampleOrder());
  const order = checkEnvelope(created.res, 201, created.requestId)?.data as { id: string } | undefined;
  if (!order) return;
  const readBack = callApi('GET', `/api/v1/orders/${order.id}`, '/api/v1/orders/:id');
  checkEnvelope(readBack.res, 200, readBack.requestId);
  for (const status of ['paid', 'shipped']) {
    const moved = callApi('PATCH', `/api/v1/orders/${order.id}`, '/api/v1/orders/:id', { status });
    checkEnvelope(moved.res, 200, moved.requestId);
  }
}
