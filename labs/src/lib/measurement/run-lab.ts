import type { LabMode } from '@tandem/contract/labs';
import type { LabReport } from '../lab-report.js';
import { interleave, perMode } from './interleave.js';
import type { LabDefinition, LabOptions, LabRun, LabSettings } from './lab-definition.js';
import { startLabStack } from './lab-stack.js';
import { renderModeChart } from './mode-chart.js';

/**
 * Runs a lab: starts what it needs, prepares, warms up, measures naive and tuned
 * interleaved, summarises, stops everything (whatever happened), and builds the report
 * that lab-report.ts publishes. `startStack` is replaced in the harness's own tests.
 */
export async function runLab<S extends LabSettings, C, R, X, M>(
  lab: LabDefinition<S, C, R, X, M>,
  options: LabOptions,
  startStack: typeof startLabStack = startLabStack,
): Promise<LabReport<M>> {
  const { smoke, progress } = options;
  const settings = lab.settings(smoke);
  const stack = await startStack(lab.id, lab.servers, options);
  const cleanups: (() => unknown)[] = [];
  const flip = (mode: LabMode) => stack.admin.setMode(lab.id, mode);
  const run: LabRun<S> = {
    id: lab.id,
    smoke,
    settings,
    stack,
    progress,
    flip,
    interleave: (rounds, step) => interleave({ rounds, flip, progress }, step),
    eachMode: async (step) =>
      perMode(
        await interleave({ rounds: 1, flip, progress }, (mode, _round, stepProgress) => step(mode, stepProgress)),
      ),
    onEnd: (cleanup) => {
      cleanups.push(cleanup);
    },
  };

  // The first failure is the one reported; cleanups and the servers' stop run whatever happened.
  const failures: unknown[] = [];
  let outcome: { summary: M; extra: X } | undefined;
  try {
    const ctx = lab.prepare ? await lab.prepare(run) : (undefined as C);
    const { warmUp, measure } = lab;
    if (warmUp) {
      await run.eachMode((mode, stepProgress) => warmUp({ ...run, progress: stepProgress, ctx, mode, round: 0 }));
    }
    const rows = await run.interleave(settings.rounds, (mode, round, stepProgress) =>
      measure({ ...run, progress: stepProgress, ctx, mode, round }),
    );
    const extra = lab.afterRounds ? await lab.afterRounds({ ...run, ctx }, rows) : (undefined as X);
    outcome = { summary: lab.summarise(rows, { ...run, ctx, extra }), extra };
  } catch (error) {
    failures.push(error);
  }
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      failures.push(error);
    }
  }
  try {
    await stack.stop();
  } catch (error) {
    failures.push(error);
  }
  if (failures.length > 0 || !outcome) throw failures[0];

  const { summary, extra } = outcome;
  return {
    labId: lab.id,
    method: `${lab.method(summary, settings)}${smoke ? ' (smoke mode)' : ''}.`,
    table: lab.table(summary, settings),
    verdicts: lab.verdicts(summary, settings),
    raw: summary,
    chart: renderModeChart(lab.chart(summary, settings)),
    ...(lab.files ? { files: lab.files(summary, extra) } : {}),
  };
}
