import type { LabMode } from '@tandem/contract/labs';
import { type CpuProfile, InspectorProfiler } from '@tandem/profiling';
import type { LabRun } from './lab-definition.js';

/**
 * The API's CPU profile (the V8 profiler, over the inspector the lab asked for with
 * `api.inspector`) while `load` runs, once per setting: naive, then tuned.
 */
export async function recordCpuProfiles(
  run: LabRun<unknown>,
  what: string,
  load: () => Promise<unknown>,
): Promise<Record<LabMode, CpuProfile>> {
  const profiler = await InspectorProfiler.connect(run.stack.inspectPort);
  try {
    return await run.eachMode(async (_mode, progress) => {
      progress(`${what} under the CPU profiler`);
      await profiler.start();
      await load();
      return profiler.stop();
    });
  } finally {
    profiler.close();
  }
}

/** Samples in which the API was busy (not idle): what a profile's shares are shares of. */
export function busySamples(profile: CpuProfile): number {
  const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id));
  return (profile.samples ?? []).filter((id) => !idle.has(id)).length;
}
