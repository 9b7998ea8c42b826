import vue from '@vitejs/plugin-vue';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [vue()],
  resolve: { conditions: ['@tandem/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@tandem/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'build/**/*.test.ts'],
    environment: 'node',
    // Many tests talk to a real server and wait out real retry delays: give a busy machine room.
    testTimeout: 15_000,
  },
});
