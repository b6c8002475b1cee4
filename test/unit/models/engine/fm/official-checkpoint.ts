/**
 * A tiny random-weight checkpoint with every key of the official 4M state dict (reference §1.8)
 * for two modalities, caption and tok_rgb@224, and its config as the official files carry it.
 */
import { sincos1d, sincos2d } from '../../../../../models/engine/fm/sincos';
import type { Dtype, TestTensor } from './safetensors-writer';

export const TINY = { dim: 8, heads: 2, encoderDepth: 1, decoderDepth: 1, hidden: 21, vocab: { caption: 5, 'tok_rgb@224': 3 } } as const;

/** The official __metadata__ (Python-repr values). */
export const TINY_METADATA: Record<string, string> = {
  domains_in: "['caption', 'tok_rgb@224']", domains_out: "['caption', 'tok_rgb@224']",
  dim: '8', encoder_depth: '1', decoder_depth: '1', num_heads: '2', act_layer: 'SiLU', norm_bias: 'False',
  qkv_bias: 'False', proj_bias: 'False', mlp_bias: 'False', image_size: '224', patch_size: '16',
};

export function tinyOfficialStateDict(dtype: Dtype = 'F32', drop: readonly string[] = []): Record<string, TestTensor> {
  const D = TINY.dim;
  let seed = 7;
  const rnd = (n: number): number[] => Array.from({ length: n }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.4);
  const out: Record<string, TestTensor> = {};
  const t = (key: string, shape: number[], values?: ArrayLike<number>): void => {
    out[key] = { dtype, shape, values: values ?? rnd(shape.reduce((a, b) => a * b, 1)) };
  };
  const norm = (key: string): void => {
    t(`${key}.weight`, [D], rnd(D).map((v) => 1 + v));
    t(`${key}.bias`, [D], new Array(D).fill(0));
  };
  const mlp = (p: string): void => {
    t(`${p}.fc1.weight`, [TINY.hidden, D]);
    t(`${p}.fc3.weight`, [TINY.hidden, D]);
    t(`${p}.fc2.weight`, [D, TINY.hidden]);
  };
  t('mask_token', [1, 1, D]);
  norm('encoder_norm');
  norm('decoder_norm');
  t('decoder_proj_context.weight', [D, D]);
  t('decoder_proj_context.bias', [D]);
  for (let i = 0; i < TINY.encoderDepth; i++) {
    norm(`encoder.${i}.norm1`);
    t(`encoder.${i}.attn.qkv.weight`, [3 * D, D]);
    t(`encoder.${i}.attn.proj.weight`, [D, D]);
    norm(`encoder.${i}.norm2`);
    mlp(`encoder.${i}.mlp`);
  }
  for (let j = 0; j < TINY.decoderDepth; j++) {
    const p = `decoder.${j}`;
    norm(`${p}.norm1`);
    t(`${p}.self_attn.qkv.weight`, [3 * D, D]);
    t(`${p}.self_attn.proj.weight`, [D, D]);
    norm(`${p}.query_norm`);
    norm(`${p}.context_norm`);
    t(`${p}.cross_attn.q.weight`, [D, D]);
    t(`${p}.cross_attn.kv.weight`, [2 * D, D]);
    t(`${p}.cross_attn.proj.weight`, [D, D]);
    norm(`${p}.norm2`);
    mlp(`${p}.mlp`);
  }
  for (const [m, V] of Object.entries(TINY.vocab)) {
    const pos = m === 'caption' ? sincos1d(512, D) : sincos2d(14, 14, D);
    const rows = pos.length / D;
    const mod = rnd(D);
    for (const side of ['encoder', 'decoder'] as const) {
      t(`${side}_embeddings.${m}.pos_emb`, [1, rows, D], pos);
      t(`${side}_embeddings.${m}.mod_emb`, [1, 1, D], mod);
      t(`${side}_embeddings.${m}.token_emb.weight`, [V, D]);
    }
    t(`decoder_embeddings.${m}.to_logits.weight`, [V, D]);
  }
  for (const k of drop) delete out[k];
  return out;
}
