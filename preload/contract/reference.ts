import type { ImageSampling } from './sampling-defaults';

/**
 * Picture references: 4M-21's global embedding modalities (tok_dinov2_global, tok_imagebind_global),
 * 16 Memcodes tokens of 8192 codes each that stand for a whole picture's DINOv2 / ImageBind
 * embedding. The FM predicts them from a picture and takes them back as a condition ("make
 * something like this picture"); no network of their own runs here and nothing decodes them. The
 * check below is shared by the host, the CLI and the project reader, so a hostile file is refused
 * with the same words everywhere. Pure.
 */

/** The global modalities by FM name → what the artist reads ("DINOv2 reference"). */
export const REFERENCE_MODALITIES: Readonly<Record<string, string>> = {
  tok_dinov2_global: 'DINOv2',
  tok_imagebind_global: 'ImageBind',
};

/**
 * Tokens per reference (a 4 × 4 grid of learned positions) and the Memcodes vocabulary. Stated here
 * only: the engine's official modality table takes the vocabulary from here (this contract imports
 * nothing, and the renderer checks ids with it), and its unit test holds the count to the table's grid.
 */
export const REFERENCE_TOKENS = 16;
export const REFERENCE_VOCAB = 8192;

/** Whether an FM modality name is a global embedding (a picture reference). */
export function isReferenceModality(name: string): boolean {
  return Object.hasOwn(REFERENCE_MODALITIES, name);
}

/**
 * How a picture's reference tokens are read: the recipe of 4M's own retrieval notebook for exactly
 * these modalities (RGB → tok_dinov2_global: ROAR, one step, temperature 0.1, top-p 0.8, no
 * guidance). Chosen over the editor's general RGB → X reading (temperature 0.01, guidance 2)
 * because it is what 4M's authors use to get a picture's global embedding.
 */
export const REFERENCE_SAMPLING: ImageSampling = { scheme: 'roar', steps: 1, tokenSchedule: 'linear', temperature: 0.1, temperatureSchedule: 'constant', cfgScale: 1, topK: 0, topP: 0.8 };

/**
 * What is wrong with a would-be list of reference token ids, or null when it is one: exactly
 * `count` integers in 0…vocab-1.
 */
export function referenceTokensProblem(value: unknown, count = REFERENCE_TOKENS, vocab = REFERENCE_VOCAB): string | null {
  if (!Array.isArray(value) && !(value instanceof Int32Array)) return `expected a list of ${count} token ids`;
  const ids = Array.from(value as ArrayLike<unknown>);
  if (ids.length !== count) return `expected ${count} token ids, got ${ids.length}`;
  const bad = ids.findIndex((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= vocab);
  if (bad >= 0) return `token ${bad + 1} is ${JSON.stringify(ids[bad])}, not an id in 0…${vocab - 1}`;
  return null;
}
