/**
 * One held-out scene through the real engine: tokenizer round trips, the
 * one-step RGB→X predictions, semseg→RGB and caption→RGB judged by the
 * model's own RGB→semseg, and RGB→caption. Returns the raw scores per metric
 * (caption→RGB gives one verdict per named object, as in the recipe).
 */
import { validateGenerationRequest, type GenerationInput, type GenerationRequest } from '../../preload/contract/generation';
import { decodeTokens, encodeImage, generate, modalityForDomain, type EngineModel, type GeneratedOutput } from '../engine/generate';
import type { ImageModalitySpec } from '../registry';
import type { DecodedImage, RgbaImage } from '../tokenizers/image';
import { encodeDepthMetres } from './depth-tokens';
import type { HeldoutIndex, HeldoutScene } from './heldout';
import type { MetricKey } from './metric-table';
import { absRel, delta1, kindColourHits, kindRecall, meanAngularErrorDeg, meanIoU, pixelAccuracy, psnr } from './metrics';
import { evalRequest, oneStepGreedy, roarGuided, sequenceGreedy, tokensInput } from './tasks';

export type SceneScores = Partial<Record<MetricKey, number[]>>;

export interface SceneOutcome {
  readonly scores: SceneScores;
  /** The greedy RGB→caption text (deterministic, so comparable with PyTorch's word for word). */
  readonly caption: string;
}

export interface EvalModalities {
  readonly rgb: ImageModalitySpec;
  readonly depth: ImageModalitySpec;
  readonly normal: ImageModalitySpec;
  readonly semseg: ImageModalitySpec;
  readonly caption: string;
}

export function evalModalities(model: EngineModel): EvalModalities {
  const img = (domain: string): ImageModalitySpec => model.imageModality(modalityForDomain(model, domain).name);
  return { rgb: img('rgb'), depth: img('depth'), normal: img('normal'), semseg: img('semseg'), caption: modalityForDomain(model, 'caption').name };
}

/** Checks that the scene set and the model agree on image size and class ids before any work. */
export function checkCompatible(model: EngineModel, index: HeldoutIndex): void {
  const { manifest } = model;
  if (manifest.imageSize !== index.size) throw new Error(`scenes are ${index.size} px, model ${manifest.id} takes ${manifest.imageSize} px`);
  index.classes.forEach((name, id) => {
    const c = manifest.classes.find((x) => x.id === id);
    if (c?.name !== name) throw new Error(`scene class ${id} is "${name}", model ${manifest.id} calls it "${c?.name ?? '(none)'}"`);
  });
}

export async function evaluateScene(model: EngineModel, mods: EvalModalities, index: HeldoutIndex, scene: HeldoutScene, seed: number): Promise<SceneOutcome> {
  const { manifest } = model;
  const numClasses = manifest.classes.length;
  const s: SceneScores = {};
  const add = (key: MetricKey, ...values: number[]) => (s[key] ??= []).push(...values);

  // Tokenizer round trips: the ceiling for everything generated below.
  const rgbTokens = await encodeImage(model, mods.rgb, scene.rgb);
  const rgbRoundTrip = (await decodeTokens(model, mods.rgb, rgbTokens)).rgba;
  add('tok_psnr', psnr(rgbRoundTrip, scene.rgb));
  const semTokens = await encodeImage(model, mods.semseg, classColourImage(scene.classes, index.size, manifest.classes));
  add('tok_sem_acc', pixelAccuracy(classMapOf(await decodeTokens(model, mods.semseg, semTokens)), scene.classes));
  const depthTokens = await encodeDepthMetres(model, mods.depth, scene.depth, index.size);
  add('tok_depth_absrel', absRel(depthOf(await decodeTokens(model, mods.depth, depthTokens)), scene.depth));

  const run = (inputs: Record<string, GenerationInput>, target: GenerationRequest['targets'][number]) =>
    runOne(model, evalRequest(manifest.id, inputs, target, seed), target.modality);
  const fromRgb = { [mods.rgb.name]: tokensInput(rgbTokens) };
  const semsegOf = async (tokens: ArrayLike<number>) => classMapOf(imageOf(await run({ [mods.rgb.name]: tokensInput(tokens) }, oneStepGreedy(mods.semseg.name))));

  // RGB → X in one greedy step.
  const predictedClasses = classMapOf(imageOf(await run(fromRgb, oneStepGreedy(mods.semseg.name))));
  add('rgb2sem', meanIoU(predictedClasses, scene.classes, numClasses));
  const depth = depthOf(imageOf(await run(fromRgb, oneStepGreedy(mods.depth.name))));
  add('rgb2depth_d1', delta1(depth, scene.depth));
  add('rgb2depth_absrel', absRel(depth, scene.depth));
  add('rgb2normal', meanAngularErrorDeg(imageOf(await run(fromRgb, oneStepGreedy(mods.normal.name))).rgba, scene.normals));

  // semseg → RGB, judged by the model's own RGB → semseg against the true layout.
  const toRgb = await run({ [mods.semseg.name]: tokensInput(semTokens) }, roarGuided(mods.rgb.name));
  add('sem2rgb_miou', meanIoU(await semsegOf(toRgb.tokens), scene.classes, numClasses));

  // caption → RGB: every object the caption names must show in its colour.
  const capRgb = await run({ [mods.caption]: { kind: 'text', text: scene.meta.caption } }, roarGuided(mods.rgb.name));
  const back = await semsegOf(capRgb.tokens);
  add('cap2rgb_hit', ...kindColourHits(imageOf(capRgb).rgba, back, scene.meta.objects, index.classes, index.namedColours).map(Number));
  // The same judge on the scene's own picture: how much of the caption it can find at best.
  add('cap2rgb_judge', ...kindColourHits(rgbRoundTrip, predictedClasses, scene.meta.objects, index.classes, index.namedColours).map(Number));

  // RGB → caption: which object kinds the text names.
  const out = await run(fromRgb, sequenceGreedy(mods.caption));
  const caption = out.kind === 'sequence' ? out.text : '';
  const recall = kindRecall(caption, scene.meta.objects.map((o) => o.kind));
  if (recall !== undefined) add('rgb2cap_recall', recall);
  return { scores: s, caption };
}

async function runOne(model: EngineModel, draft: GenerationRequest, target: string): Promise<GeneratedOutput> {
  const checked = validateGenerationRequest(draft);
  if (!checked.ok) throw new Error(`evaluation request: ${checked.errors[0]}`);
  const res = await generate(model, checked.request);
  const out = res.outputs[target];
  if (!out) throw new Error(`generate gave no ${target}`);
  return out;
}

function imageOf(out: GeneratedOutput): DecodedImage {
  if (out.kind !== 'image') throw new Error(`${out.modality}: expected an image output`);
  return out.image;
}

function classMapOf(img: DecodedImage): Uint8Array {
  if (!img.classMap) throw new Error(`${img.domain}: decoded without a class map`);
  return img.classMap;
}

function depthOf(img: DecodedImage): Float32Array {
  if (!img.depth) throw new Error(`${img.domain}: decoded without metric depth`);
  return img.depth;
}

/** Class ids → the manifest's class colours (the semseg input convention the tokenizer path reads). */
export function classColourImage(ids: Uint8Array, size: number, classes: readonly { id: number; color: readonly [number, number, number] }[]): RgbaImage {
  const data = new Uint8Array(size * size * 4);
  const colour = new Map(classes.map((c) => [c.id, c.color]));
  ids.forEach((id, i) => data.set([...(colour.get(id) ?? [0, 0, 0]), 255], i * 4));
  return { width: size, height: size, data };
}
