import { ANSWERS, type Endpoint } from '../endpoint.js';
import { ErrorEnvelope } from '../envelope.js';
import { LabEnvelope, LabIdParams, LabListEnvelope, SetLabModeBody } from './catalogue.js';

const { always, bodyErrors, limited } = ANSWERS;

/**
 * The workshop's endpoints: served only by an API started with LABS_ENABLED=true (its lab
 * layer, apps/api/src/labs/). The product's clients never call them.
 */
export const labEndpoints = {
  listLabs: {
    method: 'GET',
    path: '/api/v1/labs',
    summary: 'The performance labs and the active setting of each (only with LABS_ENABLED=true).',
    tags: ['labs'],
    auth: 'public',
    rateLimit: { bucket: 'api' },
    responses: { 200: LabListEnvelope, ...limited, ...always },
  },
  setLabMode: {
    method: 'PUT',
    path: '/api/v1/admin/labs/:id',
    summary: 'Flip a lab between naive and tuned at run time (only with LABS_ENABLED=true).',
    tags: ['labs'],
    auth: 'admin',
    params: LabIdParams,
    body: SetLabModeBody,
    responses: { 200: LabEnvelope, ...bodyErrors, 401: ErrorEnvelope, 403: ErrorEnvelope, ...always },
  },
} as const satisfies Record<string, Endpoint>;
