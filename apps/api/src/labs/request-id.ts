import { defineLab } from './define-lab.js';

/**
 * request-id, the server's half: whether answers name their request id
 * (plugins/app/request-id.ts, `app.requestIdPolicy`). The SPA sends its own id (tuned) or
 * none (naive), see apps/web/src/labs/.
 */
export const requestIdLab = defineLab('request-id', {
  // No echo: the id stays in the server's log, so a browser that sent none cannot learn it
  // (each side keeps an id of its own); only an error envelope still names it.
  naive: (seams) => seams.requestIdPolicy.set({ echo: false }),
  // The product's default: every answer names the id its log lines carry.
  tuned: (seams) => seams.requestIdPolicy.reset(),
});
