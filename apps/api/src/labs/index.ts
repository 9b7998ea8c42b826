import type { LabId } from '@tandem/contract/labs';
import fp from 'fastify-plugin';
import { authCostLab } from './auth-cost.js';
import { batchWeightLab } from './batch-weight.js';
import { h2SseLab, leaksLab, retry429Lab, versioningLab } from './client-side-labs.js';
import { corsPreflightLab } from './cors-preflight.js';
import { dateCodecLab } from './date-codec.js';
import type { LabDefinition } from './define-lab.js';
import { heartbeatLab } from './heartbeat.js';
import type { LabConfig } from './lab-config.js';
import { registerLabModeMetric } from './lab-mode-metric.js';
import labRoutes from './lab-routes.js';
import { createLabSwitches } from './lab-switches.js';
import { profilingLab } from './profiling.js';
import { requestIdLab } from './request-id.js';
import { scaleOutLab } from './scale-out.js';
import { labSeamsOf } from './seams.js';
import { serializationLab } from './serialization.js';
import { timeoutLab } from './timeout.js';

export { type LabConfig, loadLabConfig } from './lab-config.js';
export { scaleOutStartConfig } from './scale-out.js';

/** Every lab's server side, one file each: where a lab's naive and tuned code is found. */
export const LABS: Readonly<Record<LabId, LabDefinition>> = {
  'h2-sse': h2SseLab,
  heartbeat: heartbeatLab,
  'cors-preflight': corsPreflightLab,
  leaks: leaksLab,
  serialization: serializationLab,
  'date-codec': dateCodecLab,
  'batch-weight': batchWeightLab,
  'request-id': requestIdLab,
  'retry-429': retry429Lab,
  timeout: timeoutLab,
  versioning: versioningLab,
  profiling: profilingLab,
  'auth-cost': authCostLab,
  'scale-out': scaleOutLab,
};

export interface LabLayerOptions {
  config: Readonly<LabConfig>;
}

/**
 * The workshop, as one plugin the API registers only with LABS_ENABLED=true (app.ts). It
 * holds the switches (`app.labs`, start values from LAB_MODE_*), sets the API's seams to
 * each lab's mode at start and on every flip, and adds GET /api/v1/labs, PUT
 * /api/v1/admin/labs/:id (ADMIN_TOKEN) and `tandem_lab_mode`. The API knows none of it: a
 * lab changes behaviour only through settings the product has anyway (labs/seams.ts).
 */
export const labLayer = fp<LabLayerOptions>(
  async (app, { config }) => {
    const switches = createLabSwitches(config.modes);
    app.decorate('labs', switches);
    const seams = labSeamsOf(app);
    const labs = Object.values(LABS);
    for (const lab of labs) lab.install?.(app, seams, config);
    for (const lab of labs) {
      lab.apply(switches.mode(lab.id), seams);
      switches.onChange(lab.id, (mode) => lab.apply(mode, seams));
    }
    registerLabModeMetric(app.metrics.registry, switches);
    await app.register(labRoutes);
  },
  {
    name: 'lab-layer',
    dependencies: [
      'metrics',
      'cors',
      'request-id',
      'admin-guard',
      'success-envelope',
      'deadline',
      'rate-limit',
      'heartbeat-policy',
      'database',
      'orders-page-cache',
      'orders-repository',
      'reports-repository',
      'password-hasher',
      'sessions-repository',
    ],
  },
);
