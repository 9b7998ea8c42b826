// The contract's lab module (`@tandem/contract/labs`): the workshop's catalogue, switches and
// endpoints. The product's schemas never import it; `pnpm template:strip` removes this folder.
export {
  LAB_CATALOGUE,
  LAB_IDS,
  Lab,
  LabEnvelope,
  type LabId,
  LabIdParams,
  LabIdSchema,
  LabList,
  LabListEnvelope,
  LabMode,
  SetLabModeBody,
} from './catalogue.js';
export { labEndpoints } from './lab-endpoints.js';
export { rolloutPlanOf, VERSIONING_ROLLOUT_PLANS } from './versioning-rollout-plan.js';
