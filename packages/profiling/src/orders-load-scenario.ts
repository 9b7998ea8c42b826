import { runH2load } from '@tandem/local-stack';
import type { Scenario } from './scenario.js';

export const ORDERS_LOAD_PATH = '/api/v1/orders?limit=20';

/** Server only: h2load keeps 4 HTTP/2 connections × 8 streams busy on the orders list. */
export const ordersLoad: Scenario = {
  description: `h2load on GET ${ORDERS_LOAD_PATH} (HTTP/2, 4 connections × 8 streams) for the whole window`,
  browser: false,
  async run({ apiOrigin, seconds, progress }) {
    progress(`h2load: ${seconds} s of GET ${ORDERS_LOAD_PATH}`);
    const result = await runH2load({
      url: `${apiOrigin}${ORDERS_LOAD_PATH}`,
      durationSeconds: seconds,
      shape: { protocol: 'h2', connections: 4, streams: 8 },
    });
    progress(`h2load: ${result.succeeded} answers, ${result.requestsPerSecond.toFixed(0)} req/s`);
  },
};
