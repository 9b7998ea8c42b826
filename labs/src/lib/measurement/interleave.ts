import type { LabMode } from '@tandem/contract/labs';
import type { Progress } from '../progress.js';

/** What one setting measured in one round. */
export interface Measured<T> {
  mode: LabMode;
  round: number;
  value: T;
}

/**
 * The settings in the order round `round` runs them: naive first in odd rounds, tuned
 * first in even ones (naive, tuned, tuned, naive, …), so slow drift on the machine (a
 * cache warming up, a neighbour's load) falls on both alike. One round is naive, tuned.
 */
export function roundOrder(round: number): readonly LabMode[] {
  return round % 2 ? ['naive', 'tuned'] : ['tuned', 'naive'];
}

export interface InterleaveOptions {
  rounds: number;
  /** Switches the lab to a setting; called before each measurement, and with `tuned` at the end. */
  flip(mode: LabMode): Promise<unknown>;
  progress: Progress;
}

/**
 * Runs `measure` for naive and tuned in turn, `rounds` times, in roundOrder. Each gets a
 * progress that names its round and setting. The lab is left at tuned.
 */
export async function interleave<T>(
  { rounds, flip, progress }: InterleaveOptions,
  measure: (mode: LabMode, round: number, progress: Progress) => Promise<T>,
): Promise<Measured<T>[]> {
  const rows: Measured<T>[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const mode of roundOrder(round)) {
      await flip(mode);
      const step = rounds > 1 ? `round ${round}/${rounds}, ${mode}` : mode;
      rows.push({ mode, round, value: await measure(mode, round, (message) => progress(`${step}: ${message}`)) });
    }
  }
  await flip('tuned');
  return rows;
}

/** One setting's values, in the order they were measured. */
export function valuesOf<T>(rows: readonly Measured<T>[], mode: LabMode): T[] {
  return rows.filter((row) => row.mode === mode).map((row) => row.value);
}

/** Each setting's value, for a lab that measures each once (one round). */
export function perMode<T>(rows: readonly Measured<T>[]): Record<LabMode, T> {
  const one = (mode: LabMode) => {
    const values = valuesOf(rows, mode);
    if (values.length !== 1) throw new Error(`${values.length} ${mode} measurements where one was expected`);
    return values[0] as T;
  };
  return { naive: one('naive'), tuned: one('tuned') };
}
