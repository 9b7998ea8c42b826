import type { Endpoint } from './endpoint.js';
import { coreEndpoints } from './endpoints.js';
import { endpointsV2 } from './endpoints-v2.js';
import { labEndpoints } from './labs/lab-endpoints.js'; // #labs

/**
 * Every operation of the API, v2's and the lab layer's included: what the server registers and OpenAPI
 * documents. A module of its own so that a client importing only `coreEndpoints` never
 * pulls v2's schemas into its bundle (the package declares `sideEffects: false`).
 */
export const endpoints = {
  ...coreEndpoints,
  ...endpointsV2,
  // #region labs
  ...labEndpoints,
  // #endregion labs
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof endpoints;
