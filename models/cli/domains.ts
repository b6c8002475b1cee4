/**
 * CLI names for modalities (what users type: rgb, depth, normals, boxes…)
 * mapped to the model's modality names, and per-target default settings
 * adapted from 4M's demo defaults (reference §3.6) to a 16×16 grid.
 */
import type { ModelManifest } from '../registry';
import type { TargetRequest } from '../../preload/contract/generation';
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
  readonly steps?: number;
  readonly temperature?: number;
  readonly cfgScale?: number;
  readonly topP?: number;
  readonly scheme?: TargetRequest['scheme'];
}

/** Defaults for one target; `fromRgb` selects the RGB→X settings (one greedy ROAR step). */
export function defaultTarget(m: CliModality, fromRgb: boolean, o: SamplingOverrides): TargetRequest {
  const base = { modality: m.name, tokenSchedule: 'linear' as const, topK: 0, topP: o.topP ?? 0.8 };
  if (m.type === 'seq') {
    const temperature = m.domain === 'caption' ? 0.3 : m.domain === 'det' ? 0.7 : 0.1;
    return { ...base, scheme: 'autoregressive', steps: 1, temperature: o.temperature ?? temperature, temperatureSchedule: 'constant', cfgScale: o.cfgScale ?? 1 };
  }
  const scheme = o.scheme && o.scheme !== 'autoregressive' ? o.scheme : 'roar';
  if (fromRgb && m.domain !== 'rgb') {
    return { ...base, scheme, steps: o.steps ?? 1, temperature: o.temperature ?? 0.01, temperatureSchedule: 'constant', cfgScale: o.cfgScale ?? 2 };
  }
  // The editor's default (renderer settings.ts, measured there): ROAR 8, T 1, top-p 0.9, CFG 3.
  return { ...base, scheme, steps: o.steps ?? 8, temperature: o.temperature ?? 1, temperatureSchedule: 'constant', cfgScale: o.cfgScale ?? 3, topP: o.topP ?? 0.9 };
}
