// Batch: read a page of ids, then fetch them back in one batch call (the batch-weight
// lab's request shape): order kept, a duplicate answered once, an unknown id reported.
// k6 run scenarios/batch-orders.ts
// k6 run -e PROFILE=load -e BASE_URL=https://localhost:8443 scenarios/batch-orders.ts
import { check, sleep } from 'k6';
import type { Options } from 'k6/options';
import { callApi } from '../lib/api.ts';
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
    ...routeLatency('/api/v1/orders/batch', 300, 600),
  },
};

/** Ids per batch: one page of the list (the API takes up to MAX_BATCH_IDS, 100). */
const BATCH_SIZE = 20;
/** A well-formed UUID no seeded or created order has: it must come back in `missing`. */
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

type Order = { id: string };
type Batch = { items: Order[]; missing: string[] };

/** Signs in once; every VU's calls send that session. */
export function setup(): Session {
  return signIn();
}

export default function batchOrders(session: Session) {
  useSession(session);
  const list = callApi('GET', `/api/v1/orders?limit=${BATCH_SIZE}`, '/api/v1/orders');
  const page = checkEnvelope(list.res, 200, list.requestId)?.data as { items: Order[] } | undefined;
  const ids = page?.items.map((order) => order.id) ?? [];
  if (ids.length === 0) return;

  // Newest last, the first id repeated, and the unknown id in the middle.
  const asked = [...ids].reverse();
  const query = [...asked.slice(0, 1), UNKNOWN_ID, ...asked.slice(1), asked[0]].join(',');
  const { res, requestId } = callApi('GET', `/api/v1/orders/batch?ids=${query}`, '/api/v1/orders/batch');
  const batch = checkEnvelope(res, 200, requestId)?.data as Batch | undefined;
  check(batch, {
    'batch keeps the order asked, each id once': (b) => b?.items.map((order) => order.id).join(',') === asked.join(','),
    'batch reports the unknown id in missing': (b) => b?.missing.length === 1 && b.missing[0] === UNKNOWN_ID,
  });
  sleep(0.5);
}
