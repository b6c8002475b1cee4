/**
 * The FM's embedding tables (reference §1.5), looked up in TS: token rows,
 * positional rows and the modality vector, plus the mask token for image
 * queries. Names follow the official 4M state dict, and the loader accepts
 * official checkpoints as they are: whole state dicts (only these tables are
 * read), 512-row sequence position tables, one deduplicated mod_emb copy.
 */
import type { ModalitySpec } from '../../registry';
import { readSafetensorsHeader, readTensors, type F32Tensor } from './safetensors';
import { maxAbsDiff, sincos1d, sincos2d } from './sincos';

/** What the table loader needs of a model: a package manifest is one, so is an official checkpoint's table. */
export interface EmbeddingLayout {
  readonly fm: { readonly dim: number; readonly positionTables?: 'sincos-float32' | 'stored' | undefined };
  readonly modalities: readonly TableSpec[];
}

/**
 * One token modality. `input` / `output` (default true) say whether the checkpoint has its encoder
 * and decoder embeddings: an official model may predict fewer modalities than it reads.
 */
export type TableSpec = (Pick<Extract<ModalitySpec, { type: 'img' }>, 'name' | 'type' | 'vocabSize' | 'grid'> | Pick<Extract<ModalitySpec, { type: 'seq' }>, 'name' | 'type' | 'vocabSize' | 'maxLength'>) & {
  readonly input?: boolean;
  readonly output?: boolean;
};

export interface ModalityTables {
  readonly name: string;
  readonly kind: 'image' | 'sequence';
  readonly encTokens: Float32Array;
  readonly encPos: Float32Array;
  readonly encMod: Float32Array;
  readonly decPos: Float32Array;
  readonly decMod: Float32Array;
  /** Sequence targets only: decoder token table for autoregression. */
  readonly decTokens: Float32Array | undefined;
  readonly vocabSize: number;
  /** Positions the tables cover (grid cells or max sequence length). */
  readonly length: number;
  /** Whether the encoder reads it / the decoder predicts it (the other side's tables are empty). */
  readonly input: boolean;
  readonly output: boolean;
}

export interface FmEmbeddings {
  readonly dim: number;
  readonly maskToken: Float32Array;
  readonly modalities: ReadonlyMap<string, ModalityTables>;
  /** Modality names in manifest order: the order encoder tokens are concatenated in. */
  readonly order: readonly string[];
}

/**
 * How far storage rounding can move a sin-cos value in [-1, 1] (float16: 2^-12, bfloat16: 2^-9);
 * a table further from 4M's sin-cos than this is a learned one.
 */
const SINCOS_MATCH: Readonly<Record<string, number>> = { F32: 1e-5, F16: 1e-3, BF16: 5e-3 };

export async function loadEmbeddings(file: string, manifest: EmbeddingLayout): Promise<FmEmbeddings> {
  const header = await readSafetensorsHeader(file);
  const dim = manifest.fm.dim;
  // Official files written with safetensors.save_model keep one copy of each shared
  // encoder/decoder mod_emb (reference §1.7): accept whichever copy is present.
  const alias = (key: string): string => {
    if (header.entries.has(key) || !key.endsWith('.mod_emb')) return key;
    const other = key.startsWith('encoder_') ? key.replace(/^encoder_/, 'decoder_') : key.replace(/^decoder_/, 'encoder_');
    return header.entries.has(other) ? other : key;
  };
  const keys = ['mask_token'];
  for (const m of manifest.modalities) {
    const e = `encoder_embeddings.${m.name}`;
    const d = `decoder_embeddings.${m.name}`;
    if (m.input !== false) keys.push(`${e}.token_emb.weight`, `${e}.pos_emb`, `${e}.mod_emb`);
    if (m.output !== false) keys.push(`${d}.pos_emb`, `${d}.mod_emb`);
    if (m.output !== false && m.type === 'seq') keys.push(`${d}.token_emb.weight`);
  }
  const missing = keys.filter((k) => !header.entries.has(alias(k)));
  if (missing.length > 0) throw new Error(`${file}: tensor "${missing[0]}" is missing${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}`);
  const tensors = await readTensors(header, [...new Set(keys.map(alias))]);
  const need = (key: string, rows?: number): F32Tensor => {
    const t = tensors.get(alias(key)) as F32Tensor;
    const last = t.shape[t.shape.length - 1];
    if (last !== dim) throw new Error(`${file}: "${key}" has width ${last}, expected fm.dim ${dim}`);
    if (rows !== undefined && t.data.length !== rows * dim) {
      throw new Error(`${file}: "${key}" has shape [${t.shape.join(',')}], expected ${rows} rows of ${dim}`);
    }
    return t;
  };
  /**
   * Position rows: official checkpoints keep sequence tables at 512 rows and slice them, so
   * extra rows are dropped. A stored table that is 4M's sin-cos table is recomputed in float32
   * unless the manifest says the weights were trained against the stored values.
   */
  const positions = (key: string, m: TableSpec): Float32Array => {
    const t = need(key);
    const length = m.type === 'img' ? m.grid[0] * m.grid[1] : m.maxLength;
    const rows = t.data.length / dim;
    if (rows < length) {
      const what = m.type === 'img' ? `the ${m.grid[0]}×${m.grid[1]} token grid` : `maxLength ${m.maxLength}`;
      throw new Error(`${file}: "${key}" has ${rows} rows, fewer than the ${length} positions of ${m.name} (${what})`);
    }
    const stored = t.data.subarray(0, length * dim);
    if (manifest.fm.positionTables === 'stored') return stored.slice();
    const exact = m.type === 'img' ? (dim % 4 === 0 ? sincos2d(m.grid[0], m.grid[1], dim) : undefined) : dim % 2 === 0 ? sincos1d(length, dim) : undefined;
    // Learned tables (official tok_*_global) are nothing like sin-cos and stay as stored.
    const tolerance = SINCOS_MATCH[header.entries.get(alias(key))?.dtype ?? ''] ?? 0;
    return exact && maxAbsDiff(stored, exact) <= tolerance ? exact : stored.slice();
  };
  const modalities = new Map<string, ModalityTables>();
  for (const m of manifest.modalities) {
    const length = m.type === 'img' ? m.grid[0] * m.grid[1] : m.maxLength;
    const kind = m.type === 'img' ? 'image' : 'sequence';
    const input = m.input !== false;
    const output = m.output !== false;
    const none = new Float32Array(0);
    modalities.set(m.name, {
      name: m.name,
      kind,
      encTokens: input ? need(`encoder_embeddings.${m.name}.token_emb.weight`, m.vocabSize).data : none,
      encPos: input ? positions(`encoder_embeddings.${m.name}.pos_emb`, m) : none,
      encMod: input ? need(`encoder_embeddings.${m.name}.mod_emb`, 1).data : none,
      decPos: output ? positions(`decoder_embeddings.${m.name}.pos_emb`, m) : none,
      decMod: output ? need(`decoder_embeddings.${m.name}.mod_emb`, 1).data : none,
      decTokens: output && kind === 'sequence' ? need(`decoder_embeddings.${m.name}.token_emb.weight`, m.vocabSize).data : undefined,
      vocabSize: m.vocabSize,
      length,
      input,
      output,
    });
  }
  return { dim, maskToken: need('mask_token', 1).data, modalities, order: manifest.modalities.map((m) => m.name) };
}

export function tablesFor(emb: FmEmbeddings, modality: string): ModalityTables {
  const t = emb.modalities.get(modality);
  if (!t) throw new Error(`the model has no modality "${modality}" (it has ${emb.order.join(', ')})`);
  return t;
}
