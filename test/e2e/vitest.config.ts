import { defineConfig } from 'vitest/config';

/**
 * End-to-end: Debian Chromium driven by playwright-core against the web shell and the
 * emulators. One file at a time (2 cores, one browser each); generous timeouts because the
 * machine is shared, but no assertion ever depends on wall time.
 */
export default defineConfig({
  test: {
    name: 'e2e',
    root: '.',
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
