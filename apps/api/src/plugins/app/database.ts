import { performance } from 'node:perf_hooks';
import fp from 'fastify-plugin';
import type { Histogram } from 'prom-client';
import type { Config } from '../../config.js';
import type { CancelObserver, Database, QueryObserver } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { openPgliteDatabase } from '../../db/pglite-database.js';
import { openPostgresDatabase } from '../../db/postgres-database.js';
import { seedOrders } from '../../db/seed.js';

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
      if (database.connections) app.metrics.readDbConnections(database.connections);
      return;
    }

    const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
    let started = performance.now();
    const where = config.url ? `PostgreSQL at ${redactPassword(config.url)}` : `PGlite in ${config.pgliteDataDir}`;
    // The first PGlite start runs initdb inside WASM and takes several seconds: say so.
    app.log.info(`opening database (${where})…`);
    const kind: Database['kind'] = config.url ? 'postgres' : 'pglite';
    const observe = queryObserver(app.metrics.dbQueryDuration, kind);
    const onCancelled: CancelObserver = (stage) => app.metrics.dbQueriesCancelled.inc({ db: kind, stage });
    const db = config.url
      ? await openPostgresDatabase({
          url: config.url,
          poolMax: config.poolMax,
          observe,
          onCancelled,
          onIdleError: (error) => app.log.error({ err: error }, 'idle database connection failed'),
          onCancelError: (error) =>
            app.log.warn({ err: error }, 'could not cancel a query (statement_timeout still applies)'),
        })
      : await openPgliteDatabase(config.pgliteDataDir, observe, onCancelled);
    app.decorate('db', db);
    if (db.connections) app.metrics.readDbConnections(db.connections);
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
  { name: 'database', dependencies: ['metrics'] },
);

/**
 * Each finished query adds to its request's Server-Timing `db` and to
 * `tandem_db_query_duration_seconds{query,db}`. Query names are a closed set written in
 * code, so the label children are cached by name: one Map lookup and one observe.
 */
function queryObserver(histogram: Histogram<'query' | 'db'>, db: Database['kind']): QueryObserver {
  const children = new Map<string, ReturnType<Histogram<'query' | 'db'>['labels']>>();
  return (name, ms, options) => {
    if (options?.timing) options.timing.dbMs += ms;
    let child = children.get(name);
    if (!child) {
      child = histogram.labels({ query: name, db });
      children.set(name, child);
    }
    child.observe(ms / 1000);
  };
}

function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
