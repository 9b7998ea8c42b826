// SSE listener: what a tab with the live activity feed does. Open GET /api/v1/events,
// create an order while it is open, browse a page, and check the stream delivered the
// order.created event of the order this VU made (see lib/event-stream.ts for what k6 can
// and cannot see of a stream).
// k6 run scenarios/sse-listener.ts
// k6 run -e PROFILE=load -e BASE_URL=https://localhost:8443 scenarios/sse-listener.ts
import { check, sleep } from 'k6';
import { Counter, Rate } from 'k6/metrics';
import type { Options } from 'k6/options';
import { callApi, sampleOrder } from '../lib/api.ts';
import { checkEnvelope } from '../lib/checks.ts';
import { config } from '../lib/config.ts';
import { openEventStream, readEventStream } from '../lib/event-stream.ts';
import { profile } from '../lib/profiles.ts';
import { type Session, signIn, useSession } from '../lib/session.ts';
import { routeErrors, routeLatency } from '../lib/thresholds.ts';

/** How long each listener holds its stream; the client's timeout ends it. */
const LISTEN_SECONDS = 5;

const sseEvents = new Counter('tandem_k6_sse_events');
const ownEventSeen = new Rate('tandem_k6_sse_own_event_seen');

export const options: Options = {
  ...profile(config.profile),
  insecureSkipTLSVerify: true,
  thresholds: {
    // Every stream "fails" in k6's eyes (cut by its timeout): error rates are per route.
    ...routeErrors('/api/v1/orders'),
    checks: ['rate>0.99'],
    ...routeLatency('/api/v1/orders', 400, 800),
    tandem_k6_sse_events: ['count>0'],
    tandem_k6_sse_own_event_seen: ['rate>0.99'],
  },
};

type Order = { id: string };

/** Signs in once; every VU's calls send that session. */
export function setup(): Session {
  return signIn();
}

export default async function sseListener(session: Session) {
  useSession(session);
  const stream = openEventStream(LISTEN_SECONDS);
  sleep(0.5); // let the stream open before the order it should report is made

  const created = callApi('POST', '/api/v1/orders', '/api/v1/orders', sampleOrder());
  const order = checkEnvelope(created.res, 201, created.requestId)?.data as Order | undefined;
  const list = callApi('GET', '/api/v1/orders?limit=20', '/api/v1/orders');
  checkEnvelope(list.res, 200, list.requestId);

  const res = await stream;
  const { opened, events, text } = readEventStream(res.body as string | null);
  sseEvents.add(events);
  const seen = order !== undefined && text.includes(`"id":"${order.id}"`);
  ownEventSeen.add(seen);
  check(res, {
    'stream opened (retry: first)': () => opened,
    'stream held until the client cut it': (r) => r.timings.duration >= LISTEN_SECONDS * 1000 * 0.9,
    'stream delivered this VU’s order.created': () => seen,
  });
}
