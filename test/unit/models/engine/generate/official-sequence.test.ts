import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkOfficialDetLabels, checkOfficialSequenceInput, officialDetClasses, officialSamMaxObjects, officialSequenceSupport, readOfficialSequence, unknownDetLabel,
} from '../../../../../models/engine/generate/official-sequence';
import { serializeSamInstances } from '../../../../../models/tokenizers/sequence/sam-instance';
import { SAM_CONDITION_MAX_OBJECTS } from '../../../../../preload/contract/sam-painting';
import { sequenceWordsText } from '../../../../../models/engine/generate/sequence-words';
import { serializeColorPalette, serializeDet } from '../../../../../models/tokenizers/sequence';
import { parseMetadata } from '../../../../../preload/contract/metadata';
import { WordPieceTokenizer } from '../../../../../models/tokenizers/text';
import { officialSequenceTokenizerJson } from '../../tokenizers/tokenizer-fixture';

// A small vocabulary with 4M's layout: [PAD]=0 … [EOS]=3, sentinels, v0=…, COCO names, all added tokens special.
const text = WordPieceTokenizer.fromJson(JSON.parse(readFileSync(join(__dirname, '../../../../fixtures/tokenizers/wordpiece-4m-small.tokenizer.json'), 'utf8')));

describe('official sequence text', () => {
  it('keeps class names and coordinates (special in 4M\'s file) and drops [PAD], [EOS] and sentinels', () => {
    const ids = [...text.encode('[S_1] a dog on the grass v0=0 v1=12 [S_2]'), 3, 0, 0];
    // The old decode dropped every special token: "a on the grass".
    expect(text.decode(ids, { skipSpecial: true })).toBe('a on the grass');
    expect(sequenceWordsText(text, ids)).toBe('a dog on the grass v0=0 v1=12');
  });

  it('det: boxes from the words, labels checked against the file\'s class names', () => {
    const classes = officialDetClasses(text);
    expect(classes).toContain('dog');
    expect(classes).toContain('dining table');
    expect(classes.some((c) => c.startsWith('v0=') || c.startsWith('['))).toBe(false);
    const ids = [...text.encode('v0=0 v1=12 v2=20 v3=30 dog'), 3];
    const out = readOfficialSequence(text, 'det', ids);
    expect(out.boxes?.boxes).toEqual([{ x0: 0, y0: 12 / 999, x1: 20 / 999, y1: 30 / 999, label: 'dog' }]);
    expect(() => checkOfficialDetLabels([{ x0: 0, y0: 0, x1: 1, y1: 1, label: 'Dog' }], classes, 'boxes.json')).not.toThrow();
    expect(() => checkOfficialDetLabels([{ x0: 0, y0: 0, x1: 1, y1: 1, label: 'table' }], classes, 'boxes.json'))
      .toThrow('boxes.json: boxes[0].label "table" is not a class this model knows as a box label (did you mean "dining table"?)');
  });
});

describe('which sequence layers a WordPiece file can carry', () => {
  const released = WordPieceTokenizer.fromJson(officialSequenceTokenizerJson());

  it('the released words (v0…v3=0…999, COCO\'s 80 classes) carry boxes with those labels, palettes and metadata', () => {
    const support = officialSequenceSupport(released);
    expect(support.palette).toBe(true);
    expect(support.metadata).toBe(true);
    expect(support.boxLabels).toHaveLength(80);
    expect(support.boxLabels).toContain('hair drier');
  });

  it('a file with 64 coordinate bins carries neither: 4M\'s 1000-bin coordinates would be split into word pieces', () => {
    expect(officialSequenceSupport(text)).toEqual({ palette: false, metadata: false });
  });

  it('unknown labels get a hint; known ones (any case or spacing) pass', () => {
    const classes = officialDetClasses(released);
    expect(unknownDetLabel(' Dining   Table ', classes)).toBeUndefined();
    expect(unknownDetLabel('table', classes)).toBe('did you mean "dining table"?');
    expect(unknownDetLabel('unicorn', classes)).toMatch(/^its 80 classes include "/);
  });

  it('the editor\'s boxes and palettes are checked in the layer\'s name before they reach the model', () => {
    const box = (label: string, k = 0) => ({ x0: (k % 10) / 10, y0: Math.floor(k / 10) / 10, x1: (k % 10) / 10 + 0.05, y1: Math.floor(k / 10) / 10 + 0.05, label });
    const det = (boxes: ReturnType<typeof box>[]) => serializeDet(boxes, { coordBins: 1000 });
    expect(() => checkOfficialSequenceInput(released, 'det', det([box('dog'), box('teddy bear', 1)]), 256, 'Boxes (COCO)')).not.toThrow();
    expect(() => checkOfficialSequenceInput(released, 'det', det([box('dog'), box('table', 1)]), 256, 'Boxes (COCO)'))
      .toThrow('Boxes (COCO): "table" is not a box label this model knows (did you mean "dining table"?); pick one of its 80 classes');
    // Five tokens a box (four coordinates and one class word): 51 boxes and the end mark fill 256 positions.
    expect(() => checkOfficialSequenceInput(released, 'det', det(Array.from({ length: 51 }, (_, k) => box('dog', k))), 256, 'Boxes (COCO)')).not.toThrow();
    expect(() => checkOfficialSequenceInput(released, 'det', det(Array.from({ length: 52 }, (_, k) => box('dog', k))), 256, 'Boxes (COCO)'))
      .toThrow('Boxes (COCO): 52 boxes are 261 tokens with the end mark; the model reads at most 256 (about 51 boxes): remove some boxes');
    const colours = (n: number) => Array.from({ length: n }, (_, k) => [k * 30, 0, 255] as [number, number, number]);
    expect(() => checkOfficialSequenceInput(released, 'color_palette', serializeColorPalette(colours(7), { coordBins: 1000 }), 23, 'Colour palette')).not.toThrow();
    expect(() => checkOfficialSequenceInput(released, 'color_palette', `v1=7 ${colours(8).flat().map((c) => `v0=${c}`).join(' ')}`, 23, 'Colour palette'))
      .toThrow('Colour palette: a palette holds 1 to 7 colours; remove some swatches');
    expect(() => checkOfficialSequenceInput(released, 'caption', 'anything at all', 256, 'Caption')).not.toThrow();
  });

  it('typed boxes outside 0…999, with a negative or fifth coordinate, swapped corners or no label are refused naming the box', () => {
    const check = (det: string) => () => checkOfficialSequenceInput(released, 'det', det, 256, 'Boxes (COCO)');
    expect(check('v0=10 v1=20 v2=300 v3=400 dog v0=0 v1=0 v2=999 v3=999 dining table')).not.toThrow();
    expect(check('v0=10 v1=20 v2=300 v3=400 dog v0=10 v1=20 v2=1200 v3=400 cat'))
      .toThrow('Boxes (COCO): box 2 "v0=10 v1=20 v2=1200 v3=400 cat": x1 v2=1200 is outside 0…999');
    expect(check('v0=700 v1=20 v2=300 v3=400 dog')).toThrow('Boxes (COCO): box 1 "v0=700 v1=20 v2=300 v3=400 dog": x0 (v0=700) is right of x1 (v2=300); give the top-left corner first');
    expect(check('v0=10 v1=500 v2=300 v3=400 dog')).toThrow('Boxes (COCO): box 1 "v0=10 v1=500 v2=300 v3=400 dog": y0 (v1=500) is below y1 (v3=400); give the top-left corner first');
    expect(check('v0=-5 v1=20 v2=300 v3=400 dog')).toThrow('Boxes (COCO): "v0=-5" is not a box coordinate 4M writes (v0…v3 = 0…999: x0 y0 x1 y1)');
    expect(check('v0=5 v1=20 v2=300 v3=400 v4=3 dog')).toThrow('Boxes (COCO): "v4=3" is not a box coordinate 4M writes');
    expect(check('v0=5 v1=20 v2=300 dog')).toThrow('Boxes (COCO): "v0=5 v1=20 v2=300 dog": incomplete box: 3 of 4 coordinates');
    expect(check('v0=5 v1=20 v2=300 v3=400')).toThrow('Boxes (COCO): "v0=5 v1=20 v2=300 v3=400": box without a class label');
  });

  it('image controls (metadata): each chunk one word pair, unknown properties and values outside their bins refused', () => {
    // v1=10 (brightness) v0=24, v1=20 (aesthetic) v0=2 and the sentinel: five tokens, each one word of the file.
    expect(released.encode('v1=10 v0=24 v1=20 v0=2 [S_1]')).toHaveLength(5);
    expect(() => checkOfficialSequenceInput(released, 'metadata', 'v1=10 v0=24 v1=20 v0=2 [S_1]', 40, 'Image controls')).not.toThrow();
    expect(() => checkOfficialSequenceInput(released, 'metadata', 'v1=10 v0=24 v1=21 v0=2 [S_1]', 40, 'Image controls'))
      .toThrow('Image controls: "v1=21 v0=2": v1=21 is not a property 4M knows (v1=0…v1=20)');
    expect(() => checkOfficialSequenceInput(released, 'metadata', 'v1=10 v0=50', 40, 'Image controls')).toThrow('Image controls: "v1=10 v0=50": Brightness takes v0=0…v0=49');
    expect(() => checkOfficialSequenceInput(released, 'metadata', 'v1=10 v0=5 bright', 40, 'Image controls')).toThrow('Image controls: "bright": not a v1=<property> token');
    expect(() => checkOfficialSequenceInput(released, 'metadata', 'v1=10 v0=5 v1=11 v0=5', 4, 'Image controls')).toThrow('Image controls: 5 tokens with the end mark; the model reads at most 4: set fewer controls');
  });

  it('generated metadata reads back in words without sentinels, and into the form\'s bins', () => {
    const words = readOfficialSequence(released, 'metadata', [...released.encode('[S_1] v1=20 v0=2 v1=10 v0=24 [S_2]'), 3]).text;
    expect(words).toBe('v1=20 v0=2 v1=10 v0=24');
    expect(parseMetadata(words)).toEqual({ bins: { aesthetic_score: 2, brightness: 24 }, dropped: [] });
  });
});

describe('how many painted objects sam_instance holds', () => {
  /** `n` flat-painted objects as the host writes them: a query point of its own each, its box and 16 mask tokens (some past 512, on v1). */
  const objects = (n: number): string =>
    serializeSamInstances(Array.from({ length: n }, (_, k) => ({ y: 10 + k, x: 20 + k, instances: [{ box: { xmin: k, ymin: k, xmax: k + 30, ymax: k + 40 }, tokens: Array.from({ length: 16 }, (_, i) => (i * 97 + k) % 1024) }] })));
  const check = (t: WordPieceTokenizer, n: number): void => checkOfficialSequenceInput(t, 'sam_instance', objects(n), 290, 'Objects (SAM)');

  it('with 4M\'s words (point and polygon one token each, as in the released file): 12 objects, the editor\'s default', () => {
    const json = officialSequenceTokenizerJson() as { added_tokens: { id: number; content: string }[] } & Record<string, unknown>;
    let id = Math.max(...json.added_tokens.map((t) => t.id)) + 1;
    for (const content of ['point', 'polygon', 'none']) json.added_tokens.push({ id: id++, content, single_word: true, lstrip: false, rstrip: false, normalized: false, special: true } as never);
    const released = WordPieceTokenizer.fromJson(json);
    const most = officialSamMaxObjects(released, 290);
    expect(most).toBe(SAM_CONDITION_MAX_OBJECTS);
    // The host's own check agrees: the limit goes in, one more is refused.
    expect(() => check(released, most)).not.toThrow();
    expect(() => check(released, most + 1)).toThrow(/^Objects \(SAM\): 13 objects .* the model reads at most 290 \(about 12 objects\): give fewer objects/);
  });

  it('with a file that splits those words into pieces (the test fixture), fewer: what its sequence holds', () => {
    const released = WordPieceTokenizer.fromJson(officialSequenceTokenizerJson());
    const most = officialSamMaxObjects(released, 290);
    expect(most).toBeLessThan(SAM_CONDITION_MAX_OBJECTS);
    expect(() => check(released, most)).not.toThrow();
    expect(() => check(released, most + 1)).toThrow(/give fewer objects/);
  });
});
