import { LAB_IDS, type Lab, type LabId, type LabMode } from '@tandem/contract/labs';
import { readonly, shallowReactive } from 'vue';
import { LAB_SEAMS } from './lab-seams';

/**
 * The lab settings this tab runs with, as last read from `GET /api/v1/labs`. Until the
 * API has answered, every lab is `tuned`, the product's own behaviour. The Lab console
 * reads them; only applyLabModes writes them.
 */
const modes = shallowReactive(Object.fromEntries(LAB_IDS.map((id) => [id, 'tuned'])) as Record<LabId, LabMode>);

export const labModes: Readonly<Record<LabId, LabMode>> = readonly(modes);

/**
 * Takes the labs the API reports (the lab list or one flipped lab) as this tab's settings,
 * and applies each one to the product's seams (lab-seams.ts).
 */
export function applyLabModes(labs: readonly Pick<Lab, 'id' | 'mode'>[]): void {
  for (const lab of labs) {
    if (modes[lab.id] !== lab.mode) modes[lab.id] = lab.mode;
    LAB_SEAMS[lab.id]?.(lab.mode);
  }
}
