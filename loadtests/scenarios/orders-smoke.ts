// The orders journey: list a page, open an order, create one, read it back.
// k6 run scenarios/orders-smoke.ts            (smoke: 1 VU, 10 iterations)
// k6 run -e PROFILE=load scenarios/orders-smoke.ts
import { group } from 'k6';
import type { Options } from 'k6/options';
import { callApi as request, sampleOrder } from '../lib/api.ts';
import { checkEnvelope } from '../lib/checks.ts';
import { config } from '../lib/config.ts';
import { profile } from '../lib/profiles.ts';
import { type Session, signIn, useSession } from '../lib/session.ts';
import { commonThresholds, routeLatency } from '../lib/thresholds.ts';

export const options: Options = {
  ...profile(config.profile),
  insecureSkipTLSVerify: true, // the development certificate is self-signed
  thresholds: {
    ...commonThresholds,
    ...routeLatency('/api/v1/orders', 300, 500),
    ...routeLatency('/api/v1/orders/:id', 200, 400),
  },
};

type Order = { id: string; total: number };

/** Signs in once; every VU's calls send that session. */
export function setup(): Session {
  return signIn();
}

export default function ordersJourney(session: Session) {
  useSession(session);
  let firstId: string | undefined;
  group('browse orders', () => {
    const { res, requestId } = request('GET', '/api/v1/orders?limit=20', '/api/v1/orders');
    const page = checkEnvelope(res, 200, requestId)?.data as { items: Order[] } | undefined;
    firstId = page?.items[0]?.id;
  });
  if (firstId) {
    group('open an order', () => {
      const { res, requestId } = request('GET', `/api/v1/orders/${firstId}`, '/api/v1/orders/:id');
      checkEnvelope(res, 200, requestId);
    });
  }
  group('create an order', () => {
    const { res, requestId } = request('POST', '/api/v1/orders', '/api/v1/orders', sampleOrder());
    const created = checkEnvelope(res, 201, requestId)?.data as Order | undefined;
    if (created) {
      const readBack = request('GET', `/api/v1/orders/${created.id}`, '/api/v1/orders/:id');
      checkEnvelope(readBack.res, 200, readBack.requestId);
    }
  });
}
