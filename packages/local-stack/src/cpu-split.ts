import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** CPU lists for `taskset -c` (startApi's, startPostgres's and runH2load's `cpuList`). */
export interface CpuSplit {
  /** The server under measurement. */
  server: string;
  /** The load generator, and servers the measurement should not charge to the one measured (PostgreSQL). */
  load: string;
}

/**
 * With two or more cores and `taskset`: the measured server on CPU 0, the load on CPU 1,
 * so neither's work shows in the other's figures. Undefined on one core or without taskset:
 * the run then shares the CPUs and says so.
 */
export function cpuSplit(): CpuSplit | undefined {
  return availableParallelism() >= 2 && existsSync('/usr/bin/taskset') ? { server: '0', load: '1' } : undefined;
}
