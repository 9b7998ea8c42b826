// Lab batch-weight at protocol level: batch clients asking N ids per call, and what the
// limiter admits. Counts 429s, the ids (work units) admitted, and checks the RateLimit-*
// budget headers on every answer and Retry-After on every 429.
// k6 run -e PROFILE=load -e LAB_MODE=naive -e ADMIN_TOKEN=… scenarios/labs/batch-weight.ts
// k6 run -e PROFILE=load -e LAB_MODE=tuned -e ADMIN_TOKEN=… scenarios/labs/batch-weight.ts
//
// setup() flips the batch-weight switch to LAB_MODE (naive: every request costs 1 and a
// batch is read with one query per id; tuned: a batch costs its ids and is read with one
// query), then reads GET /api/v1/limits and stops the run if the API enforces the other
// weighting (no ADMIN_TOKEN and an API started with another LAB_MODE_BATCH_WEIGHT).
// Tuned, admitted ids/s stay at the api bucket's RATE_LIMIT_API_UNITS_PER_SECOND (plus
// its burst); naive admits up to N times that. Database queries per admitted batch (the
// change of tandem_db_query_duration_seconds_count for orders.get + orders.find_many over
// the change of 2xx batch answers, read from /metrics in setup() and teardown()) land in
// the summary as the gauge tandem_k6_batch_queries_per_admitted: ~1 tuned, ~N naive.
// `pnpm lab batch-weight` is the same question, interleaved and held to its targets.
import { check, sleep } from 'k6';
import http from 'k6/http';
import { Counter, Gauge, Rate } from 'k6/metrics';
import type { Options } from 'k6/options';
import { callApi } from '../../lib/api.ts';
import { checkEnvelope } from '../../lib/checks.ts';
import { config } from '../../lib/config.ts';
import { type LabSetupData, labTags, restoreLab, switchLab } from '../../lib/lab-switch.ts';
import { profile } from '../../lib/profiles.ts';
import { readServerMetric } from '../../lib/server-metrics.ts';
import { commonThresholds, routeLatency } from '../../lib/thresholds.ts';

/** Ids per batch call (the API takes up to MAX_BATCH_IDS, 100; one page holds up to 100). */
const BATCH_SIZE = 50;
const WEIGHTING = { naive: 'per-request', tuned: 'weighted' } as const;

const rejected = new Counter('tandem_k6_batch_rejected');
const admittedIds = new Counter('tandem_k6_batch_admitted_ids');
const budgetHeaders = new Rate('tandem_k6_batch_ratelimit_headers');
const queriesPerAdmitted = new Gauge('tandem_k6_batch_queries_per_admitted');

export const options: Options = {
  ...profile(config.profile),
  insecureSkipTLSVerify: true,
  tags: labTags('batch-weight'),
  thresholds: {
    // A 429 is an answer this lab expects (see responseCallback below), not a failure.
    ...commonThresholds,
    ...routeLatency('/api/v1/orders/batch', 300, 600),
    tandem_k6_batch_ratelimit_headers: ['rate==1'],
  },
};

interface BatchWeightSetup extends LabSetupData {
  ids: string[];
  queries: number | null;
  admitted: number | null;
}

/** The two ways the batch endpoint reads orders (orders-repository.ts query names). */
const BATCH_QUERIES = ['query="orders.get"', 'query="orders.find_many"'];
const ADMITTED_SERIES = ['route="/api/v1/orders/batch"', 'status_class="2xx"'];

function batchQueries(): number | null {
  const counts = BATCH_QUERIES.map((query) => readServerMetric('tandem_db_query_duration_seconds_count', [query]));
  return counts.every((count) => count === null) ? null : counts.reduce<number>((sum, count) => sum + (count ?? 0), 0);
}

export function setup(): BatchWeightSetup {
  const lab = switchLab('batch-weight');
  const limits = callApi('GET', '/api/v1/limits', '/api/v1/limits');
  const weighting = (checkEnvelope(limits.res, 200, limits.requestId)?.data as { rateLimits?: { weighting?: string } })
    ?.rateLimits?.weighting;
  if (weighting !== WEIGHTING[config.labMode]) {
    restoreLab('batch-weight', lab);
    throw new Error(
      `LAB_MODE=${config.labMode} measures the ${WEIGHTING[config.labMode]} limiter, but the API enforces ${weighting}: pass ADMIN_TOKEN (the run flips the lab) or start the API with LAB_MODE_BATCH_WEIGHT=${config.labMode}`,
    );
  }
  const page = callApi('GET', `/api/v1/orders?limit=${BATCH_SIZE}`, '/api/v1/orders');
  const items = (checkEnvelope(page.res, 200, page.requestId)?.data as { items: { id: string }[] } | undefined)?.items;
  if (!items || items.length === 0) throw new Error('No orders to batch: seed the database (SEED_ORDERS)');
  return {
    ...lab,
    ids: items.map((order) => order.id),
    queries: batchQueries(),
    admitted: readServerMetric('tandem_http_requests_total', ADMITTED_SERIES),
  };
}

const admittedOrRejected = http.expectedStatuses(200, 429);

export default function batchWeightLab(data: BatchWeightSetup) {
  const { res, requestId } = callApi(
    'GET',
    `/api/v1/orders/batch?ids=${data.ids.join(',')}`,
    '/api/v1/orders/batch',
    undefined,
    { responseCallback: admittedOrRejected },
  );
  const budget = ['Ratelimit-Limit', 'Ratelimit-Remaining', 'Ratelimit-Reset'].every(
    (h) => res.headers[h] !== undefined,
  );
  budgetHeaders.add(budget);
  if (res.status === 429) {
    rejected.add(1);
    checkEnvelope(res, 429, requestId);
    check(res, { '429 carries Retry-After': (r) => r.headers['Retry-After'] !== undefined });
  } else {
    const batch = checkEnvelope(res, 200, requestId)?.data as { items: unknown[]; missing: string[] } | undefined;
    admittedIds.add(batch ? batch.items.length + batch.missing.length : 0);
  }
  sleep(0.1);
}

export function teardown(data: BatchWeightSetup) {
  const queries = batchQueries();
  const admitted = readServerMetric('tandem_http_requests_total', ADMITTED_SERIES);
  // Absent from /metrics (METRICS_ENABLED=false): the gauge stays out of the summary.
  if (data.queries !== null && queries !== null && data.admitted !== null && admitted !== null) {
    if (admitted > data.admitted) queriesPerAdmitted.add((queries - data.queries) / (admitted - data.admitted));
  }
  restoreLab('batch-weight', data);
}
