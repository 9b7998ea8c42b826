// Lab timeout at protocol level: a client with an 800 ms deadline against the slow report.
// Each call sends X-Request-Timeout: 800 and gives up at 800 ms itself (k6's request
// timeout). Naive: the API ignores the deadline, every report statement runs its full
// LAB_SLOW_QUERY_MS in PostgreSQL after the client left. Tuned: each one is cancelled.
// Start the API with DATABASE_URL (PGlite cannot stop a running statement) and
// LAB_SLOW_QUERY_MS well above the deadline, e.g. 3000:
// k6 run -e LAB_MODE=naive -e ADMIN_TOKEN=… scenarios/labs/timeout.ts
// k6 run -e LAB_MODE=tuned -e ADMIN_TOKEN=… scenarios/labs/timeout.ts
//
// Queries cancelled = the change of the API's tandem_db_queries_cancelled_total over the
// run, read from /metrics in setup() and teardown() (METRICS_ENABLED=true; clean only when
// nothing else calls the API), in the summary as the gauge tandem_k6_queries_cancelled
// beside the counter tandem_k6_timeout_calls: the same number tuned, 0 naive.
// `pnpm lab timeout` also times when each statement stopped (pg_stat_activity).
import { check, sleep } from 'k6';
import http from 'k6/http';
import { Counter, Gauge } from 'k6/metrics';
import type { Options } from 'k6/options';
import { newRequestId } from '../../lib/checks.ts';
import { config } from '../../lib/config.ts';
import { type LabSetupData, labTags, restoreLab, switchLab } from '../../lib/lab-switch.ts';
import { readServerMetric } from '../../lib/server-metrics.ts';

const DEADLINE_MS = 800;
const ROUTE = '/api/v1/reports/orders';
const calls = new Counter('tandem_k6_timeout_calls');
const queriesCancelled = new Gauge('tandem_k6_queries_cancelled');

export const options: Options = {
  // A few slow calls at a time: each holds a pooled connection for the whole slow query when naive.
  vus: 4,
  duration: '30s',
  insecureSkipTLSVerify: true,
  tags: labTags('timeout'),
  thresholds: {
    // The client never waits past its deadline (plus its own scheduling), in either setting.
    [`http_req_duration{route:${ROUTE}}`]: [`p(99)<${DEADLINE_MS + 200}`],
    checks: ['rate>0.99'],
  },
};

interface TimeoutSetup extends LabSetupData {
  cancelled: number | null;
}

export function setup(): TimeoutSetup {
  return { ...switchLab('timeout'), cancelled: readServerMetric('tandem_db_queries_cancelled_total') };
}

export default function timeoutLab() {
  const res = http.get(`${config.baseUrl}${ROUTE}`, {
    headers: { 'X-Request-ID': newRequestId(), 'X-Request-Timeout': String(DEADLINE_MS) },
    timeout: `${DEADLINE_MS}ms`,
    // Giving up at the deadline (status 0) or a 504 are this lab's expected outcomes, not failures.
    responseCallback: http.expectedStatuses(0, 200, 504),
    tags: { route: ROUTE, name: `GET ${ROUTE}` },
  });
  calls.add(1);
  check(res, {
    'given up at the deadline, or answered': (r) => r.status === 0 || r.status === 200 || r.status === 504,
  });
  sleep(0.2);
}

export function teardown(data: TimeoutSetup) {
  // Let the last round's statements finish or be cancelled before reading the counter.
  sleep(5);
  const cancelled = readServerMetric('tandem_db_queries_cancelled_total');
  if (data.cancelled !== null && cancelled !== null) queriesCancelled.add(cancelled - data.cancelled);
  restoreLab('timeout', data);
}
