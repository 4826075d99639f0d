import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['common/**/*.test.ts', 'eslint/**/*.test.mjs', 'main/**/*.test.ts', 'runtime/**/*.test.ts', 'resources/**/*.test.ts', 'renderer/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Runtime tests start real worker threads and a real HTTP server; keep
    // parallelism low on 2-core machines so timing limits stay meaningful.
    maxWorkers: 2,
    // A stray `.only` would silently skip the rest of the suite.
    allowOnly: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
