// Vitest globalSetup: one migrated, seeded PGlite data directory per run. Opening a
// fresh PGlite runs initdb in WASM (seconds); each test file copies this template and
// opens the copy (about a second) instead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../src/db/migrate.js';
import { openPgliteDatabase } from '../src/db/pglite-database.js';
import { seedOrders } from '../src/db/seed.js';

/** Enough for several pages at the largest page size tests use. */
export const TEMPLATE_SEED_ORDERS = 60;

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplateDir: string;
  }
}

interface SharedTemplate {
  dataDir: Promise<string>;
  root: string;
  users: number;
}

/**
 * Both vitest projects (api, database) list this setup and vitest loads it once per
 * project, in one process: keep the template on globalThis so it is built once per run
 * and removed after its last user.
 */
const KEY = Symbol.for('tandem.pgliteTemplate');
const holder = globalThis as typeof globalThis & { [KEY]?: SharedTemplate | undefined };

async function buildTemplate(root: string): Promise<string> {
  const dataDir = join(root, 'data');
  const db = await openPgliteDatabase(dataDir);
  await migrate(db);
  await seedOrders(db, TEMPLATE_SEED_ORDERS);
  await db.close();
  return dataDir;
}

export default async function setup(project: TestProject) {
  if (!holder[KEY]) {
    const root = mkdtempSync(join(tmpdir(), 'tandem-pglite-template-'));
    holder[KEY] = { root, dataDir: buildTemplate(root), users: 0 };
  }
  const current = holder[KEY];
  current.users++;
  project.provide('pgliteTemplateDir', await current.dataDir);
  return () => {
    current.users--;
    if (current.users > 0) return;
    rmSync(current.root, { recursive: true, force: true });
    holder[KEY] = undefined;
  };
}
