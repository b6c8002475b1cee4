import { pathToFileURL } from 'node:url';
import type { GraphReport } from '../../../models/engine/generate';
import { expectFloat32, float32, GraphSession } from '../../../models/engine/runtime';
import type { HostBackend } from './backend';
import type { GenerateRunner } from './generate-runner';
import { JobCancelledError, throwIfCancelled } from './runner';

/**
 * Tests only. A fixture module (e.g. test/fixtures/host/slow-relief.mjs) replaces the model
 * with its own 'generate' runner, such as a slow, killable job on a tiny real graph for the
 * supervision tests. It gets the engine's graph tools here, so it imports nothing itself.
 * The host loads one only when its configuration names it, which only a test does.
 */
export interface FixtureTools {
  readonly openGraph: (file: string) => Promise<GraphSession>;
  readonly float32: typeof float32;
  readonly expectFloat32: typeof expectFloat32;
  readonly throwIfCancelled: typeof throwIfCancelled;
  readonly JobCancelledError: typeof JobCancelledError;
}

export interface HostFixture {
  readonly modelId: string;
  readonly displayName: string;
  readonly graphs: readonly GraphReport[];
  readonly generate: GenerateRunner;
}

export async function loadFixtureBackend(modulePath: string): Promise<HostBackend> {
  const started = performance.now();
  const module = (await import(pathToFileURL(modulePath).href)) as { default?: unknown };
  if (typeof module.default !== 'function') throw new Error(`${modulePath}: a host fixture's default export is a function (tools) => HostFixture`);
  const tools: FixtureTools = { openGraph: (file) => GraphSession.open(file), float32, expectFloat32, throwIfCancelled, JobCancelledError };
  const fixture = (await (module.default as (tools: FixtureTools) => Promise<HostFixture>)(tools));
  const first = fixture.graphs[0];
  if (!first) throw new Error(`${modulePath}: the fixture opened no graph`);
  const loaded = {
    state: 'loaded' as const,
    modelId: fixture.modelId,
    displayName: fixture.displayName,
    execution: { provider: first.provider, skipped: [...first.skipped] },
    graphs: fixture.graphs.map((g) => ({ graph: g.graph, provider: g.provider, skipped: [...g.skipped] })),
    loadMs: performance.now() - started,
  };
  let status: ReturnType<HostBackend['status']>['model'] = loaded;
  const listeners = new Set<() => void>();
  return {
    generate: fixture.generate,
    status: () => ({ model: status, available: [{ id: fixture.modelId, displayName: fixture.displayName, origin: 'fixture' }] }),
    onChange: (listener) => void listeners.add(listener),
    async open(modelId) {
      status = modelId === fixture.modelId ? loaded : { state: 'failed', modelId, message: `This test host has only the fixture "${fixture.modelId}"` };
      for (const listener of listeners) listener();
    },
  };
}
