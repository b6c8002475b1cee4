/**
 * Image controls (4M-21's metadata) on the command line: `--in metadata=brightness=128 …` binned as
 * the editor bins them, refused with the editor's messages, and `--out metadata=` read back into
 * values that go in again as the same bins; run end to end on the official 4M-21-layout fixture
 * folder with the WordPiece file that holds 4M's sequence words (v0…v3=0…999, COCO's classes).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadataFromArg, metadataFromValues, readableMetadata } from '../../../../models/cli/metadata';
import { serializeMetadata } from '../../../../preload/contract/metadata';
import { writeOfficialFolder } from '../engine/fm/official-fixture';
import { officialSequenceTokenizerJson } from '../tokenizers/tokenizer-fixture';
import { runCli } from './run-cli';

const FLAG = '--in metadata';

describe('--in metadata=<name=value …>', () => {
  it('takes 4M names, the editor\'s labels or a unique start of one, in the form\'s units; levels by name or index', () => {
    const text = serializeMetadata({ brightness: 128, aesthetic_score: 2, n_humans: 2 });
    expect(text).toBe('v1=5 v0=2 v1=10 v0=24 v1=20 v0=2 [S_1]');
    expect(metadataFromArg('brightness=128 aesthetic=high people=2', FLAG)).toBe(text);
    expect(metadataFromArg('n_humans=2,aesthetic_score=2, Brightness=128', FLAG)).toBe(text);
    expect(metadataFromArg('original-width=640 colourfulness=75 watermark=none', FLAG)).toBe(serializeMetadata({ original_width: 640, colorfulness: 75, watermark_score: 0 }));
    // 4M's own text goes on as written (the host-side check reads it).
    expect(metadataFromArg('v1=10 v0=24 [S_1]', FLAG)).toBe('v1=10 v0=24 [S_1]');
  });

  it('refuses unknown or ambiguous names, values out of range, wrong levels and repeats, with the editor\'s messages', () => {
    expect(() => metadataFromArg('sparkle=3', FLAG)).toThrow(/^--in metadata: "sparkle" is not a metadata property 4M knows \(original_width, original_height, /);
    expect(() => metadataFromArg('brightness=300', FLAG)).toThrow('--in metadata: Brightness: 300 is outside 0…255');
    expect(() => metadataFromArg('people=2.5', FLAG)).toThrow('--in metadata: People: 2.5 is not a whole number');
    expect(() => metadataFromArg('aesthetic=superb', FLAG)).toThrow('--in metadata: Aesthetic score: "superb" is not a number (or low, mid, high)');
    expect(() => metadataFromArg('aesthetic=3', FLAG)).toThrow('--in metadata: Aesthetic score: 3 is outside a level 0…2 (low, mid, high)');
    expect(() => metadataFromArg('caption=3', FLAG)).toThrow('--in metadata: "caption" could be caption_n_chars, caption_n_words, caption_n_sentences; give more of the name');
    expect(() => metadataFromArg('people=2 n_humans=3', FLAG)).toThrow('--in metadata: People is given twice');
    expect(() => metadataFromArg('bright', FLAG)).toThrow('--in metadata: "bright": expected <property>=<value>');
    expect(() => metadataFromValues({ brightness: [1] }, FLAG)).toThrow('--in metadata: Brightness: expected a number, got [1]');
  });

  it('generated text reads back as values (the middle of each bin) that bin again to the same text', () => {
    const read = readableMetadata('v1=20 v0=2 v1=10 v0=24 v1=5 v0=3 v1=0 v0=20 v1=30 v0=1');
    expect(read.values).toEqual({ original_width: 640, n_humans: 3, brightness: 127.5, aesthetic_score: 'high' });
    expect(read.shown).toEqual({ 'Original width (px)': '640–671 px', People: '3', Brightness: '≈ 128', 'Aesthetic score': 'high' });
    expect(read.dropped).toEqual([{ text: 'v1=30 v0=1', reason: 'v1=30 is not a property 4M knows (v1=0…v1=20)' }]);
    expect(metadataFromValues(read.values, FLAG)).toBe('v1=0 v0=20 v1=5 v0=3 v1=10 v0=24 v1=20 v0=2 [S_1]');
  });
});

describe('4m generate with image controls on an official 4M-21-layout folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'official-metadata-'));
  const model = join(root, '4M-21-fixture');
  beforeAll(() => {
    const wordpiece = join(root, 'wordpiece.json');
    writeFileSync(wordpiece, JSON.stringify(officialSequenceTokenizerJson()));
    writeOfficialFolder(model, [], wordpiece);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('controls go in as name=value or the JSON --out metadata= wrote; generated controls come out as readable JSON', async () => {
    const out = join(root, 'controls.json');
    const r = await runCli(['generate', '--model', model, '--in', 'metadata=brightness=128 aesthetic=high people=2', '--out', `caption=${join(root, 'c.txt')}`, '--quiet', '--seed', '3']);
    expect(r).toMatchObject({ code: 0, err: '' });
    const back = await runCli(['generate', '--model', model, '--in', 'caption=a dog on the grass', '--out', `metadata=${out}`, '--quiet']);
    expect(back).toMatchObject({ code: 0, err: '' });
    const written = JSON.parse(readFileSync(out, 'utf8')) as { text: string; values: Record<string, unknown>; shown: Record<string, string>; dropped: unknown[] };
    expect(typeof written.text).toBe('string');
    expect(Object.keys(written)).toEqual(['text', 'values', 'shown', 'dropped']);
    // Random weights write noise, so the file --in reads back is one in the same form with real controls.
    const controls = join(root, 'controls-in.json');
    writeFileSync(controls, JSON.stringify(readableMetadata('v1=10 v0=24 v1=20 v0=2 [S_1]')));
    expect(await runCli(['generate', '--model', model, '--in', `controls=${controls}`, '--out', `caption=${join(root, 'c2.txt')}`, '--quiet'])).toMatchObject({ code: 0, err: '' });
    writeFileSync(controls, JSON.stringify({ values: { brightness: 256 } }));
    expect(await runCli(['generate', '--model', model, '--in', `controls=${controls}`, '--out', `caption=${join(root, 'c2.txt')}`, '--quiet']))
      .toMatchObject({ code: 2, err: `4m: --in controls (${controls}): Brightness: 256 is outside 0…255\n` });
  }, 120_000);

  it('refuses out-of-range controls and boxes before the model runs, naming the flag and the box', async () => {
    const caption = `caption=${join(root, 'x.txt')}`;
    const cases: [string, string][] = [
      ['metadata=brightness=300', '4m: --in metadata: Brightness: 300 is outside 0…255\n'],
      ['metadata=v1=10 v0=50', '4m: --in metadata: "v1=10 v0=50": Brightness takes v0=0…v0=49\n'],
      ['det=v0=10 v1=20 v2=1200 v3=400 dog', '4m: --in det: box 1 "v0=10 v1=20 v2=1200 v3=400 dog": x1 v2=1200 is outside 0…999\n'],
      ['boxes=v0=700 v1=20 v2=300 v3=400 dog', '4m: --in boxes: box 1 "v0=700 v1=20 v2=300 v3=400 dog": x0 (v0=700) is right of x1 (v2=300); give the top-left corner first\n'],
      ['det=v0=-1 v1=20 v2=300 v3=400 dog', '4m: --in det: "v0=-1" is not a box coordinate 4M writes (v0…v3 = 0…999: x0 y0 x1 y1)\n'],
    ];
    for (const [input, err] of cases) expect(await runCli(['generate', '--model', model, '--in', input, '--out', caption, '--quiet'])).toMatchObject({ code: 2, err });
    const swapped = join(root, 'swapped.json');
    writeFileSync(swapped, JSON.stringify([{ x0: 0.8, y0: 0.1, x1: 0.2, y1: 0.5, label: 'dog' }]));
    expect(await runCli(['generate', '--model', model, '--in', `boxes=${swapped}`, '--out', caption, '--quiet']))
      .toMatchObject({ code: 2, err: `4m: ${swapped}: boxes[0]: x0 0.8 is right of x1 0.2 (give the top-left corner as x0, y0)\n` });
  }, 120_000);
});
