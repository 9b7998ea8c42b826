// Lab scale-out at protocol level, against the balancer (HAProxy in front of the replicas:
// `npm run demo -- --replicas 3`, or docker compose): what one client gets through, and
// whether a tab's activity feed hears of the orders the balancer sent to other replicas.
// k6 run -e BASE_URL=https://localhost:8443 -e LAB_MODE=naive -e DEMO_PASSWORD=… scenarios/labs/scale-out.ts
// k6 run -e BASE_URL=https://localhost:8443 -e LAB_MODE=tuned -e DEMO_PASSWORD=… scenarios/labs/scale-out.ts
//
// The switch has a start value only (LAB_MODE_SCALE_OUT, docs/labs/scale-out.md says why):
// start the replicas with the setting you measure; setup() reads GET /api/v1/labs and stops
// the run when the replica it reached runs the other one. Each iteration opens the event
// stream through the balancer (it stays on one replica), creates ORDERS orders through the
// balancer (spread over the replicas), asks GET /api/version CALLS times (1 unit of the
// client's api budget each), and reads the stream: tandem_k6_scale_own_orders_seen is the
// share of its own orders the stream delivered (tuned: all; naive: about one in the number
// of replicas), tandem_k6_scale_admitted / _refused the budget calls' answers (their rates in
// the summary: tuned about RATE_LIMIT_API_UNITS_PER_SECOND after the burst, naive up to one
// budget per replica). Every VU is one client key (one address): they share one budget.
// `pnpm lab scale-out` is the same question with its counts held to targets.
import { check, sleep } from 'k6';
import http from 'k6/http';
import { Counter, Rate } from 'k6/metrics';
import type { Options } from 'k6/options';
import { callApi, sampleOrder } from '../../lib/api.ts';
import { checkEnvelope } from '../../lib/checks.ts';
import { config } from '../../lib/config.ts';
import { openEventStream, readEventStream } from '../../lib/event-stream.ts';
import { labTags } from '../../lib/lab-switch.ts';
import { profile } from '../../lib/profiles.ts';
import { type Session, signIn, useSession } from '../../lib/session.ts';
import { routeErrors } from '../../lib/thresholds.ts';

/** How long each stream is held (the client's timeout ends it), orders created and budget calls per iteration. */
const LISTEN_SECONDS = 5;
const ORDERS = 3;
const CALLS = 20;

const ownOrdersSeen = new Rate('tandem_k6_scale_own_orders_seen');
const admitted = new Counter('tandem_k6_scale_admitted');
const refused = new Counter('tandem_k6_scale_refused');

export const options: Options = {
  ...profile(config.profile),
  insecureSkipTLSVerify: true,
  tags: labTags('scale-out'),
  thresholds: {
    // Streams "fail" in k6's eyes (cut by their timeout) and 429s are expected: errors per route.
    ...routeErrors('/api/v1/orders'),
    // Tuned, every replica's stream delivers every order; naive is expected to miss most.
    ...(config.labMode === 'tuned' ? { tandem_k6_scale_own_orders_seen: ['rate>0.99'] } : {}),
  },
};

export function setup(): Session {
  const labs = http.get(`${config.baseUrl}/api/v1/labs`, { tags: { route: '/api/v1/labs', name: 'GET /api/v1/labs' } });
  const running = (labs.json('data.items') as { id: string; mode: string }[] | undefined)?.find(
    (lab) => lab.id === 'scale-out',
  )?.mode;
  if (labs.status !== 200 || running === undefined) {
    throw new Error(
      `GET /api/v1/labs answered ${labs.status} without the scale-out lab: start the replicas with LABS_ENABLED=true`,
    );
  }
  if (running !== config.labMode) {
    throw new Error(
      `LAB_MODE=${config.labMode}, but the replicas run scale-out ${running}: restart them with LAB_MODE_SCALE_OUT=${config.labMode} (it is read at start only)`,
    );
  }
  return signIn();
}

const createdOrRefused = http.expectedStatuses(201, 429);
const admittedOrRefused = http.expectedStatuses(200, 429);

export default async function scaleOutLab(session: Session) {
  useSession(session);
  const stream = openEventStream(LISTEN_SECONDS);
  sleep(0.5); // let the stream open before the orders it should report are made

  const created: string[] = [];
  for (let n = 0; n < ORDERS; n++) {
    const { res, requestId } = callApi('POST', '/api/v1/orders', '/api/v1/orders', sampleOrder(), {
      responseCallback: createdOrRefused,
    });
    if (res.status === 429) continue;
    const order = checkEnvelope(res, 201, requestId)?.data as { id: string } | undefined;
    if (order) created.push(order.id);
  }
  for (let n = 0; n < CALLS; n++) {
    const { res } = callApi('GET', '/api/version', '/api/version', undefined, { responseCallback: admittedOrRefused });
    if (res.status === 200) admitted.add(1);
    else refused.add(1);
  }

  const { opened, text } = readEventStream((await stream).body as string | null);
  for (const id of created) ownOrdersSeen.add(text.includes(`"id":"${id}"`));
  check(null, { 'stream opened (retry: first)': () => opened });
}
