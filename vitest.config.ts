import { defineConfig } from 'vitest/config';

// Unit tests live beside the code (src/**/*.test.ts, and bench/** for the benchmarks' pure parts); tests that start real processes live in
// packages/*/test and test/. Both run in `npm test`.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'packages/*/bench/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
