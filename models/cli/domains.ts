/**
 * CLI names for modalities (what users type: rgb, depth, normals, boxes…)
 * mapped to the model's modality names, and per-target default settings
 * adapted from 4M's demo defaults (reference §3.6) to a 16×16 grid.
 */
import type { ModelManifest } from '../registry';
import type { TargetRequest } from '../../preload/contract/generation';
import { pictureTarget, PREDICTION_SAMPLING, sequenceTemperature, type ImageSampling, type PictureSource } from '../../preload/contract/sampling-defaults';
import { UsageError } from './errors';

const ALIASES: Record<string, string> = {
  rgb: 'rgb',
  image: 'rgb',
  depth: 'depth',
  normal: 'normal',
  normals: 'normal',
  semseg: 'semseg',
  segmentation: 'semseg',
  edge: 'edge',
  edges: 'edge',
  caption: 'caption',
  det: 'det',
  boxes: 'det',
  palette: 'color_palette',
  color_palette: 'color_palette',
};

export interface CliModality {
  /** What the user typed. */
  readonly alias: string;
  /** Manifest modality name, e.g. tok_rgb@128. */
  readonly name: string;
  readonly domain: string;
  readonly type: 'img' | 'seq';
}

export function resolveModality(manifest: ModelManifest, typed: string): CliModality {
  const domain = ALIASES[typed.toLowerCase()] ?? typed;
  const m = manifest.modalities.find((x) => x.domain === domain || x.name === typed);
  if (!m) {
    throw new UsageError(`unknown modality "${typed}" (this model has ${Object.keys(ALIASES).filter((a) => manifest.modalities.some((x) => x.domain === ALIASES[a])).join(', ')})`);
  }
  return { alias: typed, name: m.name, domain: m.domain, type: m.type };
}

export interface SamplingOverrides {
  readonly steps?: number | undefined;
  readonly temperature?: number | undefined;
  readonly cfgScale?: number | undefined;
  readonly topP?: number | undefined;
  readonly scheme?: 'roar' | 'maskgit' | undefined;
  readonly temperatureSchedule?: 'constant' | 'linear' | undefined;
  readonly tokenSchedule?: 'cosine' | 'linear' | undefined;
  /** Image outputs only: 'expected-code' picks each token at the model's expected code (FSQ tokenizers). */
  readonly tokenChoice?: 'sample' | 'expected-code' | undefined;
  /** Sampled image outputs: neighbour agreement (0 = off). */
  readonly neighbourAgreement?: number | undefined;
}

/**
 * Defaults for one target (preload/contract/sampling-defaults, the editor's and the evaluation's
 * table): `fromRgb` reads the picture (one near-greedy ROAR step); otherwise a picture is sampled
 * as measured for its source, `layout` for image or box conditions and `words` for captions.
 */
export function defaultTarget(m: CliModality, fromRgb: boolean, o: SamplingOverrides, source: PictureSource = 'layout'): TargetRequest {
  const given = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<ImageSampling>;
  if (m.type === 'seq') {
    return {
      modality: m.name, scheme: 'autoregressive', steps: 1, tokenSchedule: 'linear', temperatureSchedule: 'constant', topK: 0,
      temperature: o.temperature ?? sequenceTemperature(m.domain), cfgScale: o.cfgScale ?? 1, topP: o.topP ?? 0.8,
    };
  }
  if (fromRgb && m.domain !== 'rgb') return { modality: m.name, ...PREDICTION_SAMPLING, ...given };
  return pictureTarget(m.name, source, given);
}
