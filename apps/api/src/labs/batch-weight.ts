import type { OrdersBatch } from '@tandem/contract';
import type { OrdersRepository } from '../plugins/app/orders-repository.js';
import { defineLab } from './define-lab.js';

/**
 * The same repository, except that a batch is read with one query per distinct id: N
 * round trips where one would do, the same answer (the product's findMany reads a batch
 * with one `= ANY($1)` query, plugins/app/orders-repository.ts).
 */
export function withPerIdBatchReads(repository: OrdersRepository): OrdersRepository {
  return {
    list: (input, options) => repository.list(input, options),
    get: (id, options) => repository.get(id, options),
    async findMany(ids, options): Promise<OrdersBatch> {
      const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
      const found = await Promise.all(wanted.map((id) => repository.get(id, options)));
      const byId = new Map(found.flatMap((order) => (order ? [[order.id, order] as const] : [])));
      return {
        items: wanted.flatMap((id) => byId.get(id) ?? []),
        missing: wanted.filter((id) => !byId.has(id)),
      };
    },
    create: (input, options) => repository.create(input, options),
    createIdempotent: (input, key, options) => repository.createIdempotent(input, key, options),
    updateStatus: (id, to, options) => repository.updateStatus(id, to, options),
  };
}

/**
 * batch-weight: one switch drives both halves of the mismatch, how the rate limiter
 * charges a batch (plugins/app/rate-limit.ts, `app.rateLimiter`) and how the batch
 * endpoint reads its orders (`app.ordersRepository`).
 */
export const batchWeightLab = defineLab('batch-weight', {
  // A batch of N ids counts 1 against the limit and costs N queries.
  naive: (seams) => {
    seams.rateLimitWeighting.set('per-request');
    seams.ordersRepository.set(withPerIdBatchReads(seams.ordersRepository.initial));
  },
  // The product: a batch is charged its distinct ids (`weighted`) and read with one query.
  tuned: (seams) => {
    seams.rateLimitWeighting.reset();
    seams.ordersRepository.reset();
  },
});
