import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDocument } from '../../../../renderer/src/document/create';
import { documentManifestFromModel } from '../../../../renderer/src/document/fromModelManifest';

const zoo = new URL('../../../../models/zoo/world-4m-small/manifest.json', import.meta.url);

const minimal = {
  id: 'm',
  imageSize: 64,
  modalities: [
    { name: 'caption', type: 'seq', domain: 'caption' },
    { name: 'tok_semseg', type: 'img', domain: 'semseg', grid: [4, 8] },
    { name: 'tok_rgb', type: 'img', domain: 'rgb', grid: [4, 8] },
    { name: 'tok_depth', type: 'img', domain: 'depth', grid: [4, 8] },
    { name: 'tok_clip', type: 'img', domain: 'clip', grid: [4, 8] },
    { name: 'sam_instance', type: 'img', domain: 'sam_instance', grid: [4, 8] },
  ],
  classes: [{ id: 1, name: 'b', color: [1, 2, 3] }, { id: 0, name: 'a', color: [0, 0, 0] }],
};

describe('documentManifestFromModel', () => {
  it('maps domains to layer kinds in panel order', () => {
    const m = documentManifestFromModel(minimal);
    expect(m.modalities.map((x) => [x.id, x.kind, x.channels])).toEqual([
      ['tok_rgb', 'image', 3],
      ['tok_depth', 'image', 1],
      ['tok_semseg', 'segmentation', undefined],
      // Objects (SAM) after the segmentation; a domain the list does not know comes last.
      ['sam_instance', 'image', 3],
      ['caption', 'text', undefined],
      ['tok_clip', 'image', 3],
    ]);
    expect(m.tokenRows).toBe(4);
    expect(m.tokenCols).toBe(8);
    expect(m.modalities[2]?.classes?.map((c) => c.name)).toEqual(['a', 'b']);
    expect(m.modalities[1]?.derivedFrom).toEqual(['tok_rgb']);
  });

  it('rejects mixed grids and bad input', () => {
    const mixed = { ...minimal, modalities: [...minimal.modalities, { name: 'x', type: 'img', domain: 'edge', grid: [2, 2] }] };
    expect(() => documentManifestFromModel(mixed)).toThrow(/one token grid/);
    expect(() => documentManifestFromModel({ id: 'm' })).toThrow(/model manifest: imageSize/);
  });

  it.runIf(existsSync(zoo))('reads the shipped default model', () => {
    const m = documentManifestFromModel(JSON.parse(readFileSync(zoo, 'utf8')));
    expect(m.width).toBe(128);
    expect(m.tokenCols * m.tokenRows).toBe(256);
    const doc = createDocument(m);
    expect(doc.layers.size).toBe(8);
  });
});
