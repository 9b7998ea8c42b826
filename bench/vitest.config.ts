import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@tandem/source'] },
  ssr: { resolve: { conditions: ['@tandem/source'] } },
  // Each test runs a benchmark's --quick mode against real servers: one at a time, with room.
  test: { include: ['src/**/*.test.ts'], testTimeout: 600_000, hookTimeout: 120_000, fileParallelism: false },
});
