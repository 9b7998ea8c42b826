import type { LabId, LabMode } from '@tandem/contract/labs';
import type { FastifyInstance } from 'fastify';
import type { LabConfig } from './lab-config.js';
import type { LabSeams } from './seams.js';

export interface LabSides {
  /**
   * Once, when the lab layer starts and before either side is applied: what the lab adds
   * to the API whatever its mode (a hook, a decorator), e.g. the timeout lab's slow report.
   */
  install?: (app: FastifyInstance, seams: LabSeams, config: Readonly<LabConfig>) => void;
  /** The mismatch: what the seams are set to while the lab is naive. */
  naive: (seams: LabSeams) => void;
  /** The fix: most often the product's own behaviour, the seams' `reset()`. */
  tuned: (seams: LabSeams) => void;
}

export interface LabDefinition extends LabSides {
  readonly id: LabId;
  apply(mode: LabMode, seams: LabSeams): void;
}

/**
 * One lab's server side, naive and tuned next to each other: the lab layer (labs/index.ts)
 * applies the side of the lab's mode at start and again on every flip.
 *
 *     export const timeoutLab = defineLab('timeout', {
 *       naive: (seams) => seams.deadlinePolicy.set({ enforce: false }),
 *       tuned: (seams) => seams.deadlinePolicy.reset(),
 *     });
 */
export function defineLab(id: LabId, sides: LabSides): LabDefinition {
  return { id, ...sides, apply: (mode, seams) => (mode === 'naive' ? sides.naive(seams) : sides.tuned(seams)) };
}

/**
 * A lab whose two sides differ only in the SPA or in a script: the server holds its mode
 * (GET /api/v1/labs, `tandem_lab_mode`) and nothing else changes here.
 */
export function defineClientSideLab(id: LabId): LabDefinition {
  return defineLab(id, { naive: () => {}, tuned: () => {} });
}
