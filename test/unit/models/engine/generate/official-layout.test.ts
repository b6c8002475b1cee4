/**
 * The editor's layers for an official model folder, from the modality table of the committed
 * 4M-21-layout fixture config (test/fixtures/official-fm): only what the folder can feed or decode.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { officialModalityTable } from '../../../../../models/engine/fm/official-modalities';
import { officialLayout, officialWorkingSize, withLayerNames, type LayoutSource } from '../../../../../models/engine/generate/official-layout';
import { parseFmConfig } from '../../../../../models/registry/checkpoint-config';
import { documentManifestFromModel } from '../../../../../renderer/src/document/fromModelManifest';
import { WordPieceTokenizer } from '../../../../../models/tokenizers/text';
import { loadFixtureTokenizer, officialSequenceTokenizerJson } from '../../tokenizers/tokenizer-fixture';

const raw = (JSON.parse(readFileSync(join(__dirname, '../../../../fixtures/official-fm/checkpoint.json'), 'utf8')) as { config: Record<string, unknown> }).config;
const parsed = parseFmConfig(raw);
if (!parsed.ok) throw new Error(parsed.error);
const config = parsed.config;
const table = officialModalityTable(config, 'fixture config');
const semseg = { layout: { labels: 134 } };
const picture = { layout: { labels: undefined } };
/** A WordPiece file with the released one's sequence words (1000 coordinate bins, COCO's 80 classes). */
const released = WordPieceTokenizer.fromJson(officialSequenceTokenizerJson());
const source = (tokenizers: Record<string, { layout: { labels: number | undefined } }>, text?: LayoutSource['text']): LayoutSource => ({ fm: { table, config }, tokenizers: new Map(Object.entries(tokenizers)), text });

/** The 4M-7-SR-layout fixture config (test/fixtures/official-fm-sr): image_size 224, predicting tok_*@448 only. */
const srRaw = (JSON.parse(readFileSync(join(__dirname, '../../../../fixtures/official-fm-sr/checkpoint.json'), 'utf8')) as { config: Record<string, unknown> }).config;
const srParsed = parseFmConfig(srRaw);
if (!srParsed.ok) throw new Error(srParsed.error);
const srFm = { table: officialModalityTable(srParsed.config, 'SR fixture config'), config: srParsed.config };

describe('officialWorkingSize', () => {
  it('the config image size for a model predicting at it; the size of the outputs for the SR model', () => {
    expect(officialWorkingSize({ table, config })).toBe(224);
    expect(srFm.config.image_size).toBe(224);
    expect(officialWorkingSize(srFm)).toBe(448);
    // Outputs at two sizes (or none) keep the config's size.
    const mixed = srFm.table.map((m) => (m.name === 'tok_rgb@224' ? { ...m, output: true } : m));
    expect(officialWorkingSize({ table: mixed, config: srFm.config })).toBe(224);
    expect(officialWorkingSize({ table: srFm.table.map((m) => ({ ...m, output: false })), config: srFm.config })).toBe(224);
  });
});

describe('officialLayout', () => {
  it('the SR model is laid out at 448 px on its 28×28 grid: RGB is the rgb@448 picture, the 224 inputs are no layers', () => {
    const layout = officialLayout('SR', { fm: srFm, tokenizers: new Map<string, object>([['tok_rgb@448', picture], ['tok_semseg@448', semseg]]), text: loadFixtureTokenizer() });
    expect(layout.imageSize).toBe(448);
    expect(layout.modalities).toEqual([
      { name: 'rgb@448', displayName: 'RGB', type: 'img', domain: 'rgb', grid: [28, 28] },
      { name: 'tok_semseg@448', displayName: 'Segmentation (COCO)', type: 'img', domain: 'semseg', grid: [28, 28] },
      // The SR model reads its caption (domains_in) but writes only tok_*@448 (domains_out).
      { name: 'caption', displayName: 'Caption', type: 'seq', domain: 'caption', output: false },
    ]);
    // Its pictures go as pixels (the 224 condition is derived from the 448 picture); other models' need not.
    expect(layout.picturesAsPixels).toBe(true);
    expect(officialLayout('m', source({})).picturesAsPixels).toBeUndefined();
    const doc = documentManifestFromModel(layout);
    expect(doc).toMatchObject({ modelId: 'SR', width: 448, height: 448, tokenRows: 28, tokenCols: 28 });
  });

  it('fm + semseg tokenizer: RGB (the pixel input) and segmentation at 224 px on 14×14, with 134 classes', () => {
    const layout = officialLayout('4M-21_B', source({ 'tok_semseg@224': semseg }));
    expect(layout.imageSize).toBe(224);
    expect(layout.modalities).toEqual([
      // tok_rgb@224 is among domains_out: RGB can be generated (without its tokenizer the host says where it goes).
      { name: 'rgb@224', displayName: 'RGB', type: 'img', domain: 'rgb', grid: [14, 14] },
      { name: 'tok_semseg@224', displayName: 'Segmentation (COCO)', type: 'img', domain: 'semseg', grid: [14, 14] },
      // 4M-21's global embeddings: picture references, read from a picture by the FM (no tokenizer needed).
      { name: 'tok_dinov2_global', displayName: 'DINOv2 reference', type: 'ref', domain: 'tok_dinov2_global' },
      { name: 'tok_imagebind_global', displayName: 'ImageBind reference', type: 'ref', domain: 'tok_imagebind_global' },
    ]);
    expect(layout.classes).toHaveLength(134);
    expect(layout.classes?.[0]).toEqual({ id: 0, name: 'void', color: [0, 0, 0] });
    // The released tokenizer's 134 classes are COCO panoptic's (id − 1), named for the brushes.
    expect([1, 17, 110, 120, 133].map((id) => layout.classes?.[id]?.name)).toEqual(['person', 'dog', 'wall (brick)', 'sky', 'rug']);
    // The renderer's mapping takes it as it takes a package manifest.
    const doc = documentManifestFromModel(layout);
    expect(doc).toMatchObject({ modelId: '4M-21_B', width: 224, height: 224, tokenRows: 14, tokenCols: 14 });
    expect(doc.modalities.map((m) => [m.id, m.kind, m.label])).toEqual([
      ['rgb@224', 'image', 'RGB'], ['tok_semseg@224', 'segmentation', 'Segmentation (COCO)'], ['tok_dinov2_global', 'reference', 'DINOv2 reference'], ['tok_imagebind_global', 'reference', 'ImageBind reference'],
    ]);
    // A reference is never assumed derived from RGB (it is set from a picture on purpose).
    expect(doc.modalities.find((m) => m.kind === 'reference')?.derivedFrom).toEqual([]);
  });

  it('no tokenizer, no layer: feature maps and 16×16 grids are left out; the caption needs the WordPiece file', () => {
    const without = officialLayout('m', source({ 'tok_depth@224': picture, 'tok_clip@224': picture, 'tok_dinov2@224': picture, 'tok_canny_edge@224': picture }));
    expect(without.modalities.map((m) => m.name)).toEqual(['rgb@224', 'tok_canny_edge@224', 'tok_depth@224', 'tok_dinov2_global', 'tok_imagebind_global']);
    expect(without.classes).toBeUndefined();
    // A WordPiece file without 4M's 1000 coordinate bins (the small fixture has 64) can only carry the caption.
    const withText = officialLayout('m', source({}, loadFixtureTokenizer()));
    expect(withText.modalities.map((m) => [m.name, m.type])).toEqual([['rgb@224', 'img'], ['caption', 'seq'], ['tok_dinov2_global', 'ref'], ['tok_imagebind_global', 'ref']]);
    expect(withText.boxLabels).toBeUndefined();
    const doc = documentManifestFromModel(officialLayout('m', source({ 'tok_canny_edge@224': picture, 'tok_depth@224': picture })));
    expect(doc.modalities.map((m) => [m.id, m.channels])).toEqual([['rgb@224', 3], ['tok_depth@224', 1], ['tok_canny_edge@224', 1], ['tok_dinov2_global', undefined], ['tok_imagebind_global', undefined]]);
  });

  it('with the released WordPiece words: boxes labelled with COCO\'s 80 classes, the colour palette and the image controls', () => {
    const layout = officialLayout('4M-21_B', source({}, released));
    expect(layout.modalities.filter((m) => m.type === 'seq')).toEqual([
      { name: 'det', displayName: 'Boxes (COCO)', type: 'seq', domain: 'det' },
      { name: 'caption', displayName: 'Caption', type: 'seq', domain: 'caption' },
      { name: 'color_palette', displayName: 'Colour palette', type: 'seq', domain: 'color_palette' },
      { name: 'metadata', displayName: 'Image controls', type: 'seq', domain: 'metadata' },
    ]);
    expect(layout.boxLabels).toHaveLength(80);
    expect(layout.boxLabels).toEqual(expect.arrayContaining(['dog', 'person', 'dining table', 'teddy bear', 'tv']));
    // The renderer makes them a boxes layer carrying the labels, a palette layer and a text layer for the
    // controls (its inspector shows them as controls), panel order RGB, boxes, caption, palette, controls.
    const doc = documentManifestFromModel(layout);
    expect(doc.modalities.map((m) => [m.id, m.kind, m.label])).toEqual([
      ['rgb@224', 'image', 'RGB'], ['det', 'boxes', 'Boxes (COCO)'], ['caption', 'text', 'Caption'], ['color_palette', 'palette', 'Colour palette'], ['metadata', 'text', 'Image controls'],
      ['tok_dinov2_global', 'reference', 'DINOv2 reference'], ['tok_imagebind_global', 'reference', 'ImageBind reference'],
    ]);
    expect(doc.modalities.find((m) => m.id === 'det')?.labels).toEqual(layout.boxLabels);
    // A model whose FM has none of them (4M-7 has no det, palette or metadata) offers none.
    const without = officialLayout('m', { fm: { table: table.filter((m) => !['det', 'color_palette', 'metadata'].includes(m.name)), config }, tokenizers: new Map(), text: released });
    expect(without.modalities.map((m) => m.name)).toEqual(['rgb@224', 'caption', 'tok_dinov2_global', 'tok_imagebind_global']);
    expect(without.boxLabels).toBeUndefined();
  });

  it('each layer says what the model cannot do with it (domains_in / domains_out); the document carries it', () => {
    // SR with the released words: RGB read and written, segmentation at 448 both, boxes and caption only read.
    const sr = officialLayout('SR', { fm: srFm, tokenizers: new Map<string, object>([['tok_rgb@448', picture], ['tok_semseg@448', semseg]]), text: released });
    expect(sr.modalities.map((m) => [m.name, m.input ?? true, m.output ?? true])).toEqual([
      ['rgb@448', true, true], ['tok_semseg@448', true, true], ['det', true, false], ['caption', true, false],
    ]);
    const doc = documentManifestFromModel(sr);
    expect(doc.modalities.map((m) => [m.id, m.canCondition ?? true, m.canGenerate ?? true])).toEqual([
      ['rgb@448', true, true], ['tok_semseg@448', true, true], ['det', true, false], ['caption', true, false],
    ]);
    // 4M-21 writes what it reads: every layer can be generated, and nothing is written for it.
    const full = officialLayout('4M-21_B', source({ 'tok_rgb@224': picture, 'tok_semseg@224': semseg }, released));
    expect(full.modalities.every((m) => m.input === undefined && m.output === undefined)).toBe(true);
    // RGB's writability is the FM's (tok_rgb@224 in domains_out), not whether the folder holds its tokenizer.
    expect(officialLayout('m', source({})).modalities[0]?.output).toBeUndefined();
    const readOnlyRgb = table.map((m) => (m.name === 'tok_rgb@224' ? { ...m, output: false } : m));
    expect(officialLayout('m', { fm: { table: readOnlyRgb, config }, tokenizers: new Map(), text: undefined }).modalities[0]).toMatchObject({ name: 'rgb@224', output: false });
    // A picture output the model does not read (only in domains_out) cannot be a condition.
    const writeOnly = table.map((m) => (m.name === 'tok_depth@224' ? { ...m, input: false } : m));
    const depth = officialLayout('m', { fm: { table: writeOnly, config }, tokenizers: new Map([['tok_depth@224', picture]]), text: undefined }).modalities.find((m) => m.name === 'tok_depth@224');
    expect(depth).toMatchObject({ input: false });
    expect(depth?.output).toBeUndefined();
  });

  it('picture references (4M-21 tok_*_global) are offered only when the FM has them; one it only predicts cannot be a condition', () => {
    const fm4m7 = { table: table.filter((m) => !m.name.endsWith('_global')), config };
    expect(officialLayout('4M-7', { fm: fm4m7, tokenizers: new Map(), text: undefined }).modalities.some((m) => m.type === 'ref')).toBe(false);
    const predictedOnly = table.filter((m) => m.name !== 'tok_imagebind_global').map((m) => (m.name === 'tok_dinov2_global' ? { ...m, input: false } : m));
    const refs = officialLayout('m', { fm: { table: predictedOnly, config }, tokenizers: new Map(), text: undefined }).modalities.filter((m) => m.type === 'ref');
    expect(refs).toEqual([{ name: 'tok_dinov2_global', displayName: 'DINOv2 reference', type: 'ref', domain: 'tok_dinov2_global', input: false }]);
  });

  it('SAM instances: the "Objects (SAM)" picture layer, only with the SAM-instance tokenizer and the WordPiece file; a condition when the FM reads sam_instance', () => {
    const samTok = { layout: { labels: undefined } };
    const withSam = (text: LayoutSource['text'], fmTable = table): ReturnType<typeof officialLayout> => officialLayout('4M-21_B', { fm: { table: fmTable, config }, tokenizers: new Map(), text, samInstance: samTok });
    const layout = withSam(released);
    const sam = layout.modalities.find((m) => m.name === 'sam_instance');
    // A picture on the canvas's grid that the model reads as text; 4M-21 reads it too (the host reads the painted masks back),
    // as many painted objects as its sequence holds with this WordPiece file (which splits "point" and "polygon": 9, not 4M's 12).
    expect(sam).toEqual({ name: 'sam_instance', displayName: 'Objects (SAM)', type: 'img', domain: 'sam_instance', grid: [14, 14], maxObjects: 9 });
    const doc = documentManifestFromModel(layout);
    const m = doc.modalities.find((x) => x.id === 'sam_instance');
    expect(m).toMatchObject({ kind: 'image', channels: 3, label: 'Objects (SAM)', derivedFrom: ['rgb@224'], maxObjects: 9 });
    expect(m?.canGenerate).toBeUndefined();
    expect(m?.canCondition).toBeUndefined();
    // An FM that writes sam_instance without reading it: generate-only.
    const writeOnly = withSam(released, table.map((x) => (x.name === 'sam_instance' ? { ...x, input: false } : x))).modalities.find((x) => x.name === 'sam_instance');
    expect(writeOnly).toMatchObject({ input: false });
    expect(writeOnly?.maxObjects).toBeUndefined();
    // Refused: no tokenizer folder, no WordPiece file, or an FM without sam_instance in domains_out.
    expect(officialLayout('m', source({}, released)).modalities.some((x) => x.name === 'sam_instance')).toBe(false);
    expect(withSam(undefined).modalities.some((x) => x.name === 'sam_instance')).toBe(false);
    expect(withSam(released, table.map((x) => (x.name === 'sam_instance' ? { ...x, output: false } : x))).modalities.some((x) => x.name === 'sam_instance')).toBe(false);
    // The editor's name in messages.
    expect(withLayerNames('sam_instance: no instance')).toBe('Objects (SAM): no instance');
  });

  it('a model with no picture layer the editor can show is refused with the reason', () => {
    const noPixels = table.filter((m) => m.name !== 'rgb@224');
    expect(() => officialLayout('bad', { fm: { table: noPixels, config }, tokenizers: new Map(), text: undefined })).toThrow(/bad: the model offers no picture layer .*rgb@224.*tokenizer folder/);
  });
});

describe('messages for a person', () => {
  it('names layers as the editor does, leaving paths alone', () => {
    expect(withLayerNames('targets: tok_rgb@224 has no tokenizer to decode it; put its tokenizer folder at /m/x/tokenizers/rgb')).toBe(
      'targets: RGB has no tokenizer to decode it; put its tokenizer folder at /m/x/tokenizers/rgb',
    );
    expect(withLayerNames('inputs.tok_semseg@224.tokens: expected 196 ids; tok_clip@224 and /m/tokenizers/tok_depth@224 stay')).toBe(
      'inputs.Segmentation (COCO).tokens: expected 196 ids; clip and /m/tokenizers/tok_depth@224 stay',
    );
    expect(withLayerNames('inputs.det: 300 tokens; targets: color_palette is also an input; /m/det/x and detail stay')).toBe(
      'inputs.Boxes (COCO): 300 tokens; targets: Colour palette is also an input; /m/det/x and detail stay',
    );
    expect(withLayerNames('inputs.metadata: 40 tokens; __metadata__ stays')).toBe('inputs.Image controls: 40 tokens; __metadata__ stays');
    expect(withLayerNames('inputs.tok_dinov2_global.tokens: expected 16 ids below 8192; tok_imagebind_global; /m/tok_dinov2_global stays')).toBe(
      'inputs.DINOv2 reference.tokens: expected 16 ids below 8192; ImageBind reference; /m/tok_dinov2_global stays',
    );
  });
});
