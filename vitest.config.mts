import { defineConfig } from 'vitest/config';
import { INTEGRATION } from './test/tiers';

// The tiers (unit, integration) and why: test/tiers.ts.
export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    // wineboot of a fresh prefix and Chromium start-up can take minutes on a loaded two-core machine.
    hookTimeout: 600_000,
    // Two cores: Chromium and wine suites compete for them, so keep file parallelism modest.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: INTEGRATION } },
      { extends: true, test: { name: 'integration', include: INTEGRATION } },
    ],
  },
});
