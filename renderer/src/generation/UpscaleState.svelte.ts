// "Upscale ×2" in the editor (issue #14): which installed model can upscale, the one running upscale
// job (progress, cancel, errors in the host's words) and the 448 × 448 results of this session. The
// results are kept here, beside the gallery, never in the 224 px document or its layers.
import type { InstalledModel, ModelsApi } from '../../../preload/contract/models';
import type { GalleryOutput } from '../document';
import { layerLabel } from '../model/layerLabels';
import { resultStamp } from './deriveView';
import { GenerationFailedError, type GenerationClient, type RunningGeneration } from './generationClient';
import { buildUpscaleJob, upscaleAvailability, upscaledLabel, upscaleModels, type UpscaleAvailability, type WireRaster } from './upscale';
import { upscaleSourceOf } from './upscaleSources';

export interface UpscaledLayer {
  readonly id: string;
  readonly label: string;
  readonly raster: WireRaster;
}

export interface UpscaledEntry {
  readonly id: string;
  /** "448 × 448, upscaled ×2 from seed N". */
  readonly label: string;
  readonly sourceSeed: number;
  readonly srModel: string;
  readonly createdAt: string;
  readonly layers: readonly UpscaledLayer[];
}

export class UpscaleState {
  /** Installed SR models, best first; null until the model manager answered. */
  srModels = $state.raw<InstalledModel[] | null>(null);
  entries = $state.raw<UpscaledEntry[]>([]);
  running = $state<{ done: number; total: number; layer: string; seed: number } | null>(null);
  message = $state('');
  error = $state('');
  #current: RunningGeneration | null = null;
  #next = 1;

  constructor(
    private readonly client: GenerationClient,
    private readonly models: ModelsApi | null,
    /** The host's open official model (it sends a layout) when it is the one this editor is built for. */
    private readonly officialModelId: () => string | null,
  ) {
    if (!models) this.srModels = [];
  }

  /** Asks the model manager again which models can upscale (an SR model installed meanwhile). */
  async refresh(): Promise<void> {
    if (!this.models) return;
    const r = await this.models.call('models:list', {});
    if (r.ok) this.srModels = upscaleModels(r.value.installed);
    else if (this.srModels === null) this.srModels = [];
  }

  /** Whether to offer Upscale ×2 on a result at all: it was made by the open official model. */
  offered(request: unknown): boolean {
    const id = this.officialModelId();
    return id !== null && request !== null && typeof request === 'object' && 'modelId' in request && request.modelId === id;
  }

  availability(request: unknown, outputs: Readonly<Record<string, GalleryOutput>>): UpscaleAvailability {
    return upscaleAvailability(request, outputs, upscaleSourceOf(outputs), { officialModelId: this.officialModelId(), srModels: this.srModels, busy: this.running !== null });
  }

  /** Sends the result as an 'upscale' job; the 448 × 448 answer becomes an entry of its own. */
  async upscale(request: unknown, outputs: Readonly<Record<string, GalleryOutput>>): Promise<void> {
    const can = this.availability(request, outputs);
    const source = upscaleSourceOf(outputs);
    if (!can.ok || !source) {
      this.error = can.title;
      return;
    }
    const seed = source.variation.seed;
    this.error = '';
    this.message = '';
    let job;
    try {
      job = buildUpscaleJob(request, source, can.srModelId, can.layers);
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return;
    }
    this.running = { done: 0, total: 1, layer: can.layers[0] ?? '', seed };
    const run = this.client.upscale(job, (e) => {
      if (this.running) this.running = { ...this.running, done: e.done, total: e.total, layer: e.preview?.modality ?? this.running.layer };
    });
    this.#current = run;
    try {
      const [v] = await run.result;
      if (!v) throw new Error('the inference host sent no upscaled result');
      const layers: UpscaledLayer[] = [];
      for (const id of can.layers) {
        const out = v.outputs[id];
        if (out?.kind === 'image') layers.push({ id, label: layerLabel(id), raster: out.raster });
      }
      if (layers.length === 0) throw new Error('the inference host sent no upscaled picture');
      const first = layers[0] as UpscaledLayer;
      const entry: UpscaledEntry = { id: `up-${this.#next++}`, label: upscaledLabel(seed, first.raster.width, first.raster.height), sourceSeed: seed, srModel: job.srModelId, createdAt: resultStamp(0).createdAt, layers };
      this.entries = [entry, ...this.entries];
      this.message = `Upscaled ${layers.map((l) => l.label).join(', ')} (seed ${seed}) to ${first.raster.width} × ${first.raster.height}; the 224 px document is unchanged.`;
    } catch (error) {
      if (error instanceof GenerationFailedError && error.kind === 'cancelled') this.message = 'Upscale ×2 cancelled; nothing changed.';
      else this.error = `Upscale ×2 failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.#current = null;
      this.running = null;
    }
  }

  cancel(): void {
    this.#current?.cancel();
  }
}
