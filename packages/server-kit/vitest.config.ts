import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@tandem/source'] },
  ssr: { resolve: { conditions: ['@tandem/source'] } },
  test: { include: ['src/**/*.test.ts'] },
});
