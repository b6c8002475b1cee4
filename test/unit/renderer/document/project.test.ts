import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutIdentity, modelRecordOf } from '../../../../renderer/src/document/modelRecord';
import { acceptResult, addGalleryEntry, paintPixels, setBoxes, setLayerProps, setMask, setPalette, setText } from '../../../../renderer/src/document/commands';
import { createDocument } from '../../../../renderer/src/document/create';
import { MAGIC, writeContainer } from '../../../../renderer/src/document/project/container';
import { crc32 } from '../../../../renderer/src/document/project/crc32';
import { ProjectError } from '../../../../renderer/src/document/project/errors';
import { FORMAT_VERSION, migrateHeader } from '../../../../renderer/src/document/project/migrate';
import { inspectProject, restoreProject, tryRestoreProject } from '../../../../renderer/src/document/project/restore';
import { MAX_GALLERY_ENTRIES } from '../../../../renderer/src/document/project/schema';
import { saveProject } from '../../../../renderer/src/document/project/save';
import { decodeUtf8, encodeUtf8 } from '../../../../renderer/src/document/project/utf8';
import { DocumentStore } from '../../../../renderer/src/document/store';
import type { DocumentState } from '../../../../renderer/src/document/types';
import { filled, testManifest } from './fixtures';

function richDocument(width = 32, height = 32): DocumentState {
  const store = new DocumentStore(createDocument(testManifest(width, height)));
  const s = () => store.state;
  store.apply(paintPixels(s(), 'rgb', { x: 1, y: 1, w: 4, h: 3 }, Uint8Array.from({ length: 36 }, (_, i) => i * 7)), { history: 'record' });
  store.apply(paintPixels(s(), 'semseg', { x: 0, y: 0, w: 2, h: 2 }, Uint8Array.of(0, 1, 2, 255)), { history: 'record' });
  store.apply(setBoxes(s(), 'det', [{ id: 'b', x0: 0.1, y0: 0.2, x1: 0.30000000000000004, y1: 0.9, label: 'chair ✓' }]), { history: 'record' });
  store.apply(setText(s(), 'caption', 'a "quoted" caption — ünïcode 🎨'), { history: 'record' });
  store.apply(setPalette(s(), 'palette', [[255, 0, 10], [3, 4, 5]]), { history: 'record' });
  store.apply(setLayerProps(s(), 'depth', { opacity: 0.35, role: 'generate', visible: false }), { history: 'record' });
  store.apply(setMask(s(), 'depth', Uint8Array.from({ length: 16 }, (_, i) => i % 2)), { history: 'record' });
  store.apply(
    addGalleryEntry(s(), {
      id: 'g1',
      createdAt: '2026-11-26T22:00:00.000Z',
      accepted: false,
      request: { seed: 42, steps: [8, 8], nested: { cfg: 1.5, n: null, flag: true } },
      outputs: {
        depth: { content: { kind: 'image', plane: { width, height, channels: 1, data: filled(width * height, 128) } }, tokens: Int32Array.from({ length: 16 }, (_, i) => i - 3) },
        caption: { content: { kind: 'text', text: 'gen' }, tokens: Int32Array.of(-1, 2 ** 31 - 1) },
      },
    }),
    { history: 'record' },
  );
  store.apply(acceptResult(s(), 'g1', { layers: ['depth'], derivedFrom: ['rgb'] }), { history: 'record' });
  return store.state;
}

/** Rewrites the container around a new header (and keeps a valid checksum). */
function withHeader(bytes: Uint8Array, edit: (h: Record<string, unknown>) => void, version = FORMAT_VERSION): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const headerLength = view.getUint32(12, true);
  const header = JSON.parse(decodeUtf8(bytes.subarray(16, 16 + headerLength)) ?? '') as Record<string, unknown>;
  edit(header);
  return writeContainer(version, JSON.stringify(header), bytes.subarray(16 + headerLength, bytes.length - 4));
}

function errorOf(bytes: Uint8Array): ProjectError {
  const r = tryRestoreProject(bytes);
  if (r.ok) throw new Error('expected a ProjectError');
  expect(r.error).toBeInstanceOf(ProjectError);
  return r.error;
}

describe('project round trip', () => {
  it('save → restore → save is byte-identical', () => {
    const first = saveProject(richDocument());
    const second = saveProject(restoreProject(first));
    expect(second).toEqual(first);
  });

  it('restores every field', () => {
    const doc = richDocument();
    const back = restoreProject(saveProject(doc));
    for (const [id, layer] of doc.layers) {
      const got = back.layers.get(id);
      expect(got, id).toEqual(layer);
    }
    expect(back.gallery).toEqual(doc.gallery);
    expect(back.manifest).toEqual(doc.manifest);
  });

  it('an image-controls (metadata) layer is a text layer: its 4M text saves and restores as it is', () => {
    const base = testManifest();
    const manifest = { ...base, modalities: [...base.modalities, { id: 'metadata', kind: 'text' as const, label: 'Image controls' }] };
    const store = new DocumentStore(createDocument(manifest));
    store.apply(setText(store.state, 'metadata', 'v1=5 v0=2 v1=10 v0=30 v1=20 v0=2 [S_1]', 'Set Brightness'), { history: 'record' });
    const back = restoreProject(saveProject(store.state));
    expect(back.layers.get('metadata')?.content).toEqual({ kind: 'text', text: 'v1=5 v0=2 v1=10 v0=30 v1=20 v0=2 [S_1]' });
    expect(back.manifest.modalities.at(-1)).toEqual({ id: 'metadata', kind: 'text', label: 'Image controls' });
  });

  it('restores an empty document', () => {
    const bytes = saveProject(createDocument(testManifest()));
    expect(saveProject(restoreProject(bytes))).toEqual(bytes);
  });

  it('starts with the magic and the version', () => {
    const bytes = saveProject(createDocument(testManifest()));
    expect(Array.from(bytes.subarray(0, 8))).toEqual(Array.from(MAGIC));
    expect(new DataView(bytes.buffer).getUint32(8, true)).toBe(FORMAT_VERSION);
  });
});

describe('corrupt files give typed, named errors', () => {
  const good = saveProject(richDocument());

  it('wrong magic', () => {
    expect(errorOf(new Uint8Array(100)).code).toBe('magic');
    expect(errorOf(encodeUtf8('{"format":"4m-studio.project"}')).code).toBe('magic');
    expect(errorOf(new Uint8Array(0)).code).toBe('magic');
  });

  it('truncated anywhere', () => {
    for (const cut of [9, 15, 20, good.length / 2, good.length - 1]) {
      const e = errorOf(good.slice(0, Math.floor(cut)));
      expect(['truncated', 'checksum']).toContain(e.code);
    }
  });

  it('a flipped byte fails the checksum', () => {
    const bad = good.slice();
    bad[good.length - 100] = (bad[good.length - 100] ?? 0) ^ 0xff;
    expect(errorOf(bad).code).toBe('checksum');
  });

  it('bad JSON header', () => {
    const body = writeContainer(FORMAT_VERSION, '{"format": ', new Uint8Array(0));
    const e = errorOf(body);
    expect(e.code).toBe('json');
    expect(e.message).toMatch(/^header: expected JSON/);
  });

  it('invalid UTF-8 header', () => {
    const bytes = writeContainer(FORMAT_VERSION, 'xx', new Uint8Array(0));
    bytes[16] = 0xff;
    const view = new DataView(bytes.buffer);
    view.setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
    expect(errorOf(bytes).code).toBe('json');
  });

  it('wrong pixel size names the field and the expectation', () => {
    const doc = createDocument(testManifest(128, 128, 16, 16));
    const bytes = withHeader(saveProject(doc), (h) => {
      const layers = h['layers'] as { content: { pixels: { length: number } } }[];
      layers[0]!.content.pixels.length = 1000;
    });
    const e = errorOf(bytes);
    expect(e.code).toBe('size');
    expect(e.message).toBe('layers[0].content.pixels: expected 49152 bytes for 128×128 RGB, got 1000');
  });

  it('chunk past the data section', () => {
    const bytes = withHeader(good, (h) => {
      const layers = h['layers'] as { content: { pixels: { offset: number } } }[];
      layers[0]!.content.pixels.offset = 10_000_000;
    });
    expect(errorOf(bytes).message).toMatch(/^layers\[0\]\.content\.pixels: chunk .* runs past/);
  });

  it('schema errors name the path', () => {
    const e = errorOf(withHeader(good, (h) => {
      (h['layers'] as Record<string, unknown>[])[1]!['opacity'] = 'high';
    }));
    expect(e.code).toBe('schema');
    expect(e.message).toMatch(/^layers\[1\]\.opacity: /);
    expect(errorOf(withHeader(good, (h) => { h['format'] = 'zip'; })).message).toMatch(/^format: /);
    expect(errorOf(withHeader(good, (h) => { (h['layers'] as unknown[]).pop(); })).message).toMatch(/^layers: expected one per modality/);
  });

  it('class indices outside the class table', () => {
    const doc = richDocument();
    const c = doc.layers.get('semseg')?.content;
    if (c?.kind !== 'segmentation') throw new Error('fixture');
    c.plane.data[5] = 3;
    expect(errorOf(saveProject(doc)).message).toBe('layers[2].content.classes: pixel 5 has class 3, expected < 3 or 255 (unlabeled)');
  });

  it('mask values and token sizes', () => {
    const doc = richDocument();
    doc.layers.get('rgb')!.mask = filled(16, 2);
    expect(errorOf(saveProject(doc)).message).toBe('layers[0].mask: token 0 is 2, expected 0 or 1');
    const doc2 = richDocument();
    doc2.layers.get('rgb')!.tokens = { ids: new Int32Array(15), agree: true };
    expect(errorOf(saveProject(doc2)).message).toBe('layers[0].tokens.ids: expected 64 bytes (16 int32 tokens), got 60');
  });

  it('newer and unknown versions', () => {
    expect(errorOf(withHeader(good, () => {}, FORMAT_VERSION + 1)).message).toMatch(/newer than this app reads/);
    expect(errorOf(withHeader(good, () => {}, 0)).code).toBe('version');
  });

  it('never throws anything but ProjectError on random garbage', () => {
    let seed = 1;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 50; i++) {
      const bytes = good.slice();
      const flips = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < flips; k++) bytes[Math.floor(rand() * 16)] = Math.floor(rand() * 256);
      const r = tryRestoreProject(bytes);
      if (!r.ok) expect(r.error).toBeInstanceOf(ProjectError);
    }
  });
});

describe('header fuzzing with a valid checksum', () => {
  it('any byte change inside the header is a ProjectError or a valid document', () => {
    const good = saveProject(richDocument());
    const headerLength = new DataView(good.buffer).getUint32(12, true);
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 150; i++) {
      const bytes = good.slice();
      bytes[16 + Math.floor(rand() * headerLength)] = 32 + Math.floor(rand() * 95);
      new DataView(bytes.buffer).setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
      const r = tryRestoreProject(bytes);
      if (!r.ok) {
        expect(r.error).toBeInstanceOf(ProjectError);
        expect(r.error.message.length).toBeGreaterThan(5);
      }
    }
  });
});

describe('migration', () => {
  it('runs steps in order from an old version', () => {
    const steps = {
      1: (h: unknown) => ({ ...(h as object), a: 1 }),
      2: (h: unknown) => ({ ...(h as object), b: 2 }),
    };
    expect(migrateHeader(1, {}, new Uint8Array(0), steps, 3)).toEqual({ a: 1, b: 2 });
    expect(() => migrateHeader(1, {}, new Uint8Array(0), { 1: steps[1] }, 3)).toThrow(/no migration from format 2 to 3/);
  });
});

describe('the model a project was made with (format 2)', () => {
  const headerOf = (bytes: Uint8Array): Record<string, unknown> => {
    const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
    return JSON.parse(decodeUtf8(bytes.subarray(16, 16 + length)) ?? '') as Record<string, unknown>;
  };

  it('is recorded as id and layout identity, right after the format', () => {
    const h = headerOf(saveProject(richDocument()));
    expect(Object.keys(h).slice(0, 3)).toEqual(['format', 'model', 'manifest']);
    expect(h['model']).toEqual({ id: 'test-model', layout: layoutIdentity(testManifest()) });
    expect(layoutIdentity(testManifest())).toMatch(/^32x32\/4x4\/[0-9a-f]{8}$/);
  });

  it('layout identity: the canvas, grid, layers and class names count; class colours do not', () => {
    const m = testManifest();
    const same = layoutIdentity(m);
    const recoloured = { ...m, modalities: m.modalities.map((x) => (x.classes ? { ...x, classes: x.classes.map((c) => ({ ...c, color: [1, 2, 3] as [number, number, number] })) } : x)) };
    expect(layoutIdentity(recoloured)).toBe(same);
    expect(layoutIdentity({ ...m, modelId: 'other' })).toBe(same); // the id is recorded beside it
    expect(layoutIdentity(testManifest(64, 64))).not.toBe(same);
    expect(layoutIdentity({ ...m, tokenCols: 8 })).not.toBe(same);
    expect(layoutIdentity({ ...m, modalities: m.modalities.slice(1) })).not.toBe(same);
    const renamed = { ...m, modalities: m.modalities.map((x) => (x.classes ? { ...x, classes: x.classes.map((c, i) => ({ ...c, name: i === 0 ? 'water' : c.name })) } : x)) };
    expect(layoutIdentity(renamed)).not.toBe(same);
    expect(modelRecordOf(m)).toEqual({ id: 'test-model', layout: same });
  });

  it('a format-1 file (committed fixture, written by the format-1 code) opens with its model derived, layers intact, and saves as the current format', () => {
    const v1 = new Uint8Array(readFileSync(join(import.meta.dirname, '../../../fixtures/projects/format-1.4mproj')));
    expect(new DataView(v1.buffer, v1.byteOffset).getUint32(8, true)).toBe(1);
    expect(headerOf(v1)).not.toHaveProperty('model');
    const doc = restoreProject(v1);
    expect(doc.manifest).toEqual(testManifest());
    const semseg = doc.layers.get('semseg')?.content;
    expect(semseg?.kind === 'segmentation' && Array.from(semseg.plane.data.subarray(0, 2))).toEqual([0, 1]);
    expect(doc.layers.get('caption')?.content).toEqual({ kind: 'text', text: 'a format-1 project' });
    const v2 = saveProject(doc);
    expect(new DataView(v2.buffer).getUint32(8, true)).toBe(FORMAT_VERSION);
    expect(headerOf(v2)['model']).toEqual({ id: 'test-model', layout: layoutIdentity(testManifest()) });
    expect(restoreProject(v2)).toEqual(doc);
  });

  it('a record that does not describe the manifest is refused, naming the field', () => {
    const good = saveProject(richDocument());
    expect(errorOf(withHeader(good, (h) => (h['model'] = { id: 'another-model', layout: layoutIdentity(testManifest()) }))).message).toBe('model.id: "another-model" is not the manifest\'s model "test-model"');
    expect(errorOf(withHeader(good, (h) => (h['model'] = { id: 'test-model', layout: '1x1/1x1/00000000' }))).message).toMatch(/^model\.layout: "1x1\/1x1\/00000000" does not match the manifest's layers \(32x32\/4x4\/[0-9a-f]{8}\)$/);
    expect(errorOf(withHeader(good, (h) => delete h['model'])).message).toMatch(/^model: /);
  });
});

describe('utf8', () => {
  it('round-trips and rejects malformed input', () => {
    const text = 'aé€😀\u0000';
    expect(decodeUtf8(encodeUtf8(text))).toBe(text);
    expect(Array.from(encodeUtf8(text))).toEqual(Array.from(Buffer.from(text, 'utf8')));
    expect(decodeUtf8(Uint8Array.of(0xc0, 0x80))).toBeNull();
    expect(decodeUtf8(Uint8Array.of(0xe2, 0x82))).toBeNull();
    expect(decodeUtf8(Uint8Array.of(0xed, 0xa0, 0x80))).toBeNull();
  });
});

describe('files that would explode when opened', () => {
  const good = saveProject(richDocument());
  type Entry = { id: string; outputs: { layer: string; content: { pixels?: { offset: number; length: number } } }[] };

  it('a gallery pointing many times at one pixel chunk restores one shared copy', () => {
    const bytes = withHeader(good, (h) => {
      const gallery = h['gallery'] as Entry[];
      const first = gallery[0]!;
      for (let i = 1; i < 500; i++) gallery.push({ ...first, id: `copy-${i}` });
    });
    const doc = restoreProject(bytes);
    expect(doc.gallery).toHaveLength(500);
    const planes = new Set(doc.gallery.map((e) => (e.outputs['depth']?.content.kind === 'image' ? e.outputs['depth'].content.plane.data : undefined)));
    expect(planes.size).toBe(1); // one decoded copy for 500 references
    const tokens = new Set(doc.gallery.map((e) => e.outputs['depth']?.tokens));
    expect(tokens.size).toBe(1);
    // The layer that accepted it has its own copy: layers are edited in place.
    const layer = doc.layers.get('depth')!.content;
    expect(layer.kind === 'image' && planes.has(layer.plane.data)).toBe(false);
  });

  it('chunks that overlap (one picture referenced at shifted offsets) are refused before any copy', () => {
    const bytes = withHeader(good, (h) => {
      const gallery = h['gallery'] as Entry[];
      const first = gallery[0]!;
      const pixels = first.outputs.find((o) => o.layer === 'depth')!.content.pixels!;
      for (let i = 1; i < 200; i++) {
        gallery.push({ ...first, id: `shift-${i}`, outputs: [{ ...first.outputs[0]!, layer: 'depth', content: { ...first.outputs[0]!.content, pixels: { offset: pixels.offset - i, length: pixels.length } } }] });
      }
    });
    expect(errorOf(bytes)).toMatchObject({ code: 'size', message: expect.stringMatching(/^chunks overlap: the header points at \d+ bytes of distinct data but the file holds \d+/) });
  });

  it(`more than ${MAX_GALLERY_ENTRIES} gallery entries are refused`, () => {
    const bytes = withHeader(good, (h) => {
      const gallery = h['gallery'] as Entry[];
      for (let i = 1; i <= MAX_GALLERY_ENTRIES; i++) gallery.push({ ...gallery[0]!, id: `e${i}` });
    });
    expect(errorOf(bytes).message).toMatch(/^gallery: /);
  });

  it('inspectProject runs every check but the pixels, without restoring', () => {
    expect(() => inspectProject(good)).not.toThrow();
    const overlapping = withHeader(good, (h) => {
      const layers = h['layers'] as { content: { pixels?: { offset: number } } }[];
      const rgb = layers[0]!.content.pixels!;
      (h['layers'] as { content: unknown }[])[1]!.content = { kind: 'image', pixels: { ...layers[0]!.content.pixels, offset: rgb.offset + 1 } };
    });
    expect(() => inspectProject(overlapping)).toThrow(/chunks overlap|expected/);
    expect(() => inspectProject(Uint8Array.of(1, 2, 3))).toThrow(ProjectError);
  });
});
