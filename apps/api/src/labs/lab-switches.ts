import { LAB_IDS, type LabId, type LabMode } from '@tandem/contract/labs';

declare module 'fastify' {
  interface FastifyInstance {
    /** Only with LABS_ENABLED=true: the run-time switch of every lab (labs/index.ts). */
    labs: LabSwitches;
  }
}

export type LabChangeListener = (mode: LabMode, id: LabId) => void;

/**
 * The run-time switch of every lab: its current mode, and who to tell when it flips.
 * Start values come from LAB_MODE_* (lab-config.ts); PUT /api/v1/admin/labs/:id flips them.
 * What a mode does is each lab's own file (labs/<id>.ts, see labs/index.ts).
 */
export interface LabSwitches {
  mode(id: LabId): LabMode;
  set(id: LabId, mode: LabMode): void;
  /** Called after every change of `id` (not for a set to the mode it already has); returns an unsubscribe. */
  onChange(id: LabId, listener: LabChangeListener): () => void;
  all(): Readonly<Record<LabId, LabMode>>;
}

export function createLabSwitches(initial: Readonly<Record<LabId, LabMode>>): LabSwitches {
  const modes = { ...initial };
  const listeners = new Map<LabId, Set<LabChangeListener>>(LAB_IDS.map((id) => [id, new Set()]));
  return {
    mode: (id) => modes[id],
    set(id, mode) {
      if (modes[id] === mode) return;
      modes[id] = mode;
      for (const listener of listeners.get(id) ?? []) listener(mode, id);
    },
    onChange(id, listener) {
      const set = listeners.get(id);
      set?.add(listener);
      return () => set?.delete(listener);
    },
    all: () => ({ ...modes }),
  };
}
