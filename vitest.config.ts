import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/**
 * Unit and integration tests. Two projects, because the folder decides the environment:
 * - node: main/, shared/, preload/, emulators (integration tests talk to the emulators over
 *   real HTTP on 127.0.0.1);
 * - renderer: Svelte components and state classes under happy-dom.
 * The Chromium e2e suite has its own config (test/e2e/vitest.config.ts).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/renderer/**', 'test/e2e/**', '**/node_modules/**'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [svelte({ compilerOptions: { runes: true } })],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/renderer/**/*.test.ts'],
          testTimeout: 15_000,
        },
      },
    ],
  },
});
