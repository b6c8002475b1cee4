import { defineConfig } from 'vitest/config';

// Unit tests of every area (test/**/*.test.ts). End-to-end tests have their own config.
export default defineConfig({
  test: {
    globalSetup: ['test/support/run-temp-dir.ts'],
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/package/**', 'node_modules/**'],
    // Many tests do real work (PNG codecs, ONNX sessions): vitest's 5 s default failed one on a busy CI machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
