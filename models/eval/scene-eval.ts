/**
 * One held-out scene through the real engine: tokenizer round trips, the one-step RGB→X predictions
 * and RGB→caption (the model reads the real picture), then the generation tasks, whose pictures the
 * independent judge reads: semseg→RGB, caption→RGB, boxes→RGB and inpainting with half the RGB
 * tokens visible. Each generation score has its reference on the scene's real picture. Returns raw
 * scores per metric (caption→RGB and boxes→RGB give one verdict per object or box), the judge's
 * features for the distribution distance, and optionally the pictures for the grids.
 */
import { validateGenerationRequest, type GenerationInput, type GenerationRequest } from '../../preload/contract/generation';
import type { ImageSampling } from '../../preload/contract/sampling-defaults';
import { decodeTokens, encodeImage, generate, modalityForDomain, type EngineModel, type GeneratedOutput } from '../engine/generate';
import type { ImageModalitySpec } from '../registry';
import { serializeDet } from '../tokenizers/sequence';
import type { DecodedImage, RgbaImage } from '../tokenizers/image';
import { encodeDepthMetres } from './depth-tokens';
import { boxesImage, maskedImage, type GridColumn } from './grids';
import type { HeldoutIndex, HeldoutScene } from './heldout';
import type { Judge } from './judge';
import type { MetricKey } from './metric-table';
import {
  absRel,
  boxHits,
  delta1,
  foldObjects,
  kindColourHits,
  kindColourObjects,
  kindRecall,
  meanAngularErrorDeg,
  meanIoU,
  meanIoUBorderVoid,
  nearestVisibleFill,
  objectKindAccuracy,
  pixelAccuracy,
  psnr,
  randomKeepMask,
  regionCoherence,
  share,
  type Coherence,
} from './metrics';
import { evalRequest, inpaintExpectedCode, inpaintGreedy, oneStepGreedy, pictureFrom, sequenceGreedy, tokensInput } from './tasks';

export type SceneScores = Partial<Record<MetricKey, number[]>>;

/** The judge's features of each kind of picture, for the Fréchet distances over the whole set. */
export interface SceneFeatures {
  readonly real: Float32Array;
  readonly sem2rgb: Float32Array;
  readonly cap2rgb: Float32Array;
}

export interface ScenePictures {
  readonly sem2rgb: GridColumn;
  readonly cap2rgb: GridColumn;
  readonly box2rgb: GridColumn;
  readonly inpaint: GridColumn;
}

export interface SceneOutcome {
  readonly scores: SceneScores;
  /** The greedy RGB→caption text (deterministic, so comparable with PyTorch's word for word). */
  readonly caption: string;
  readonly features: SceneFeatures;
  readonly pictures?: ScenePictures | undefined;
}

/** Share of the RGB tokens visible to the inpainting task. */
export const INPAINT_VISIBLE = 0.5;

export interface EvalModalities {
  readonly rgb: ImageModalitySpec;
  readonly depth: ImageModalitySpec;
  readonly normal: ImageModalitySpec;
  readonly semseg: ImageModalitySpec;
  readonly caption: string;
  readonly det: string;
}

export function evalModalities(model: EngineModel): EvalModalities {
  const img = (domain: string): ImageModalitySpec => model.imageModality(modalityForDomain(model, domain).name);
  return {
    rgb: img('rgb'),
    depth: img('depth'),
    normal: img('normal'),
    semseg: img('semseg'),
    caption: modalityForDomain(model, 'caption').name,
    det: modalityForDomain(model, 'det').name,
  };
}

/** Checks that the scene set, the model and the judge agree on image size and class ids before any work. */
export function checkCompatible(model: EngineModel, index: HeldoutIndex, judge?: Judge): void {
  const { manifest } = model;
  if (manifest.imageSize !== index.size) throw new Error(`scenes are ${index.size} px, model ${manifest.id} takes ${manifest.imageSize} px`);
  index.classes.forEach((name, id) => {
    const c = manifest.classes.find((x) => x.id === id);
    if (c?.name !== name) throw new Error(`scene class ${id} is "${name}", model ${manifest.id} calls it "${c?.name ?? '(none)'}"`);
    if (judge && judge.info.classes[id] !== name) throw new Error(`scene class ${id} is "${name}", the judge calls it "${judge.info.classes[id] ?? '(none)'}"`);
  });
  if (judge && judge.info.imageSize !== index.size) throw new Error(`scenes are ${index.size} px, the judge reads ${judge.info.imageSize} px`);
}

export async function evaluateScene(
  model: EngineModel,
  judge: Judge,
  mods: EvalModalities,
  index: HeldoutIndex,
  scene: HeldoutScene,
  seed: number,
  keepPictures = false,
  /** A sweep's overrides of the picture rows' default sampling (preload/contract/sampling-defaults). */
  sampling: Partial<ImageSampling> = {},
): Promise<SceneOutcome> {
  const { manifest } = model;
  const numClasses = manifest.classes.length;
  const size = index.size;
  const background = ['sky', 'ground'].map((n) => index.classes.indexOf(n)).filter((i) => i >= 0);
  const s: SceneScores = {};
  const add = (key: MetricKey, ...values: number[]) => (s[key] ??= []).push(...values);
  const addShare = (key: MetricKey, v: number | undefined) => v !== undefined && add(key, v);
  const addCoherence = (obj: MetricKey, bg: MetricKey, c: Coherence) => {
    addShare(obj, share(c.objects));
    addShare(bg, share(c.background));
  };
  const objects = scene.meta.objects;
  const boxes = scene.meta.boxes;

  // Tokenizer round trips: the ceiling for everything generated below.
  const rgbTokens = await encodeImage(model, mods.rgb, scene.rgb);
  const rgbRoundTrip = (await decodeTokens(model, mods.rgb, rgbTokens)).rgba;
  add('tok_psnr', psnr(rgbRoundTrip, scene.rgb));
  const semTokens = await encodeImage(model, mods.semseg, classColourImage(scene.classes, size, manifest.classes));
  add('tok_sem_acc', pixelAccuracy(classMapOf(await decodeTokens(model, mods.semseg, semTokens)), scene.classes));
  const depthTokens = await encodeDepthMetres(model, mods.depth, scene.depth, size);
  add('tok_depth_absrel', absRel(depthOf(await decodeTokens(model, mods.depth, depthTokens)), scene.depth));

  const run = (inputs: Record<string, GenerationInput>, target: GenerationRequest['targets'][number]) =>
    runOne(model, evalRequest(manifest.id, inputs, target, seed), target.modality);
  const fromRgb = { [mods.rgb.name]: tokensInput(rgbTokens) };

  // RGB → X in one greedy step: the model reads the real picture.
  add('rgb2sem', meanIoU(classMapOf(imageOf(await run(fromRgb, oneStepGreedy(mods.semseg.name)))), scene.classes, numClasses));
  const depth = depthOf(imageOf(await run(fromRgb, oneStepGreedy(mods.depth.name))));
  add('rgb2depth_d1', delta1(depth, scene.depth));
  add('rgb2depth_absrel', absRel(depth, scene.depth));
  add('rgb2normal', meanAngularErrorDeg(imageOf(await run(fromRgb, oneStepGreedy(mods.normal.name))).rgba, scene.normals));
  const out = await run(fromRgb, sequenceGreedy(mods.caption));
  const caption = out.kind === 'sequence' ? out.text : '';
  const recall = kindRecall(caption, objects.map((o) => o.kind));
  if (recall !== undefined) add('rgb2cap_recall', recall);

  // The real picture through the judge: every generation row's reference.
  const real = await judge.read(scene.rgb);
  addShare('real_miou_band', finite(meanIoUBorderVoid(real.classes, scene.classes, numClasses, size)));
  add('real_miou', meanIoU(real.classes, scene.classes, numClasses));
  addShare('real_kind', objectKindAccuracy(real.classes, scene.classes, background.length));
  addCoherence('real_coh_obj', 'real_coh_bg', regionCoherence(scene.rgb, scene.classes, background));
  addCoherence('real_jcoh_obj', 'real_jcoh_bg', regionCoherence(scene.rgb, foldObjects(real.classes, background), background));
  add('real_cap_hit', ...kindColourHits(scene.rgb, real.classes, objects, index.classes, index.namedColours).map(Number));
  add('real_cap_obj', ...kindColourObjects(scene.rgb, real.classes, objects, index.classes, index.namedColours).map(Number));
  add('real_box_hit', ...boxHits(real.classes, size, boxes, index.classes).map(Number));

  // semseg → RGB: does the picture follow the layout, and is each region one colour?
  const semRgb = imageOf(await run({ [mods.semseg.name]: tokensInput(semTokens) }, pictureFrom(mods.rgb.name, 'layout', sampling))).rgba;
  const semRead = await judge.read(semRgb);
  addShare('sem2rgb_miou_band', finite(meanIoUBorderVoid(semRead.classes, scene.classes, numClasses, size)));
  add('sem2rgb_miou', meanIoU(semRead.classes, scene.classes, numClasses));
  addCoherence('sem2rgb_coh_obj', 'sem2rgb_coh_bg', regionCoherence(semRgb, scene.classes, background));

  // caption → RGB: every object the caption names must show in its colour; regions as the judge reads them.
  const capRgb = imageOf(await run({ [mods.caption]: { kind: 'text', text: scene.meta.caption } }, pictureFrom(mods.rgb.name, 'words', sampling))).rgba;
  const capRead = await judge.read(capRgb);
  add('cap2rgb_hit', ...kindColourHits(capRgb, capRead.classes, objects, index.classes, index.namedColours).map(Number));
  add('cap2rgb_obj', ...kindColourObjects(capRgb, capRead.classes, objects, index.classes, index.namedColours).map(Number));
  addCoherence('cap2rgb_coh_obj', 'cap2rgb_coh_bg', regionCoherence(capRgb, foldObjects(capRead.classes, background), background));

  // boxes → RGB: each box must hold its kind.
  const det = serializeDet(
    boxes.map((b) => ({ x0: b.box[0], y0: b.box[1], x1: b.box[2], y1: b.box[3], label: b.label })),
    { coordBins: manifest.text.coordBins },
  );
  const boxRgb = boxes.length > 0 ? imageOf(await run({ [mods.det]: { kind: 'text', text: det } }, pictureFrom(mods.rgb.name, 'layout', sampling))).rgba : undefined;
  if (boxRgb) add('box2rgb_hit', ...boxHits((await judge.read(boxRgb)).classes, size, boxes, index.classes).map(Number));

  // Inpainting: half of the real picture's tokens visible; the model against copying the nearest visible token.
  const grid = mods.rgb.grid[1];
  const keep = randomKeepMask(rgbTokens.length, INPAINT_VISIBLE, 1_000_003 * (seed + 1));
  const kept: GenerationInput = { kind: 'image-tokens', tokens: Array.from(rgbTokens), keepMask: keep };
  const filled = imageOf(await run({ [mods.rgb.name]: kept }, inpaintExpectedCode(mods.rgb.name))).rgba;
  add('inpaint_psnr', psnr(filled, scene.rgb));
  add('inpaint_greedy_psnr', psnr(imageOf(await run({ [mods.rgb.name]: kept }, inpaintGreedy(mods.rgb.name))).rgba, scene.rgb));
  add('inpaint_copy_psnr', psnr((await decodeTokens(model, mods.rgb, nearestVisibleFill(rgbTokens, keep, grid))).rgba, scene.rgb));

  const pictures: ScenePictures | undefined = keepPictures
    ? {
        sem2rgb: { condition: classColourImage(scene.classes, size, manifest.classes), generated: semRgb, real: scene.rgb },
        cap2rgb: { condition: scene.meta.caption, generated: capRgb, real: scene.rgb },
        box2rgb: { condition: boxesImage(boxes, size, (label) => classColour(manifest.classes, label)), generated: boxRgb ?? blank(size), real: scene.rgb },
        inpaint: { condition: maskedImage(scene.rgb, keep, grid), generated: filled, real: scene.rgb },
      }
    : undefined;
  return { scores: s, caption, features: { real: real.features, sem2rgb: semRead.features, cap2rgb: capRead.features }, pictures };
}

/** A layout that is all border has nothing left to score: no value rather than NaN in the mean. */
function finite(v: number): number | undefined {
  return Number.isFinite(v) ? v : undefined;
}

function classColour(classes: readonly { name: string; color: readonly [number, number, number] }[], label: string): readonly [number, number, number] {
  return classes.find((c) => c.name === label)?.color ?? [255, 255, 255];
}

function blank(size: number): RgbaImage {
  return { width: size, height: size, data: new Uint8Array(size * size * 4).fill(255) };
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
