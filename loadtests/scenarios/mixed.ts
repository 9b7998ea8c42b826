// Mixed: the journeys at once, in the proportions of a busy afternoon.
// k6 run -e PROFILE=load scenarios/mixed.ts
import type { Options } from 'k6/options';
import { config } from '../lib/config.ts';
import { commonThresholds, routeLatency } from '../lib/thresholds.ts';

export { default as browse, setup } from './browse-orders.ts';
export { default as create } from './create-order.ts';
export { default as live } from './live-socket.ts';

const scale = config.profile === 'smoke' ? 1 : 10;

export const options: Options = {
  insecureSkipTLSVerify: true,
  scenarios: {
    browse: { executor: 'constant-vus', exec: 'browse', vus: 6 * scale, duration: '1m' },
    create: {
      executor: 'constant-arrival-rate',
      exec: 'create',
      rate: 2 * scale,
      timeUnit: '1s',
      duration: '1m',
      preAllocatedVUs: 4 * scale,
    },
    live: { executor: 'constant-vus', exec: 'live', vus: 2 * scale, duration: '1m' },
  },
  thresholds: {
    ...commonThresholds,
    ...routeLatency('/api/v1/orders', 400, 800),
    ...routeLatency('/api/v1/orders/:id', 300, 600),
  },
};
