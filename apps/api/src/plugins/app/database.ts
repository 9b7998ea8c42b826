import { performance } from 'node:perf_hooks';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { openPgliteDatabase } from '../../db/pglite-database.js';
import { openPostgresDatabase } from '../../db/postgres-database.js';
import { seedOrders } from '../../db/seed.js';
import { recordDbTime } from '../../request-timing.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
  }
}

export interface DatabasePluginOptions {
  config: Config['database'];
  /** A database the caller opened and prepared (tests); it is used as is and not closed here. */
  database?: Database | undefined;
}

/**
 * Opens the database named by the config (PGlite on disk unless DATABASE_URL is set),
 * brings its schema up to date, seeds an empty orders table, and closes it with the app.
 */
export default fp<DatabasePluginOptions>(
  async (app, { config, database }) => {
    if (database) {
      app.decorate('db', database);
      return;
    }

    const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
    let started = performance.now();
    const where = config.url ? `PostgreSQL at ${redactPassword(config.url)}` : `PGlite in ${config.pgliteDataDir}`;
    // The first PGlite start runs initdb inside WASM and takes several seconds: say so.
    app.log.info(`opening database (${where})…`);
    const db = config.url
      ? await openPostgresDatabase({
          url: config.url,
          poolMax: config.poolMax,
          observe: (_name, ms) => recordDbTime(ms),
          onIdleError: (error) => app.log.error({ err: error }, 'idle database connection failed'),
        })
      : await openPgliteDatabase(config.pgliteDataDir, (_name, ms) => recordDbTime(ms));
    app.decorate('db', db);
    app.addHook('onClose', async () => {
      await db.close();
    });
    app.log.info(`database open in ${seconds(started)}`);

    started = performance.now();
    app.log.info('migrating…');
    const applied = await migrate(db);
    app.log.info(applied.length > 0 ? `applied ${applied.join(', ')} in ${seconds(started)}` : 'schema is up to date');

    started = performance.now();
    if (config.seedOrders > 0) {
      const seeded = await seedOrders(db, config.seedOrders);
      if (seeded > 0) app.log.info(`seeded ${seeded} orders in ${seconds(started)}`);
    }
  },
  { name: 'database' },
);

function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
