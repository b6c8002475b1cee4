import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptResult, addGalleryEntry, addUpscaledEntry, CommandError, removeUpscaledEntry } from '../../../../renderer/src/document/commands';
import { createDocument } from '../../../../renderer/src/document/create';
import { writeContainer } from '../../../../renderer/src/document/project/container';
import { crc32 } from '../../../../renderer/src/document/project/crc32';
import { ProjectError } from '../../../../renderer/src/document/project/errors';
import { FORMAT_VERSION, migrateHeader } from '../../../../renderer/src/document/project/migrate';
import { pngSize } from '../../../../renderer/src/document/project/png';
import { encodeRgbaPng } from '../../../../renderer/src/document/project/rgbaPng';
import { restoreProject, restoreProjectReport, tryRestoreProject } from '../../../../renderer/src/document/project/restore';
import { saveProject } from '../../../../renderer/src/document/project/save';
import { decodeUtf8 } from '../../../../renderer/src/document/project/utf8';
import { DocumentStore } from '../../../../renderer/src/document/store';
import type { DocumentState, InputPixels, UpscaledEntry } from '../../../../renderer/src/document/types';
import { filled, testManifest } from './fixtures';

/** A real PNG (8-bit RGB, no filter): what the page's canvas writes for an upscaled picture. */
function png(width: number, height: number, value = 128): Uint8Array {
  const chunk = (type: string, data: Uint8Array): Uint8Array => {
    const out = new Uint8Array(12 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    out.set(Buffer.from(type, 'latin1'), 4);
    out.set(data, 8);
    view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = new Uint8Array((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) raw.fill(value, y * (width * 3 + 1) + 1, (y + 1) * (width * 3 + 1));
  const parts = [Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), chunk('IHDR', ihdr), chunk('IDAT', new Uint8Array(deflateSync(raw))), chunk('IEND', new Uint8Array(0))];
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

const REF = `sha256:${'ab'.repeat(32)}`;
const sketch: InputPixels = { width: 32, height: 32, rgba: Uint8Array.from({ length: 32 * 32 * 4 }, (_, i) => i % 251) };
const upscaled = (id: string, seed = 7, layer = 'rgb'): UpscaledEntry => ({
  id, createdAt: '2026-12-07T14:30:00.000Z', source: 'g1', sourceSeed: seed, srModel: '4M-7-SR_L_CC12M', pictures: [{ layer, width: 64, height: 64, png: png(64, 64, seed) }],
});

/** Two results of one job (sharing its sketch's pixels), one accepted, and two upscaled results. */
function upscaledDocument(): DocumentState {
  const store = new DocumentStore(createDocument(testManifest()));
  const s = () => store.state;
  const request = (seed: number) => ({ version: 1, modelId: 'test-model', seed, inputs: { semseg: { kind: 'image-pixels', ref: REF } }, targets: [{ modality: 'rgb' }] });
  const rgb = (v: number) => ({ content: { kind: 'image' as const, plane: { width: 32, height: 32, channels: 3, data: filled(32 * 32 * 3, v) } }, tokens: Int32Array.from({ length: 16 }, (_, i) => i + v) });
  const inputs = { [REF]: sketch };
  store.apply(addGalleryEntry(s(), { id: 'g1', createdAt: '2026-12-07T14:00:00.000Z', accepted: false, request: request(7), outputs: { rgb: rgb(10) }, inputs }), { history: 'record' });
  store.apply(addGalleryEntry(s(), { id: 'g2', createdAt: '2026-12-07T14:00:00.000Z', accepted: false, request: request(8), outputs: { rgb: rgb(20) }, inputs }), { history: 'record' });
  store.apply(acceptResult(s(), 'g1', { layers: ['rgb'], derivedFrom: ['semseg'] }), { history: 'record' });
  store.apply(addUpscaledEntry(s(), upscaled('up-1', 7)), { history: 'record' });
  store.apply(addUpscaledEntry(s(), upscaled('up-2', 8)), { history: 'record' });
  return store.state;
}

const headerLength = (bytes: Uint8Array): number => new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);

const headerOf = (bytes: Uint8Array): Record<string, unknown> => {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  return JSON.parse(decodeUtf8(bytes.subarray(16, 16 + length)) ?? '') as Record<string, unknown>;
};

/** Rewrites the container around an edited header (and keeps a valid checksum). */
function withHeader(bytes: Uint8Array, edit: (h: Record<string, unknown>) => void): Uint8Array {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  const header = headerOf(bytes);
  edit(header);
  return writeContainer(FORMAT_VERSION, JSON.stringify(header), bytes.subarray(16 + length, bytes.length - 4));
}

describe('upscaled results in project files (format 3)', () => {
  it('are saved and come back: pictures byte for byte, seed, SR model, source; save → restore → save is byte-identical', () => {
    const doc = upscaledDocument();
    const bytes = saveProject(doc);
    const back = restoreProject(bytes);
    expect(back.upscaled).toEqual(doc.upscaled);
    expect(back.upscaled.map((e) => e.id)).toEqual(['up-1', 'up-2']);
    expect(Array.from(back.upscaled[0]!.pictures[0]!.png)).toEqual(Array.from(png(64, 64, 7)));
    expect(saveProject(back)).toEqual(bytes);
    expect(headerOf(bytes)['upscaled']).toEqual([
      { id: 'up-1', createdAt: '2026-12-07T14:30:00.000Z', source: 'g1', sourceSeed: 7, srModel: '4M-7-SR_L_CC12M', pictures: [{ layer: 'rgb', width: 64, height: 64, png: expect.objectContaining({ length: png(64, 64, 7).length }) }] },
      expect.objectContaining({ id: 'up-2' }),
    ]);
  });

  it('keeps the pixels each result was made from, as one PNG per job however many results share them', () => {
    const doc = upscaledDocument();
    const bytes = saveProject(doc);
    const gallery = headerOf(bytes)['gallery'] as { inputs: { ref: string; png: { offset: number; length: number } }[] }[];
    expect(gallery.map((e) => e.inputs.map((i) => i.ref))).toEqual([[REF], [REF]]);
    expect(gallery[0]!.inputs[0]!).toEqual({ ref: REF, width: 32, height: 32, png: expect.objectContaining({ length: encodeRgbaPng(32, 32, sketch.rgba).length }) });
    expect(gallery[0]!.inputs[0]!.png).toEqual(gallery[1]!.inputs[0]!.png); // one chunk
    const without = saveProject({ ...doc, gallery: doc.gallery.map((e) => ({ ...e, inputs: undefined })) });
    const added = bytes.length - without.length; // the PNG once, and the refs in the header
    expect(added).toBe(encodeRgbaPng(32, 32, sketch.rgba).length + (headerLength(bytes) - headerLength(without)));
    expect(added).toBeLessThan(sketch.rgba.length / 2);
    const back = restoreProject(bytes);
    expect(back.gallery[0]!.inputs?.[REF]).toEqual(sketch);
    expect(back.gallery[0]!.inputs?.[REF]?.rgba).toBe(back.gallery[1]!.inputs?.[REF]?.rgba); // one decoded copy
  });

  it('stores a picture as its PNG bytes: a 448 px picture costs its PNG size, not 448 × 448 × 4', () => {
    const big = png(448, 448, 90);
    const empty = saveProject(createDocument(testManifest()));
    const doc = createDocument(testManifest());
    doc.upscaled.push({ ...upscaled('up-448'), pictures: [{ layer: 'rgb', width: 448, height: 448, png: big }] });
    const bytes = saveProject(doc);
    expect(bytes.length - empty.length).toBeLessThan(big.length + 400);
    expect(restoreProject(bytes).upscaled[0]!.pictures[0]).toMatchObject({ width: 448, height: 448 });
  });

  it('a format-2 file (committed fixture, written by the format-2 code) opens with no upscaled results and no kept pixels, and saves as format 3', () => {
    const v2 = new Uint8Array(readFileSync(join(import.meta.dirname, '../../../fixtures/projects/format-2.4mproj')));
    expect(new DataView(v2.buffer, v2.byteOffset).getUint32(8, true)).toBe(2);
    expect(headerOf(v2)).not.toHaveProperty('upscaled');
    const doc = restoreProject(v2);
    expect(doc.upscaled).toEqual([]);
    expect(doc.gallery.map((e) => e.id)).toEqual(['g1']);
    expect(doc.gallery[0]!.inputs).toBeUndefined();
    expect(doc.gallery[0]!.request).toMatchObject({ seed: 7 });
    expect(doc.layers.get('caption')?.content).toEqual({ kind: 'text', text: 'a format-2 project' });
    const v3 = saveProject(doc);
    expect(FORMAT_VERSION).toBe(3);
    expect(new DataView(v3.buffer).getUint32(8, true)).toBe(3);
    expect(restoreProject(v3)).toEqual(doc);
  });

  it('the 2 → 3 step adds the empty lists and passes other shapes on for the schema to name', () => {
    expect(migrateHeader(2, { format: 'f', gallery: [{ id: 'a' }] }, new Uint8Array(0))).toEqual({ format: 'f', gallery: [{ id: 'a', inputs: [] }], upscaled: [] });
    expect(migrateHeader(2, 'junk', new Uint8Array(0))).toBe('junk');
    const noGallery = withHeader(saveProject(createDocument(testManifest())), (h) => delete h['gallery']);
    expect(tryRestoreProject(noGallery)).toMatchObject({ ok: false, error: { code: 'schema', message: expect.stringMatching(/^gallery: /) } });
  });
});

describe('a damaged or hostile upscaled result is left out with a note; the project opens', () => {
  const good = saveProject(upscaledDocument());
  type Json = Record<string, unknown> & { pictures: Record<string, unknown>[] };
  const edited = (edit: (list: Json[]) => void): { doc: DocumentState; notes: readonly string[] } =>
    restoreProjectReport(withHeader(good, (h) => edit(h['upscaled'] as Json[])));

  it.each([
    ['not an object', (l: Json[]) => (l[0] = 'junk' as unknown as Json), /^upscaled\[0\]: \(root\): /],
    ['a wrong field type', (l: Json[]) => (l[0]!.sourceSeed = 'seven'), /^upscaled\[0\] \("up-1"\): sourceSeed: /],
    ['no pictures', (l: Json[]) => (l[0]!.pictures = []), /^upscaled\[0\] \("up-1"\): pictures: /],
    ['a layer the project has not', (l: Json[]) => (l[0]!.pictures[0]!.layer = 'tok_rgb@448'), /^upscaled\[0\] \("up-1"\): pictures\[0\]\.layer: "tok_rgb@448" is not a layer of this project$/],
    ['a duplicate id', (l: Json[]) => (l[1]!.id = 'up-1'), /^upscaled\[1\] \("up-1"\): id: duplicate "up-1"$/],
    ['a chunk past the data section', (l: Json[]) => (l[0]!.pictures[0]!.png = { offset: 10 ** 9, length: 10 }), /^upscaled\[0\] \("up-1"\): pictures\[0\]\.png: chunk \[1000000000, \+10\) runs past the \d+-byte data section$/],
    ['bytes that are not a PNG (a result\'s raw pixels)', (l: Json[]) => (l[0]!.pictures[0]!.png = (headerOf(good)['gallery'] as { outputs: { content: { pixels: unknown } }[] }[])[0]!.outputs[0]!.content.pixels), /^upscaled\[0\] \("up-1"\): pictures\[0\]\.png: not a PNG file \(no PNG signature\)$/],
    ['a size the PNG does not have', (l: Json[]) => (l[0]!.pictures[0]!.width = 448), /^upscaled\[0\] \("up-1"\): pictures\[0\]\.png: the PNG is 64×64, the entry says 448×64$/],
  ])('%s', (_what, edit, note) => {
    const { doc, notes } = edited(edit);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(note);
    expect(doc.upscaled).toHaveLength(1);
    expect(doc.gallery).toHaveLength(2);
    expect(doc.layers.get('rgb')?.sync).toBe('in-sync');
  });

  it('restoreProject gives the document without them; a resave leaves them out', () => {
    const bytes = withHeader(good, (h) => ((h['upscaled'] as Json[])[0]!.srModel = 42));
    const doc = restoreProject(bytes);
    expect(doc.upscaled.map((e) => e.id)).toEqual(['up-2']);
    expect(restoreProjectReport(saveProject(doc)).notes).toEqual([]);
  });

  it('many entries pointing at one PNG restore one shared copy', () => {
    const { doc, notes } = edited((list) => {
      for (let i = 0; i < 500; i++) list.push({ ...list[0]!, id: `copy-${i}` });
    });
    expect(notes).toEqual([]);
    expect(doc.upscaled).toHaveLength(502);
    expect(new Set(doc.upscaled.slice(2).map((e) => e.pictures[0]!.png)).size).toBe(1);
  });

  it('pictures that overlap (one PNG claimed at several lengths) refuse the file before any copy', () => {
    const bytes = withHeader(good, (h) => {
      const list = h['upscaled'] as Json[];
      const ref = list[0]!.pictures[0]!.png as { offset: number; length: number };
      for (let i = 1; i < 200; i++) list.push({ ...list[0]!, id: `cut-${i}`, pictures: [{ ...list[0]!.pictures[0]!, png: { offset: ref.offset, length: ref.length - i } }] });
    });
    expect(tryRestoreProject(bytes)).toMatchObject({ ok: false, error: { code: 'size', message: expect.stringMatching(/^chunks overlap: /) } });
  });

  it('random junk in the list never throws anything but a ProjectError', () => {
    let seed = 5;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const junk = (): unknown => [null, 1, 'x', [], {}, { id: 'z', pictures: [{ layer: 'rgb', width: 1, height: 1, png: { offset: Math.floor(rand() * 5000), length: Math.floor(rand() * 5000) } }], createdAt: '', source: '', sourceSeed: 0, srModel: 's' }][Math.floor(rand() * 6)];
    for (let i = 0; i < 200; i++) {
      const bytes = withHeader(good, (h) => (h['upscaled'] = [junk(), ...(h['upscaled'] as unknown[]), junk()]));
      const r = tryRestoreProject(bytes);
      if (!r.ok) expect(r.error).toBeInstanceOf(ProjectError);
      else expect(r.doc.upscaled.length).toBeGreaterThanOrEqual(2);
    }
  });
});

describe("a result's kept pixels are checked like every other chunk", () => {
  const good = saveProject(upscaledDocument());
  type G = { inputs: Record<string, unknown>[] }[];

  it('a size its PNG does not have names the field', () => {
    const r = tryRestoreProject(withHeader(good, (h) => ((h['gallery'] as G)[0]!.inputs[0]!.width = 16)));
    expect(r).toMatchObject({ ok: false, error: { code: 'size', message: 'gallery[0].inputs[0].png: the PNG is 32×32, the entry says 16×32' } });
  });

  it('a damaged PNG, or both forms or neither, names the field', () => {
    const png = (h: Record<string, unknown>): { offset: number; length: number } => (h['gallery'] as G)[0]!.inputs[0]!.png as { offset: number; length: number };
    const damaged = good.slice();
    damaged[16 + headerLength(good) + png(headerOf(good)).offset + 50]! ^= 0xff;
    const r = tryRestoreProject(writeContainer(FORMAT_VERSION, decodeUtf8(good.subarray(16, 16 + headerLength(good))) ?? '', damaged.subarray(16 + headerLength(good), damaged.length - 4)));
    expect(r).toMatchObject({ ok: false, error: { code: 'size', message: expect.stringMatching(/^gallery\[0\]\.inputs\[0\]\.png: the PNG's \w+ chunk is damaged \(checksum\)$/) } });
    const both = tryRestoreProject(withHeader(good, (h) => ((h['gallery'] as G)[0]!.inputs[0]!.rgba = png(h))));
    expect(both).toMatchObject({ ok: false, error: { code: 'schema', message: expect.stringMatching(/^gallery\[0\]\.inputs\[0\]: expected exactly one of "png"/) } });
    const neither = tryRestoreProject(withHeader(good, (h) => delete (h['gallery'] as G)[0]!.inputs[0]!.png));
    expect(neither).toMatchObject({ ok: false, error: { code: 'schema', message: expect.stringMatching(/^gallery\[0\]\.inputs\[0\]: expected exactly one of "png"/) } });
  });

  it('a PNG claiming more pixels than a project may hold is refused before decoding', () => {
    const big = [0, 1, 2].map((i) => ({ ref: `r${i}`, width: 8192, height: 8192, png: { offset: 0, length: 1 + i } }));
    const r = tryRestoreProject(withHeader(good, (h) => ((h['gallery'] as G)[0]!.inputs = big)));
    expect(r).toMatchObject({ ok: false, error: { code: 'size', message: 'gallery: the kept input pixels would take 805310464 bytes, more than the 536870912 a project may hold' } });
  });

  it('the raw form the first format-3 code wrote (width × height × 4 bytes) is still read, and a resave writes PNG', () => {
    const blob = good.subarray(16 + headerLength(good), good.length - 4);
    const raw = writeContainer(FORMAT_VERSION, JSON.stringify((() => {
      const h = headerOf(good);
      for (const e of h['gallery'] as G) e.inputs = e.inputs.map(({ ref, width, height }) => ({ ref, width, height, rgba: { offset: blob.length, length: sketch.rgba.length } }));
      return h;
    })()), Uint8Array.from([...blob, ...sketch.rgba]));
    const doc = restoreProject(raw);
    expect(doc.gallery.map((e) => e.inputs?.[REF])).toEqual([sketch, sketch]);
    expect(doc.gallery[0]!.inputs?.[REF]?.rgba).toBe(doc.gallery[1]!.inputs?.[REF]?.rgba);
    expect(raw.length - good.length).toBeGreaterThan(sketch.rgba.length - 100);
    expect(saveProject(doc)).toEqual(good);
    const short = tryRestoreProject(withHeader(raw, (h) => (((h['gallery'] as G)[0]!.inputs[0]!.width = 16))));
    expect(short).toMatchObject({ ok: false, error: { code: 'size', message: 'gallery[0].inputs[0].rgba: expected 2048 bytes for 16×32 RGBA, got 4096' } });
  });

  it('a ref or a layer id that every JavaScript object answers to is refused by name, not lost (before: "__proto__" replaced the record\'s prototype and the picture vanished, also from the next save)', () => {
    for (const ref of ['__proto__', 'constructor']) {
      const r = tryRestoreProject(withHeader(good, (h) => ((h['gallery'] as G)[0]!.inputs[0]!.ref = ref)));
      expect(r).toMatchObject({ ok: false, error: { code: 'schema', message: `gallery[0].inputs[0].ref: "${ref}" is a reserved name (a property of every JavaScript object), not usable as a name here` } });
    }
    const layer = tryRestoreProject(withHeader(good, (h) => {
      const manifest = h['manifest'] as { modalities: { id: string }[] };
      manifest.modalities[5]!.id = 'toString';
      (h['layers'] as { id: string }[])[5]!.id = 'toString';
    }));
    expect(layer).toMatchObject({ ok: false, error: { code: 'schema', message: 'manifest.modalities[5].id: "toString" is a reserved name (a property of every JavaScript object), not usable as a name here' } });
  });

  it('a ref twice in one result is refused', () => {
    const r = tryRestoreProject(withHeader(good, (h) => (h['gallery'] as G)[0]!.inputs.push((h['gallery'] as G)[0]!.inputs[0]!)));
    expect(r).toMatchObject({ ok: false, error: { code: 'schema', message: `gallery[0].inputs[1].ref: duplicate "${REF}"` } });
  });
});

describe('upscaled results in the document', () => {
  it('adding one is an undoable step; undo removes it, redo brings it back', () => {
    const store = new DocumentStore(createDocument(testManifest()));
    const changes: boolean[] = [];
    store.subscribe((c) => changes.push(c.recorded));
    store.apply(addUpscaledEntry(store.state, upscaled('up-1')), { history: 'record' });
    expect(store.state.upscaled.map((e) => e.id)).toEqual(['up-1']);
    expect(store.undoLabel).toBe('Upscale ×2');
    store.undo();
    expect(store.state.upscaled).toEqual([]);
    store.redo();
    expect(store.state.upscaled.map((e) => e.id)).toEqual(['up-1']);
    store.apply(removeUpscaledEntry(store.state, 'up-1'), { history: 'record' });
    expect(store.state.upscaled).toEqual([]);
    expect(changes).toEqual([true, true, true, true]);
  });

  it('refuses a duplicate id, no picture, or a layer the document has not', () => {
    const doc = createDocument(testManifest());
    doc.upscaled.push(upscaled('up-1'));
    expect(() => addUpscaledEntry(doc, upscaled('up-1'))).toThrow(CommandError);
    expect(() => addUpscaledEntry(doc, { ...upscaled('up-2'), pictures: [] })).toThrow(/without a picture/);
    expect(() => addUpscaledEntry(doc, upscaled('up-3', 1, 'tok_rgb@448'))).toThrow(/"tok_rgb@448", which this document has no layer for/);
  });

  it('pngSize reads the IHDR size and names what is wrong', () => {
    expect(pngSize(png(448, 224))).toEqual({ width: 448, height: 224 });
    expect(pngSize(new Uint8Array(40))).toBe('not a PNG file (no PNG signature)');
    const bad = png(4, 4);
    bad[12] = 0x41;
    expect(pngSize(bad)).toBe('a PNG file without its IHDR header first');
  });
});
