import { randomUUID } from 'node:crypto';
import { endpoints, RumBatch, type RumBatch as RumBatchType } from '@tandem/contract';

export const RUM_PATH = endpoints.ingestRum.path;
/** As `navigator.sendBeacon` sends a string: CORS-safelisted, so no preflight. */
export const BEACON_CONTENT_TYPE = 'text/plain;charset=UTF-8';
export const SAMPLES_PER_BEACON = 10;

/**
 * One beacon as the SPA sends it: a RumBatch of web vitals and API-call timings, parsed
 * with the contract's schema here so a benchmark can never load the route with a body it
 * would refuse.
 */
export function rumBeaconBody(): string {
  const batch: RumBatchType = {
    app: 'tandem-bench',
    samples: Array.from({ length: SAMPLES_PER_BEACON }, (_, index) =>
      index % 5 === 0
        ? { type: 'web-vital', name: 'LCP', value: 800 + index, rating: 'good', page: 'orders' }
        : {
            type: 'api-call',
            route: index % 2 === 0 ? '/api/v1/orders' : '/api/v1/orders/:id',
            method: 'GET',
            status: 200,
            requestId: randomUUID(),
            protocol: 'h2',
            page: 'orders',
            durationMs: 12 + index,
            phases: { dnsMs: 0, connectMs: 0, tlsMs: 0, requestMs: 9 + index, responseMs: 1 },
            server: { appMs: 3.2, dbMs: 0.8 },
            attempt: 1,
          },
    ),
  };
  return JSON.stringify(RumBatch.parse(batch));
}
