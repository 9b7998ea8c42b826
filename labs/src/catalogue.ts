import type { LabId } from '@tandem/contract/labs';
import { measureBatchWeight } from './batch-weight/measure.js';
import { measureCorsPreflight } from './cors-preflight/measure.js';
import { measureDateCodec } from './date-codec/measure.js';
import { measureH2Sse } from './h2-sse/measure.js';
import { measureHeartbeat } from './heartbeat/measure.js';
import { measureLeaks } from './leaks/measure.js';
import type { LabReport } from './lib/lab-report.js';
import type { Progress } from './lib/progress.js';
import { measureProfiling } from './profiling/measure.js';
import { measureRequestId } from './request-id/measure.js';
import { measureRetry429 } from './retry-429/measure.js';
import { measureSerialization } from './serialization/measure.js';
import { measureTimeout } from './timeout/measure.js';
import { measureVersioning } from './versioning/measure.js';

export interface LabRunOptions {
  smoke: boolean;
  progress: Progress;
  workDir?: string;
}

/** The labs `pnpm lab` can run, by id; the ones of LAB_CATALOGUE without a script are listed as pending. */
export const LAB_SCRIPTS: Partial<Record<LabId, (options: LabRunOptions) => Promise<LabReport>>> = {
  'h2-sse': measureH2Sse,
  heartbeat: measureHeartbeat,
  'cors-preflight': measureCorsPreflight,
  leaks: measureLeaks,
  serialization: measureSerialization,
  'date-codec': measureDateCodec,
  'batch-weight': measureBatchWeight,
  timeout: measureTimeout,
  versioning: measureVersioning,
  'request-id': measureRequestId,
  'retry-429': measureRetry429,
  profiling: measureProfiling,
};
