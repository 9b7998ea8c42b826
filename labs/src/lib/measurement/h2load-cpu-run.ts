import type { LabMode } from '@tandem/contract/labs';
import { type H2loadSummary, readMetrics } from '@tandem/local-stack';

/** One load run and the API's CPU it cost. */
export interface CpuRun {
  requestsPerSecond: number;
  succeeded: number;
  non2xx: number;
  cpuSeconds: number;
  /** Server CPU (user + system) per answered request, in microseconds. */
  cpuMicrosPerRequest: number;
}

/** The API's CPU time so far, from its own process_cpu_seconds_total. */
export async function serverCpuSeconds(origin: string): Promise<number> {
  return (await readMetrics(origin, ['process_cpu_seconds_total'])).process_cpu_seconds_total ?? 0;
}

/**
 * Runs `load` (an h2load run against the API at `origin`) and reads the API's CPU before
 * and after. A run with no answer, or with any answer other than 2xx, measured nothing
 * the lab can compare: it throws.
 */
export async function h2loadCpuRun(origin: string, mode: LabMode, load: () => Promise<H2loadSummary>): Promise<CpuRun> {
  const before = await serverCpuSeconds(origin);
  const result = await load();
  const cpuSeconds = (await serverCpuSeconds(origin)) - before;
  const non2xx = (result.statusClasses['4xx'] ?? 0) + (result.statusClasses['5xx'] ?? 0);
  if (result.succeeded === 0 || non2xx > 0) {
    throw new Error(`${mode}: ${result.succeeded} answers, ${non2xx} of them not 2xx: the run measures nothing`);
  }
  return {
    requestsPerSecond: result.requestsPerSecond,
    succeeded: result.succeeded,
    non2xx,
    cpuSeconds,
    cpuMicrosPerRequest: (cpuSeconds * 1e6) / result.succeeded,
  };
}
