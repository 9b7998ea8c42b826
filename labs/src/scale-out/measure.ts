import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endpoints } from '@tandem/contract';
import type { LabMode } from '@tandem/contract/labs';
import { apiRateLimitEnv, h2RequestOnce, median, type RunningScaleOut, startScaleOut } from '@tandem/local-stack';
import type { LabReport, Verdict } from '../lib/lab-report.js';
import type { Lab } from '../lib/measurement/define-lab.js';
import type { LabOptions } from '../lib/measurement/lab-definition.js';
import { renderModeChart } from '../lib/measurement/mode-chart.js';
import { modeTable } from '../lib/measurement/mode-table.js';
import type { Progress } from '../lib/progress.js';
import { type MissedEvents, measureMissedEvents } from './missed-events.js';
import { OrderWriter } from './order-writer.js';
import { PacedClient } from './paced-client.js';
import { measureReconnect, type ReconnectEvents } from './reconnect-events.js';

/** API replicas behind HAProxy (issue 15). */
export const REPLICAS = 3;
/** The `api` bucket every replica is configured with: units per second, and the smallest burst the API accepts. */
export const BUDGET_PER_SECOND = 20;
const BURST = 100;
/** The one client's demand in the window: six times the budget, more than the replicas' budgets together. */
const DEMAND_PER_SECOND = 6 * BUDGET_PER_SECOND;
/**
 * Before the window, the client empties every bucket it can reach (the bursts): this fast,
 * this long. The balancer need not split the drain evenly, so it sends each replica about
 * twice what its burst and refill take (with 1.5 s, a smoke run once admitted 14 more than
 * three budgets in its 4 s window: a burst not quite emptied).
 */
const DRAIN_PER_SECOND = 300;
const DRAIN_SECONDS = 2.5;
/** The client's own loopback address: its budget is its own, apart from the order writer's (127.0.0.1). */
const CLIENT_ADDRESS = '127.0.0.2';
/** A limited route that costs 1 unit and no database work. */
const BUDGET_PATH = endpoints.getVersion.path;
/** Orders are created this far apart, and a reader waits at most this long for the events it should get. */
const ORDER_GAP_MS = 30;
const SETTLE_MS = 2000;

/** Tuned: the replicas together admit the configured budget, within this share. */
export const TUNED_BUDGET_TOLERANCE = 0.1;
/** Naive admits at least this many budgets (its ceiling is one per replica). */
export const NAIVE_MIN_BUDGET_RATIO = 2;

interface Settings {
  rounds: number;
  windowSeconds: number;
  /** Orders created per measurement of the fan-out, and before and during the reconnect. */
  orders: number;
}

const settingsOf = (smoke: boolean): Settings =>
  smoke ? { rounds: 1, windowSeconds: 4, orders: 9 } : { rounds: 3, windowSeconds: 10, orders: 30 };

export interface BudgetWindow {
  seconds: number;
  admitted: number;
  refused: number;
  /** Admitted per second ÷ BUDGET_PER_SECOND. */
  ratio: number;
  /** Admitted in each second of the window. */
  perSecond: number[];
}

export interface ScaleOutRound {
  mode: LabMode;
  round: number;
  budget: BudgetWindow;
  missed: MissedEvents;
  reconnect: ReconnectEvents;
}

export interface ScaleOutRun {
  replicas: number;
  budgetPerSecond: number;
  demandPerSecond: number;
  rounds: ScaleOutRound[];
  median: Record<LabMode, { budgetRatio: number; missedShare: number; lost: number; repeated: number; resets: number }>;
}

/**
 * scale-out: three API replicas behind HAProxy (startScaleOut: PostgreSQL, Redis, the
 * balancer), started once per setting because the setting is chosen at start
 * (LAB_MODE_SCALE_OUT, apps/api/src/labs/scale-out.ts says why). In each: one client's
 * admitted share of the budget through the balancer, the events of orders created through
 * other replicas that a stream misses, and what a resume on another replica loses or repeats.
 */
export const scaleOutLab: Lab<ScaleOutRun> = { id: 'scale-out', run: runScaleOut };

async function runScaleOut(options: LabOptions): Promise<LabReport<ScaleOutRun>> {
  const { smoke, progress } = options;
  const settings = settingsOf(smoke);
  const base = options.workDir ?? mkdtempSync(join(tmpdir(), 'tandem-lab-scale-out-'));
  const rounds: ScaleOutRound[] = [];
  for (const mode of ['naive', 'tuned'] as const) {
    rounds.push(...(await measureSetting(mode, settings, join(base, 'scale-out', mode), progress)));
  }
  const run = summarise(rounds);
  return {
    labId: 'scale-out',
    method: `${method(run, settings)}${smoke ? ' (smoke mode)' : ''}.`,
    table: table(run),
    verdicts: verdicts(run),
    raw: run,
    chart: renderModeChart({
      title: `One client through the balancer, ${REPLICAS} replicas, ${BUDGET_PER_SECOND} requests/s configured`,
      xLabel: 'second of the windows (rounds one after the other)',
      yLabel: 'requests admitted per second',
      points: (mode) =>
        rounds
          .filter((r) => r.mode === mode)
          .flatMap((r) => r.budget.perSecond)
          .map((y, x) => ({ x: x + 1, y })),
      reference: { y: BUDGET_PER_SECOND, label: `budget ${BUDGET_PER_SECOND}/s` },
    }),
  };
}

/** Starts the replicas in `mode`, measures `settings.rounds` rounds, stops everything whatever happened. */
async function measureSetting(
  mode: LabMode,
  settings: Settings,
  workDir: string,
  lab: Progress,
): Promise<ScaleOutRound[]> {
  const progress = (line: string) => lab(`${mode}: ${line}`);
  mkdirSync(workDir, { recursive: true });
  progress(`starting PostgreSQL, Redis, ${REPLICAS} replicas (LAB_MODE_SCALE_OUT=${mode}) and HAProxy`);
  const stack = await startScaleOut({
    replicas: REPLICAS,
    workDir,
    labs: true,
    env: {
      LAB_MODE_SCALE_OUT: mode,
      SEED_ORDERS: '20',
      ...apiRateLimitEnv({ unitsPerSecond: BUDGET_PER_SECOND, burst: BURST }),
    },
  });
  let writer: OrderWriter | undefined;
  try {
    await expectMode(stack, mode);
    const replicaOrigins = stack.replicas.map((api) => api.origin);
    writer = await OrderWriter.open(replicaOrigins, stack.sessions.user);
    const events = { replicaOrigins, cookie: stack.sessions.user, writer, gapMs: ORDER_GAP_MS, settleMs: SETTLE_MS };
    const rounds: ScaleOutRound[] = [];
    for (let round = 1; round <= settings.rounds; round++) {
      const budget = await measureBudget(stack.origin, settings.windowSeconds);
      progress(
        `round ${round}: ${budget.admitted} admitted in ${budget.seconds.toFixed(1)} s = ${budget.ratio.toFixed(2)}× the budget`,
      );
      const missed = await measureMissedEvents({ ...events, orders: settings.orders });
      progress(`round ${round}: ${missed.received} of ${missed.expected} other replicas' events received`);
      const reconnect = await measureReconnect({ ...events, orders: settings.orders });
      progress(
        `round ${round}: resume on another replica lost ${reconnect.lost} of ${reconnect.createdWhileAway}, repeated ${reconnect.repeated}, ${reconnect.resets} stream.reset`,
      );
      rounds.push({ mode, round, budget, missed, reconnect });
    }
    return rounds;
  } finally {
    await writer?.close();
    await stack.stop();
  }
}

/** Every replica runs the setting asked for (GET /api/v1/labs on each, directly). */
async function expectMode(stack: RunningScaleOut, mode: LabMode): Promise<void> {
  for (const api of stack.replicas) {
    const answer = await h2RequestOnce(api.origin, { path: '/api/v1/labs' });
    const items = (JSON.parse(answer.body.toString()) as { data?: { items?: { id: string; mode: LabMode }[] } }).data
      ?.items;
    const running = items?.find((lab) => lab.id === 'scale-out')?.mode;
    if (running !== mode) throw new Error(`replica ${api.origin} runs scale-out ${running ?? '(absent)'}, not ${mode}`);
  }
}

/** The bursts emptied, then one client at DEMAND_PER_SECOND through the balancer for the window: what is admitted. */
async function measureBudget(origin: string, windowSeconds: number): Promise<BudgetWindow> {
  // The same connections for both phases: no pause between them in which the buckets refill.
  const client = await PacedClient.open({ origin, localAddress: CLIENT_ADDRESS, connections: 4, path: BUDGET_PATH });
  let drained: number;
  let opened: number;
  try {
    await client.run(DRAIN_PER_SECOND, DRAIN_SECONDS);
    drained = client.answers.length;
    opened = performance.now();
    await client.run(DEMAND_PER_SECOND, windowSeconds);
  } finally {
    await client.close();
  }
  const unexpected = client.answers.find((answer) => answer.status !== 200 && answer.status !== 429);
  if (unexpected) throw new Error(`GET ${BUDGET_PATH} through the balancer → ${unexpected.status}`);
  const inWindow = client.answers.slice(drained).filter((answer) => answer.at - opened < windowSeconds * 1000);
  const admitted = inWindow.filter((answer) => answer.status === 200);
  const perSecond = Array.from(
    { length: windowSeconds },
    (_, second) => admitted.filter((answer) => Math.floor((answer.at - opened) / 1000) === second).length,
  );
  return {
    seconds: windowSeconds,
    admitted: admitted.length,
    refused: inWindow.length - admitted.length,
    ratio: admitted.length / windowSeconds / BUDGET_PER_SECOND,
    perSecond,
  };
}

function summarise(rounds: ScaleOutRound[]): ScaleOutRun {
  const of = (mode: LabMode) => {
    const mine = rounds.filter((r) => r.mode === mode);
    return {
      budgetRatio: median(mine.map((r) => r.budget.ratio)),
      missedShare: median(mine.map((r) => r.missed.missedShare)),
      lost: median(mine.map((r) => r.reconnect.lost)),
      repeated: median(mine.map((r) => r.reconnect.repeated)),
      resets: median(mine.map((r) => r.reconnect.resets)),
    };
  };
  return {
    replicas: REPLICAS,
    budgetPerSecond: BUDGET_PER_SECOND,
    demandPerSecond: DEMAND_PER_SECOND,
    rounds,
    median: { naive: of('naive'), tuned: of('tuned') },
  };
}

function method(run: ScaleOutRun, settings: Settings): string {
  return `${run.replicas} API replicas behind HAProxy on loopback (startScaleOut: PostgreSQL, Redis), started once per setting with LAB_MODE_SCALE_OUT, each replica's api bucket ${run.budgetPerSecond} units/s (burst ${BURST}); per round: one client (one address) through the balancer empties the bursts, then asks GET ${BUDGET_PATH} ${run.demandPerSecond} times/s for ${settings.windowSeconds} s (admitted ÷ configured); an event stream on each replica while ${settings.orders} orders are created through the replicas in turn (events of the other replicas' orders missed); a stream on replica 1 closed, ${settings.orders} orders created, a stream on replica 2 with Last-Event-ID (orders lost, repeated, stream.reset); ${settings.rounds} round(s) per setting, medians`;
}

const percent = (share: number) => `${(100 * share).toFixed(0)} %`;

function table(run: ScaleOutRun) {
  const lastRound = (mode: LabMode) => run.rounds.filter((r) => r.mode === mode).at(-1);
  return modeTable(
    [
      'admitted ÷ configured budget',
      'events of other replicas missed',
      'lost across a reconnect',
      'repeated across a reconnect',
      'stream.reset on resume',
    ],
    (mode) => {
      const m = run.median[mode];
      const last = lastRound(mode);
      return [
        `${m.budgetRatio.toFixed(2)}×`,
        `${percent(m.missedShare)}${last ? ` (${last.missed.expected - last.missed.received} of ${last.missed.expected})` : ''}`,
        `${m.lost}${last ? ` of ${last.reconnect.createdWhileAway}` : ''}`,
        String(m.repeated),
        String(m.resets),
      ];
    },
  );
}

function verdicts(run: ScaleOutRun): Verdict[] {
  const { naive, tuned } = run.median;
  return [
    {
      target: `tuned: the replicas together admit the configured budget (±${100 * TUNED_BUDGET_TOLERANCE} %)`,
      met: Math.abs(tuned.budgetRatio - 1) <= TUNED_BUDGET_TOLERANCE,
      detail: `${tuned.budgetRatio.toFixed(2)}× the budget`,
    },
    {
      target: `naive: each replica admits its own budget (≥ ${NAIVE_MIN_BUDGET_RATIO}×, at most ${run.replicas}×)`,
      met: naive.budgetRatio >= NAIVE_MIN_BUDGET_RATIO,
      detail: `${naive.budgetRatio.toFixed(2)}× the budget`,
    },
    {
      target: 'tuned: a stream misses none of the orders created through other replicas; naive misses them',
      met: tuned.missedShare === 0 && naive.missedShare > 0,
      detail: `tuned ${percent(tuned.missedShare)} missed, naive ${percent(naive.missedShare)}`,
    },
    {
      target: 'tuned: a resume on another replica loses and repeats nothing; naive loses events',
      met: tuned.lost === 0 && tuned.repeated === 0 && tuned.resets === 0 && naive.lost > 0,
      detail: `tuned ${tuned.lost} lost, ${tuned.repeated} repeated, ${tuned.resets} reset; naive ${naive.lost} lost, ${naive.repeated} repeated, ${naive.resets} reset`,
    },
  ];
}
