// "Upscale ×2" in the editor (issue #14): which installed model can upscale, the one running upscale
// job (progress, cancel, errors in the host's words), and its results. Each result is an entry of
// the document's `upscaled` list (one undoable step; saved with the project), never on its 224 px
// layers or in the gallery.
import type { InstalledModel, ModelsApi } from '../../../preload/contract/models';
import { addUpscaledEntry, removeUpscaledEntry, type GalleryEntry, type UpscaledEntry, type UpscaledPicture } from '../document';
import { layerLabel } from '../model/layerLabels';
import type { EditorState } from '../state/EditorState.svelte';
import { lineOutlives } from '../state/lineOutlives';
import { sizeText } from '../state/wording';
import { resultStamp } from './deriveView';
import { GenerationFailedError, type GenerationClient, type RunningGeneration } from './generationClient';
import { rasterToPng } from './pngFile';
import { buildUpscaleJob, savedUpscaleSource, upscaleAvailability, upscaledLabel, upscaleModels, type UpscaleAvailability, type UpscaleSource } from './upscale';
import { upscaleSourceOf } from './upscaleSources';

export class UpscaleState {
  /** Installed SR models, best first; null until the model manager answered. */
  srModels = $state.raw<InstalledModel[] | null>(null);
  running = $state<{ done: number; total: number; layer: string; seed: number } | null>(null);
  message = $state('');
  error = $state('');
  #current: RunningGeneration | null = null;

  constructor(
    private readonly client: GenerationClient,
    private readonly models: ModelsApi | null,
    /** The host's open official model (it sends a layout) when it is the one this editor is built for. */
    private readonly officialModelId: () => string | null,
    private readonly editor: EditorState,
  ) {
    if (!models) this.srModels = [];
    // "Removed the upscaled result …; Ctrl+Z brings it back" stayed after Ctrl+Z brought it back,
    // "Upscaled …" under the next stroke: any edit, undo, redo or other document moves on from it.
    // Its own edits (add, remove) set the line after they apply. Lives as long as the editor's store.
    editor.store.subscribe((change) => {
      if (!lineOutlives(change)) this.message = '';
    });
  }

  /** The document's upscaled results, newest first. */
  get entries(): UpscaledEntry[] {
    void this.editor.revision;
    return [...this.editor.store.state.upscaled].reverse();
  }

  /** Asks the model manager again which models can upscale (an SR model installed meanwhile). */
  async refresh(): Promise<void> {
    if (!this.models) return;
    const r = await this.models.call('models:list', {});
    if (r.ok) this.srModels = upscaleModels(r.value.installed);
    else if (this.srModels === null) this.srModels = [];
  }

  /** Whether to offer Upscale ×2 on a result at all: it was made by the open official model, which is no SR model. */
  offered(request: unknown): boolean {
    const id = this.officialModelId();
    // The SR model's own results are already at its full size.
    if (id !== null && this.srModels?.some((m) => m.id === id)) return false;
    return id !== null && request !== null && typeof request === 'object' && 'modelId' in request && request.modelId === id;
  }

  /** Rebuilt sources of reopened results, by their outputs object (a result's outputs never change). */
  readonly #saved = new WeakMap<object, UpscaleSource | string>();

  /** What the job needs: this session's exact job when it made the result, else what the project kept. */
  #source(entry: GalleryEntry): UpscaleSource | string {
    const exact = upscaleSourceOf(entry.outputs);
    if (exact) return exact;
    let saved = this.#saved.get(entry.outputs);
    if (saved === undefined) this.#saved.set(entry.outputs, (saved = savedUpscaleSource(entry, this.editor.store.state.manifest)));
    return saved;
  }

  availability(entry: GalleryEntry): UpscaleAvailability {
    return upscaleAvailability(entry.request, entry.outputs, this.#source(entry), { officialModelId: this.officialModelId(), srModels: this.srModels, busy: this.running !== null });
  }

  /** Sends the result as an 'upscale' job; the answer becomes an upscaled entry of the document. */
  async upscale(entry: GalleryEntry): Promise<void> {
    const can = this.availability(entry);
    const source = this.#source(entry);
    if (!can.ok || typeof source === 'string') {
      this.error = can.title;
      return;
    }
    const seed = source.variation.seed;
    this.error = '';
    this.message = '';
    let job;
    try {
      job = buildUpscaleJob(entry.request, source, can.srModelId, can.layers);
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return;
    }
    // The document the result belongs to: another one opened meanwhile does not get it.
    const doc = this.editor.store.state;
    this.running = { done: 0, total: 0, layer: can.layers[0] ?? '', seed };
    const run = this.client.upscale(job, (e) => {
      if (this.running) this.running = { ...this.running, done: e.done, total: e.total, layer: e.preview?.modality ?? this.running.layer };
    });
    this.#current = run;
    try {
      const [v] = await run.result;
      if (!v) throw new Error('the inference host sent no upscaled result');
      const pictures: UpscaledPicture[] = [];
      for (const id of can.layers) {
        const out = v.outputs[id];
        if (out?.kind === 'image') pictures.push({ layer: id, width: out.raster.width, height: out.raster.height, png: await rasterToPng(out.raster) });
      }
      const first = pictures[0];
      if (!first) throw new Error('the inference host sent no upscaled picture');
      if (this.editor.store.state !== doc) {
        this.message = 'Upscale ×2 finished after its project was closed; it was not added to this one.';
        return;
      }
      const stamp = resultStamp(0);
      const added: UpscaledEntry = { id: stamp.id.replace(/^result-/, 'up-'), createdAt: stamp.createdAt, source: entry.id, sourceSeed: seed, srModel: job.srModelId, pictures };
      if (!this.editor.run((d) => addUpscaledEntry(d, added, `Upscale ×2 (seed ${seed})`))) return;
      this.message = `Upscaled ${pictures.map((p) => layerLabel(p.layer)).join(', ')} (seed ${seed}) to ${sizeText(first.width, first.height)}; the 224 px document is unchanged.`;
    } catch (error) {
      if (error instanceof GenerationFailedError && error.kind === 'cancelled') this.message = 'Upscale ×2 cancelled; nothing changed.';
      else this.error = `Upscale ×2 failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.#current = null;
      this.running = null;
    }
  }

  /** Removes an upscaled result from the document: one undoable step (Ctrl+Z brings it back, pictures and all). */
  remove(entry: UpscaledEntry): boolean {
    const label = upscaledLabel(entry.sourceSeed, entry.pictures[0]?.width, entry.pictures[0]?.height);
    if (!this.editor.run((d) => removeUpscaledEntry(d, entry.id, `Remove upscaled result (seed ${entry.sourceSeed})`))) return false;
    this.error = '';
    this.message = `Removed the upscaled result (${label}); Ctrl+Z brings it back.`;
    return true;
  }

  cancel(): void {
    this.#current?.cancel();
  }

  /** Why Upscale ×2 cannot run on a result ("Install 4M's super-resolution model … to upscale"), said as the panel's line. */
  explain(why: string): void {
    this.error = '';
    this.message = why;
  }
}
