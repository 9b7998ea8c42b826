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
    // The files share each worker's module graph instead of importing Vue, the query client
    // and zod again per file: most of this suite's time was those imports (`--no-isolate`
    // on 2 cores, same run: 58 s instead of 155 s). No test relies on a fresh module.
    isolate: false,
    // Many tests talk to a real server and wait out real retry delays: give a busy machine room.
    testTimeout: 15_000,
  },
});
