import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@tandem/source'] },
  ssr: { resolve: { conditions: ['@tandem/source'] } },
  test: {
    // Each file starts a real server or database: give slow machines room.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'api',
          // test/: the suites over the whole API (the fuzz suite) and the test helpers' own tests.
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          // These files spend most of their time waiting on sockets, timers and PGlite: one
          // worker more than the cores keeps both busy (on 2 cores: ~160 s → ~105 s).
          maxWorkers: availableParallelism() + 1,
          // Real PostgreSQL and Redis servers: the database project starts them.
          exclude: [
            'src/db/**',
            'src/plugins/app/orders-repository.test.ts',
            'src/plugins/app/sessions-repository.test.ts',
            'src/**/*.redis.test.ts',
            'src/**/*.postgres.test.ts',
          ],
          globalSetup: ['test/pglite-template.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'database',
          include: [
            'src/db/**/*.test.ts',
            'src/plugins/app/orders-repository.test.ts',
            'src/plugins/app/sessions-repository.test.ts',
            'src/**/*.redis.test.ts',
            'src/**/*.postgres.test.ts',
          ],
          globalSetup: ['test/pglite-template.ts', 'test/postgres-server.ts', 'test/redis-server.ts'],
          // After the api project when one run has both (`pnpm test` here): Vitest needs a
          // group of its own for a project with another worker count.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
