// Vitest globalSetup: a throwaway PostgreSQL server on a free loopback port (from
// @tandem/local-stack, which the benchmarks use too), so the database tests run against a
// real server as well as PGlite. Stopped at teardown. Missing binaries fail the run with
// the install hint: never a silent skip.
import { startPostgres } from '@tandem/local-stack';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test server; each test file creates its own database. */
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const postgres = await startPostgres();
  project.provide('postgresAdminUrl', postgres.adminUrl);
  return () => postgres.stop();
}
