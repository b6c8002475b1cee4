// The editor's reactive state: a thin rune layer over the framework-free DocumentStore.
// Pixels stay in the store; runes hold only what the panels show (layer rows, history
// labels, tool settings), refreshed from the store's change events.
import {
  adoptModel,
  CommandError,
  ContentRevisions,
  createDocument,
  DocumentStore,
  setLayerProps,
  type DocumentChange,
  type DocumentManifest,
  type DocumentState,
  type LayerContent,
  type LayerKind,
  type LayerProps,
  type LayerRole,
  type ParkedStore,
  type Rgb,
  type SyncStatus,
  type Update,
} from '../document';
import { humanize, layerLabel, useLayerNames } from '../model/layerLabels';
import { layerObjectCount, layerObjects, objectLimit, type PaintSettings } from '../tools/paintOps';
import { newObjectColour, OBJECT_PALETTE } from '../tools/samObjects';
import { isObjectsLayer, toolFits, type ToolId } from '../tools/toolIds';
import { historyStatus } from './historyText';
import { lineOutlives } from './lineOutlives';
import { selectionOnOpen } from './openSelection';

const NO_OVERRIDES: ReadonlyMap<string, LayerContent> = new Map();
const CONTENT_DELTAS: ReadonlySet<string> = new Set(['pixels', 'boxes', 'text', 'palette']);

export interface LayerRow {
  readonly id: string;
  readonly label: string;
  readonly kind: LayerKind;
  readonly visible: boolean;
  readonly opacity: number;
  readonly locked: boolean;
  readonly role: LayerRole;
  readonly sync: SyncStatus;
  readonly masked: boolean;
}

export interface BrushOptions {
  size: number;
  hardness: number;
  opacity: number;
  /** Pen pressure scales the dab size. */
  pressure: boolean;
  fillTolerance: number;
  /** Rectangles and ellipses snap to the token grid. */
  snap: boolean;
}

export class EditorState {
  readonly store: DocumentStore;
  /** Content changes per layer: what a job read may have changed before its result is accepted. */
  readonly revisions: ContentRevisions;
  /** Bumped on every document change, for panels that read content (caption, palette, boxes). */
  revision = $state(0);
  layers = $state.raw<readonly LayerRow[]>([]);
  activeId = $state('');
  /** The pixel layer the canvas shows: the selected one, or the last pixel layer selected
   * while a caption, boxes or palette layer is being edited. */
  viewId = $state('');
  /** One other layer drawn over the shown one (e.g. the sketch over the picture), or null. */
  overlayId = $state<string | null>(null);
  overlayOpacity = $state(0.4);
  /** Step previews and the staged result: what the canvas shows instead of those layers' content. */
  overrides = $state.raw<ReadonlyMap<string, LayerContent>>(NO_OVERRIDES);
  /** Layers showing a running job's step preview right now. */
  previewing = $state.raw<readonly string[]>([]);
  tool = $state<ToolId>('brush');
  brush = $state<BrushOptions>({ size: 10, hardness: 0.8, opacity: 1, pressure: true, fillTolerance: 24, snap: false });
  rgb = $state<[number, number, number]>([214, 96, 64]);
  value = $state(200);
  /** Gradient end value (the start is `value`): near → far by default. */
  valueEnd = $state(20);
  classIndex = $state(0);
  /** The object the object brush paints on Objects (SAM): its flat colour. */
  objectRgb = $state<Rgb>(OBJECT_PALETTE[0] ?? [230, 25, 75]);
  selectedBoxId = $state<string | null>(null);
  boxLabel = $state('object');
  canUndo = $state(false);
  canRedo = $state(false);
  undoLabel = $state('');
  redoLabel = $state('');
  /** Layers a running job is generating: edits there would hide under its previews. */
  generating = $state.raw<readonly string[]>([]);
  /** Layers a staged result would replace: edits there would hide under it until it is accepted or discarded. */
  staged = $state.raw<readonly string[]>([]);
  /** Layers an undo or redo just changed under a staged result (their rows flash); `n` counts the flashes. */
  flashed = $state.raw<{ readonly ids: readonly string[]; readonly n: number }>({ ids: [], n: 0 });
  /** The document differs from the last explicit save or open (undoing back to it makes it clean again). */
  dirty = $state(false);
  status = $state('');
  /** Per layer, what the last accepted result could not give it (cleared when the layer changes). */
  notes = $state.raw<Readonly<Record<string, string>>>({});
  error = $state('');

  /** The installed model's manifest: its class colours win over an opened project's copy. */
  readonly #model: DocumentManifest;

  /** A new document for a manifest, an opened one, or one coming back from a model switch with its history. */
  constructor(doc: DocumentState | DocumentManifest | ParkedStore) {
    this.#model = 'history' in doc ? doc.doc.manifest : 'layers' in doc ? doc.manifest : doc;
    useLayerNames(this.#model);
    this.store = 'history' in doc ? DocumentStore.resume(doc) : new DocumentStore('layers' in doc ? doc : createDocument(doc));
    // A parked document keeps its saved marker: unsaved unless it is where it was saved or opened.
    this.dirty = !this.store.atSavedState;
    this.revisions = new ContentRevisions(this.store);
    this.store.subscribe((change) => this.#onChange(change));
    this.#refresh();
    this.activeId = this.layers[0]?.id ?? '';
    this.viewId = this.#firstRaster();
  }

  /** The document's manifest, reactive: what shows it (the layer panel's model id, the canvas size) follows a replaced document. */
  #manifest = $state.raw<DocumentManifest | undefined>(undefined);

  get manifest(): DocumentManifest {
    return this.#manifest ?? this.store.state.manifest;
  }

  get active(): LayerRow | undefined {
    return this.layers.find((l) => l.id === this.activeId);
  }

  get paint(): PaintSettings {
    return { size: this.brush.size, hardness: this.brush.hardness, opacity: this.brush.opacity, rgb: this.rgb, value: this.value, classIndex: this.classIndex, objectRgb: this.objectRgb };
  }

  /** New object (N) on the Objects (SAM) layer: the brush takes the next free palette colour, or the error says why not (the limit). */
  newObject(): void {
    const id = this.activeId;
    if (!isObjectsLayer(this.manifest, id)) {
      this.status = 'New object (N) is for the Objects (SAM) layer';
      return;
    }
    if (this.tool !== 'brush') this.tool = 'brush';
    const doc = this.store.state;
    const next = newObjectColour(layerObjects(doc, id), this.objectRgb, objectLimit(doc, id), layerObjectCount(doc, id));
    if ('refused' in next) {
      this.error = `${layerLabel(id)}: ${next.refused}`;
      return;
    }
    this.objectRgb = next.colour;
    this.error = '';
  }

  /** Builds and records one edit; a refused edit (locked layer, bad input) becomes a visible error. */
  run(build: (doc: DocumentState) => Update | null): boolean {
    try {
      const update = build(this.store.state);
      if (!update) return false;
      const busy = update.deltas.find((d) => 'layer' in d && CONTENT_DELTAS.has(d.type) && this.generating.includes(d.layer));
      if (busy && 'layer' in busy) throw new CommandError(`${layerLabel(busy.layer)} is being generated; wait for the result or cancel it`);
      const waiting = update.deltas.find((d) => 'layer' in d && CONTENT_DELTAS.has(d.type) && this.staged.includes(d.layer));
      if (waiting && 'layer' in waiting) throw new CommandError(`${layerLabel(waiting.layer)} has a result waiting on the canvas; accept or discard it first`);
      this.store.apply(update, { history: 'record' });
      this.error = '';
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  setProps(layerId: string, patch: Partial<Omit<LayerProps, 'sync'>>, label?: string): void {
    this.run((doc) => setLayerProps(doc, layerId, patch, label));
  }

  selectLayer(id: string): void {
    this.activeId = id;
    const kind = this.active?.kind;
    if (kind === 'image' || kind === 'segmentation') this.viewId = id;
    if (this.overlayId === this.viewId) this.overlayId = null;
    // Keep the tool when it fits the new layer; otherwise pick the layer's natural tool.
    if (kind && !toolFits(this.tool, kind, isObjectsLayer(this.manifest, id))) this.tool = kind === 'boxes' ? 'box' : 'brush';
  }

  /** Recorded edits until endStroke become one undo step (a brush stroke, a generation). */
  beginStroke(label: string): void {
    this.store.beginStroke(label);
  }

  /** The store emits nothing when a stroke closes, so refresh the history labels here. */
  endStroke(): void {
    this.store.endStroke();
    this.#refresh();
  }

  /** The stroke is taken back whole and leaves no undo step. */
  cancelStroke(): void {
    this.store.cancelStroke();
    this.#refresh();
  }

  /**
   * The status line says which step went back (or that none is left): a role flipped back is easy
   * to miss. A step that changed a layer hidden under a staged result says so, and that row flashes.
   */
  undo(): void {
    const label = this.store.undoLabel;
    this.#hidden = [];
    const done = this.store.undo();
    this.status = historyStatus('undo', done ? label : undefined, this.#hidden.map(layerLabel));
  }

  redo(): void {
    const label = this.store.redoLabel;
    this.#hidden = [];
    const done = this.store.redo();
    this.status = historyStatus('redo', done ? label : undefined, this.#hidden.map(layerLabel));
  }

  /** Layers the last undo or redo changed under a staged result. */
  #hidden: readonly string[] = [];

  /** Open, new, recover: history starts empty. */
  replaceDocument(opened: DocumentState, status: string): void {
    const doc = adoptModel(opened, this.#model);
    // A project made with another model names its layers as that model does (its saved labels).
    useLayerNames(doc.manifest.modalities.some((m) => m.label) ? doc.manifest : this.#model);
    this.store.replace(doc);
    // What is shown is what is selected (selectionOnOpen says which).
    this.activeId = selectionOnOpen(doc, this.activeId);
    const raster = (l: { kind: string }): boolean => l.kind === 'image' || l.kind === 'segmentation';
    const firstPainted = [...doc.layers.values()].find((l) => raster(l) && l.sync !== 'empty');
    const selected = doc.layers.get(this.activeId);
    this.viewId = selected && raster(selected) ? selected.id : (firstPainted?.id ?? this.#firstRaster());
    if (this.overlayId && (!doc.layers.has(this.overlayId) || this.overlayId === this.viewId)) this.overlayId = null;
    // The region tool on an empty picture marks nothing to redo (New after Fix a region showed a
    // token grid on black and "Paint the tokens to regenerate"): an empty layer starts with the brush.
    if (this.tool === 'mask' && (!selected || selected.sync === 'empty')) this.tool = 'brush';
    // As selectLayer: a tool that does not fit the layer now selected (the box tool from Boxes) gives way to its natural one.
    if (selected && !toolFits(this.tool, selected.kind)) this.tool = selected.kind === 'boxes' ? 'box' : 'brush';
    this.selectedBoxId = null;
    this.dirty = false;
    this.status = status;
    this.error = '';
  }

  markSaved(status: string): void {
    this.store.markSaved();
    this.dirty = false;
    this.status = status;
  }

  /** Work that no file holds (recovered, or carried over a model switch): unsaved however far it is undone. */
  markUnsaved(): void {
    this.store.markUnsaved();
    this.dirty = true;
  }

  fail(error: unknown): void {
    const message = error instanceof CommandError || error instanceof Error ? error.message : String(error);
    this.error = humanize(message, this.layers.map((l) => l.id));
  }

  /** Shows `id` over the current view (null: no overlay). */
  setOverlay(id: string | null): void {
    this.overlayId = id === this.viewId ? null : id;
  }

  #firstRaster(): string {
    return this.layers.find((l) => l.kind === 'image' || l.kind === 'segmentation')?.id ?? '';
  }

  #onChange(change: DocumentChange): void {
    // Undo and redo are recorded changes too: back at the saved state, the title drops its •.
    if (change.recorded) this.dirty = !this.store.atSavedState;
    // "Redone: Generate" or "Imported rgb.png" under the next stroke read as its answer.
    if (!lineOutlives(change)) this.status = '';
    if (change.source === 'undo' || change.source === 'redo') {
      this.#hidden = [...change.content].filter((id) => this.staged.includes(id));
      if (this.#hidden.length) this.flashed = { ids: this.#hidden, n: this.flashed.n + 1 };
    }
    const stale = Object.keys(this.notes).filter((id) => change.layers.has(id) || change.source === 'replace');
    if (stale.length) this.notes = Object.fromEntries(Object.entries(this.notes).filter(([id]) => !stale.includes(id)));
    this.#refresh();
  }

  #refresh(): void {
    const doc = this.store.state;
    if (doc.manifest !== this.#manifest) this.#manifest = doc.manifest;
    this.layers = doc.manifest.modalities.flatMap((m) => {
      const l = doc.layers.get(m.id);
      if (!l) return [];
      return [{ id: l.id, label: layerLabel(l.id), kind: l.kind, visible: l.visible, opacity: l.opacity, locked: l.locked, role: l.role, sync: l.sync, masked: l.mask !== null }];
    });
    this.canUndo = this.store.canUndo;
    this.canRedo = this.store.canRedo;
    this.undoLabel = this.store.undoLabel ?? '';
    this.redoLabel = this.store.redoLabel ?? '';
    this.revision++;
  }
}
