/**
 * Outputs consistent with inputs, on the known synthetic scene. Needs trained
 * weights: skipped (with the reason printed) while manifest.trainingSteps is 0.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { drawScene } from '../../../../bench/scene';
import { encodeImage, generate, type EngineModel } from '../../../../models/engine/generate';
import { request, sharedModel, target, trainingSteps, UNTRAINED_REASON } from './model-fixture';

const untrained = trainingSteps() === 0;
if (untrained) console.warn(`content-consistency tests skipped: ${UNTRAINED_REASON}`);

function agreement(a: Uint8Array, b: Uint8Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

function classMapOf(img: { data: ArrayLike<number> }, classes: readonly { id: number; color: readonly number[] }[]): Uint8Array {
  const n = img.data.length / 4;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = classes.find((k) => k.color[0] === img.data[i * 4] && k.color[1] === img.data[i * 4 + 1] && k.color[2] === img.data[i * 4 + 2]);
    out[i] = c?.id ?? 255;
  }
  return out;
}

describe.skipIf(untrained)('content consistency with trained weights', () => {
  let model: EngineModel;
  beforeAll(async () => {
    model = await sharedModel();
  }, 60_000);

  it('RGB → semseg of the known scene agrees with its true class map', async () => {
    const scene = drawScene(model.manifest.imageSize, model.manifest.classes);
    const truth = classMapOf(scene.semseg, model.manifest.classes);
    const rgb = Array.from(await encodeImage(model, model.imageModality('tok_rgb@128'), scene.rgb));
    const res = await generate(model, request({ 'tok_rgb@128': { kind: 'image-tokens', tokens: rgb } }, [target('tok_semseg@128', 'roar', 1, { temperature: 0.01 })]));
    const out = res.outputs['tok_semseg@128'];
    if (out?.kind !== 'image' || !out.image.classMap) throw new Error('no class map');
    expect(agreement(out.image.classMap, truth)).toBeGreaterThan(0.8);
  }, 60_000);

  it('semseg → RGB → semseg round trip keeps the layout', async () => {
    const scene = drawScene(model.manifest.imageSize, model.manifest.classes);
    const truth = classMapOf(scene.semseg, model.manifest.classes);
    const seg = Array.from(await encodeImage(model, model.imageModality('tok_semseg@128'), scene.semseg));
    const toRgb = await generate(model, request({ 'tok_semseg@128': { kind: 'image-tokens', tokens: seg } }, [target('tok_rgb@128', 'roar', 8, { temperature: 1 })]));
    const rgb = Array.from(toRgb.tokens['tok_rgb@128'] ?? []);
    const back = await generate(model, request({ 'tok_rgb@128': { kind: 'image-tokens', tokens: rgb } }, [target('tok_semseg@128', 'roar', 1, { temperature: 0.01 })]));
    const out = back.outputs['tok_semseg@128'];
    if (out?.kind !== 'image' || !out.image.classMap) throw new Error('no class map');
    expect(agreement(out.image.classMap, truth)).toBeGreaterThan(0.7);
  }, 120_000);

  it('RGB → depth puts the sky farther than the ground at the bottom of the image', async () => {
    const scene = drawScene(model.manifest.imageSize, model.manifest.classes);
    const rgb = Array.from(await encodeImage(model, model.imageModality('tok_rgb@128'), scene.rgb));
    const res = await generate(model, request({ 'tok_rgb@128': { kind: 'image-tokens', tokens: rgb } }, [target('tok_depth@128', 'roar', 1, { temperature: 0.01 })]));
    const out = res.outputs['tok_depth@128'];
    if (out?.kind !== 'image' || !out.image.depth) throw new Error('no depth');
    const s = model.manifest.imageSize;
    const at = (x: number, y: number) => out.image.depth?.[y * s + x] as number;
    expect(at(5, 5)).toBeGreaterThan(at(5, s - 5));
  }, 60_000);
});
