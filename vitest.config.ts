import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'test/**/*.test.ts',
      'policies/**/*.test.ts',
      'bench/**/*.test.ts',
      'sandbox/**/*.test.ts',
    ],
    // Builds the CLI bundle once, for the integration tests in test/cli that spawn bin/cavra.mjs.
    globalSetup: ['test/global-setup.ts'],
    // Two cores on CI: keep the pool small so CPU-heavy property tests do not starve each other.
    maxWorkers: 2,
  },
});
