/**
 * The incremental (KV-cached) decoder for autoregressive targets must give the
 * same logits and the same tokens as the full decoder on the real model.
 * Needs a package with fm.decoderCache: the shipped one once it is re-exported,
 * or a scratch export named by STUDIO_MODEL_DIR, e.g.
 *   models/recipe/.venv/bin/python -m fourm_recipe.export.package --out /tmp/w4m-cached   (from models/recipe)
 *   STUDIO_MODEL_DIR=/tmp/w4m-cached npx vitest run test/unit/models/engine/decoder-cache.test.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extendsIds } from '../../../../models/engine/fm/cached-decoder';
import { sequenceQueries, sequenceStepQueries, stepMask } from '../../../../models/engine/fm/decoder-inputs';
import { generate, loadEngineModel, type EngineModel } from '../../../../models/engine/generate';
import { emptySequenceTarget, fullImageInput, fullSequenceInput, sentinel, type GenerationState } from '../../../../models/sampling';
import { MODEL_DIR, request, target, tokenGrid } from './model-fixture';

const DIR = process.env.STUDIO_MODEL_DIR ?? MODEL_DIR;
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as { fm: { decoderCache?: unknown } };
const skipReason = manifest.fm.decoderCache
  ? undefined
  : `${DIR} has no fm.decoderCache (exported before the incremental decoder); set STUDIO_MODEL_DIR to a package exported with it`;
if (skipReason) console.warn(`decoder-cache test skipped: ${skipReason}`);

/** A real eval scene's RGB tokens (the parity fixture's), so captions stop at [EOS] as in use. */
function rgbTokens(): number[] {
  const file = join(__dirname, '../../../fixtures/model/world-4m-small/parity.json');
  if (!existsSync(file)) return tokenGrid(6000);
  return (JSON.parse(readFileSync(file, 'utf8')) as { inputs: { 'tok_rgb@128': { tokens: number[] } } }).inputs['tok_rgb@128'].tokens;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

function argmax(a: Float32Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if ((a[i] as number) > (a[best] as number)) best = i;
  return best;
}

describe('step queries (pure)', () => {
  it('masks new rows causally after the cached ones', () => {
    expect(Array.from(stepMask(0, 3))).toEqual([0, 1, 1, 0, 0, 1, 0, 0, 0]);
    expect(Array.from(stepMask(2, 1))).toEqual([0, 0, 0]);
    expect(Array.from(stepMask(1, 2))).toEqual([0, 0, 1, 0, 0, 0]);
  });

  it('recognises a prefix that extends the cached ids by at least one row', () => {
    expect(extendsIds(Int32Array.of(), Int32Array.of(5))).toBe(true);
    expect(extendsIds(Int32Array.of(5, 6), Int32Array.of(5, 6, 7))).toBe(true);
    expect(extendsIds(Int32Array.of(5, 6), Int32Array.of(5, 6))).toBe(false);
    expect(extendsIds(Int32Array.of(5, 6), Int32Array.of(5, 9, 7))).toBe(false);
  });
});

describe.skipIf(skipReason !== undefined)('incremental decoder vs full decoder on the real model', () => {
  let cached: EngineModel;
  let full: EngineModel;
  beforeAll(async () => {
    cached = await loadEngineModel(DIR, { verifyHashes: false });
    full = await loadEngineModel(DIR, { verifyHashes: false, fullDecoder: true });
  }, 120_000);
  afterAll(async () => {
    await cached.release();
    await full.release();
  });

  it('builds step rows identical to the full queries', () => {
    const t = cached.runner.embeddings.modalities.get('caption');
    if (!t) throw new Error('no caption tables');
    const d = cached.runner.embeddings.dim;
    const prefix = Int32Array.of(sentinel(cached.vocab, 1), 100, 200, 300);
    const all = sequenceQueries(t, prefix, 2, d);
    const step = sequenceStepQueries(t, prefix, 3, 2, d);
    expect(Array.from(step.y.subarray(0, d))).toEqual(Array.from(all.y.subarray(3 * d, 4 * d)));
    expect(Array.from(step.y.subarray(d, 2 * d))).toEqual(Array.from(all.y.subarray(7 * d, 8 * d)));
  });

  it('gives the full decoder logits token by token, with guidance passes of different context lengths batched', async () => {
    expect(cached.runner.usesDecoderCache).toBe(true);
    expect(full.runner.usesDecoderCache).toBe(false);
    const s1 = sentinel(cached.vocab, 1);
    const cond: GenerationState = {
      'tok_rgb@128': fullImageInput(rgbTokens()),
      color_palette: fullSequenceInput(Int32Array.of(10, 11, 12), cached.vocab),
      caption: emptySequenceTarget(72, cached.vocab),
    };
    // The unconditional pass of an image-only condition has an empty encoder.
    const uncond: GenerationState = { caption: cond.caption as NonNullable<GenerationState['caption']> };
    const states = [cond, uncond];
    const ids = [s1];
    let worst = 0;
    for (let step = 0; step < 12; step++) {
      const prefix = Int32Array.from(ids);
      const a = await cached.runner.sequenceLogits(states.map((state) => ({ state, target: 'caption', prefix })));
      const b = await full.runner.sequenceLogits(states.map((state) => ({ state, target: 'caption', prefix })));
      a.forEach((logits, i) => (worst = Math.max(worst, maxAbsDiff(logits, b[i] as Float32Array))));
      expect(argmax(a[0] as Float32Array)).toBe(argmax(b[0] as Float32Array));
      ids.push(argmax(a[0] as Float32Array));
    }
    expect(worst).toBeLessThan(1e-3);
    // A prefix that does not extend the cached one (a new sequence on the same states) restarts the cache.
    const restart = Int32Array.of(s1, 400);
    const [c] = await cached.runner.sequenceLogits([{ state: cond, target: 'caption', prefix: restart }]);
    const [f] = await full.runner.sequenceLogits([{ state: cond, target: 'caption', prefix: restart }]);
    expect(maxAbsDiff(c as Float32Array, f as Float32Array)).toBeLessThan(1e-3);
  }, 120_000);

  const rgbToSequences = (temperature: number, cfgScale: number, seed: number) =>
    request(
      { 'tok_rgb@128': { kind: 'image-tokens', tokens: rgbTokens() } },
      ['caption', 'det', 'color_palette'].map((m) => target(m, 'autoregressive', 1, { temperature, cfgScale, topP: 0.9 })),
      seed,
    );

  it.each([
    ['greedy-like (temperature 0.01), no guidance', 0.01, 1, 3],
    ['seeded sampling (temperature 1), CFG 2', 1, 2, 5],
  ])('generates the same caption, boxes and palette tokens: %s', async (_, temperature, cfg, seed) => {
    const req = rgbToSequences(temperature, cfg, seed);
    const stepGraph = await cached.graph(cached.manifest.fm.decoderCache?.step ?? 'missing');
    const before = stepGraph.timing.calls;
    const a = await generate(cached, req);
    const b = await generate(full, req);
    expect(stepGraph.timing.calls).toBeGreaterThan(before);
    for (const m of ['caption', 'det', 'color_palette']) expect(Array.from(a.tokens[m] ?? []), m).toEqual(Array.from(b.tokens[m] ?? []));
  }, 180_000);
});
