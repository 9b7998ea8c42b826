import { join } from 'node:path';
import type { RolloutState, SetRolloutBody } from '@tandem/contract';
import { type LabMode, rolloutPlanOf } from '@tandem/contract/labs';
import { sendJson } from '@tandem/local-stack';
import { resultsDir } from '../lib/lab-report.js';
import { defineLab } from '../lib/measurement/define-lab.js';
import { perMode } from '../lib/measurement/interleave.js';
import { modeTable } from '../lib/measurement/mode-table.js';
import type { Progress } from '../lib/progress.js';
import { type CanaryClients, startCanaryClients } from './canary-clients.js';
import { ALERT_NAME, type LabPrometheus, startLabPrometheus } from './lab-prometheus.js';

/** Share of v2 orders calls the shipped v2 fails (PUT /api/v1/admin/rollout v2FaultRate): its bug. */
export const V2_FAULT_RATE = 0.2;
/** Prometheus scrapes and evaluates every second in the lab (the committed config: 5 s). */
const INTERVAL_SECONDS = 1;

/** The run's shape: smoke is what the test suite runs (under a minute), full is `pnpm lab versioning`. */
export function versioningSettings(smoke: boolean) {
  const alertForSeconds = smoke ? 3 : 10;
  return {
    clients: smoke ? 80 : 100,
    callEveryMs: 500,
    checkEveryMs: 1000,
    /** All on v1 before the release (counted from the users' start, which overlaps Prometheus's). */
    warmupSeconds: smoke ? 3 : 10,
    alertForSeconds,
    /**
     * How long a canary step is held: long enough for the alert to evaluate — the v2 series
     * need two scrapes before rate() has a value, then `for` must pass, then one more
     * evaluation — with room for a busy machine.
     */
    holdSeconds: alertForSeconds + 4 * INTERVAL_SECONDS + (smoke ? 6 : 10),
    /** Give up waiting for the alert after this long at the last step (then roll back anyway). */
    maxWaitSeconds: smoke ? 30 : 90,
    /** After the rollback: every client has re-checked its version by then. */
    tailSeconds: 2,
  };
}
export type VersioningSettings = ReturnType<typeof versioningSettings>;

export interface ReleaseRun {
  mode: LabMode;
  plan: readonly number[];
  /** The v2 share when the fault went live (the release starts with the faulty v2). */
  shareAtFault: number;
  /** The v2 share when the alert fired; null if it never did. */
  shareAtAlert: number | null;
  /** Seconds from the fault going live to Prometheus reporting the alert firing; null if it never did. */
  secondsToAlert: number | null;
  secondsToRollback: number;
  /** 5xx answers users saw (from the fault going live) before the alert fired, before the rollback, in all. */
  errorsBeforeAlert: number;
  errorsBeforeRollback: number;
  errorsTotal: number;
  /** Calls users made from the fault going live to the end of the run, by version. */
  calls: { v1: number; v2: number };
  /** 5xx answers on v1 during the run (v1 is not faulty: expected 0). */
  v1Errors: number;
  /** Calls that got no answer at all (transport failures). */
  noAnswer: number;
  /** Clients on v2 at the alert (their last version check). */
  clientsOnV2AtAlert: number | null;
  /** Cumulative user-visible errors per second since the fault went live. */
  errorsBySecond: number[];
  steps: { share: number; atSecond: number }[];
}

export interface VersioningRun {
  settings: VersioningSettings;
  faultRate: number;
  runs: Record<LabMode, ReleaseRun>;
}

/**
 * versioning: the real API and a real Prometheus with the repository's version rules and
 * alert, and simulated users (each its own bucket cookie, re-checking GET /api/version
 * every second, calling /api/<version>/orders). For each setting of the lab switch the
 * script releases a faulty v2 (v2FaultRate) following the switch's release plan (big bang
 * or canary), polls Prometheus until TandemV2ErrorRateAboveV1 fires, then rolls back with
 * the one switch (PUT /api/v1/admin/rollout {"v2Enabled": false}), and counts the errors
 * users saw. The same users (cookies, so buckets) take part in both settings.
 */
export const versioningLab = defineLab({
  id: 'versioning',
  settings: (smoke) => ({ rounds: 1, ...versioningSettings(smoke) }),
  servers: {
    api: {
      note: 'rate limits lifted: every simulated user shares one address',
      rateLimit: 'lifted',
      env: { API_V2_ENABLED: 'true', API_V2_SHARE: '0' },
    },
  },
  prepare: async ({ stack: { api } }) => {
    const page = (await sendJson('GET', `${api.origin}/api/v1/orders?limit=50`, undefined, undefined, {
      cookie: api.sessions.user,
    })) as {
      data: { items: { id: string }[] };
    };
    return {
      orderIds: page.data.items.map((order) => order.id),
      rollout: (body: SetRolloutBody) =>
        sendJson('PUT', `${api.origin}/api/v1/admin/rollout`, body, api.adminToken) as Promise<{ data: RolloutState }>,
      /** The users' bucket cookies after the first setting, so the same users come back in the second. */
      cookies: undefined as (string | undefined)[] | undefined,
    };
  },
  measure: async ({ stack: { api }, settings, ctx, mode, progress }) => {
    const labs = (await sendJson('GET', `${api.origin}/api/v1/labs`)) as {
      data: { items: { id: string; mode: LabMode }[] };
    };
    const switched = labs.data.items.find((lab) => lab.id === 'versioning')?.mode;
    if (switched !== mode) throw new Error(`GET /api/v1/labs reports versioning ${switched}, not ${mode}`);
    const plan = rolloutPlanOf(switched);
    await ctx.rollout({ v2Enabled: true, v2Share: 0, v2FaultRate: 0 });

    // The users start on v1 while Prometheus starts: the warm-up overlaps its start.
    const clients = startCanaryClients({
      origin: api.origin,
      session: api.sessions.user,
      clients: settings.clients,
      checkEveryMs: settings.checkEveryMs,
      callEveryMs: settings.callEveryMs,
      orderIds: ctx.orderIds,
      cookies: ctx.cookies,
    });
    const warmedUp = sleep(settings.warmupSeconds * 1000);
    progress(
      `${settings.clients} users on v1; a fresh Prometheus (scrape and evaluation every ${INTERVAL_SECONDS} s, alert for ${settings.alertForSeconds} s)`,
    );
    let prometheus: LabPrometheus | undefined;
    try {
      prometheus = await startLabPrometheus({
        apiTarget: new URL(api.origin).host,
        workDir: join(resultsDir('versioning'), `prometheus-${mode}`),
        intervalSeconds: INTERVAL_SECONDS,
        alertForSeconds: settings.alertForSeconds,
      });
      const scraping = prometheus;
      await waitFor(() => scraping.targetUp(), 20_000, 'Prometheus scrapes the API');
      // v1's series scraped twice (its ratio exists) before the release.
      await Promise.all([warmedUp, sleep(2 * INTERVAL_SECONDS * 1000)]);
      const run = await release(mode, plan, { settings, prometheus, clients, rollout: ctx.rollout, progress });
      ctx.cookies = clients.cookies();
      return run;
    } finally {
      await clients.stop();
      await prometheus?.stop();
    }
  },
  afterRounds: async ({ ctx }) => {
    await ctx.rollout({ v2Enabled: true, v2Share: 0, v2FaultRate: 0 });
  },
  summarise: (rows, { smoke }): VersioningRun => ({
    settings: versioningSettings(smoke),
    faultRate: V2_FAULT_RATE,
    runs: perMode(rows),
  }),
  method: (run) => {
    const s = run.settings;
    return `${s.clients} simulated users on loopback (each its own bucket cookie, GET /api/version every ${s.checkEveryMs / 1000} s, an orders call every ~${s.callEveryMs} ms, list and get-by-id alternately); v2 shipped with ${100 * run.faultRate} % of its calls failing; a real Prometheus scraping and evaluating every ${INTERVAL_SECONDS} s with the committed TandemV2ErrorRateAboveV1 expression, its \`for\` shortened to ${s.alertForSeconds} s; canary steps held ${s.holdSeconds} s; rollback with PUT /api/v1/admin/rollout {"v2Enabled": false}; the same users (buckets) in both settings`;
  },
  table: ({ runs }) =>
    modeTable(
      [
        'release plan',
        'v2 share at the fault',
        'v2 share at the alert',
        'time to alert',
        'errors before the alert',
        'errors before the rollback',
        'errors in all',
      ],
      (mode) => {
        const r = runs[mode];
        return [
          r.plan.map((step) => `${step} %`).join(' → '),
          share(r.shareAtFault),
          share(r.shareAtAlert),
          seconds(r.secondsToAlert),
          r.errorsBeforeAlert,
          r.errorsBeforeRollback,
          r.errorsTotal,
        ];
      },
    ),
  verdicts: ({ runs: { naive, tuned } }) => [
    {
      target: 'the alert fires in both settings',
      met: naive.secondsToAlert !== null && tuned.secondsToAlert !== null,
      detail: `naive ${seconds(naive.secondsToAlert)}, tuned ${seconds(tuned.secondsToAlert)} after the fault went live`,
    },
    {
      target: 'a canary release shows the fault to fewer users than a big bang',
      met:
        tuned.errorsBeforeRollback <= SMOKE_MAX_ERROR_SHARE * naive.errorsBeforeRollback &&
        naive.errorsBeforeRollback > 0,
      detail: `errors users saw before the rollback: naive ${naive.errorsBeforeRollback}, tuned ${tuned.errorsBeforeRollback} (${naive.errorsBeforeRollback ? ((100 * tuned.errorsBeforeRollback) / naive.errorsBeforeRollback).toFixed(0) : '—'} % of naive's; the smoke asserts ≤ ${100 * SMOKE_MAX_ERROR_SHARE} %)`,
    },
    {
      target: 'v1 users never see the v2 fault',
      met: naive.v1Errors === 0 && tuned.v1Errors === 0,
      detail: `5xx on v1: naive ${naive.v1Errors}, tuned ${tuned.v1Errors}`,
    },
  ],
  chart: ({ runs }) => ({
    title: 'User-visible errors since a faulty v2 went live',
    xLabel: 'seconds since the fault went live (release start)',
    yLabel: 'errors users saw (cumulative)',
    name: (mode) => `${mode} (${runs[mode].plan.join('→')} %)`,
    points: (mode) => runs[mode].errorsBySecond.map((errors, second) => ({ x: second, y: errors })),
  }),
});

interface ReleaseContext {
  settings: VersioningSettings;
  prometheus: LabPrometheus;
  clients: CanaryClients;
  rollout: (body: SetRolloutBody) => Promise<{ data: RolloutState }>;
  progress: Progress;
}

/**
 * One release of the faulty v2: the fault is in v2 from the start (it ships with the bug),
 * the plan's steps follow one another, each held `holdSeconds` unless the alert fires
 * first; at the alert (or after `maxWaitSeconds` at the last step) v2 is rolled back.
 */
async function release(mode: LabMode, plan: readonly number[], context: ReleaseContext): Promise<ReleaseRun> {
  const { settings, prometheus, clients, rollout, progress } = context;
  // v2 ships with its bug: the fault is live before the first client is moved to v2.
  await rollout({ v2FaultRate: V2_FAULT_RATE });
  const faultAt = Date.now();
  const steps: ReleaseRun['steps'] = [];
  let alertAt: number | null = null;
  let shareAtAlert: number | null = null;
  let clientsOnV2AtAlert: number | null = null;
  for (const [index, share] of plan.entries()) {
    await rollout({ v2Share: share });
    steps.push({ share, atSecond: (Date.now() - faultAt) / 1000 });
    const last = index === plan.length - 1;
    progress(`v2 share ${share} %${last ? '' : `, held ${settings.holdSeconds} s`} — waiting for ${ALERT_NAME}`);
    const holdUntil = Date.now() + (last ? settings.maxWaitSeconds : settings.holdSeconds) * 1000;
    while (Date.now() < holdUntil) {
      if (await prometheus.alertFiring().catch(() => false)) {
        alertAt = Date.now();
        shareAtAlert = share;
        clientsOnV2AtAlert = clients.onVersion().v2;
        break;
      }
      await sleep(250);
    }
    if (alertAt !== null) break;
  }
  progress(
    alertAt === null
      ? `no alert within ${settings.maxWaitSeconds} s at the last step; rolling back anyway`
      : `${ALERT_NAME} fired ${((alertAt - faultAt) / 1000).toFixed(1)} s after the fault, at v2 share ${shareAtAlert} %; rolling back`,
  );
  // The one switch: every client is assigned v1 at its next GET /api/version.
  await rollout({ v2Enabled: false });
  const rollbackAt = Date.now();
  await sleep(settings.tailSeconds * 1000);
  const endAt = Date.now();

  const during = clients.calls.filter((call) => call.at >= faultAt && call.at <= endAt);
  const errors = during.filter((call) => call.status >= 500);
  const errorsBefore = (at: number) => errors.filter((call) => call.at < at).length;
  const seconds = Math.ceil((endAt - faultAt) / 1000);
  const run: ReleaseRun = {
    mode,
    plan,
    shareAtFault: steps[0]?.share ?? 0,
    shareAtAlert,
    secondsToAlert: alertAt === null ? null : (alertAt - faultAt) / 1000,
    secondsToRollback: (rollbackAt - faultAt) / 1000,
    errorsBeforeAlert: errorsBefore(alertAt ?? rollbackAt),
    errorsBeforeRollback: errorsBefore(rollbackAt),
    errorsTotal: errors.length,
    calls: {
      v1: during.filter((call) => call.version === 'v1').length,
      v2: during.filter((call) => call.version === 'v2').length,
    },
    v1Errors: errors.filter((call) => call.version === 'v1').length,
    noAnswer: during.filter((call) => call.status === 0).length,
    clientsOnV2AtAlert,
    errorsBySecond: Array.from({ length: seconds + 1 }, (_, second) => errorsBefore(faultAt + second * 1000)),
    steps,
  };
  progress(
    `${run.errorsBeforeAlert} errors before the alert, ${run.errorsBeforeRollback} before the rollback, ${run.errorsTotal} in all (${run.calls.v2} v2 calls, ${run.calls.v1} v1 calls)`,
  );
  return run;
}

/** Tuned's user-visible errors before the rollback must be at most this share of naive's (the smoke test's margin). */
export const SMOKE_MAX_ERROR_SHARE = 0.5;

const seconds = (value: number | null) => (value === null ? 'no alert' : `${value.toFixed(1)} s`);
const share = (value: number | null) => (value === null ? '—' : `${value} %`);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`Timed out waiting until ${what}`);
}
