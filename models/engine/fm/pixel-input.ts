/**
 * The official FM's pixel input (`rgb@224`, `rgb@448`): the picture, normalised with the ImageNet
 * mean and standard deviation (as 4M's RGB transform does), is cut into patch × patch squares;
 * each square, flattened row by row with its channels innermost, goes through the bias-free
 * linear projection `encoder_embeddings.<name>.proj.weight` and becomes one encoder token. Its
 * position + modality embedding is the stored `pos_emb` row of its grid cell plus `mod_emb`.
 *
 * The engine feeds the projected rows as the modality's token table: the state holds the cell
 * indices 0…n−1 (every cell visible), and row i of the table is patch i of the current picture.
 */
import type { RgbaImage } from '../../tokenizers/image';
import type { ModalityTables } from './embeddings';
import type { OfficialModality } from './official-modalities';
import { readTensors, type SafetensorsHeader } from './safetensors';

/** ImageNet's per-channel mean and standard deviation (RGB), the normalisation 4M's RGB inputs get. */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

export interface PixelInput {
  readonly name: string;
  readonly dim: number;
  /** Pixels per side of the input (grid × patch). */
  readonly size: number;
  readonly grid: readonly [number, number];
  readonly patch: number;
  readonly channels: number;
  /** [dim, patch · patch · channels], row-major. */
  readonly proj: Float32Array;
  /** [cells, dim] position rows, as stored. */
  readonly pos: Float32Array;
  /** [dim] */
  readonly mod: Float32Array;
}

/** Reads the projection and embedding tensors of every pixel input of the table. */
export async function loadPixelInputs(header: SafetensorsHeader, table: readonly OfficialModality[], dim: number): Promise<PixelInput[]> {
  const pixels = table.filter((m) => m.kind === 'image-pixels' && m.input);
  const alias = (key: string): string => (header.entries.has(key) ? key : key.replace(/^encoder_/, 'decoder_'));
  const keys = pixels.flatMap((m) => ['proj.weight', 'pos_emb', 'mod_emb'].map((k) => alias(`encoder_embeddings.${m.name}.${k}`)));
  const tensors = await readTensors(header, keys);
  return pixels.map((m) => {
    const get = (k: string): Float32Array => (tensors.get(alias(`encoder_embeddings.${m.name}.${k}`)) as { data: Float32Array }).data;
    const grid = m.grid as readonly [number, number];
    return { name: m.name, dim, size: grid[0] * m.patchSize, grid, patch: m.patchSize, channels: m.width, proj: get('proj.weight'), pos: get('pos_emb'), mod: get('mod_emb') };
  });
}

/** An RGBA picture of exactly size × size → float32 [3, size, size], ImageNet-normalised (float32 arithmetic, as PyTorch). */
export function normalizeRgb(img: RgbaImage, size: number): Float32Array {
  if (img.width !== size || img.height !== size) throw new RangeError(`the picture is ${img.width}×${img.height}; the pixel input takes ${size}×${size}`);
  const n = size * size;
  const out = new Float32Array(3 * n);
  const f = Math.fround;
  for (let c = 0; c < 3; c++) {
    const mean = f(IMAGENET_MEAN[c] as number);
    const std = f(IMAGENET_STD[c] as number);
    for (let p = 0; p < n; p++) out[c * n + p] = f(f(f((img.data[p * 4 + c] as number) / 255) - mean) / std);
  }
  return out;
}

/** Float32 [C, size, size] → [cells, dim] encoder rows (the patch projection; no bias). */
export function projectPatches(input: PixelInput, chw: Float32Array): Float32Array {
  const { dim, size, patch, channels: C } = input;
  const [gh, gw] = input.grid;
  if (chw.length !== C * size * size) throw new RangeError(`${input.name}: ${chw.length} values, expected ${C}×${size}×${size}`);
  const k = patch * patch * C;
  const vec = new Float32Array(k);
  const out = new Float32Array(gh * gw * dim);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      // (ph pw c): row within the patch, column within the patch, channel innermost.
      for (let py = 0; py < patch; py++) {
        for (let px = 0; px < patch; px++) {
          const pixel = (gy * patch + py) * size + gx * patch + px;
          for (let c = 0; c < C; c++) vec[(py * patch + px) * C + c] = chw[c * size * size + pixel] as number;
        }
      }
      const o = (gy * gw + gx) * dim;
      for (let d = 0; d < dim; d++) {
        let s = 0;
        const w = d * k;
        for (let j = 0; j < k; j++) s += (input.proj[w + j] as number) * (vec[j] as number);
        out[o + d] = s;
      }
    }
  }
  return out;
}

/** The modality's tables for the encoder gather, with the picture's patch rows as its token table. */
export function pixelTables(input: PixelInput, rows: Float32Array): ModalityTables {
  const n = input.grid[0] * input.grid[1];
  const none = new Float32Array(0);
  return {
    name: input.name, kind: 'image', encTokens: rows, encPos: input.pos.subarray(0, n * input.dim), encMod: input.mod,
    decPos: none, decMod: none, decTokens: undefined, vocabSize: n, length: n, input: true, output: false,
  };
}

/** The state tokens of a pixel input: cell i shows patch i. */
export function pixelCells(input: PixelInput): Int32Array {
  return Int32Array.from({ length: input.grid[0] * input.grid[1] }, (_, i) => i);
}
