// Lab batch-weight at protocol level: batch clients asking N ids per call, and what the
// limiter admits. Counts 429s, the ids (work units) admitted, and checks the RateLimit-*
// budget headers on every answer and Retry-After on every 429.
// k6 run -e PROFILE=load -e LAB_MODE=naive scenarios/labs/batch-weight.ts   (API with RATE_LIMIT_WEIGHTING=per-request)
// k6 run -e PROFILE=load -e LAB_MODE=tuned scenarios/labs/batch-weight.ts   (API with RATE_LIMIT_WEIGHTING=weighted)
//
// This lab has no run-time switch (it is not in LAB_CATALOGUE): the limiter's weighting is
// RATE_LIMIT_WEIGHTING, read when the API starts. LAB_MODE names the setting measured
// (naive = per-request, tuned = weighted); setup() reads GET /api/v1/limits and stops the
// run if the API enforces the other one. Tuned, admitted ids/s stay at the api bucket's
// RATE_LIMIT_API_UNITS_PER_SECOND (plus its burst); naive admits N times that.
import { check, sleep } from 'k6';
import http from 'k6/http';
import { Counter, Rate } from 'k6/metrics';
import type { Options } from 'k6/options';
import { callApi } from '../../lib/api.ts';
import { checkEnvelope } from '../../lib/checks.ts';
import { config } from '../../lib/config.ts';
import { labTags } from '../../lib/lab-switch.ts';
import { profile } from '../../lib/profiles.ts';
import { commonThresholds, routeLatency } from '../../lib/thresholds.ts';

/** Ids per batch call (the API takes up to MAX_BATCH_IDS, 100; one page holds up to 100). */
const BATCH_SIZE = 50;
const WEIGHTING = { naive: 'per-request', tuned: 'weighted' } as const;

const rejected = new Counter('tandem_k6_batch_rejected');
const admittedIds = new Counter('tandem_k6_batch_admitted_ids');
const budgetHeaders = new Rate('tandem_k6_batch_ratelimit_headers');

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

export function setup(): { ids: string[] } {
  const limits = callApi('GET', '/api/v1/limits', '/api/v1/limits');
  const weighting = (checkEnvelope(limits.res, 200, limits.requestId)?.data as { rateLimits?: { weighting?: string } })
    ?.rateLimits?.weighting;
  if (weighting !== WEIGHTING[config.labMode]) {
    throw new Error(
      `LAB_MODE=${config.labMode} measures RATE_LIMIT_WEIGHTING=${WEIGHTING[config.labMode]}, but the API enforces ${weighting}: restart it with that setting`,
    );
  }
  const page = callApi('GET', `/api/v1/orders?limit=${BATCH_SIZE}`, '/api/v1/orders');
  const items = (checkEnvelope(page.res, 200, page.requestId)?.data as { items: { id: string }[] } | undefined)?.items;
  if (!items || items.length === 0) throw new Error('No orders to batch: seed the database (SEED_ORDERS)');
  return { ids: items.map((order) => order.id) };
}

const admittedOrRejected = http.expectedStatuses(200, 429);

export default function batchWeightLab(data: { ids: string[] }) {
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
