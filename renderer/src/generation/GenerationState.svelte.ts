// The generation panel's state and the job lifecycle: build the request, queue it, show each
// step as a preview on the canvas (never in the document), stage the result on the canvas,
// and record the accepted one as ONE undoable command (gallery entries + accepting it).
import { validateGenerationRequest } from '../../../preload/contract/generation';
import type { GenerationVariation } from '../../../preload/contract/generation-jobs';
import { acceptResult, addGalleryEntry, makeGalleryEntry, type DocumentState, type GalleryEntry, type LayerContent, type RevisionSnapshot } from '../document';
import type { EditorState } from '../state/EditorState.svelte';
import { domainOf, layerLabel } from '../model/layerLabels';
import { mismatchHint, wrongModelText } from '../model/projectModel';
import { DERIVE_LABEL, taskOf } from './intent';
import { buildGenerationRequest, type BuiltRequest } from './buildRequest';
import { GenerationFailedError, type GenerationClient, type ProgressEvent, type RunningGeneration } from './generationClient';
import { deriveView, resultStamp } from './deriveView';
import { galleryOutputs, previewContent, withoutMissing } from './results';
import { predictedReferenceOrigin, type ReferenceOrigin } from './reference';
import { acceptStepLabel, usedText } from './resultText';
import { noteOutlives } from './panelNote';
import { decideSeed, newSeedNote, REPEAT_NOTE, seedsInGallery, settingsFingerprint, type LastRun } from './repeatRun';
import { inputPixels, rememberUpscaleSource } from './upscaleSources';
import { currentItem, EMPTY_STAGING, showStaged, stagedContent, stagedLayers, stageItems, stepStaging, type StagedItem, type Staging } from './staging';
import type { PictureSource } from '../../../preload/contract/sampling-defaults';
import { applyQuality, DEFAULT_SAMPLING, defaultTarget, overridesAgainst, predictionSampling, predictionTarget, qualityOf, samplingFor, type Quality, type SamplingSettings, type TargetSettings } from './settings';

interface QueuedJob {
  readonly label: string;
  readonly built: BuiltRequest;
  readonly targets: readonly string[];
  readonly conditions: readonly string[];
  /** The conditions' content revisions when the request was built from them. */
  readonly read: RevisionSnapshot;
  /** What the panel says of its seed: a deliberate repeat (REPEAT_NOTE), a new one (newSeedNote), or ''. */
  readonly note: string;
  /** The picture its predicted references came from (the RGB condition, when the only one); null when not one picture. */
  readonly origin: ReferenceOrigin | null;
}

export class GenerationState {
  sampling = $state<SamplingSettings>({ ...DEFAULT_SAMPLING });
  /** Chain order and per-target scheme/steps for every layer, used for those set to generate. */
  chain = $state<TargetSettings[]>([]);
  running = $state<{ label: string; done: number; total: number; modality: string; variations: number } | null>(null);
  queued = $state(0);
  /** The jobs waiting behind the running one, for the queue list (label and targets). */
  waiting = $state<{ label: string; targets: readonly string[] }[]>([]);
  message = $state('');
  error = $state('');
  /** Finished results waiting on the canvas for accept or discard. */
  staging = $state.raw<Staging>(EMPTY_STAGING);
  /** The running job's latest step preview, per layer. */
  #preview: Record<string, LayerContent> = {};
  readonly #queue: QueuedJob[] = [];
  #current: RunningGeneration | null = null;
  /** The last job's settings and seed, to tell Generate pressed again on the same request (decideSeed). */
  #lastRun: LastRun | null = null;
  /** The seed was typed, or recalled from a result, since the last job: it is kept even for a repeat. */
  #seedChosen = false;

  constructor(
    private readonly editor: EditorState,
    private readonly client: GenerationClient,
    private readonly coordBins: number,
    /**
     * The open model this editor was built for: a document laid out for another one is not sent
     * to it; `expectedCode` lists the image layers whose tokens can be chosen at the expected code;
     * `picturesAsPixels`: picture layers go as pixels even when they hold tokens.
     */
    private readonly model?: { readonly id: string; readonly displayName: string; readonly expectedCode?: readonly string[]; readonly picturesAsPixels?: boolean },
  ) {
    this.chain = editor.layers.map((l) => defaultTarget(l.id, l.kind));
    // Lives as long as the editor's store, so it never unsubscribes.
    editor.store.subscribe((change) => {
      if (change.source === 'replace') this.#documentReplaced();
      else if (!noteOutlives(change)) this.message = '';
    });
  }

  /**
   * Open, New or Recover replaced the document: jobs and results made from the one left behind
   * do not belong to it (accepted there, they would land on a picture they were not made from).
   */
  #documentReplaced(): void {
    const had = this.staging.items.length + this.#queue.length + (this.#current ? 1 : 0);
    this.#lastRun = null;
    this.#seedChosen = false;
    // "Accepted RGB (seed 1234)" under a new, empty document spoke of the one left behind.
    this.message = '';
    this.error = '';
    if (!had) return;
    this.#queue.length = 0;
    this.#syncQueue();
    this.#current?.cancel();
    this.staging = EMPTY_STAGING;
    this.#publish();
    this.message = 'The jobs and results of the document you left were dropped; nothing in this one changed.';
  }

  /** Whether the "Faithful (expected code)" token choice works for `modality` on the open model. */
  canExpectCode(modality: string): boolean {
    return this.model?.expectedCode?.includes(modality) ?? false;
  }

  /** While the document is laid out for another model than the open one: why Generate is off. */
  get mismatch(): { readonly short: string; readonly long: string } | null {
    void this.editor.revision;
    const docModel = this.editor.store.state.manifest.modelId;
    return this.model && docModel !== this.model.id ? mismatchHint(docModel, this.model.displayName) : null;
  }

  /** Targets in chain order: layers whose role is generate. */
  get targets(): TargetSettings[] {
    const generate = this.editor.layers.filter((l) => l.role === 'generate').map((l) => l.id);
    return this.chain.filter((t) => generate.includes(t.modality));
  }

  /**
   * Fast, Balanced or Best for the current targets; null when the settings are the artist's own.
   * Before any layer generates, the steps every layer would get (what a task will use).
   */
  get quality(): Quality | null {
    const targets = this.targets;
    return qualityOf(targets.length ? targets : this.chain, this.sampling);
  }

  setQuality(quality: Quality): void {
    const next = applyQuality(this.chain, this.sampling, quality);
    this.chain = next.chain;
    this.sampling = next.sampling;
  }

  /**
   * A task preset's picture source (a layout or words): image targets take its measured scheme
   * and steps, at the quality chosen, and the shared settings its values.
   */
  useSource(source: PictureSource): void {
    const quality = this.quality ?? 'balanced';
    const d = samplingFor(source, this.sampling);
    const chain = this.chain.map((t) => (t.scheme === 'autoregressive' ? t : { ...t, scheme: d.scheme, steps: d.steps }));
    const next = applyQuality(chain, d.sampling, quality);
    this.chain = next.chain;
    this.sampling = next.sampling;
  }

  move(modality: string, by: -1 | 1): void {
    const i = this.chain.findIndex((t) => t.modality === modality);
    const targets = this.targets;
    const j = targets.findIndex((t) => t.modality === modality) + by;
    const other = targets[j];
    const k = other ? this.chain.findIndex((t) => t.modality === other.modality) : -1;
    if (i < 0 || k < 0) return;
    const next = [...this.chain];
    [next[i], next[k]] = [next[k] as TargetSettings, next[i] as TargetSettings];
    this.chain = next;
  }

  setTarget(modality: string, patch: Partial<Omit<TargetSettings, 'modality'>>): void {
    this.chain = this.chain.map((t) => (t.modality === modality ? { ...t, ...patch } : t));
  }

  /**
   * The artist typed a seed (`seed` once the field is left): the next job uses it, even if that
   * repeats the last picture. Typing the number the field already shows counts too.
   */
  chooseSeed(seed?: number): void {
    if (seed !== undefined) this.sampling = { ...this.sampling, seed };
    this.#seedChosen = true;
  }

  /** Puts a gallery entry's settings back in the panel (chain order, schemes, steps, sampling, seed). */
  recall(request: unknown): boolean {
    const parsed = validateGenerationRequest(request);
    if (!parsed.ok) {
      this.error = `This result's request cannot be recalled: ${parsed.errors[0] ?? 'invalid'}`;
      return false;
    }
    const r = parsed.request;
    const first = r.targets[0];
    if (first) {
      const schedule = first.temperatureSchedule === 'constant' || first.temperatureSchedule === 'linear' ? first.temperatureSchedule : 'onex:0.5:1';
      this.sampling = { ...this.sampling, temperature: first.temperature, temperatureSchedule: schedule, tokenSchedule: first.tokenSchedule, cfgScale: first.cfgScale, topK: first.topK, topP: first.topP, neighbourAgreement: r.targets.find((t) => t.neighbourAgreement !== undefined)?.neighbourAgreement ?? 0, seed: r.seed, randomSeed: false, variations: r.variations ?? 1, independentTargets: r.independentTargets ?? false };
    }
    // The first target's values became the shared ones; the others keep what differs as overrides.
    const recalled: TargetSettings[] = r.targets.map((t) => ({ modality: t.modality, scheme: t.scheme, steps: t.steps, ...(first ? overridesAgainst(t, first) : {}), ...(t.tokenChoice === 'expected-code' ? { tokenChoice: 'expected-code' as const } : {}) }));
    this.chain = [...recalled, ...this.chain.filter((t) => !recalled.some((x) => x.modality === t.modality))];
    // A recalled seed is a chosen one: Run again reproduces the entry exactly.
    this.#seedChosen = true;
    this.message = `Recalled seed ${r.seed}: ${r.targets.map((t) => t.modality).join(' → ')}`;
    return true;
  }

  /**
   * Generate the layers marked "generate" from those marked "condition". When the roles are
   * "Photo → all layers" (RGB in, everything else out), that is a prediction: derive.
   */
  async generate(): Promise<void> {
    const doc = this.editor.store.state;
    const rgb = [...doc.layers.values()].find((l) => domainOf(l.id) === 'rgb');
    if (rgb && taskOf(doc) === 'photo') return this.derive(rgb.id);
    // A target the open model cannot take at the expected code is sampled (the panel shows it so).
    await this.#enqueue('Generate', doc, this.targets.map((t) => (t.tokenChoice === 'expected-code' && !this.canExpectCode(t.modality) ? { ...t, tokenChoice: undefined } : t)));
  }

  /**
   * Derive: predict every other layer from RGB, whatever their roles, each from the
   * picture alone with the prediction recipe (the chain's sampling settings are for generating).
   */
  async derive(rgbId: string): Promise<void> {
    const kindOf = (id: string) => this.editor.layers.find((l) => l.id === id)?.kind ?? 'image';
    const targets = this.chain.filter((t) => t.modality !== rgbId).map((t) => predictionTarget(t.modality, kindOf(t.modality)));
    await this.#enqueue(DERIVE_LABEL, deriveView(this.editor.store.state, rgbId), targets, predictionSampling(this.sampling));
  }

  /** Recall a result's settings, then generate from the current layers with them (one click). */
  async runAgain(request: unknown): Promise<void> {
    if (this.recall(request)) await this.generate();
  }

  cancel(): void {
    this.#queue.length = 0;
    this.#syncQueue();
    this.#current?.cancel();
  }

  /** Drop one waiting job (index into `waiting`); the running one is stopped with cancel(). */
  dequeue(index: number): void {
    if (index < 0 || index >= this.#queue.length) return;
    this.#queue.splice(index, 1);
    this.#syncQueue();
  }

  #syncQueue(): void {
    this.queued = this.#queue.length;
    this.waiting = this.#queue.map((j) => ({ label: j.label, targets: j.targets }));
  }

  async #enqueue(label: string, doc: DocumentState, targets: readonly TargetSettings[], sampling: SamplingSettings = this.sampling): Promise<void> {
    this.error = '';
    // The status line's last news ("Redone: Generate") is not this job's; the panel speaks for it now.
    this.editor.status = '';
    if (this.model && doc.manifest.modelId !== this.model.id) {
      this.error = wrongModelText(doc.manifest.modelId, this.model.displayName);
      return;
    }
    const s = sampling;
    const seed = s.randomSeed ? Math.floor(Math.random() * 2 ** 31) : s.seed;
    // Before the request is built (it awaits): an edit made meanwhile is not in it.
    const before = this.editor.revisions.snapshot([...doc.layers.keys()]);
    const state = this.editor.store.state;
    try {
      let built = await buildGenerationRequest(doc, { modelId: doc.manifest.modelId, coordBins: this.coordBins, seed, targets, sampling: s, picturesAsPixels: this.model?.picturesAsPixels ?? false });
      if (this.editor.store.state !== state) return; // another document was opened meanwhile
      // Pressed again on the same request: another picture (a new seed), unless the seed was chosen.
      const settings = settingsFingerprint(built.request);
      const variations = built.request.variations ?? 1;
      const decision = decideSeed({ settings, seed, variations, chosen: this.#seedChosen, random: s.randomSeed, taken: seedsInGallery(state.gallery, settings) }, this.#lastRun);
      let note = decision.kind === 'as-is' && decision.repeat ? REPEAT_NOTE : '';
      if (decision.kind === 'next') {
        built = { ...built, request: { ...built.request, seed: decision.seed } };
        this.sampling = { ...this.sampling, seed: decision.seed };
        note = newSeedNote(decision.seed);
      }
      this.#seedChosen = false;
      this.#lastRun = { settings, seed: built.request.seed, variations };
      const request = built.request;
      const conditions = Object.keys(request.inputs).filter((id) => !request.targets.some((t) => t.modality === id));
      this.#queue.push({ label, built, targets: request.targets.map((t) => t.modality), conditions, read: Object.fromEntries(conditions.map((id) => [id, before[id] ?? 0])), note, origin: predictedReferenceOrigin(doc, conditions) });
      this.#syncQueue();
      const skipped = built.skipped.length ? `Not used as conditions (empty): ${built.skipped.map(layerLabel).join(', ')}` : '';
      this.message = [skipped, note].filter(Boolean).join(' · ');
      if (!this.#current) await this.#pump();
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  async #pump(): Promise<void> {
    let job: QueuedJob | undefined;
    while ((job = this.#queue.shift())) {
      this.#syncQueue();
      const current = job;
      // total 0: not known until the host's first step report ("starting…").
      this.running = { label: current.label, done: 0, total: 0, modality: current.targets[0] ?? '', variations: current.built.request.variations ?? 1 };
      this.editor.generating = current.targets;
      this.error = '';
      this.#showGenerated(current.targets);
      const view = this.editor.viewId;
      const doc = this.editor.store.state;
      const run = this.client.run({ request: current.built.request, images: current.built.images }, (e) => this.#onProgress(current, e));
      this.#current = run;
      try {
        const variations = await run.result;
        this.#clearPreview();
        this.editor.generating = [];
        // Finished just as another document replaced this one: not staged there.
        if (this.editor.store.state === doc) this.#stage(current, variations, view);
      } catch (error) {
        this.#clearPreview();
        // Replaced meanwhile: #documentReplaced said what happened (and a job queued since for the new document still runs).
        if (this.editor.store.state !== doc) continue;
        // Nothing came of it: pressed again, the same settings are no repeat ("new seed 1237 for
        // another picture" after Esc, of pictures never seen), so its seed is used again.
        const last = this.#lastRun;
        if (last && last.seed === current.built.request.seed && last.settings === settingsFingerprint(current.built.request)) this.#lastRun = null;
        if (error instanceof GenerationFailedError && error.kind === 'cancelled') this.message = `${current.label} cancelled; nothing changed.`;
        else this.error = error instanceof Error ? error.message : String(error);
      } finally {
        this.editor.generating = [];
        this.#current = null;
        this.running = null;
      }
    }
  }

  #onProgress(job: QueuedJob, e: ProgressEvent): void {
    this.running = { label: job.label, done: e.done, total: e.total, modality: e.preview?.modality ?? this.running?.modality ?? '', variations: job.built.request.variations ?? 1 };
    if (!e.preview || e.variation !== 0) return;
    try {
      const shown = previewContent(this.editor.store.state, e.preview);
      if (!shown) return;
      this.#preview = { ...this.#preview, [shown.layer.id]: shown.content };
      this.#publish();
    } catch {
      // A preview that doesn't fit is skipped; the result reports real errors.
    }
  }

  #clearPreview(): void {
    this.#preview = {};
    this.#publish();
  }

  /** The canvas shows the running job's previews over the staged result. */
  #publish(): void {
    const shown = stagedContent(this.staging);
    for (const [id, content] of Object.entries(this.#preview)) shown.set(id, content);
    this.editor.overrides = shown;
    this.editor.previewing = Object.keys(this.#preview);
    this.editor.staged = stagedLayers(this.staging);
  }

  /** The canvas switches to what is being generated: its first pixel target. */
  #showGenerated(targets: readonly string[]): void {
    const pixel = targets.find((id) => {
      const kind = this.editor.layers.find((l) => l.id === id)?.kind;
      return kind === 'image' || kind === 'segmentation';
    });
    if (pixel && pixel !== this.editor.viewId) this.editor.selectLayer(pixel);
  }

  /** `view`: the layer shown when the job started; one the artist moved to since is not taken from them. */
  #stage(job: QueuedJob, variations: GenerationVariation[], view: string): void {
    try {
      // One copy of the job's pixels, shared by its variations (and stored once in the project).
      const inputs = inputPixels(job.built.images);
      const items: StagedItem[] = variations.map((v) => {
        const { outputs, problems } = withoutMissing(galleryOutputs(this.editor.store.state, v, job.targets, job.origin), v, layerLabel);
        rememberUpscaleSource(outputs, { images: job.built.images, variation: v });
        const under = this.editor.revisions.snapshot(Object.keys(outputs));
        return { label: job.label, request: { ...job.built.request, seed: v.seed, variations: 1 }, seed: v.seed, outputs, conditions: job.conditions, problems, inputs, read: job.read, under };
      });
      this.staging = stageItems(this.staging, items);
      // The same picture as before is not a fault; the note says why it did (or did not) change.
      this.message = job.note;
      this.#publish();
      // Someone painting the sketch while the picture was made keeps the sketch; the strip has the result.
      if (this.editor.viewId === view) this.#showGenerated(job.targets);
    } catch (error) {
      this.error = `Could not show the result: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Next or previous staged variation. */
  step(by: 1 | -1): void {
    this.staging = stepStaging(this.staging, by);
    this.#publish();
  }

  /** Shows staged variation `index` (its thumbnail in the strip). */
  show(index: number): void {
    this.staging = showStaged(this.staging, index);
    this.#publish();
    // Picking a variation shows it, also when another layer was opened while it was made.
    const item = currentItem(this.staging);
    if (item && !(this.editor.viewId in item.outputs)) this.#showGenerated(Object.keys(item.outputs));
  }

  /**
   * Accept the shown variation: ONE undoable step that adds every staged variation to the
   * gallery and puts the shown one on its layers.
   */
  accept(): void {
    const staging = this.staging;
    const chosen = currentItem(staging);
    if (!chosen) return;
    const store = this.editor.store;
    this.staging = EMPTY_STAGING;
    this.#publish();
    this.editor.beginStroke(acceptStepLabel(chosen.label, chosen.request, layerLabel));
    try {
      let acceptedId = '';
      staging.items.forEach((item, i) => {
        const entry = makeGalleryEntry({ ...resultStamp(i), request: item.request, outputs: item.outputs, ...(item.inputs ? { inputs: item.inputs } : {}) });
        store.apply(addGalleryEntry(store.state, entry), { history: 'record' });
        if (item === chosen) acceptedId = entry.id;
      });
      // A condition painted or typed while the job ran: the result shows what it was, so it is stale.
      const changed = chosen.read ? this.editor.revisions.changedSince(chosen.read) : [];
      if (Object.keys(chosen.outputs).length) store.apply(acceptResult(store.state, acceptedId, { derivedFrom: chosen.conditions, stale: changed.length > 0 }), { history: 'record' });
      this.editor.notes = { ...this.editor.notes, ...chosen.problems };
      const others = staging.items.length - 1;
      const stale = changed.length ? ` · stale: ${changed.map(layerLabel).join(', ')} changed after it was sent` : '';
      this.message = `Accepted ${Object.keys(chosen.outputs).map(layerLabel).join(', ')} (seed ${chosen.seed})${others ? ` · ${others} other variation${others > 1 ? 's' : ''} kept in the gallery` : ''}${stale}`;
    } catch (error) {
      this.error = `Could not apply the result: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.editor.endStroke();
    }
  }

  /** A gallery result put on the canvas (Use): the panel names it, not the one accepted before. */
  used(entry: GalleryEntry): void {
    this.error = '';
    this.message = usedText(entry, layerLabel);
  }

  /** Drop every staged result; the document never saw them. */
  discard(): void {
    const n = this.staging.items.length;
    if (n === 0) return;
    this.staging = EMPTY_STAGING;
    this.#publish();
    this.editor.status = '';
    this.message = `Discarded ${n === 1 ? 'the result' : `${n} results`}; nothing changed.`;
  }
}
