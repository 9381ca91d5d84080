import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'test/**/*.test.ts',
      'policies/**/*.test.ts',
      'bench/**/*.test.ts',
      'sandbox/**/*.test.ts',
      // Console component tests (each file opts into jsdom with a `@vitest-environment jsdom` comment).
      'src/**/*.test.tsx',
      // Browser end-to-end tests: the real server and Debian's Chromium (e2e/README in docs/console.md).
      'e2e/**/*.test.ts',
    ],
    // Builds the CLI bundle once, for the integration tests in test/cli that spawn bin/cavra.mjs.
    globalSetup: ['test/global-setup.ts'],
    // Two cores on CI: keep the pool small so CPU-heavy property tests do not starve each other.
    maxWorkers: 2,
    // No test measures time (speed goals are benchmark scripts): the limits only catch hangs, and must not fire
    // because a shared CI machine is busy (tests that start servers or derive keys took 5–10 s under load).
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
