import { defineConfig } from 'vitest/config';

/** End-to-end: Debian Chromium against the built app served by the harness. Needs `npm run build`. */
export default defineConfig({
  test: {
    globalSetup: ['test/support/run-temp-dir.ts'],
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
