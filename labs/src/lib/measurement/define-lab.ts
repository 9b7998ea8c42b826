import type { LabId } from '@tandem/contract/labs';
import type { LabReport } from '../lab-report.js';
import type { LabDefinition, LabOptions, LabSettings } from './lab-definition.js';
import { runLab } from './run-lab.js';

/** A declared lab, ready to run: `pnpm lab <id>` and its smoke test call `run`. */
export interface Lab<M = unknown> {
  id: LabId;
  run(options: LabOptions): Promise<LabReport<M>>;
}

/** Declares a lab (see LabDefinition); the types of its steps follow from one another. */
export function defineLab<S extends LabSettings, C = undefined, R = unknown, X = undefined, M = unknown>(
  definition: LabDefinition<S, C, R, X, M>,
): Lab<M> {
  return { id: definition.id, run: (options) => runLab(definition, options) };
}
