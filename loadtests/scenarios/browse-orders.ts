// Browse: page through the orders list with the cursor, open a few orders.
// k6 run -e PROFILE=load scenarios/browse-orders.ts
import { sleep } from 'k6';
import type { Options } from 'k6/options';
import { callApi } from '../lib/api.ts';
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
    ...routeLatency('/api/v1/orders', 300, 500),
    ...routeLatency('/api/v1/orders/:id', 200, 400),
  },
};

type Page = { items: { id: string }[]; nextCursor: string | null };

/** Signs in once; every VU's calls send that session. */
export function setup(): Session {
  return signIn();
}

export default function browseOrders(session: Session) {
  useSession(session);
  let cursor: string | null = null;
  for (let page = 0; page < 3; page++) {
    const query: string = cursor ? `&cursor=${cursor}` : '';
    const { res, requestId } = callApi('GET', `/api/v1/orders?limit=20${query}`, '/api/v1/orders');
    const data = checkEnvelope(res, 200, requestId)?.data as Page | undefined;
    for (const order of data?.items.slice(0, 2) ?? []) {
      const detail = callApi('GET', `/api/v1/orders/${order.id}`, '/api/v1/orders/:id');
      checkEnvelope(detail.res, 200, detail.requestId);
    }
    cursor = data?.nextCursor ?? null;
    if (!cursor) break;
    sleep(0.5);
  }
}
