// The one entry point from bytes to a document: frame, checksum, JSON, version migration,
// schema, then every size and value range the manifest implies. Only ProjectError escapes.
import { planeChannels, type DocumentManifest, type ModalityManifest } from '../manifest';
import { layoutIdentity } from '../modelRecord';
import { REFERENCE_THUMBNAIL_SIDE, type Box, type DocumentState, type GalleryEntry, type GalleryOutput, type InputPixels, type JsonValue, type Layer, type LayerContent, type Rgb, type UpscaledEntry } from '../types';
import { referenceTokensProblem } from '../../../../preload/contract/reference';
import { readContainer, type ChunkRef } from './container';
import { formatPath, ProjectError } from './errors';
import { migrateHeader } from './migrate';
import { pngSize } from './png';
import { decodeRgbaPng } from './rgbaPng';
import { headerSchema, MAX_KEPT_PIXEL_BYTES, upscaledEntrySchema, type ContentJson, type HeaderJson, type UpscaledEntryJson } from './schema';

export function restoreProject(bytes: Uint8Array): DocumentState {
  return restoreProjectReport(bytes).doc;
}

/**
 * The document and what was left out of it: upscaled results that could not be read (each note
 * names the entry and the field), for the editor to say. Everything else is all or nothing.
 */
export function restoreProjectReport(bytes: Uint8Array): { readonly doc: DocumentState; readonly notes: readonly string[] } {
  try {
    return restoreUnchecked(bytes);
  } catch (error) {
    if (error instanceof ProjectError) throw error;
    // A bug here must still reach the artist as a file error, not a crash.
    throw new ProjectError('schema', `could not read project: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export type RestoreResult = { ok: true; doc: DocumentState } | { ok: false; error: ProjectError };

export function tryRestoreProject(bytes: Uint8Array): RestoreResult {
  try {
    return { ok: true, doc: restoreProject(bytes) };
  } catch (error) {
    return { ok: false, error: error as ProjectError };
  }
}

function restoreUnchecked(bytes: Uint8Array): { doc: DocumentState; notes: readonly string[] } {
  const { header, blob, upscaled } = readHeader(bytes);
  return { doc: new Decoder(header, blob).document(upscaled.kept), notes: upscaled.notes };
}

/**
 * Everything but the pixels: frame, checksum, JSON, version, schema, and the chunk budget.
 * Main runs this on bytes it is asked to write (autosave, save), so a file that would explode
 * when opened is refused before it is kept; it allocates nothing per chunk.
 */
export function inspectProject(bytes: Uint8Array): void {
  try {
    readHeader(bytes);
  } catch (error) {
    if (error instanceof ProjectError) throw error;
    throw new ProjectError('schema', `could not read project: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function readHeader(bytes: Uint8Array): { header: HeaderJson; blob: Uint8Array; upscaled: ReadUpscaled } {
  const { version, headerText, blob } = readContainer(bytes);
  let json: unknown;
  try {
    json = JSON.parse(headerText);
  } catch (error) {
    throw new ProjectError('json', `header: expected JSON (${error instanceof Error ? error.message : 'parse error'})`);
  }
  const parsed = headerSchema.safeParse(migrateHeader(version, json, blob));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProjectError('schema', issue ? `${formatPath(issue.path)}: ${issue.message}` : 'header: invalid');
  }
  checkModelRecord(parsed.data);
  const upscaled = readUpscaled(parsed.data, blob);
  checkChunkBudget(parsed.data, upscaled.kept, blob.byteLength);
  return { header: parsed.data, blob, upscaled };
}

interface ReadUpscaled {
  readonly kept: readonly UpscaledEntryJson[];
  readonly notes: readonly string[];
}

/**
 * Upscaled results, each on its own: its shape, its layers (of the manifest), a unique id, its
 * pictures inside the data section and PNG files of the size they claim. One that fails is left
 * out with a note naming it and the field; the rest of the project opens as saved.
 */
function readUpscaled(h: HeaderJson, blob: Uint8Array): ReadUpscaled {
  const kept: UpscaledEntryJson[] = [];
  const notes: string[] = [];
  const ids = new Set<string>();
  const layers = new Set(h.manifest.modalities.map((m) => m.id));
  h.upscaled.forEach((raw, i) => {
    const what = (e: { id?: unknown } | null): string => `upscaled[${i}]${e && typeof e.id === 'string' ? ` ("${e.id.slice(0, 40)}")` : ''}`;
    const parsed = upscaledEntrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      notes.push(`${what(typeof raw === 'object' ? (raw as { id?: unknown }) : null)}: ${issue ? `${formatPath(issue.path)}: ${issue.message}` : 'invalid'}`);
      return;
    }
    const e = parsed.data;
    const problem = ((): string | null => {
      if (ids.has(e.id)) return `id: duplicate "${e.id}"`;
      for (const [j, p] of e.pictures.entries()) {
        if (!layers.has(p.layer)) return `pictures[${j}].layer: "${p.layer}" is not a layer of this project`;
        if (p.png.offset + p.png.length > blob.byteLength) return `pictures[${j}].png: chunk [${p.png.offset}, +${p.png.length}) runs past the ${blob.byteLength}-byte data section`;
        const size = pngSize(blob.subarray(p.png.offset, p.png.offset + p.png.length));
        if (typeof size === 'string') return `pictures[${j}].png: ${size}`;
        if (size.width !== p.width || size.height !== p.height) return `pictures[${j}].png: the PNG is ${size.width}×${size.height}, the entry says ${p.width}×${p.height}`;
      }
      return null;
    })();
    if (problem) {
      notes.push(`${what(e)}: ${problem}`);
      return;
    }
    ids.add(e.id);
    kept.push(e);
  });
  return { kept, notes };
}

/** The model record must describe the manifest the file holds (a mismatch is an edited or corrupt header). */
function checkModelRecord(h: HeaderJson): void {
  if (h.model.id !== h.manifest.modelId) throw new ProjectError('schema', `model.id: "${h.model.id}" is not the manifest's model "${h.manifest.modelId}"`);
  const layout = layoutIdentity(h.manifest);
  if (h.model.layout !== layout) throw new ProjectError('schema', `model.layout: "${h.model.layout}" does not match the manifest's layers (${layout})`);
}

const refKey = (ref: ChunkRef): string => `${ref.offset}:${ref.length}`;

function contentRefs(c: ContentJson): Array<[ChunkRef, string]> {
  if (c.kind === 'reference') return c.thumbnail ? [[c.thumbnail, '.thumbnail']] : [];
  return c.kind === 'image' ? [[c.pixels, '.pixels']] : c.kind === 'segmentation' ? [[c.classes, '.classes']] : [];
}

/**
 * Each distinct chunk is decoded once (gallery outputs that point at the same chunk share its
 * bytes), so what a file can make us allocate is the sum of its distinct chunks. A saved file
 * lays them end to end, so that sum is at most its data section; a crafted one whose chunks
 * overlap (one 8192² picture referenced a thousand times at shifted offsets) is refused here.
 */
function checkChunkBudget(h: HeaderJson, upscaled: readonly UpscaledEntryJson[], blobBytes: number): void {
  const distinct = new Map<string, number>();
  const add = (ref: ChunkRef, path: string): void => {
    if (ref.offset + ref.length > blobBytes) {
      throw new ProjectError('size', `${path}: chunk [${ref.offset}, +${ref.length}) runs past the ${blobBytes}-byte data section`);
    }
    distinct.set(refKey(ref), ref.length);
  };
  h.layers.forEach((l, i) => {
    contentRefs(l.content).forEach(([r, field]) => add(r, `layers[${i}].content${field}`));
    if (l.mask) add(l.mask, `layers[${i}].mask`);
    if (l.tokens) add(l.tokens.ids, `layers[${i}].tokens.ids`);
  });
  h.gallery.forEach((e, i) =>
    e.outputs.forEach((o, j) => {
      contentRefs(o.content).forEach(([r, field]) => add(r, `gallery[${i}].outputs[${j}].content${field}`));
      if (o.tokens) add(o.tokens, `gallery[${i}].outputs[${j}].tokens`);
    }),
  );
  // A PNG is small on disk but decodes to width × height × 4 bytes: those are bounded on their own.
  const decoded = new Map<string, number>();
  h.gallery.forEach((e, i) =>
    e.inputs.forEach((p, j) => {
      if (p.rgba) add(p.rgba, `gallery[${i}].inputs[${j}].rgba`);
      if (p.png) {
        add(p.png, `gallery[${i}].inputs[${j}].png`);
        decoded.set(refKey(p.png), Math.max(decoded.get(refKey(p.png)) ?? 0, p.width * p.height * 4));
      }
    }),
  );
  let pixels = 0;
  for (const n of decoded.values()) pixels += n;
  if (pixels > MAX_KEPT_PIXEL_BYTES) {
    throw new ProjectError('size', `gallery: the kept input pixels would take ${pixels} bytes, more than the ${MAX_KEPT_PIXEL_BYTES} a project may hold`);
  }
  upscaled.forEach((e, i) => e.pictures.forEach((p, j) => add(p.png, `upscaled[${i}].pictures[${j}].png`)));
  let total = 0;
  for (const length of distinct.values()) total += length;
  if (total > blobBytes) {
    throw new ProjectError('size', `chunks overlap: the header points at ${total} bytes of distinct data but the file holds ${blobBytes}`);
  }
}

class Decoder {
  private readonly m: DocumentManifest;
  private readonly byId: Map<string, ModalityManifest>;
  /** Gallery outputs pointing at one chunk share one decoded copy (layers get their own: they are edited in place). */
  private readonly shared = new Map<string, Uint8Array | Int32Array>();

  constructor(
    private readonly h: HeaderJson,
    private readonly blob: Uint8Array,
  ) {
    this.m = h.manifest;
    this.byId = new Map(h.manifest.modalities.map((m) => [m.id, m]));
  }

  document(upscaled: readonly UpscaledEntryJson[]): DocumentState {
    const ids = this.m.modalities.map((m) => m.id);
    if (this.byId.size !== ids.length) throw new ProjectError('schema', 'manifest.modalities: expected unique ids');
    const got = this.h.layers.map((l) => l.id);
    if (got.join('\n') !== ids.join('\n')) {
      throw new ProjectError('schema', `layers: expected one per modality in manifest order [${ids.join(', ')}], got [${got.join(', ')}]`);
    }
    const layers = new Map<string, Layer>();
    this.h.layers.forEach((l, i) => {
      const path = `layers[${i}]`;
      const modality = this.modality(l.id, path);
      layers.set(l.id, {
        id: l.id,
        kind: modality.kind,
        visible: l.visible,
        opacity: l.opacity,
        locked: l.locked,
        role: l.role,
        sync: l.sync,
        derivedFrom: l.derivedFrom,
        content: this.content(l.content, modality, `${path}.content`),
        mask: l.mask ? this.mask(l.mask, `${path}.mask`) : null,
        tokens: l.tokens ? { ids: this.tokens(l.tokens.ids, modality, `${path}.tokens.ids`), agree: l.tokens.agree } : null,
      });
    });
    const seen = new Set<string>();
    const gallery = this.h.gallery.map((e, i): GalleryEntry => {
      if (seen.has(e.id)) throw new ProjectError('schema', `gallery[${i}].id: duplicate "${e.id}"`);
      seen.add(e.id);
      const outputs: Record<string, GalleryOutput> = {};
      e.outputs.forEach((o, j) => {
        const path = `gallery[${i}].outputs[${j}]`;
        const modality = this.modality(o.layer, `${path}.layer`);
        if (outputs[o.layer]) throw new ProjectError('schema', `${path}.layer: duplicate "${o.layer}"`);
        outputs[o.layer] = {
          content: this.content(o.content, modality, `${path}.content`, true),
          tokens: o.tokens ? this.tokens(o.tokens, modality, `${path}.tokens`, true) : null,
        };
      });
      const inputs: Record<string, InputPixels> = {};
      e.inputs.forEach((p, j) => {
        const path = `gallery[${i}].inputs[${j}]`;
        if (Object.hasOwn(inputs, p.ref)) throw new ProjectError('schema', `${path}.ref: duplicate "${p.ref}"`);
        const rgba = p.png ? this.pngPixels(p.png, p.width, p.height, `${path}.png`) : this.chunk(p.rgba ?? { offset: 0, length: 0 }, `${path}.rgba`, p.width * p.height * 4, ` for ${p.width}×${p.height} RGBA`, true);
        inputs[p.ref] = { width: p.width, height: p.height, rgba };
      });
      const entry: GalleryEntry = { id: e.id, createdAt: e.createdAt, accepted: e.accepted, request: e.request as JsonValue, outputs };
      return e.inputs.length ? { ...entry, inputs } : entry;
    });
    return { manifest: this.m, layers, gallery, upscaled: upscaled.map((e) => this.upscaled(e)) };
  }

  private upscaled(e: UpscaledEntryJson): UpscaledEntry {
    // Shared like gallery outputs: many entries pointing at one chunk cost one copy.
    const pictures = e.pictures.map((p) => ({ layer: p.layer, width: p.width, height: p.height, png: this.chunk(p.png, `upscaled "${e.id}"`, undefined, '', true) }));
    return { id: e.id, createdAt: e.createdAt, source: e.source, sourceSeed: e.sourceSeed, srModel: e.srModel, pictures };
  }

  /** Kept input pixels stored as PNG (format 3): decoded once per chunk, shared like gallery outputs. */
  private pngPixels(ref: ChunkRef, width: number, height: number, path: string): Uint8Array {
    const key = `png:${refKey(ref)}:${width}x${height}`;
    const hit = this.shared.get(key);
    if (hit instanceof Uint8Array) return hit;
    const rgba = decodeRgbaPng(this.chunk(ref, path), width, height);
    if (typeof rgba === 'string') throw new ProjectError('size', `${path}: ${rgba}`);
    this.shared.set(key, rgba);
    return rgba;
  }

  private modality(id: string, path: string): ModalityManifest {
    const m = this.byId.get(id);
    if (!m) throw new ProjectError('schema', `${path}: "${id}" is not a modality of the manifest`);
    return m;
  }

  private chunk(ref: ChunkRef, path: string, expected?: number, what = '', share = false): Uint8Array {
    if (share) {
      const hit = this.shared.get(`u8:${refKey(ref)}`);
      if (hit instanceof Uint8Array && (expected === undefined || hit.byteLength === expected)) return hit;
      const bytes = this.chunk(ref, path, expected, what);
      this.shared.set(`u8:${refKey(ref)}`, bytes);
      return bytes;
    }
    if (ref.offset + ref.length > this.blob.byteLength) {
      throw new ProjectError('size', `${path}: chunk [${ref.offset}, +${ref.length}) runs past the ${this.blob.byteLength}-byte data section`);
    }
    if (expected !== undefined && ref.length !== expected) {
      throw new ProjectError('size', `${path}: expected ${expected} bytes${what}, got ${ref.length}`);
    }
    return this.blob.slice(ref.offset, ref.offset + ref.length);
  }

  private content(c: ContentJson, m: ModalityManifest, path: string, share = false): LayerContent {
    if (c.kind !== m.kind) throw new ProjectError('schema', `${path}.kind: expected "${m.kind}" for ${m.id}, got "${c.kind}"`);
    const { width, height } = this.m;
    switch (c.kind) {
      case 'image': {
        const ch = planeChannels(m);
        const data = this.chunk(c.pixels, `${path}.pixels`, width * height * ch, ` for ${width}×${height} ${ch === 3 ? 'RGB' : 'one-channel'}`, share);
        return { kind: 'image', plane: { width, height, channels: ch, data } };
      }
      case 'segmentation': {
        const data = this.chunk(c.classes, `${path}.classes`, width * height, ` for a ${width}×${height} class map`, share);
        const count = m.classes?.length ?? 0;
        const bad = data.findIndex((v) => v >= count && v !== 255);
        if (bad >= 0) throw new ProjectError('size', `${path}.classes: pixel ${bad} has class ${data[bad]}, expected < ${count} or 255 (unlabeled)`);
        return { kind: 'segmentation', plane: { width, height, channels: 1, data } };
      }
      case 'boxes':
        c.boxes.forEach((b, i) => {
          if (b.x0 > b.x1 || b.y0 > b.y1) throw new ProjectError('schema', `${path}.boxes[${i}]: expected x0 ≤ x1 and y0 ≤ y1`);
        });
        return { kind: 'boxes', boxes: c.boxes.map((b): Box => ({ ...b })) };
      case 'text':
        return { kind: 'text', text: c.text };
      case 'palette':
        return { kind: 'palette', swatches: c.swatches.map((s): Rgb => [s[0], s[1], s[2]]) };
      case 'reference': {
        // A hostile or damaged file: the wrong number of ids, or ids no model has, named with the layer.
        const problem = c.ids === null ? null : referenceTokensProblem(c.ids);
        if (problem) throw new ProjectError('schema', `${path}.ids (${m.label ?? m.id}): ${problem}`);
        const side = REFERENCE_THUMBNAIL_SIDE;
        const thumbnail = c.thumbnail ? this.chunk(c.thumbnail, `${path}.thumbnail`, side * side * 4, ` for a ${side}×${side} RGBA thumbnail (${m.label ?? m.id})`, share) : null;
        return { kind: 'reference', ids: c.ids === null ? null : Int32Array.from(c.ids as number[]), source: c.source, thumbnail };
      }
    }
  }

  private mask(ref: ChunkRef, path: string): Uint8Array {
    const n = this.m.tokenCols * this.m.tokenRows;
    const data = this.chunk(ref, path, n, ` for a ${this.m.tokenCols}×${this.m.tokenRows} token grid`);
    const bad = data.findIndex((v) => v > 1);
    if (bad >= 0) throw new ProjectError('size', `${path}: token ${bad} is ${data[bad]}, expected 0 or 1`);
    return data;
  }

  private tokens(ref: ChunkRef, m: ModalityManifest, path: string, share = false): Int32Array {
    const key = `i32:${refKey(ref)}`;
    const hit = share ? this.shared.get(key) : undefined;
    if (hit instanceof Int32Array) return hit;
    const ids = this.decodeTokens(ref, m, path);
    if (share) this.shared.set(key, ids);
    return ids;
  }

  private decodeTokens(ref: ChunkRef, m: ModalityManifest, path: string): Int32Array {
    const spatial = m.kind === 'image' || m.kind === 'segmentation';
    const n = this.m.tokenCols * this.m.tokenRows;
    const bytes = spatial ? this.chunk(ref, path, n * 4, ` (${n} int32 tokens)`) : this.chunk(ref, path);
    if (bytes.byteLength % 4 !== 0) throw new ProjectError('size', `${path}: expected a multiple of 4 bytes (int32 tokens), got ${bytes.byteLength}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const ids = new Int32Array(bytes.byteLength / 4);
    for (let i = 0; i < ids.length; i++) ids[i] = view.getInt32(i * 4, true);
    return ids;
  }
}
