import type { GeneratedModality, GenerationVariation, UpscaleJobRequest } from '../../../preload/contract/generation-jobs';
import { generateOfficial, type OfficialModel } from '../../../models/engine/generate/official-model';
import { officialLayerName, withLayerNames } from '../../../models/engine/generate/official-layout';
import { officialTargetOf, toOfficialRequest } from '../../../models/engine/generate/official-request';
import { SR_ORDER, SR_SAMPLING, upscaleOfficial, type UpscaleSource } from '../../../models/engine/generate/official-upscale';
import { checkOfficialSequenceInput } from '../../../models/engine/generate/official-sequence';
import { withSamConditionText } from '../../../models/engine/generate/official-sam-condition';
import { RequestError } from '../../../models/engine/generate/request-state';
import type { GenerationRequest } from '../../../preload/contract/generation';
import { fullImageInput, fullSequenceInput, type ModalityState } from '../../../models/sampling';
import { pixelsResolver, wireImage, wireSequence, type GenerateRunner, type UpscaleRunner } from './generate-runner';
import { JobCancelledError } from './runner';
import { isReferenceModality } from '../../../preload/contract/reference';

/**
 * Runs 'generate' jobs on an official 4M model folder (engine/generate/official-model.ts): the
 * editor's layer ids become FM modalities (official-request.ts), variations run one after the
 * other (generateOfficial runs one seed), each step is reported as progress over the whole job,
 * and results come back under the layer ids in the document's conventions. Boxes and palettes
 * are checked first (box labels the model knows, sequence lengths) and refused with the layer's
 * name and what to change. SAM instances (4M-21's sam_instance, decoded by the SAM-instance tokenizer)
 * come back as a picture of the masks, the "Objects (SAM)" layer, and that picture goes back in as a
 * condition, read into sam_instance text (official-sam-condition.ts). A picture reference (4M-21's tok_*_global) comes back as its tokens; any
 * other result without a picture or text (a tokenizer that cannot decode yet) is an error naming the
 * layer, not a blank.
 */
export function officialRunner(currentModel: () => Promise<OfficialModel>): GenerateRunner {
  return async (job, context) => {
    const model = await currentModel();
    const { requests: asked, layerOf } = toOfficialRequest(job.request, model.fm.table);
    if (asked[0]) checkSequenceInputs(model, asked[0]);
    const resolvePixels = pixelsResolver(job.images);
    // The Objects (SAM) layer as a condition comes as its picture: read into sam_instance text once for every variation.
    const requests = await withSamConditionText(model, asked, resolvePixels);
    const variations: GenerationVariation[] = [];
    for (const [v, request] of requests.entries()) {
      const steps = new StepCount(request.targets.map((t) => ({ modality: t.modality, steps: t.scheme === 'autoregressive' ? (t.maxTokens ?? model.fm.modality(t.modality).maxTokens) : t.steps })));
      let result;
      try {
        result = await generateOfficial(model, request, {
          resolvePixels,
          signal: context.signal,
          onStep: (e) => context.progress(v, ...steps.at(e.target, e.step, e.totalSteps)),
        });
      } catch (error) {
        if (context.signal.aborted) throw new JobCancelledError('Generation was cancelled');
        if (error instanceof Error) error.message = withLayerNames(error.message);
        throw error;
      }
      const outputs: Record<string, GeneratedModality> = {};
      for (const [name, out] of Object.entries(result.outputs)) {
        const layer = layerOf.get(name) ?? name;
        const tokens = Array.from(out.tokens);
        if (out.image) outputs[layer] = { kind: 'image', tokens, ...wireImage(out.image) };
        // SAM instances come back as the picture the layer keeps: the masks painted over the tokenizer's seeded palette (none found: a black picture).
        else if (out.samInstances) outputs[layer] = { kind: 'image', tokens, raster: samRaster(out.samInstances.rgba) };
        else if (out.text !== undefined) outputs[layer] = wireSequence(tokens, out.text, out.boxes, out.palette);
        else if (isReferenceModality(name)) outputs[layer] = { kind: 'tokens', tokens };
        else throw new Error(`${layer}: the model produced tokens but cannot turn them into ${model.fm.modality(name).kind === 'sequence' ? 'text (no WordPiece file in the model folder)' : 'a picture'}`);
      }
      variations.push({ seed: result.seed, outputs });
    }
    return variations;
  };
}

/** The painted masks as the wire carries a picture (RGBA8 base64; the editor keeps RGB, so transparent reads as black). */
function samRaster(rgba: { width: number; height: number; data: Uint8Array }): { width: number; height: number; rgba: string } {
  return { width: rgba.width, height: rgba.height, rgba: Buffer.from(rgba.data.buffer, rgba.data.byteOffset, rgba.data.byteLength).toString('base64') };
}

const CHECKED_SEQUENCES: ReadonlySet<string> = new Set(['det', 'color_palette', 'metadata']);

/** The editor's boxes, palette and image controls, as the text it sent, against the model's words, bins and lengths. */
export function checkSequenceInputs(model: Pick<OfficialModel, 'fm' | 'text'>, request: GenerationRequest): void {
  if (!model.text) return;
  for (const [name, input] of Object.entries(request.inputs)) {
    if (input.kind !== 'text' || !CHECKED_SEQUENCES.has(name)) continue;
    checkOfficialSequenceInput(model.text, name, input.text, model.fm.modality(name).positions, officialLayerName(name));
  }
}

/**
 * The host's "Upscale ×2 (SR model)" step ('upscale' jobs, preload/contract/generation-jobs.ts): the
 * result of a generate job on the current official model goes, with its request and pixels, to 4M's
 * super-resolution model (`srModel(id)`: an installed official folder such as 4M-7-SR_L_CC12M), which
 * generates tok_X@448 for each requested layer and decodes it at 448 px with its own tokenizer folders
 * (engine/generate/official-upscale.ts). Progress runs over the SR targets' steps; the answer is one
 * variation (seed + 1) with each upscaled layer under its layer id. Errors name the SR folder and the
 * layer in the editor's names.
 */
export function officialUpscaleRunner(currentModel: () => Promise<OfficialModel>, srModel: (id: string) => Promise<OfficialModel>): UpscaleRunner {
  return async (job, context) => {
    const model = await currentModel();
    try {
      const { source, layerOf, wanted } = upscaleSource(model, job);
      const sr = await srModel(job.srModelId);
      const resolvePixels = pixelsResolver(job.images);
      // The SR targets run in the demo's order (SR_ORDER), each SR_SAMPLING.steps MaskGIT steps.
      const order = (name: string): number => SR_ORDER.indexOf(name.replace(/^tok_/, '').replace(/@\d+$/, ''));
      const steps = new StepCount([...wanted].sort((a, b) => order(a) - order(b)).map((modality) => ({ modality: modality.replace(/@\d+$/, '@448'), steps: SR_SAMPLING.steps })));
      const res = await upscaleOfficial(sr, source, wanted, {
        resolvePixels,
        signal: context.signal,
        onStep: (e) => context.progress(0, ...steps.at(e.target, e.step, e.totalSteps)),
      });
      const outputs: Record<string, GeneratedModality> = {};
      for (const [name, out] of Object.entries(res.outputs)) {
        const layer = layerOf.get(name) ?? name;
        if (!out.image) throw new Error(`${layer}: the super-resolution model produced tokens but its tokenizer gave no picture`);
        outputs[layer] = { kind: 'image', tokens: Array.from(out.tokens), ...wireImage(out.image) };
      }
      return [{ seed: res.seed, outputs }];
    } catch (error) {
      if (context.signal.aborted) throw new JobCancelledError('Upscaling was cancelled');
      if (error instanceof Error) error.message = withLayerNames(error.message);
      throw error;
    }
  };
}

/**
 * The 224 result of a generate job as the SR step reads it: the request's inputs (token grids,
 * text through the model's WordPiece file, pictures by ref) and the result's outputs, all fully
 * visible, under FM modality names; `wanted` are the layers to upscale as FM modalities.
 */
export function upscaleSource(model: OfficialModel, job: UpscaleJobRequest): { source: UpscaleSource; layerOf: ReadonlyMap<string, string>; wanted: string[] } {
  const { table } = model.fm;
  const [request] = toOfficialRequest({ ...job.request, variations: 1 }, table).requests;
  if (!request) throw new RequestError('request: nothing to upscale');
  const { vocab } = model.fm;
  const states: Record<string, ModalityState> = {};
  const pixels: Record<string, string> = {};
  for (const [name, input] of Object.entries(request.inputs)) {
    if (input.kind === 'image-pixels') pixels[name] = input.ref;
    else if (input.kind === 'image-tokens') states[name] = fullImageInput(input.tokens);
    else if (input.kind === 'sequence-tokens') states[name] = fullSequenceInput(input.tokens, vocab);
    else if (model.text) states[name] = fullSequenceInput(model.text.encode(input.text), vocab);
  }
  const layerOf = new Map<string, string>();
  for (const [layer, out] of Object.entries(job.result.outputs)) {
    const name = officialTargetOf(table, layer);
    layerOf.set(name, layer);
    // Picture references ('tokens') are token grids like pictures; the SR model leaves out what it does not read.
    states[name] = out.kind === 'sequence' ? fullSequenceInput(out.tokens, vocab) : fullImageInput(out.tokens);
  }
  const wanted = job.layers.map((layer) => {
    const name = officialTargetOf(table, layer);
    layerOf.set(name, layer);
    return name;
  });
  return { source: { seed: job.result.seed, states, pixels }, layerOf, wanted };
}

/**
 * Steps done and total over a chain of targets: each target's own step count as the sampler
 * reports it (an autoregressive caption may stop early at [EOS]; its planned length counts).
 */
export class StepCount {
  constructor(private readonly targets: readonly { modality: string; steps: number }[]) {}

  at(target: string, step: number, totalSteps: number): [done: number, total: number] {
    const i = this.targets.findIndex((t) => t.modality === target);
    let before = 0;
    for (let k = 0; k < Math.max(0, i); k++) before += this.targets[k]?.steps ?? 0;
    let total = 0;
    this.targets.forEach((t, k) => (total += k === i ? totalSteps : t.steps));
    return [Math.min(before + step, Math.max(1, total)), Math.max(1, total)];
  }
}
