/**
 * Picture-reference layers (4M-21's tok_dinov2_global / tok_imagebind_global) in the document core:
 * set, undone and redone as one step, saved and restored with their tokens, source and thumbnail,
 * and a hostile project (wrong token count, ids out of range, a thumbnail of the wrong size) is
 * refused with an error naming the layer. Also the editor's request and result plumbing for them.
 */
import { describe, expect, it } from 'vitest';
import { acceptResult, addGalleryEntry, setLayerProps, setReference } from '../../../../renderer/src/document/commands';
import { createDocument } from '../../../../renderer/src/document/create';
import type { DocumentManifest } from '../../../../renderer/src/document/manifest';
import { writeContainer } from '../../../../renderer/src/document/project/container';
import { ProjectError } from '../../../../renderer/src/document/project/errors';
import { FORMAT_VERSION } from '../../../../renderer/src/document/project/migrate';
import { restoreProject, tryRestoreProject } from '../../../../renderer/src/document/project/restore';
import { saveProject } from '../../../../renderer/src/document/project/save';
import { decodeUtf8 } from '../../../../renderer/src/document/project/utf8';
import { DocumentStore } from '../../../../renderer/src/document/store';
import { REFERENCE_THUMBNAIL_SIDE, type ReferenceContent } from '../../../../renderer/src/document/types';
import { buildGenerationRequest } from '../../../../renderer/src/generation/buildRequest';
import { contentFromOutput } from '../../../../renderer/src/generation/results';
import { referenceIds, referenceRequest, thumbnailOf } from '../../../../renderer/src/generation/reference';
import { DEFAULT_SAMPLING, defaultTarget } from '../../../../renderer/src/generation/settings';
import { isEmptyCondition } from '../../../../renderer/src/generation/intent';
import { REFERENCE_SAMPLING } from '../../../../preload/contract/reference';

const SIDE = REFERENCE_THUMBNAIL_SIDE;

function manifest(): DocumentManifest {
  return {
    modelId: '4M-21-fixture',
    width: 32,
    height: 32,
    tokenCols: 4,
    tokenRows: 4,
    modalities: [
      { id: 'rgb@224', kind: 'image', channels: 3, label: 'RGB' },
      { id: 'caption', kind: 'text', label: 'Caption' },
      { id: 'tok_dinov2_global', kind: 'reference', label: 'DINOv2 reference', derivedFrom: [] },
      { id: 'tok_imagebind_global', kind: 'reference', label: 'ImageBind reference', derivedFrom: [] },
    ],
  };
}

const IDS = Int32Array.from({ length: 16 }, (_, i) => i * 511);
const THUMB = Uint8Array.from({ length: SIDE * SIDE * 4 }, (_, i) => (i * 13) & 0xff);

function referenceDoc(): DocumentStore {
  const store = new DocumentStore(createDocument(manifest()));
  store.apply(setReference(store.state, 'tok_dinov2_global', { ids: IDS, source: 'beach.png', thumbnail: THUMB }), { history: 'record' });
  store.apply(setLayerProps(store.state, 'tok_dinov2_global', { role: 'condition' }), { history: 'record' });
  return store;
}

/** Rewrites the container around a new header (and keeps a valid checksum). */
function withHeader(bytes: Uint8Array, edit: (h: { layers: { content: Record<string, unknown> }[] }) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const headerLength = view.getUint32(12, true);
  const header = JSON.parse(decodeUtf8(bytes.subarray(16, 16 + headerLength)) ?? '') as { layers: { content: Record<string, unknown> }[] };
  edit(header);
  return writeContainer(FORMAT_VERSION, JSON.stringify(header), bytes.subarray(16 + headerLength, bytes.length - 4));
}

function errorOf(bytes: Uint8Array): ProjectError {
  const r = tryRestoreProject(bytes);
  if (r.ok) throw new Error('expected a ProjectError');
  expect(r.error).toBeInstanceOf(ProjectError);
  return r.error;
}

describe('picture reference layers', () => {
  it('start empty; setting one is one undoable step that makes the layer the artist\'s own', () => {
    const store = new DocumentStore(createDocument(manifest()));
    const empty = store.state.layers.get('tok_dinov2_global');
    expect(empty?.content).toEqual({ kind: 'reference', ids: null, source: '', thumbnail: null });
    expect(empty && isEmptyCondition(empty)).toBe(true);
    store.apply(setReference(store.state, 'tok_dinov2_global', { ids: IDS, source: 'the RGB layer', thumbnail: THUMB }), { history: 'record' });
    const set = store.state.layers.get('tok_dinov2_global');
    expect(set?.sync).toBe('in-sync');
    expect((set?.content as ReferenceContent).source).toBe('the RGB layer');
    expect(Array.from((set?.content as ReferenceContent).ids ?? [])).toEqual(Array.from(IDS));
    store.undo();
    expect(store.state.layers.get('tok_dinov2_global')?.content).toEqual({ kind: 'reference', ids: null, source: '', thumbnail: null });
    expect(store.state.layers.get('tok_dinov2_global')?.sync).toBe('empty');
    store.redo();
    expect((store.state.layers.get('tok_dinov2_global')?.content as ReferenceContent).source).toBe('the RGB layer');
    // Cleared: empty again.
    store.apply(setReference(store.state, 'tok_dinov2_global', { ids: null, source: '', thumbnail: null }), { history: 'record' });
    expect(store.state.layers.get('tok_dinov2_global')?.sync).toBe('empty');
    expect(() => setReference(store.state, 'tok_dinov2_global', { ids: IDS, source: 'x', thumbnail: new Uint8Array(10) })).toThrow(/thumbnail: expected 56×56 RGBA/);
    expect(() => setReference(store.state, 'caption', { ids: IDS, source: 'x', thumbnail: null })).toThrow(/not a picture reference/);
  });

  it('save → restore keeps tokens, source and thumbnail, byte-identically', () => {
    const doc = referenceDoc().state;
    const bytes = saveProject(doc);
    const back = restoreProject(bytes);
    const c = back.layers.get('tok_dinov2_global')?.content as ReferenceContent;
    expect(c.kind).toBe('reference');
    expect(Array.from(c.ids ?? [])).toEqual(Array.from(IDS));
    expect(c.source).toBe('beach.png');
    expect(Array.from(c.thumbnail ?? [])).toEqual(Array.from(THUMB));
    expect(back.layers.get('tok_dinov2_global')?.role).toBe('condition');
    expect(back.layers.get('tok_imagebind_global')?.content).toEqual({ kind: 'reference', ids: null, source: '', thumbnail: null });
    expect(saveProject(back)).toEqual(bytes);
  });

  it('a hostile project is refused naming the layer: wrong token count, ids out of range, a bad thumbnail', () => {
    const good = saveProject(referenceDoc().state);
    const at = 2; // tok_dinov2_global in manifest order
    const edit = (f: (c: Record<string, unknown>) => void) => withHeader(good, (h) => f(h.layers[at]!.content));
    expect(errorOf(edit((c) => (c['ids'] = Array.from(IDS).slice(0, 15)))).message).toBe('layers[2].content.ids (DINOv2 reference): expected 16 token ids, got 15');
    expect(errorOf(edit((c) => (c['ids'] = [...Array.from(IDS).slice(0, 15), 8192]))).message).toBe('layers[2].content.ids (DINOv2 reference): token 16 is 8192, not an id in 0…8191');
    expect(errorOf(edit((c) => (c['ids'] = [...Array.from(IDS).slice(0, 15), -1]))).message).toMatch(/DINOv2 reference\): token 16 is -1/);
    expect(errorOf(edit((c) => (c['ids'] = [...Array.from(IDS).slice(0, 15), 'x']))).message).toMatch(/DINOv2 reference\): token 16 is "x"/);
    expect(errorOf(edit((c) => ((c['thumbnail'] as { length: number }).length = 100))).message).toMatch(/^layers\[2\]\.content\.thumbnail: expected 12544 bytes for a 56×56 RGBA thumbnail \(DINOv2 reference\), got 100/);
    expect(errorOf(edit((c) => (c['source'] = 7))).message).toMatch(/^layers\[2\]\.content\.source: /);
  });

  it('as a condition it goes in as its 16 tokens; as a target it takes 4M\'s reading recipe and reads back "predicted"', async () => {
    const store = referenceDoc();
    store.apply(setLayerProps(store.state, 'tok_imagebind_global', { role: 'generate' }), { history: 'record' });
    const targets = store.state.manifest.modalities.map((m) => defaultTarget(m.id, m.kind));
    expect(targets.find((t) => t.modality === 'tok_imagebind_global')).toMatchObject({ scheme: 'roar', steps: 1, temperature: REFERENCE_SAMPLING.temperature });
    const built = await buildGenerationRequest(store.state, { modelId: '4M-21-fixture', coordBins: 1000, seed: 1, targets, sampling: DEFAULT_SAMPLING });
    expect(built.request.inputs['tok_dinov2_global']).toEqual({ kind: 'image-tokens', tokens: Array.from(IDS) });
    expect(built.request.targets.map((t) => t.modality)).toEqual(['tok_imagebind_global']);
    // The host's answer for a reference target: tokens only.
    const layer = store.state.layers.get('tok_imagebind_global');
    if (!layer) throw new Error('no layer');
    const content = contentFromOutput(store.state, layer, { kind: 'tokens', tokens: Array.from(IDS) });
    expect(content).toEqual({ kind: 'reference', ids: IDS, source: '', thumbnail: null });
    expect(() => contentFromOutput(store.state, layer, { kind: 'sequence', tokens: [], text: 'x' })).toThrow(/a sequence result for a picture reference/);
    // Accepting it through the gallery is one step like any result.
    store.apply(addGalleryEntry(store.state, { id: 'g', createdAt: '2026-12-07T20:00:00Z', accepted: false, request: null, outputs: { tok_imagebind_global: { content, tokens: IDS } } }), { history: 'record' });
    store.apply(acceptResult(store.state, 'g'), { history: 'record' });
    expect((store.state.layers.get('tok_imagebind_global')?.content as ReferenceContent).ids).toEqual(IDS);
    expect(restoreProject(saveProject(store.state)).gallery[0]?.outputs['tok_imagebind_global']?.content).toEqual(content);
  });

  it('reading a picture: the RGB layer as the pixel input, the reference the only target; the answer checked', async () => {
    const plane = { width: 32, height: 32, channels: 3, data: Uint8Array.from({ length: 32 * 32 * 3 }, (_, i) => i & 0xff) };
    const { request, images } = await referenceRequest('4M-21-fixture', 'tok_dinov2_global', 'rgb@224', plane, async () => 'abc');
    expect(request.inputs).toEqual({ 'rgb@224': { kind: 'image-pixels', ref: 'sha256:abc' } });
    expect(request.targets).toEqual([{ modality: 'tok_dinov2_global', ...REFERENCE_SAMPLING }]);
    expect(images['sha256:abc']).toMatchObject({ width: 32, height: 32 });
    expect(referenceIds([{ seed: 0, outputs: { tok_dinov2_global: { kind: 'tokens', tokens: Array.from(IDS) } } }], 'tok_dinov2_global')).toEqual(IDS);
    expect(referenceIds([{ seed: 0, outputs: { tok_dinov2_global: { kind: 'tokens', tokens: [1, 2] } } }], 'tok_dinov2_global')).toBe("the model's answer: expected 16 token ids, got 2");
    expect(referenceIds([{ seed: 0, outputs: {} }], 'tok_dinov2_global')).toBe('the model gave no reference tokens');
    // The thumbnail: 56×56 RGBA, each pixel the mean of its area (a flat picture stays flat).
    const flat = { width: 224, height: 224, channels: 3, data: new Uint8Array(224 * 224 * 3).fill(90) };
    const t = thumbnailOf(flat);
    expect(t).toHaveLength(SIDE * SIDE * 4);
    expect([t[0], t[1], t[2], t[3]]).toEqual([90, 90, 90, 255]);
    const grey = thumbnailOf({ width: 28, height: 28, channels: 1, data: new Uint8Array(28 * 28).fill(7) });
    expect([grey[4], grey[5], grey[6], grey[7]]).toEqual([7, 7, 7, 255]);
  });
});
