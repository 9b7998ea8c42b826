import type { RateLimitWeighting } from '@tandem/contract';
import type { LabMode } from '@tandem/contract/labs';
import type { BatchStrategy } from '../plugins/app/orders-repository.js';

/**
 * What the batch-weight lab's two settings mean on the server. One switch drives both
 * halves of the mismatch: how the rate limiter charges a batch (read per request in
 * plugins/app/rate-limit.ts) and how the batch endpoint reads its orders (read per request
 * in routes/orders/index.ts). LAB_MODE_BATCH_WEIGHT is the only setting of either.
 */
export interface BatchWeightPolicy {
  weighting: RateLimitWeighting;
  strategy: BatchStrategy;
}

// lab batch-weight: naive — a batch of N ids counts 1 against the limit and costs N queries.
const NAIVE: BatchWeightPolicy = Object.freeze({ weighting: 'per-request', strategy: 'per-id' });
// lab batch-weight: tuned — a batch is charged its distinct ids and read with one query.
const TUNED: BatchWeightPolicy = Object.freeze({ weighting: 'weighted', strategy: 'one-query' });

export function batchWeightPolicy(mode: LabMode): BatchWeightPolicy {
  return mode === 'naive' ? NAIVE : TUNED;
}
