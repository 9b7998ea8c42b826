import { LAB_IDS, type Lab, type LabId, type LabMode } from '@tandem/contract/labs';
import { readonly, shallowReactive } from 'vue';

/**
 * The lab settings this tab runs with, as last read from `GET /api/v1/labs`. Until the
 * API has answered, every lab is `tuned` (the app's normal behaviour). The code that
 * differs per lab reads these values, through src/labs/api-origin.ts,
 * src/labs/leaks-cleanup.ts, src/labs/retry-policy-of-lab.ts, src/api/client.ts
 * (request-id) and src/pages/CustomersPage.vue (profiling); only applyLabModes writes them.
 */
const modes = shallowReactive(Object.fromEntries(LAB_IDS.map((id) => [id, 'tuned'])) as Record<LabId, LabMode>);

export const labModes: Readonly<Record<LabId, LabMode>> = readonly(modes);

/** Takes the labs the API reports (the lab list or one flipped lab) as this tab's settings. */
export function applyLabModes(labs: readonly Pick<Lab, 'id' | 'mode'>[]): void {
  for (const lab of labs) if (modes[lab.id] !== lab.mode) modes[lab.id] = lab.mode;
}
