import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOfficialDetLabels, officialDetClasses, officialSequenceText, readOfficialSequence } from '../../../../../models/engine/generate/official-sequence';
import { WordPieceTokenizer } from '../../../../../models/tokenizers/text';

// A small vocabulary with 4M's layout: [PAD]=0 … [EOS]=3, sentinels, v0=…, COCO names, all added tokens special.
const text = WordPieceTokenizer.fromJson(JSON.parse(readFileSync(join(__dirname, '../../../../fixtures/tokenizers/wordpiece-4m-small.tokenizer.json'), 'utf8')));

describe('official sequence text', () => {
  it('keeps class names and coordinates (special in 4M\'s file) and drops [PAD], [EOS] and sentinels', () => {
    const ids = [...text.encode('[S_1] a dog on the grass v0=0 v1=12 [S_2]'), 3, 0, 0];
    // The old decode dropped every special token: "a on the grass".
    expect(text.decode(ids, { skipSpecial: true })).toBe('a on the grass');
    expect(officialSequenceText(text, ids)).toBe('a dog on the grass v0=0 v1=12');
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
