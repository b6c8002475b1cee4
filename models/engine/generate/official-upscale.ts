/**
 * Upscaling a 224 px result ×2 with 4M's super-resolution model (`EPFL-VILAB/4M-7-SR_L_CC12M`, an
 * official model folder whose FM reads the 224 modalities and predicts tok_*@448 on a 28×28 grid),
 * as 4M's demo does it (reference §3.7):
 *
 * 1. conditions: every modality of the 224 result the SR model reads (caption, det, rgb@224 pixels,
 *    tok_*@224 tokens), fully visible; a caption or boxes that came out empty become `[S_1]` the way
 *    the demo's `custom_text('[S_1]')` does;
 * 2. targets: tok_X@448 for each requested tok_X@224 of the result, in the demo's order (clip, depth,
 *    normal, semseg, rgb), each MaskGIT over 784 cells, 8 cosine steps, temperature 1, guidance 2
 *    over the conditions (growing with each finished target), top-p 0.8 (DEFAULTS_SR);
 * 3. the seed is the 224 result's seed + 1;
 * 4. the 448 tokens are decoded by the SR folder's tokenizers (the same official tokenizers, opened
 *    at 448 px: tokenizers/<domain>/ beside the SR fm/).
 *
 * Every problem is an UpscaleError naming the SR folder and the modality.
 */
import { join } from 'node:path';
import type { GenerationInput, GenerationRequest, TargetRequest } from '../../../preload/contract/generation';
import type { ModalityState } from '../../sampling';
import type { OfficialModality } from '../fm/official-modalities';
import { generateOfficial, OFFICIAL_TOKENIZERS_DIR, type OfficialGenerateOptions, type OfficialModel, type OfficialOutput } from './official-model';
import { officialDomain } from './official-layout';

export class UpscaleError extends Error {
  override name = 'UpscaleError';
}

/** The demo's super-resolution settings (fourm/demo_4M_sampler.py DEFAULTS_SR, top-p of its forward). */
export const SR_SAMPLING: Omit<TargetRequest, 'modality'> = {
  scheme: 'maskgit', steps: 8, tokenSchedule: 'cosine', temperature: 1, temperatureSchedule: 'constant', cfgScale: 2, topK: 0, topP: 0.8,
};

/** The demo's super-resolution chain order (DEFAULT_ORDER_SR), by domain. */
export const SR_ORDER: readonly string[] = ['clip', 'depth', 'normal', 'semseg', 'rgb'];

/** A 224 result: its seed and the final state of every modality (inputs and generated targets), by FM name. */
export interface UpscaleSource {
  readonly seed: number;
  readonly states: Readonly<Record<string, ModalityState>>;
  /** Pixel inputs of the 224 request (rgb@224 → its image ref), which the SR model reads too. */
  readonly pixels?: Readonly<Record<string, string>>;
}

/** The SR model's tok_X@448 for a tok_X@224 (or any tok_X@N) name. */
function upscaledName(name: string, sr: OfficialModel): OfficialModality | undefined {
  const domain = officialDomain(name);
  return sr.fm.table.find((m) => m.kind === 'image-tokens' && m.output && officialDomain(m.name) === domain && (m.grid?.[0] ?? 0) * m.patchSize > (sizeOf(name) ?? Infinity));
}

const sizeOf = (name: string): number | undefined => {
  const at = /@(\d+)$/.exec(name);
  return at ? Number(at[1]) : undefined;
};

/**
 * Which SR target upscales each of `wanted` (224 image-token modalities of the result): throws an
 * UpscaleError naming the SR folder and the modality when the SR model cannot upscale one, or
 * has no tokenizer folder to decode the result. Pure: callable before the 224 run, to fail fast.
 */
export function upscaleTargets(sr: OfficialModel, wanted: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const outputs = sr.fm.table.filter((m) => m.output).map((m) => m.name).join(', ');
  for (const name of wanted) {
    if (!/^tok_/.test(name)) {
      throw new UpscaleError(`${sr.dir}: the SR model upscales token grids (tok_*@224); "${name}" is ${name.startsWith('rgb@') ? 'a picture given as pixels, which gives no tok_rgb@224 to upscale (generate RGB to upscale it)' : 'not one'}`);
    }
    const target = upscaledName(name, sr);
    if (!target) throw new UpscaleError(`${sr.dir}: the SR model cannot upscale ${name}: it predicts no tok_${officialDomain(name)}@448 (its outputs: ${outputs})`);
    const input = sr.fm.table.find((m) => m.name === name);
    if (!input?.input) throw new UpscaleError(`${sr.dir}: the SR model cannot upscale ${name}: it does not read it (${sr.fm.configSource} domains_in)`);
    if (!sr.tokenizers.has(target.name)) {
      throw new UpscaleError(`${sr.dir}: ${target.name} has no tokenizer to decode it at ${(target.grid?.[0] ?? 0) * target.patchSize} px; put its tokenizer folder (config.json + model.safetensors) at ${join(sr.dir, OFFICIAL_TOKENIZERS_DIR, officialDomain(name))}`);
    }
    out.set(name, target.name);
  }
  return out;
}

/** The visible ids of a sequence state up to (not including) its first [EOS]; undefined when it ends there. */
function visibleText(s: ModalityState, eos: number): number[] {
  const ids: number[] = [];
  for (let i = 0; i < s.tokens.length && s.inputMask[i] === 0; i++) {
    if (s.tokens[i] === eos) break;
    ids.push(s.tokens[i] as number);
  }
  return ids;
}

/** The SR request for a 224 result (what the demo builds), and which SR target upscales which modality. */
export function upscaleRequest(sr: OfficialModel, source: UpscaleSource, wanted: readonly string[]): { request: GenerationRequest; targets: Map<string, string> } {
  const targets = upscaleTargets(sr, wanted);
  for (const name of targets.keys()) {
    const s = source.states[name];
    if (!s || s.kind !== 'image' || s.inputMask.some((v) => v !== 0)) {
      const pixels = Object.keys(source.pixels ?? {}).find((p) => officialDomain(p) === officialDomain(name));
      throw new UpscaleError(`${sr.dir}: the 224 result has no complete ${name} to upscale${pixels ? ` (${pixels} went in as pixels, which gives no ${name}; the reference notes the same)` : ''}`);
    }
  }
  const { vocab } = sr.fm;
  const inputs: Record<string, GenerationInput> = {};
  for (const m of sr.fm.table) {
    if (!m.input) continue;
    const ref = source.pixels?.[m.name];
    if (m.kind === 'image-pixels') {
      if (ref) inputs[m.name] = { kind: 'image-pixels', ref };
      continue;
    }
    const s = source.states[m.name];
    if (!s) continue;
    if (m.kind === 'image-tokens' && s.kind === 'image' && s.inputMask.every((v) => v === 0)) {
      inputs[m.name] = { kind: 'image-tokens', tokens: Array.from(s.tokens) };
    } else if (m.kind === 'sequence' && s.kind === 'sequence') {
      const ids = visibleText(s, vocab.eos);
      // The demo replaces a sequence that is only [EOS] with custom_text('[S_1]'), which as a full
      // input is [S_1] [S_1] [PAD]×48 [EOS], all visible.
      const s1 = vocab.sentinels[1] as number;
      inputs[m.name] = { kind: 'sequence-tokens', tokens: ids.length > 0 ? ids : [s1, s1, ...new Array<number>(48).fill(vocab.pad)] };
    }
  }
  const order = (name: string): number => SR_ORDER.indexOf(officialDomain(name));
  const request: GenerationRequest = {
    version: 1,
    modelId: `official:${sr.dir}`.slice(0, 256),
    seed: source.seed + 1,
    inputs,
    targets: [...targets.values()].sort((a, b) => order(a) - order(b)).map((modality) => ({ modality, ...SR_SAMPLING })),
    cfgGrowConditioning: true,
  };
  return { request, targets };
}

export interface UpscaleResult {
  readonly seed: number;
  /** By the 224 modality it upscales: the tok_X@448 output, decoded at 448 px. */
  readonly outputs: Record<string, OfficialOutput>;
  readonly request: GenerationRequest;
}

/** Upscales the `wanted` tok_*@224 modalities of a 224 result ×2 with the SR model. */
export async function upscaleOfficial(sr: OfficialModel, source: UpscaleSource, wanted: readonly string[], options: OfficialGenerateOptions = {}): Promise<UpscaleResult> {
  const { request, targets } = upscaleRequest(sr, source, wanted);
  const res = await generateOfficial(sr, request, options);
  const outputs: Record<string, OfficialOutput> = {};
  for (const [from, to] of targets) {
    const o = res.outputs[to];
    if (o) outputs[from] = o;
  }
  return { seed: res.seed, outputs, request };
}
