import { defineConfig } from 'vitest/config';

/** The installers' file set through electron-builder (test/package). Needs `npm run build`. */
export default defineConfig({
  test: {
    globalSetup: ['test/support/run-temp-dir.ts'],
    include: ['test/package/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
