// Lab auth-cost at protocol level: signed-in readers list their orders while a wave of
// sign-ins runs beside them. Compare the readers' latency (http_req_duration{route:/api/v1/orders})
// across two runs, one per LAB_MODE.
// k6 run -e LAB_MODE=naive -e ADMIN_TOKEN=… -e DEMO_PASSWORD=… scenarios/labs/auth-cost.ts
// k6 run -e LAB_MODE=tuned -e ADMIN_TOKEN=… -e DEMO_PASSWORD=… scenarios/labs/auth-cost.ts
//
// setup() flips the auth-cost switch to LAB_MODE (naive: scrypt on the event loop and a
// session query per request; tuned: scrypt on the thread pool and the session lookups
// cache) and signs in once for the readers. The `signIns` scenario signs the same account
// in over and over (WAVE VUs, default 4): start the API with the sign-in limits raised
// (RATE_LIMIT_SIGN_IN_* and RATE_LIMIT_SIGN_IN_ACCOUNT_* at e.g. 100000, and the api bucket
// for the readers), or most sign-ins are 429s and hash nothing. From /metrics, read in
// setup() and teardown(): the session queries per lookup (the change of
// tandem_session_lookups_total{outcome="database"} over all its outcomes: 1 naive, ≪ 1
// tuned) as the gauge tandem_k6_auth_session_queries_per_request, and the API's event-loop
// delay p99 since setup's scrape (prom-client empties it on every scrape; nothing else may
// scrape during the run) as tandem_k6_auth_event_loop_p99_ms. `pnpm lab auth-cost` is the
// same question, interleaved, with the event-loop delay per window.
import { check, sleep } from 'k6';
import http from 'k6/http';
import { Counter, Gauge } from 'k6/metrics';
import type { Options } from 'k6/options';
import { callApi } from '../../lib/api.ts';
import { checkEnvelope } from '../../lib/checks.ts';
import { config } from '../../lib/config.ts';
import { type LabSetupData, labTags, restoreLab, switchLab } from '../../lib/lab-switch.ts';
import { readServerMetric } from '../../lib/server-metrics.ts';
import { type Session, signIn, useSession } from '../../lib/session.ts';
import { routeErrors, routeLatency } from '../../lib/thresholds.ts';

const READERS = Number(__ENV.READERS ?? 6);
const WAVE = Number(__ENV.WAVE ?? 4);
const DURATION = __ENV.DURATION ?? '30s';

const signIns = new Counter('tandem_k6_auth_sign_ins');
const queriesPerRequest = new Gauge('tandem_k6_auth_session_queries_per_request');
const eventLoopP99 = new Gauge('tandem_k6_auth_event_loop_p99_ms');

export const options: Options = {
  insecureSkipTLSVerify: true,
  tags: labTags('auth-cost'),
  scenarios: {
    readers: { executor: 'constant-vus', exec: 'readOrders', vus: READERS, duration: DURATION },
    signIns: { executor: 'constant-vus', exec: 'signInAgain', vus: WAVE, duration: DURATION },
  },
  thresholds: {
    checks: ['rate>0.99'],
    ...routeErrors('/api/v1/orders'),
    // Loose on purpose: naive's p99 is about one password hash long; tuned stays far below it.
    ...routeLatency('/api/v1/orders', 1000, 2000),
  },
};

interface AuthCostSetup extends LabSetupData {
  session: Session;
  lookups: { database: number; all: number } | null;
}

function sessionLookups(): { database: number; all: number } | null {
  const database = readServerMetric('tandem_session_lookups_total', ['outcome="database"']);
  const all = readServerMetric('tandem_session_lookups_total');
  return database === null || all === null ? null : { database, all };
}

export function setup(): AuthCostSetup {
  const lab = switchLab('auth-cost');
  const session = signIn();
  return { ...lab, session, lookups: sessionLookups() };
}

export function readOrders(data: AuthCostSetup) {
  useSession(data.session);
  const { res, requestId } = callApi('GET', '/api/v1/orders?limit=20', '/api/v1/orders');
  checkEnvelope(res, 200, requestId);
  sleep(0.02);
}

const signedInOrLimited = http.expectedStatuses(200, 429);

export function signInAgain() {
  const res = http.post(
    `${config.baseUrl}/api/v1/auth/sign-in`,
    JSON.stringify({ email: config.email, password: config.password }),
    {
      headers: { 'Content-Type': 'application/json' },
      tags: { route: '/api/v1/auth/sign-in', name: 'POST /api/v1/auth/sign-in' },
      responseCallback: signedInOrLimited,
    },
  );
  check(res, { 'sign-in answered 200 (429: raise the sign-in limits)': (r) => r.status === 200 || r.status === 429 });
  if (res.status === 200) signIns.add(1);
}

export function teardown(data: AuthCostSetup) {
  // First: every scrape empties the delay histogram, the ones below included.
  const p99 = readServerMetric('nodejs_eventloop_lag_p99_seconds');
  if (p99 !== null) eventLoopP99.add(1000 * p99);
  const lookups = sessionLookups();
  if (data.lookups && lookups && lookups.all > data.lookups.all) {
    queriesPerRequest.add((lookups.database - data.lookups.database) / (lookups.all - data.lookups.all));
  }
  restoreLab('auth-cost', data);
}
