import { labModes } from './lab-modes';

/**
 * Whether a live component mounted now closes its EventSource, WebSocket and timers when
 * it unmounts. Read once, in setup: a flip applies to components mounted after it.
 * `false` is the leaks lab's naive setting, a bug kept on purpose (see docs/labs/leaks.md).
 */
export function leaksCleanup(): boolean {
  return labModes.leaks === 'tuned';
}
