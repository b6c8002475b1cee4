import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

/**
 * electron-vite builds three targets into out/:
 *  - main: Electron main, the inference host entry (utilityProcess or Node
 *    child) and the browser harness, as ESM.
 *  - preload: one CJS file, because sandboxed preloads cannot load ESM.
 *  - renderer: the Svelte app.
 */
const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // ws stays a plain runtime import: bundled, its optional natives (bufferutil,
      // utf-8-validate) became empty stubs and every masked client frame >= 32 bytes
      // threw `bufferUtil.unmask is not a function`, taking `npm run web` down.
      externalizeDeps: { include: ['ws'] },
      rollupOptions: {
        input: {
          index: resolve(root, 'main/index.ts'),
          'inference-host': resolve(root, 'main/inference/host/main.ts'),
          harness: resolve(root, 'main/harness/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [svelte()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
