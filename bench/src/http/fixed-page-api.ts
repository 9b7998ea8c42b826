// The real Tandem API with its data layer replaced: the orders repository answers a fixed
// page and no database is opened (see fixed-page-repository.ts). Started by the HTTP benchmarks as a separate
// process, pinned to its own CPU, with the environment of apps/api/src/config.ts.
// Runs as the API does: from apps/api, with tsx and the @tandem/source condition.
// argv: [--off <seam>,<seam>…]: product seams set off before it listens (chain-seams.ts);
// [--page-cost-ms <ms>]: each list keeps the event loop busy that long first (fixed-page-repository.ts).
import { parseArgs } from 'node:util';
import { buildApp } from '@tandem/api/app';
import { loadConfig } from '@tandem/api/config';
import { isSeamSwitch, SEAM_SWITCHES } from './chain-seams.js';
import { createFixedPageRepository, NO_DATABASE } from './fixed-page-repository.js';
import { createFixedSessionRepository } from './fixed-session-repository.js';

const PAGE_SIZE = 20;

const { values } = parseArgs({
  options: { off: { type: 'string', default: '' }, 'page-cost-ms': { type: 'string', default: '0' } },
});
const pageCostMs = Number(values['page-cost-ms']);
if (!Number.isFinite(pageCostMs) || pageCostMs < 0) {
  console.error(`--page-cost-ms wants a number of milliseconds ≥ 0, not ${values['page-cost-ms']}`);
  process.exit(2);
}
const off = values.off.split(',').filter(Boolean);
const unknown = off.filter((name) => !isSeamSwitch(name));
if (unknown.length > 0) {
  console.error(`unknown seam(s) ${unknown.join(', ')}; known: ${Object.keys(SEAM_SWITCHES).join(', ')}`);
  process.exit(2);
}

const config = loadConfig();
const app = await buildApp(config, {
  database: NO_DATABASE,
  ordersRepository: createFixedPageRepository(PAGE_SIZE, { pageCostMs }),
  sessionsRepository: createFixedSessionRepository(),
});
for (const name of off) if (isSeamSwitch(name)) SEAM_SWITCHES[name](app);
await app.listen({ host: config.host, port: config.port });
console.log(`fixed-page API listening on https://${config.host}:${config.port}`);

const close = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', close);
process.once('SIGINT', close);
