import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@tandem/source'] },
  ssr: { resolve: { conditions: ['@tandem/source'] } },
  test: {
    projects: [
      {
        extends: true,
        // The files share each worker's module graph (no test relies on a fresh module): 9 s instead of 24 s.
        test: { name: 'unit', include: ['src/**/*.test.ts'], exclude: ['src/**/*.edge.test.ts'], isolate: false },
      },
      {
        extends: true,
        test: {
          // The API scaled out behind HAProxy: PostgreSQL, Redis, three replicas and the
          // balancer, real processes on loopback, started once per file (npm test's `edge` suite).
          name: 'edge',
          include: ['src/**/*.edge.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
