import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

/**
 * The import rules only protect the architecture if they fire. Lint probe
 * sources as if they lived in each zone (nothing is written to disk).
 */
const root = resolve(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('import boundaries', () => {
  test('the renderer cannot import electron, node:*, main or the engine', async () => {
    const code = [
      "import { app } from 'electron';",
      "import { readFileSync } from 'node:fs';",
      "import { GraphSession } from '../../../models/engine/runtime';",
      "import { HostSupervisor } from '../../../main/inference/supervisor';",
      'export const x = [app, readFileSync, GraphSession, HostSupervisor];',
    ].join('\n');
    expect(await violations('renderer/src/services/probe.ts', code)).toEqual([
      'no-restricted-imports',
      'no-restricted-imports',
      'import-x/no-restricted-paths',
      'import-x/no-restricted-paths',
    ]);
  }, 30_000);

  test('preload/contract imports nothing but zod', async () => {
    const code = "import { z } from 'zod';\nimport { planProviders } from '../../models/engine/providers';\nexport const y = [z, planProviders];";
    expect(await violations('preload/contract/probe.ts', code)).toEqual(['import-x/no-restricted-paths']);
  }, 30_000);

  test('main may use the pure project-container code of the document core, nothing else of the renderer', async () => {
    const allowed = "import { readContainer } from '../../renderer/src/document/project/container';\nexport const a = readContainer;";
    expect(await violations('main/project/probe.ts', allowed)).toEqual([]);
    const ui = "import { EditorState } from '../../renderer/src/state/EditorState.svelte';\nexport const b = EditorState;";
    expect(await violations('main/project/probe.ts', ui)).toEqual(['import-x/no-restricted-paths']);
  }, 30_000);

  test('the document core and the painting tools stay framework-free', async () => {
    const ui = "import { EditorState } from '../state/EditorState.svelte';\nexport const e = EditorState;";
    expect(await violations('renderer/src/document/probe.ts', ui)).toEqual(['import-x/no-restricted-paths']);
    expect(await violations('renderer/src/tools/probe.ts', ui)).toEqual(['import-x/no-restricted-paths']);
    const konva = "import Konva from 'konva';\nexport const k = Konva;";
    expect(await violations('renderer/src/tools/probe.ts', konva)).toEqual(['no-restricted-imports']);
    const core = "import { createDocument } from '../document';\nexport const c = createDocument;";
    expect(await violations('renderer/src/tools/probe.ts', core)).toEqual([]);
  }, 30_000);

  test('only models/engine imports onnxruntime-node', async () => {
    const code = "import * as ort from 'onnxruntime-node';\nexport const z = ort;";
    expect(await violations('main/inference/host/probe.ts', code)).toEqual(['no-restricted-imports']);
    expect(await violations('models/engine/probe.ts', code)).toEqual([]);
  }, 30_000);

  test('the product never imports test fixtures; the renderer never reaches the disk side of the registry', async () => {
    const fixture = "import createFixture from '../../../test/fixtures/host/slow-relief.mjs';\nexport const f = createFixture;";
    expect(await violations('main/inference/host/probe.ts', fixture)).toEqual(['import-x/no-restricted-paths']);
    const registry = "import { findModel } from '../../../models/registry/registry';\nimport { ModelManifest } from '../../../models/registry';\nexport const r = [findModel, ModelManifest];";
    expect(await violations('renderer/src/services/probe.ts', registry)).toEqual(['import-x/no-restricted-paths']);
  }, 30_000);
});
