// Opens a database for one test file: a copy of the PGlite template, or a fresh database
// on the test PostgreSQL server. Both come back migrated; the caller closes them.
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { openPgliteDatabase } from '../src/db/pglite-database.js';
import { openPostgresDatabase } from '../src/db/postgres-database.js';

export type DatabaseKind = Database['kind'];

export interface TestDatabase {
  db: Database;
  /** Closes the database and removes what was created for it. */
  dispose(): Promise<void>;
}

/** A private copy of the template data directory (migrated, seeded with 60 orders). */
export function copyPgliteTemplate(): { dataDir: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'tandem-pglite-'));
  const dataDir = join(root, 'data');
  cpSync(inject('pgliteTemplateDir'), dataDir, { recursive: true });
  return { dataDir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface ThrowawayPostgres {
  name: string;
  /** The new database's connection string. */
  url: string;
  /** A connection to the server as its admin (pg_stat_activity, pg_cancel_backend, …). */
  admin: pg.Client;
  /** Drops the database (closing what is still connected to it) and the admin connection. */
  drop(): Promise<void>;
}

/** A fresh, empty database on the test PostgreSQL server, named for nothing else to collide with. */
export async function createThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `tandem_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    admin,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const copy = copyPgliteTemplate();
    const db = await openPgliteDatabase(copy.dataDir);
    return {
      db,
      async dispose() {
        await db.close();
        copy.remove();
      },
    };
  }

  const server = await createThrowawayPostgres();
  const db = await openPostgresDatabase({ url: server.url, poolMax: 4 });
  await migrate(db);
  return {
    db,
    async dispose() {
      await db.close();
      await server.drop();
    },
  };
}
