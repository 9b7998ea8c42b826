// Lab retry-429 at protocol level: order detail reads against a rate-limited API, each
// one user action, retried by the policy LAB_MODE names, and the requests each action cost.
// k6 run -e PROFILE=load -e LAB_MODE=naive -e ADMIN_TOKEN=… scenarios/labs/retry-429.ts
// k6 run -e PROFILE=load -e LAB_MODE=tuned -e ADMIN_TOKEN=… scenarios/labs/retry-429.ts
//
// The lab's switch is client-side behaviour (the SPA's retry policy), so k6 cannot flip
// the SPA: this script re-states the two policies of apps/web/src/api/retry-policy.ts for
// its own calls, and setup() flips the server's switch only so the Lab console and the
// `mode` tag agree. naive: any failure retried 3 times after 1, 2, 4 s, Retry-After
// ignored. tuned: only 429/503, after `data.retryAfterMs` plus up to 20% (≥ 100 ms),
// at most 3 attempts, within a per-VU retry budget (10 tokens, +0.1 per success).
// Start the API with a small RATE_LIMIT_API_UNITS_PER_SECOND (e.g. 5) to overload it.
// Requests per action land in tandem_k6_retry_requests_per_action (tuned: avg ≤ 1.1),
// early retries (sent before the Retry-After they were given) in tandem_k6_retry_early.
// `pnpm lab retry-429` runs the SPA's own client code and holds it to the targets.
import { sleep } from 'k6';
import { Counter, Rate, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import { callApi } from '../../lib/api.ts';
import { config } from '../../lib/config.ts';
import { type LabSetupData, labTags, restoreLab, switchLab } from '../../lib/lab-switch.ts';
import { profile } from '../../lib/profiles.ts';

const requestsPerAction = new Trend('tandem_k6_retry_requests_per_action');
const actionOk = new Rate('tandem_k6_retry_action_ok');
const earlyRetries = new Counter('tandem_k6_retry_early');
const actionMs = new Trend('tandem_k6_retry_action_ms', true);

export const options: Options = {
  ...profile(config.profile),
  insecureSkipTLSVerify: true,
  tags: labTags('retry-429'),
  thresholds: {
    // 429s are the point of the run: no http_req_failed threshold.
    tandem_k6_retry_early: ['count==0'],
    ...(config.labMode === 'tuned' ? { tandem_k6_retry_requests_per_action: ['avg<=1.1'] } : {}),
  },
};

interface SetupData extends LabSetupData {
  ids: string[];
}

export function setup(): SetupData {
  const data = switchLab('retry-429');
  const page = callApi('GET', '/api/v1/orders?limit=50', '/api/v1/orders');
  const ids = (page.res.json('data.items') as { id: string }[] | undefined)?.map((order) => order.id) ?? [];
  if (ids.length === 0) throw new Error(`GET /api/v1/orders answered ${page.res.status} without orders`);
  return { ...data, ids };
}

export function teardown(data: SetupData) {
  restoreLab('retry-429', data);
}

/** This VU's retry budget (the SPA keeps one per tab). */
let tokens = 10;

/** Ms to wait before the next attempt, or null: give up. */
function nextDelay(status: number, retryAfterMs: number | undefined, attempt: number): number | null {
  if (config.labMode === 'naive') return attempt < 4 ? 1000 * 2 ** (attempt - 1) : null;
  if ((status !== 429 && status !== 503) || attempt >= 3 || tokens < 1) return null;
  tokens -= 1;
  const asked = retryAfterMs ?? 250 * 2 ** (attempt - 1);
  return asked + Math.random() * Math.max(asked * 0.2, 100);
}

export default function retry429Lab(data: SetupData) {
  const id = data.ids[(__VU * 7919 + __ITER) % data.ids.length];
  const started = Date.now();
  let notBefore = 0;
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1 && Date.now() < notBefore) earlyRetries.add(1);
    const { res } = callApi('GET', `/api/v1/orders/${id}`, '/api/v1/orders/:id');
    if (res.status === 200) {
      tokens = Math.min(10, tokens + 0.1);
      requestsPerAction.add(attempt);
      actionOk.add(true);
      break;
    }
    const retryAfterMs = res.status === 429 ? (res.json('data.retryAfterMs') as number | undefined) : undefined;
    notBefore = Date.now() + (retryAfterMs ?? 0);
    const delay = nextDelay(res.status, retryAfterMs, attempt);
    if (delay === null) {
      requestsPerAction.add(attempt);
      actionOk.add(false);
      break;
    }
    sleep(delay / 1000);
  }
  actionMs.add(Date.now() - started);
}
