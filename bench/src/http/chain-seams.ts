import type { FastifyInstance } from 'fastify';

/**
 * The run-time seams of the product (apps/api/README.md, "Seams") that switch one part of
 * the request chain off, by the name `pnpm bench chain-cost` passes to the fixed-page API
 * (`--off <name>,…`). Each is set once, after the app is built and before it listens, the
 * way an operator or a lab would: no code of the API is changed or left out.
 */
export const SEAM_SWITCHES = {
  'request-id-echo': (app: FastifyInstance) => app.requestIdPolicy.set({ echo: false }),
  'rate-limit': (app: FastifyInstance) => app.rateLimitPolicy.set({ enforce: false }),
  deadline: (app: FastifyInstance) => app.deadlinePolicy.set({ enforce: false }),
  'server-timing': (app: FastifyInstance) => app.serverTimingPolicy.set({ send: false }),
} as const satisfies Record<string, (app: FastifyInstance) => void>;

export type SeamSwitch = keyof typeof SEAM_SWITCHES;

export const isSeamSwitch = (name: string): name is SeamSwitch => Object.hasOwn(SEAM_SWITCHES, name);
