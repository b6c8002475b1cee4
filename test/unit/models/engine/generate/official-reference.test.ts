/**
 * Picture references on the 4M-21-layout official fixture (test/fixtures/official-fm, random
 * weights, both global modalities): the FM reads a picture's 16 tok_dinov2_global tokens (checked
 * against the argmax of the FM's own logits computed directly through its runner, and against the
 * official GenerationSampler's greedy reading: test/fixtures/official-fm-reference), the tokens go
 * back in as a condition and change what is generated, and bad ids are refused naming the input.
 * The CLI's --in / --out dinov2_global= run on the same folder.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_SAMPLING } from '../../../../../preload/contract/reference';
import type { GenerationRequest } from '../../../../../preload/contract/generation';
import { normalizeRgb } from '../../../../../models/engine/fm/pixel-input';
import { generateOfficial, loadOfficialModel, type OfficialModel } from '../../../../../models/engine/generate/official-model';
import { readPictureReference, referenceReadingRequest } from '../../../../../models/engine/generate/official-reference';
import { emptyImageTarget, fullImageInput } from '../../../../../models/sampling';
import { hashedPicture, writeOfficialCheckpoint, writeOfficialFolder } from '../fm/official-fixture';
import { officialSequenceTokenizerJson } from '../../tokenizers/tokenizer-fixture';
import { runCli } from '../../cli/run-cli';

const picture = (seed: string) => {
  const p = hashedPicture(seed);
  return { width: p.width, height: p.height, data: p.data };
};

describe('picture references (tok_dinov2_global, tok_imagebind_global) on the official fixture', () => {
  const root = mkdtempSync(join(tmpdir(), 'official-reference-'));
  const dir = join(root, '4M-21-fixture');
  let model: OfficialModel;
  beforeAll(async () => {
    mkdirSync(join(dir, 'fm'), { recursive: true });
    writeOfficialCheckpoint(join(dir, 'fm'));
    model = await loadOfficialModel(dir, { providers: ['cpu'], intraOpThreads: 1 });
  }, 300_000);
  afterAll(async () => {
    await model?.release();
    rmSync(root, { recursive: true, force: true });
  });

  it('the FM reads a picture in one step: greedy, the tokens are the argmax of its logits for all 16 cells', async () => {
    const img = picture('reference picture');
    const request = referenceReadingRequest(model.fm.table, 224, 'tok_dinov2_global', 3);
    expect(request.targets[0]).toMatchObject({ modality: 'tok_dinov2_global', ...REFERENCE_SAMPLING });
    expect(Object.keys(request.inputs)).toEqual(['rgb@224']);
    // Near-zero temperature and no top-p: what the one step picks is the argmax of each cell.
    const greedy: GenerationRequest = { ...request, targets: [{ ...request.targets[0]!, temperature: 1e-9, topP: 0 }] };
    const res = await generateOfficial(model, greedy, { resolvePixels: async () => img });
    const got = Array.from(res.outputs.tok_dinov2_global?.tokens ?? []);
    expect(res.outputs.tok_dinov2_global?.image).toBeUndefined();

    // Independently: the picture's patches, all 16 cells queried at once through the runner, argmax per row.
    const cells = model.fm.setPicture('rgb@224', normalizeRgb(img, 224));
    const state = { 'rgb@224': fullImageInput(cells), tok_dinov2_global: emptyImageTarget(16) };
    const [logits] = await model.fm.runner.imageLogits([{ state, target: 'tok_dinov2_global', positions: Int32Array.from({ length: 16 }, (_, i) => i) }]);
    const V = model.fm.modality('tok_dinov2_global').vocabSize;
    const argmax = Array.from({ length: 16 }, (_, r) => {
      const row = (logits as Float32Array).subarray(r * V, (r + 1) * V);
      let best = 0;
      for (let k = 1; k < V; k++) if ((row[k] as number) > (row[best] as number)) best = k;
      return best;
    });
    expect(V).toBe(8192);
    expect(got).toEqual(argmax);

    // The default recipe (T 0.1, top-p 0.8) gives 16 ids in range, the same for the same seed.
    const a = await readPictureReference(model, 'tok_dinov2_global', img, 5);
    const b = await readPictureReference(model, 'tok_dinov2_global', img, 5);
    expect(a).toHaveLength(16);
    expect(Array.from(a).every((v) => v >= 0 && v < 8192)).toBe(true);
    expect(Array.from(a)).toEqual(Array.from(b));
    const ib = await readPictureReference(model, 'tok_imagebind_global', img, 5);
    expect(ib).toHaveLength(16);
  }, 120_000);

  it('the same reading as the official GenerationSampler at temperature 0, for both global modalities', async () => {
    // test/fixtures/official-fm-reference: the official code on the same weights and picture (fm_reference_fixture.py).
    const ref = JSON.parse(readFileSync(join(__dirname, '../../../../fixtures/official-fm-reference/reference.json'), 'utf8')) as { ids: Record<string, number[]> };
    const img = hashedPicture();
    for (const target of ['tok_dinov2_global', 'tok_imagebind_global']) {
      const request = referenceReadingRequest(model.fm.table, 224, target, 0);
      const greedy: GenerationRequest = { ...request, targets: [{ ...request.targets[0]!, temperature: 1e-9 }] };
      const res = await generateOfficial(model, greedy, { resolvePixels: async () => img });
      expect(Array.from(res.outputs[target]?.tokens ?? [])).toEqual(ref.ids[target]);
    }
  }, 120_000);

  it('given tokens are a condition: a request with the reference differs from one without', async () => {
    const ref = await readPictureReference(model, 'tok_dinov2_global', picture('steering picture'), 0);
    const target = { modality: 'tok_imagebind_global', ...REFERENCE_SAMPLING, temperature: 1e-9, topP: 0 };
    const base: GenerationRequest = { version: 1, modelId: 'm', seed: 1, inputs: {}, targets: [target], cfgGrowConditioning: true };
    const withRef: GenerationRequest = { ...base, inputs: { tok_dinov2_global: { kind: 'image-tokens', tokens: Array.from(ref) } } };
    const run = async (r: GenerationRequest) => Array.from((await generateOfficial(model, r)).outputs.tok_imagebind_global?.tokens ?? []);
    const [none, given] = [await run(base), await run(withRef)];
    expect(given).toHaveLength(16);
    expect(given).not.toEqual(none);
  }, 120_000);

  it('wrong token counts and ids out of range are refused naming the input', async () => {
    const target = { modality: 'tok_imagebind_global', ...REFERENCE_SAMPLING };
    const req = (tokens: number[]): GenerationRequest => ({ version: 1, modelId: 'm', seed: 0, inputs: { tok_dinov2_global: { kind: 'image-tokens', tokens } }, targets: [target], cfgGrowConditioning: true });
    await expect(generateOfficial(model, req(new Array(15).fill(1)))).rejects.toThrow(/inputs\.tok_dinov2_global\.tokens: expected 16 ids below 8192/);
    await expect(generateOfficial(model, req([...new Array(15).fill(1), 8192]))).rejects.toThrow(/inputs\.tok_dinov2_global\.tokens: expected 16 ids below 8192/);
    expect(() => referenceReadingRequest(model.fm.table, 224, 'tok_dinov2@224', 0)).toThrow(/not a picture reference/);
  });

  it('4m generate: --in dinov2_global=<picture> reads it first (said on stderr), --out writes the 16 ids, which read back in', async () => {
    const png = join(root, 'ref.png');
    const img = hashedPicture('cli reference');
    await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 4 } }).png().toFile(png);
    const tokens = join(root, 'tokens.json');
    const read = await runCli(['generate', '--model', dir, '--in', `rgb=${png}`, '--out', `dinov2_global=${tokens}`, '--seed', '2', '--quiet']);
    expect(read.err).toBe('');
    expect(read.code).toBe(0);
    const written = JSON.parse(readFileSync(tokens, 'utf8')) as { modality: string; tokens: number[] };
    expect(written.modality).toBe('tok_dinov2_global');
    expect(written.tokens).toHaveLength(16);

    // The picture given as the reference is read with the FM first, then steers the ImageBind prediction.
    const out1 = join(root, 'ib1.json');
    const viaPicture = await runCli(['generate', '--model', dir, '--in', `dinov2_global=${png}`, '--out', `imagebind_global=${out1}`, '--seed', '2']);
    expect(viaPicture.code).toBe(0);
    expect(viaPicture.err).toMatch(/read tok_dinov2_global from .*ref\.png with the FM \(ROAR 1 step \(linear\), T 0\.1, top-p 0\.8, guidance 1\) in \d+ ms: 16 tokens/);
    // The same tokens from the file give the same result (the reading uses the seed as the --out did).
    const out2 = join(root, 'ib2.json');
    const viaFile = await runCli(['generate', '--model', dir, '--in', `dinov2_global=${tokens}`, '--out', `imagebind_global=${out2}`, '--seed', '2', '--quiet']);
    expect(viaFile.err).toBe('');
    expect(viaFile.code).toBe(0);
    expect(JSON.parse(readFileSync(out2, 'utf8'))).toEqual(JSON.parse(readFileSync(out1, 'utf8')));
  }, 180_000);

  it('4m generate --in dinov2_global=<picture> --in caption=… --out rgb=…: read first, then a picture generated with it and the caption, decoded', async () => {
    // A second folder with the RGB DiVAE and a WordPiece file (the fixture FM's, random weights).
    const full = join(root, '4M-21-rgb');
    const wordpiece = join(root, 'wordpiece.json');
    writeFileSync(wordpiece, JSON.stringify(officialSequenceTokenizerJson()));
    writeOfficialFolder(full, ['rgb'], wordpiece);
    const png = join(root, 'ref-rgb.png');
    const img = hashedPicture('cli reference for rgb');
    await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 4 } }).png().toFile(png);
    const out = join(root, 'out.png');
    const r = await runCli(['generate', '--model', full, '--in', `dinov2_global=${png}`, '--in', 'caption=a dog on the grass', '--out', `rgb=${out}`, '--steps', '2', '--decode-steps', '2', '--seed', '4']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/read tok_dinov2_global from .*ref-rgb\.png with the FM/);
    expect(r.out).toMatch(/generated tok_rgb@224 in \d+ ms/);
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([224, 224]);
  }, 300_000);

  it('4m generate refuses a tokens file of the wrong length or with ids out of range, naming the file', async () => {
    const short = join(root, 'short.json');
    writeFileSync(short, JSON.stringify({ tokens: new Array(15).fill(3) }));
    const big = join(root, 'big.json');
    writeFileSync(big, JSON.stringify([...new Array(15).fill(3), 9000]));
    const out = join(root, 'x.json');
    const a = await runCli(['generate', '--model', dir, '--in', `dinov2_global=${short}`, '--out', `imagebind_global=${out}`, '--quiet']);
    expect(a.code).not.toBe(0);
    expect(a.err).toContain(`${short}: not a tok_dinov2_global reference: expected 16 token ids, got 15`);
    const b = await runCli(['generate', '--model', dir, '--in', `imagebind_global=${big}`, '--out', `dinov2_global=${out}`, '--quiet']);
    expect(b.code).not.toBe(0);
    expect(b.err).toContain(`${big}: not a tok_imagebind_global reference: token 16 is 9000, not an id in 0…8191`);
  }, 60_000);
});
