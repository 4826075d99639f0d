import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['common/**/*.test.ts', 'main/**/*.test.ts', 'runtime/**/*.test.ts', 'resources/**/*.test.ts', 'renderer/**/*.test.ts'],
    // Runtime tests start real worker threads and a real HTTP server; keep
    // parallelism low on 2-core machines so timing limits stay meaningful.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
