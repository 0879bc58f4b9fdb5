import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    // wineboot of a fresh prefix and Chromium start-up can take minutes on a loaded two-core machine.
    hookTimeout: 600_000,
    // Two cores: Chromium and wine suites compete for them, so keep file parallelism modest.
    maxWorkers: 2,
  },
});
