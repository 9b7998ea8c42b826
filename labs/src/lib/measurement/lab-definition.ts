import type { LabId, LabMode } from '@tandem/contract/labs';
import type { LabReport, Verdict } from '../lab-report.js';
import type { Progress } from '../progress.js';
import type { ResultTable } from '../table.js';
import type { Measured } from './interleave.js';
import type { LabServers, LabStack } from './lab-stack.js';
import type { ModeChart } from './mode-chart.js';

/** How `pnpm lab` and the smoke tests run a lab. */
export interface LabOptions {
  /** A short run (what the test suite runs). */
  smoke: boolean;
  progress: Progress;
  /** The servers' folder; reused between runs so the embedded database opens in ~2 s instead of ~15 s. */
  workDir?: string;
}

/** A lab's settings for one run: how many rounds of naive and tuned, and the lab's own sizes and durations. */
export interface LabSettings {
  rounds: number;
}

/** A lab's run as its steps see it, while its servers run. */
export interface LabRun<S> {
  id: LabId;
  smoke: boolean;
  settings: S;
  stack: LabStack;
  progress: Progress;
  /** Switches this lab to `mode` through the admin route, as the Lab console does. */
  flip(mode: LabMode): Promise<unknown>;
  /** `step` once per setting, naive then tuned, the lab switched before each; left at tuned. */
  eachMode<T>(step: (mode: LabMode, progress: Progress) => Promise<T>): Promise<Record<LabMode, T>>;
  /** `step` for naive and tuned interleaved over `rounds` (see interleave.ts); left at tuned. */
  interleave<T>(
    rounds: number,
    step: (mode: LabMode, round: number, progress: Progress) => Promise<T>,
  ): Promise<Measured<T>[]>;
  /** Runs `cleanup` when the run ends, however it ends, before the servers stop (the last registered first). */
  onEnd(cleanup: () => unknown): void;
}

/** One measurement: a setting in a round, the lab already switched to it. `progress` names the round and setting. */
export type LabStep<S, C> = LabRun<S> & { ctx: C; mode: LabMode; round: number };

/**
 * A lab, declared once: what it needs running, how to measure one setting in one round,
 * how its rows become the raw results, and the table, verdicts and chart drawn from them.
 * The harness (run-lab.ts) does the rest: servers, the switch, interleaving, the report.
 *
 * In run order: `prepare` (after the servers start), `warmUp` (once per setting),
 * `measure` (naive and tuned interleaved, `settings.rounds` times), `afterRounds` (with
 * the lab back at tuned: more phases, or reads that need the servers), `summarise`.
 */
export interface LabDefinition<S extends LabSettings, C, R, X, M> {
  id: LabId;
  settings(smoke: boolean): S;
  servers: LabServers;
  /** Data and clients the measurements share; `run.onEnd` closes what it opens. */
  prepare?(run: LabRun<S>): Promise<C>;
  warmUp?(step: LabStep<S, C>): Promise<unknown>;
  measure(step: LabStep<S, C>): Promise<R>;
  afterRounds?(run: LabRun<S> & { ctx: C }, rows: Measured<R>[]): Promise<X>;
  /** The raw results (results.json's `raw`, what the smoke tests read) from every round's rows. */
  summarise(rows: Measured<R>[], run: LabRun<S> & { ctx: C; extra: X }): M;
  /** What was measured and how, in one sentence without its final period (the harness adds the smoke mark). */
  method(summary: M, settings: S): string;
  table(summary: M, settings: S): ResultTable;
  verdicts(summary: M, settings: S): Verdict[];
  chart(summary: M, settings: S): ModeChart;
  /** More pictures beside the chart (flame graphs). */
  files?(summary: M, extra: X): LabReport['files'];
}
