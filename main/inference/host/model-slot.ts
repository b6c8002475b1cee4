import { join } from 'node:path';
import { loadEngineModel, type EngineModel } from '../../../models/engine/generate';
import { officialLayout } from '../../../models/engine/generate/official-layout';
import { loadOfficialModel, type OfficialModel } from '../../../models/engine/generate/official-model';
import { DEFAULT_MODEL_ID, type ModelFolder } from '../../../models/registry/folders';
import { findOfficialModelFolder } from '../../../models/registry/official-folder';
import { findModel, scanModels } from '../../../models/registry/registry';
import type { AvailableModel, ModelStatus } from '../../../preload/contract/jobs';
import type { ModelLayout } from '../../../preload/contract/model-layout';
import type { HostBackend } from './backend';
import { generateRunner, type GenerateRunner, type UpscaleRunner } from './generate-runner';
import { officialRunner, officialUpscaleRunner } from './official-runner';
import type { RememberedModel } from './remembered-model';
import { readTextFile } from '../../../models/registry/read-text';

/** What the slot holds: a model package (the engine's own format) or an official 4M folder. */
type Opened = { readonly kind: 'package'; readonly model: EngineModel } | { readonly kind: 'official'; readonly model: OfficialModel; readonly id: string };

type Loaded = Extract<ModelStatus, { state: 'loaded' }>;

export interface SlotOptions {
  /** The artist's model choice across restarts: opened at start, updated by each open request that succeeds. */
  readonly remember?: RememberedModel;
}

interface OpenHow {
  /** An open the artist asked for: remembered once it succeeds. */
  readonly remember: boolean;
  /** Said with the loaded status, given the opened model's name (why this model and not the remembered one). */
  readonly notice?: (opened: string) => string;
}

/**
 * The host's one open 4M model, found through the registry: a model package, or an official
 * model folder (fm/ + tokenizers/<layer>/) of that id in the same lookup folders. Opening it opens
 * every graph, so the status names the execution provider each graph actually got (a CUDA or
 * DirectML failure on any of them is visible), and jobs wait while it loads. An official model's
 * status carries its layout (canvas, grid, layers), which the editor follows. A failed load is
 * retried by the next job or the next open request; a switch releases the previous model's sessions.
 * With `remember`, the model the artist last chose opens at start (`start()`); if it is gone or
 * fails to open, the default opens instead and its status carries a notice naming the model and why.
 */
export class ModelSlot implements HostBackend {
  #status: ModelStatus;
  #available: AvailableModel[] = [];
  #model: Promise<Opened> | undefined;
  #listeners = new Set<() => void>();
  readonly #packageRunner = generateRunner(() => this.current());
  readonly #officialRunner = officialRunner(() => this.#opened().then((o) => (o.kind === 'official' ? o.model : Promise.reject(new Error('the open model is not an official model folder')))));
  readonly generate: GenerateRunner = async (job, context) => {
    const opened = await this.#opened();
    if (opened.kind !== 'official') return this.#packageRunner(job, context); // the engine checks the package's id
    sameModel(job.request.modelId, opened.id);
    return this.#officialRunner(job, context);
  };
  /** The super-resolution model of 'upscale' jobs, opened on first use beside the current model and kept for the next. */
  #sr: { readonly id: string; readonly model: Promise<OfficialModel> } | undefined;
  readonly #upscaleRunner = officialUpscaleRunner(
    () => this.#opened().then((o) => (o.kind === 'official' ? o.model : Promise.reject(new Error(`Upscaling with 4M's super-resolution model needs an official 4M model open; "${this.#status.modelId ?? ''}" is a model package`)))),
    (id) => this.#srModel(id),
  );
  /** 'upscale' jobs: a 224 px result of the current official model ×2 with an installed SR model folder. */
  readonly upscale: UpscaleRunner = async (job, context) => {
    const opened = await this.#opened();
    if (opened.kind === 'official') sameModel(job.request.modelId, opened.id);
    return this.#upscaleRunner(job, context);
  };
  /** What start() opens: the remembered choice, else initialId. */
  readonly #remembered: { id: string; displayName: string } | null;

  constructor(
    private readonly folders: readonly ModelFolder[],
    /** The default: opened at start when nothing is remembered, and the fallback when the remembered model cannot be. */
    readonly initialId: string = DEFAULT_MODEL_ID,
    private readonly load: (dir: string) => Promise<EngineModel> = (dir) => loadEngineModel(dir),
    private readonly loadOfficial: (dir: string) => Promise<OfficialModel> = (dir) => loadOfficialModel(dir),
    private readonly options: SlotOptions = {},
  ) {
    this.#remembered = options.remember?.read() ?? null;
    this.#status = { state: 'loading', modelId: this.#remembered?.id ?? initialId };
  }

  /**
   * Opens the model at start: the one remembered from the last session, else the default. A
   * remembered model that is gone or fails to open gives way to the default, whose status then
   * carries a notice naming the remembered model and the reason (never a host without a model).
   */
  async start(): Promise<void> {
    const wanted = this.#remembered;
    if (!wanted || wanted.id === this.initialId) return this.open(this.initialId, { remember: false });
    await this.open(wanted.id, { remember: false });
    const s = this.#status;
    // Superseded by an open the artist asked for meanwhile, or opened: nothing to fall back from.
    if (s.state !== 'failed' || s.modelId !== wanted.id) return;
    const reason = s.message.replace(/^Could not open model "[^"]*": /, '');
    const name = wanted.displayName === wanted.id ? `"${wanted.id}"` : `${wanted.displayName} ("${wanted.id}")`;
    const notice = (opened: string): string => `Could not reopen ${name}, the model you used last time: ${reason.replace(/\.?$/, '.')} Using ${opened} instead; choose another in Models (Ctrl+Shift+M).`;
    await this.open(this.initialId, { remember: false, notice });
  }

  status(): { model: ModelStatus; available: AvailableModel[] } {
    return { model: this.#status, available: this.#available };
  }

  onChange(listener: () => void): void {
    this.#listeners.add(listener);
  }

  /** The open model package, waiting for a load in progress; after a failure the next call tries again. */
  current(): Promise<EngineModel> {
    return this.#opened().then((o) => {
      if (o.kind !== 'package') throw new Error(`the open model "${this.#status.modelId ?? ''}" is an official model folder, not a model package`);
      return o.model;
    });
  }

  #opened(): Promise<Opened> {
    if (!this.#model) void this.open(this.#status.modelId ?? this.initialId, { remember: false });
    return this.#model as Promise<Opened>;
  }

  /** Opens `modelId` (an open the host was asked for is remembered once it succeeds, unless `how` says not). */
  open(modelId: string, how: OpenHow = { remember: true }): Promise<void> {
    const previous = this.#model;
    this.#set({ state: 'loading', modelId });
    const started = performance.now();
    const loading = (async () => {
      const scan = await scanModels(this.folders);
      this.#available = scan.models.map((m) => ({ id: m.id, displayName: m.displayName, origin: m.folder.origin }));
      const official = await findOfficialModelFolder(this.folders, modelId);
      if (official) return this.#openOfficial(modelId, official);
      const found = await findModel(this.folders, modelId);
      const model = await this.load(found.dir);
      try {
        const graphs = await model.openAllGraphs();
        const encoder = model.provider;
        const status = { displayName: found.displayName, execution: { provider: encoder.provider, skipped: [...encoder.skipped] }, graphs: graphs.map((g) => ({ graph: g.graph, provider: g.provider, skipped: [...g.skipped] })) };
        return { opened: { kind: 'package', model } as Opened, status };
      } catch (error) {
        await model.release();
        throw error;
      }
    })().catch((error: unknown) => {
      throw new Error(`Could not open model "${modelId}": ${error instanceof Error ? error.message : String(error)}`);
    });
    const model = loading.then((l) => l.opened);
    model.catch(() => undefined); // reported through the status; jobs see the rejection themselves
    this.#model = model;
    return loading.then(
      async ({ status }) => {
        if (this.#model !== model) return; // superseded by a later open
        this.#set({ state: 'loaded', modelId, ...status, loadMs: performance.now() - started, ...(how.notice ? { notice: how.notice(status.displayName) } : {}) });
        if (how.remember) this.options.remember?.write({ id: modelId, displayName: status.displayName });
        // The SR model opened as the open model ("Continue at 448"): its copy kept for upscale jobs goes (one copy in memory).
        if (this.#sr?.id === modelId) {
          const sr = this.#sr;
          this.#sr = undefined;
          void releaseQuietly(sr.model);
        }
        if (previous && previous !== model) await releaseQuietly(previous.then((o) => o.model));
      },
      (error: unknown) => {
        if (this.#model !== model) return;
        this.#model = undefined;
        this.#set({ state: 'failed', modelId, message: error instanceof Error ? error.message : String(error) });
        if (previous) void releaseQuietly(previous.then((o) => o.model));
      },
    );
  }

  async #openOfficial(modelId: string, dir: string): Promise<{ opened: Opened; status: Omit<Loaded, 'state' | 'modelId' | 'loadMs'> }> {
    const model = await this.loadOfficial(dir);
    try {
      const layout: ModelLayout = officialLayout(modelId, model);
      const fm = model.fm.provider;
      const execution = { provider: fm.provider, skipped: [...fm.skipped] };
      // The FM decides speed; the tokenizers do not report their provider yet.
      const graphs = [{ graph: 'fm', ...execution }];
      return { opened: { kind: 'official', model, id: modelId }, status: { displayName: await officialDisplayName(dir, modelId), execution, graphs, layout } };
    } catch (error) {
      await model.release();
      throw error;
    }
  }

  /** The SR model folder of that id in the lookup folders (official folders only), opened once and kept; another id replaces it. */
  #srModel(id: string): Promise<OfficialModel> {
    if (this.#sr?.id === id) return this.#sr.model;
    const previous = this.#sr;
    const model = (async () => {
      const dir = await findOfficialModelFolder(this.folders, id);
      if (!dir) throw new Error(`Super-resolution model "${id}" was not found: install an official model folder such as 4M-7-SR_L_CC12M (fm/ + tokenizers/<layer>/) in the models folder`);
      return this.loadOfficial(dir);
    })();
    this.#sr = { id, model };
    model.catch(() => {
      if (this.#sr?.model === model) this.#sr = undefined; // the next job tries again
    });
    if (previous) void releaseQuietly(previous.model);
    return model;
  }

  #set(status: ModelStatus): void {
    this.#status = status;
    for (const listener of this.#listeners) listener();
  }
}

/**
 * A job names the model its layers belong to. Another page (a second harness tab) can switch the
 * shared host meanwhile; official models share layer names, so without this the job would run on
 * the other model and come back as if nothing had changed. Model packages are checked by the engine.
 */
function sameModel(requested: string, open: string): void {
  if (requested !== open) throw new Error(`request is for model "${requested}" but "${open}" is open (the model was switched meanwhile); run it again`);
}

/**
 * Releases a model that is no longer used, never failing: a model that did not open has nothing
 * to release, and one whose release fails (a graph that never opened) must not reject the open
 * that replaced it, nor go unhandled (which ends the host process).
 */
async function releaseQuietly(model: Promise<{ release(): Promise<void> }>): Promise<void> {
  try {
    await (await model).release();
  } catch (error) {
    process.stderr.write(`inference host: releasing the previous model failed: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

/** The name the model manager recorded when it installed the folder, else its id. */
async function officialDisplayName(dir: string, id: string): Promise<string> {
  try {
    const rec = JSON.parse(await readTextFile(join(dir, 'installed.json'))) as { displayName?: unknown };
    return typeof rec.displayName === 'string' && rec.displayName.trim() ? rec.displayName.slice(0, 120) : id;
  } catch {
    return id;
  }
}
