// Lab versioning at protocol level: users on a canary while a faulty v2 is released.
// k6 run -e LAB_MODE=naive -e ADMIN_TOKEN=… -e PROMETHEUS_URL=http://localhost:9090 scenarios/labs/versioning.ts
// k6 run -e LAB_MODE=tuned -e ADMIN_TOKEN=… -e PROMETHEUS_URL=http://localhost:9090 scenarios/labs/versioning.ts
//
// `users`: each VU is one user with its own cookie jar, so its own sticky bucket cookie
// (tandem_canary_bucket, set by the API on the first GET /api/version); it re-reads its
// version every second and in between calls /api/<version>/orders (a page, then one
// order). `release`: one VU that follows the release plan LAB_MODE names — re-stated from
// packages/contract/src/versioning-rollout-plan.ts (naive: big bang, 100 %; tuned: canary,
// 10 → 50 → 100 %) — with PUT /api/v1/admin/rollout: v2 ships with V2_FAULT_RATE of its
// calls failing (default 0.2), each step is held HOLD_SECONDS (default 90: the committed
// alert's `for: 1m` plus scrapes and evaluations) unless Prometheus (PROMETHEUS_URL, the
// one scraping this API with observability/prometheus/) reports TandemV2ErrorRateAboveV1
// firing, and at the alert v2 is rolled back with the one switch, {"v2Enabled": false}.
// User-visible errors land in tandem_k6_versioning_user_errors (by version), the time
// from the release to the alert in tandem_k6_versioning_seconds_to_alert and the share
// it fired at in tandem_k6_versioning_share_at_alert. `pnpm lab versioning` runs the same
// release with its own Prometheus and splits the errors before/after the alert.
import { check, sleep } from 'k6';
import http from 'k6/http';
import { Counter, Gauge } from 'k6/metrics';
import type { Options } from 'k6/options';
import { callApi } from '../../lib/api.ts';
import { newRequestId } from '../../lib/checks.ts';
import { config } from '../../lib/config.ts';
import { type LabSetupData, labTags, restoreLab, switchLab } from '../../lib/lab-switch.ts';

const PLANS = { naive: [100], tuned: [10, 50, 100] } as const;
const ALERT = 'TandemV2ErrorRateAboveV1';
const prometheusUrl = (__ENV.PROMETHEUS_URL ?? 'http://localhost:9090').replace(/\/$/, '');
const holdSeconds = Number(__ENV.HOLD_SECONDS ?? 90);
const faultRate = Number(__ENV.V2_FAULT_RATE ?? 0.2);
const USERS = 50;
const MINUTES = Math.ceil((10 + holdSeconds * 4) / 60);

const userErrors = new Counter('tandem_k6_versioning_user_errors');
const secondsToAlert = new Gauge('tandem_k6_versioning_seconds_to_alert');
const shareAtAlert = new Gauge('tandem_k6_versioning_share_at_alert');

export const options: Options = {
  insecureSkipTLSVerify: true,
  tags: labTags('versioning'),
  scenarios: {
    users: { executor: 'constant-vus', exec: 'users', vus: USERS, duration: `${MINUTES}m` },
    release: { executor: 'shared-iterations', exec: 'release', vus: 1, iterations: 1, startTime: '10s' },
  },
  thresholds: {
    // The release must end with the alert and a rollback, in either setting.
    tandem_k6_versioning_seconds_to_alert: ['value>0'],
  },
};

export function setup(): LabSetupData {
  if (!config.adminToken) throw new Error('ADMIN_TOKEN is needed: the release moves the rollout');
  if (!(faultRate > 0 && faultRate <= 1)) throw new Error(`V2_FAULT_RATE must be in (0, 1], not ${faultRate}`);
  const data = switchLab('versioning');
  setRollout({ v2Enabled: true, v2Share: 0, v2FaultRate: 0 });
  return data;
}

export function teardown(data: LabSetupData) {
  setRollout({ v2Enabled: true, v2Share: 0, v2FaultRate: 0 });
  restoreLab('versioning', data);
}

/** This VU's version, as of its last GET /api/version, and when to ask again. */
let version = 'v1';
let nextCheck = 0;

export function users() {
  if (Date.now() >= nextCheck) {
    nextCheck = Date.now() + 1000;
    const { res } = callApi('GET', '/api/version', '/api/version');
    if (res.status === 200) version = (res.json('data.version') as string | undefined) ?? version;
  }
  const list = callApi('GET', `/api/${version}/orders?limit=10`, `/api/${version}/orders`);
  count(list.res.status);
  const id = (list.res.json('data.items.0.id') as string | undefined) ?? undefined;
  if (id) count(callApi('GET', `/api/${version}/orders/${id}`, `/api/${version}/orders/:id`).res.status);
  sleep(0.25 + Math.random() * 0.5);
}

function count(status: number) {
  check(status, { 'answered without a 5xx': (s) => s < 500 });
  if (status >= 500) userErrors.add(1, { version });
}

export function release() {
  const plan = PLANS[config.labMode];
  // v2 ships with its bug: the fault is live before the first user is moved to v2.
  setRollout({ v2FaultRate: faultRate });
  const started = Date.now();
  let fired = false;
  for (const [index, share] of plan.entries()) {
    setRollout({ v2Share: share });
    const holdUntil = Date.now() + (index === plan.length - 1 ? 2 * holdSeconds : holdSeconds) * 1000;
    while (!fired && Date.now() < holdUntil) {
      fired = alertFiring();
      if (fired) {
        secondsToAlert.add((Date.now() - started) / 1000);
        shareAtAlert.add(share);
      } else sleep(1);
    }
    if (fired) break;
  }
  // The one switch: every user is assigned v1 at its next GET /api/version.
  setRollout({ v2Enabled: false });
}

function alertFiring(): boolean {
  const res = http.get(`${prometheusUrl}/api/v1/alerts`, { tags: { name: 'prometheus alerts' } });
  const alerts = (res.json('data.alerts') as { labels: Record<string, string>; state: string }[] | undefined) ?? [];
  return alerts.some((alert) => alert.labels.alertname === ALERT && alert.state === 'firing');
}

function setRollout(change: Record<string, unknown>) {
  const res = http.put(`${config.baseUrl}/api/v1/admin/rollout`, JSON.stringify(change), {
    headers: {
      Authorization: `Bearer ${config.adminToken}`,
      'Content-Type': 'application/json',
      'X-Request-ID': newRequestId(),
    },
    tags: { route: '/api/v1/admin/rollout', name: 'PUT /api/v1/admin/rollout' },
  });
  if (res.status !== 200)
    throw new Error(`PUT /api/v1/admin/rollout ${JSON.stringify(change)} answered ${res.status}: ${res.body}`);
}
