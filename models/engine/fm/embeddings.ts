/**
 * The FM's embedding tables (reference §1.5), looked up in TS: token rows,
 * positional rows and the modality vector, plus the mask token for image
 * queries. Names follow the official 4M state dict.
 */
import type { ModelManifest } from '../../registry';
import { readSafetensors, type F32Tensor } from './safetensors';

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
}

export interface FmEmbeddings {
  readonly dim: number;
  readonly maskToken: Float32Array;
  readonly modalities: ReadonlyMap<string, ModalityTables>;
  /** Modality names in manifest order: the order encoder tokens are concatenated in. */
  readonly order: readonly string[];
}

export async function loadEmbeddings(file: string, manifest: ModelManifest): Promise<FmEmbeddings> {
  const tensors = await readSafetensors(file);
  const dim = manifest.fm.dim;
  const need = (key: string, rows?: number): F32Tensor => {
    const t = tensors.get(key);
    if (!t) throw new Error(`${file}: tensor "${key}" is missing`);
    const last = t.shape[t.shape.length - 1];
    if (last !== dim) throw new Error(`${file}: "${key}" has width ${last}, expected fm.dim ${dim}`);
    if (rows !== undefined && t.data.length !== rows * dim) {
      throw new Error(`${file}: "${key}" has shape [${t.shape.join(',')}], expected ${rows} rows of ${dim}`);
    }
    return t;
  };
  const modalities = new Map<string, ModalityTables>();
  for (const m of manifest.modalities) {
    const length = m.type === 'img' ? m.grid[0] * m.grid[1] : m.maxLength;
    const kind = m.type === 'img' ? 'image' : 'sequence';
    modalities.set(m.name, {
      name: m.name,
      kind,
      encTokens: need(`encoder_embeddings.${m.name}.token_emb.weight`, m.vocabSize).data,
      encPos: need(`encoder_embeddings.${m.name}.pos_emb`, length).data,
      encMod: need(`encoder_embeddings.${m.name}.mod_emb`, 1).data,
      decPos: need(`decoder_embeddings.${m.name}.pos_emb`, length).data,
      decMod: need(`decoder_embeddings.${m.name}.mod_emb`, 1).data,
      decTokens: kind === 'sequence' ? need(`decoder_embeddings.${m.name}.token_emb.weight`, m.vocabSize).data : undefined,
      vocabSize: m.vocabSize,
      length,
    });
  }
  return { dim, maskToken: need('mask_token', 1).data, modalities, order: manifest.modalities.map((m) => m.name) };
}

export function tablesFor(emb: FmEmbeddings, modality: string): ModalityTables {
  const t = emb.modalities.get(modality);
  if (!t) throw new Error(`the model has no modality "${modality}" (it has ${emb.order.join(', ')})`);
  return t;
}
