// @ts-check
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Lint = correctness + the architecture's import boundaries
 * (docs: /work/shared/design/architecture.md, "Import rules").
 * Each zone says: files in `target` may not import from `from`.
 */
const zones = [
  { target: './preload/contract', from: './', except: ['./preload/contract', './node_modules'], message: 'preload/contract imports nothing but zod.' },
  { target: './models/core', from: './', except: ['./models/core', './node_modules'], message: 'models/core imports nothing.' },
  { target: './models/sampling', from: './', except: ['./models/sampling', './models/core', './preload/contract', './node_modules'], message: 'models/sampling imports only models/core (and contract types).' },
  { target: './models/tokenizers', from: './', except: ['./models/tokenizers', './models/core', './preload/contract', './node_modules'], message: 'models/tokenizers imports only models/core (and contract types).' },
  // The document core and the painting tools are plain TypeScript: no UI, canvas, services or state.
  { target: ['./renderer/src/document', './renderer/src/tools'], from: './renderer/src', except: ['./document', './tools'], message: 'renderer/src/document and renderer/src/tools are framework-free: they import only each other.' },
  { target: './renderer', from: ['./main', './models/engine', './models/sampling', './models/tokenizers', './models/registry/folders.ts', './models/registry/registry.ts', './models/registry/package-loader.ts'], message: 'The renderer reaches the OS only through renderer/src/services.' },
  { target: './models/registry', from: './', except: ['./models/registry', './node_modules'], message: 'models/registry (manifests, lookup folders, the registry) imports nothing else.' },
  // Test fixtures (such as the host fixture of the supervision tests) are loaded only when a test asks.
  { target: ['./main', './preload', './renderer', './models'], from: './test', message: 'The product never imports from test/.' },
  { target: './models', from: ['./main', './renderer'], message: 'models/ never depends on the app around it.' },
  // Main checks a project file's container (magic, frame, CRC) with the document core's own pure reader
  // rather than a copy; nothing else of the renderer (UI, services, DOM) may reach main.
  { target: './main', from: './renderer', except: ['./src/document/project'], message: 'main may use only the pure project-container code of renderer/src/document/project.' },
];

const renderer = ['renderer/**/*.{ts,svelte}'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test/artifacts/**', 'models/recipe/**', '**/*.svelte.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'import-x': importX },
    // Zones only apply to imports the plugin can resolve; our relative imports omit `.ts`.
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.svelte.ts', '.js', '.svelte', '.json'] })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'onnxruntime-node', message: 'Only models/engine imports onnxruntime-node.' }] },
      ],
    },
  },
  {
    files: ['models/engine/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: renderer,
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer never imports electron; use renderer/src/services.' },
            { name: 'onnxruntime-node', message: 'Only models/engine imports onnxruntime-node.' },
          ],
          patterns: [{ group: ['node:*'], message: 'The renderer never imports Node built-ins.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/src/document/**/*.ts', 'renderer/src/tools/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer never imports electron; use renderer/src/services.' },
            { name: 'onnxruntime-node', message: 'Only models/engine imports onnxruntime-node.' },
            { name: 'svelte', message: 'The document core and the tools are framework-free.' },
            { name: 'konva', message: 'The document core and the tools are framework-free; drawing lives in renderer/src/canvas.' },
          ],
          patterns: [{ group: ['node:*'], message: 'The renderer never imports Node built-ins.' }, { group: ['svelte/*'], message: 'The document core and the tools are framework-free.' }],
        },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
);
