import { loadEngineModel, type EngineModel } from '../../../models/engine/generate';
import { DEFAULT_MODEL_ID, type ModelFolder } from '../../../models/registry/folders';
import { findModel, scanModels } from '../../../models/registry/registry';
import type { AvailableModel, ModelStatus } from '../../../preload/contract/jobs';
import type { HostBackend } from './backend';
import { generateRunner } from './generate-runner';

/**
 * The host's one open 4M model, found through the registry. Opening it opens every graph, so
 * the status names the execution provider each graph actually got (a CUDA or DirectML failure
 * on any of them is visible), and jobs wait while it loads. A failed load is retried by the
 * next job or the next open request; a switch releases the previous model's sessions.
 */
export class ModelSlot implements HostBackend {
  #status: ModelStatus;
  #available: AvailableModel[] = [];
  #model: Promise<EngineModel> | undefined;
  #listeners = new Set<() => void>();
  readonly generate = generateRunner(() => this.current());

  constructor(
    private readonly folders: readonly ModelFolder[],
    readonly initialId: string = DEFAULT_MODEL_ID,
    private readonly load: (dir: string) => Promise<EngineModel> = (dir) => loadEngineModel(dir),
  ) {
    this.#status = { state: 'loading', modelId: initialId };
  }

  status(): { model: ModelStatus; available: AvailableModel[] } {
    return { model: this.#status, available: this.#available };
  }

  onChange(listener: () => void): void {
    this.#listeners.add(listener);
  }

  /** The open model, waiting for a load in progress; after a failure the next call tries again. */
  current(): Promise<EngineModel> {
    if (!this.#model) void this.open(this.#status.modelId ?? this.initialId);
    return this.#model as Promise<EngineModel>;
  }

  open(modelId: string): Promise<void> {
    const previous = this.#model;
    this.#set({ state: 'loading', modelId });
    const started = performance.now();
    const loading = (async () => {
      const scan = await scanModels(this.folders);
      this.#available = scan.models.map((m) => ({ id: m.id, displayName: m.displayName, origin: m.folder.origin }));
      const found = await findModel(this.folders, modelId);
      const model = await this.load(found.dir);
      try {
        return { model, graphs: await model.openAllGraphs(), displayName: found.displayName };
      } catch (error) {
        await model.release();
        throw error;
      }
    })().catch((error: unknown) => {
      throw new Error(`Could not open model "${modelId}": ${error instanceof Error ? error.message : String(error)}`);
    });
    const model = loading.then((l) => l.model);
    model.catch(() => undefined); // reported through the status; jobs see the rejection themselves
    this.#model = model;
    return loading.then(
      async ({ graphs, displayName }) => {
        if (this.#model !== model) return; // superseded by a later open
        const encoder = (await model).provider;
        this.#set({
          state: 'loaded',
          modelId,
          displayName,
          execution: { provider: encoder.provider, skipped: [...encoder.skipped] },
          graphs: graphs.map((g) => ({ graph: g.graph, provider: g.provider, skipped: [...g.skipped] })),
          loadMs: performance.now() - started,
        });
        if (previous && previous !== model) await previous.then((m) => m.release(), () => undefined);
      },
      (error: unknown) => {
        if (this.#model !== model) return;
        this.#model = undefined;
        this.#set({ state: 'failed', modelId, message: error instanceof Error ? error.message : String(error) });
        if (previous) void previous.then((m) => m.release(), () => undefined);
      },
    );
  }

  #set(status: ModelStatus): void {
    this.#status = status;
    for (const listener of this.#listeners) listener();
  }
}
