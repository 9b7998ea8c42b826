import type { LabId } from '@tandem/contract/labs';
import { authCostLab } from './auth-cost/measure.js';
import { batchWeightLab } from './batch-weight/measure.js';
import { corsPreflightLab } from './cors-preflight/measure.js';
import { dateCodecLab } from './date-codec/measure.js';
import { h2SseLab } from './h2-sse/measure.js';
import { heartbeatLab } from './heartbeat/measure.js';
import { leaksLab } from './leaks/measure.js';
import type { Lab } from './lib/measurement/define-lab.js';
import { profilingLab } from './profiling/measure.js';
import { requestIdLab } from './request-id/measure.js';
import { retry429Lab } from './retry-429/measure.js';
import { scaleOutLab } from './scale-out/measure.js';
import { serializationLab } from './serialization/measure.js';
import { timeoutLab } from './timeout/measure.js';
import { versioningLab } from './versioning/measure.js';

/** The labs `pnpm lab` can run, by id; the ones of LAB_CATALOGUE without one here are listed as pending. */
export const LABS: Partial<Record<LabId, Lab>> = Object.fromEntries(
  [
    h2SseLab,
    heartbeatLab,
    corsPreflightLab,
    leaksLab,
    serializationLab,
    dateCodecLab,
    batchWeightLab,
    timeoutLab,
    versioningLab,
    requestIdLab,
    retry429Lab,
    profilingLab,
    authCostLab,
    scaleOutLab,
  ].map((lab) => [lab.id, lab]),
);
