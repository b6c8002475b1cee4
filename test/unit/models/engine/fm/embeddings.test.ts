/**
 * The engine's embedding loader on official-format checkpoints written here:
 * whole state dicts, 512-row sequence position tables, deduplicated mod_emb,
 * float16/bfloat16 storage, and the float32 sin-cos tables.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEmbeddings } from '../../../../../models/engine/fm/embeddings';
import { maxAbsDiff, sincos1d, sincos2d } from '../../../../../models/engine/fm/sincos';
import { ModelManifest } from '../../../../../models/registry';
import { writeSafetensors, type Dtype, type TestTensor } from './safetensors-writer';

const dir = mkdtempSync(join(tmpdir(), 'emb-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const D = 8;
const SEQ = { name: 'caption', type: 'seq', domain: 'caption', vocabSize: 5, maxLength: 6 } as const;
const IMG = {
  name: 'tok_rgb@224', type: 'img', domain: 'rgb', vocabSize: 3, grid: [2, 2],
  tokenizer: { encoder: 'e.onnx', decoder: 'd.onnx', encoderInput: 'x', decoderOutput: 'y' },
} as const;

function manifest(positionTables?: 'stored' | 'sincos-float32'): ModelManifest {
  const files = ['enc.onnx', 'dec.onnx', 'h1.onnx', 'h2.onnx', 'emb.safetensors', 'text.json', 'e.onnx', 'd.onnx'];
  return ModelManifest.parse({
    format: '4m-studio.model/1', id: 'test', displayName: 'test', description: '', imageSize: 32, trainingSteps: 0,
    fm: { dim: D, encoderDepth: 1, decoderDepth: 1, numHeads: 1, encoder: 'enc.onnx', decoder: 'dec.onnx',
      heads: { caption: 'h1.onnx', 'tok_rgb@224': 'h2.onnx' }, embeddings: 'emb.safetensors', ...(positionTables ? { positionTables } : {}) },
    modalities: [SEQ, IMG],
    text: { tokenizer: 'text.json', coordBins: 10 },
    classes: [],
    files: Object.fromEntries(files.map((f) => [f, { sha256: '0'.repeat(64), bytes: 0 }])),
  });
}

const ramp = (count: number, scale = 0.01): number[] => Array.from({ length: count }, (_, i) => Math.sin(i) * scale + i * 1e-4);

/** An official-layout state dict: every key of §1.8 for our two modalities, plus transformer weights we do not read. */
function official(opts: { dtype?: Dtype; seqRows?: number; dropEncoderModEmb?: boolean; dropBothModEmb?: boolean; learnedImagePos?: boolean } = {}): Record<string, TestTensor> {
  const dtype = opts.dtype ?? 'F32';
  const t = (shape: number[], values: ArrayLike<number>): TestTensor => ({ dtype, shape, values });
  const rows = opts.seqRows ?? 512;
  const imgPos = opts.learnedImagePos ? ramp(4 * D, 0.5) : Array.from(sincos2d(2, 2, D));
  const out: Record<string, TestTensor> = {
    'encoder.0.attn.qkv.weight': t([3 * D, D], ramp(3 * D * D)),
    mask_token: t([1, 1, D], ramp(D)),
    'encoder_embeddings.caption.token_emb.weight': t([5, D], ramp(5 * D)),
    'encoder_embeddings.caption.pos_emb': t([1, rows, D], sincos1d(rows, D)),
    'encoder_embeddings.caption.mod_emb': t([1, 1, D], ramp(D, 0.3)),
    'decoder_embeddings.caption.token_emb.weight': t([5, D], ramp(5 * D, 0.2)),
    'decoder_embeddings.caption.to_logits.weight': t([5, D], ramp(5 * D, 0.2)),
    'decoder_embeddings.caption.pos_emb': t([1, rows, D], sincos1d(rows, D)),
    'decoder_embeddings.caption.mod_emb': t([1, 1, D], ramp(D, 0.3)),
    'encoder_embeddings.tok_rgb@224.token_emb.weight': t([3, D], ramp(3 * D)),
    'encoder_embeddings.tok_rgb@224.pos_emb': t([1, 4, D], imgPos),
    'encoder_embeddings.tok_rgb@224.mod_emb': t([1, 1, D], ramp(D, 0.7)),
    'decoder_embeddings.tok_rgb@224.pos_emb': t([1, 4, D], imgPos),
    'decoder_embeddings.tok_rgb@224.mod_emb': t([1, 1, D], ramp(D, 0.7)),
    'decoder_embeddings.tok_rgb@224.to_logits.weight': t([3, D], ramp(3 * D)),
  };
  for (const m of ['caption', 'tok_rgb@224']) {
    if (opts.dropEncoderModEmb || opts.dropBothModEmb) delete out[`encoder_embeddings.${m}.mod_emb`];
    if (opts.dropBothModEmb) delete out[`decoder_embeddings.${m}.mod_emb`];
  }
  return out;
}

let n = 0;
function file(tensors: Record<string, TestTensor>): string {
  const f = join(dir, `ckpt${n++}.safetensors`);
  writeSafetensors(f, tensors);
  return f;
}

describe('loadEmbeddings on official checkpoints', () => {
  it('takes the first maxLength rows of a 512-row sequence table and reads only the tables it needs', async () => {
    const emb = await loadEmbeddings(file(official()), manifest());
    const cap = emb.modalities.get('caption')!;
    expect(cap.length).toBe(6);
    expect(cap.encPos.length).toBe(6 * D);
    expect(Array.from(cap.encPos)).toEqual(Array.from(sincos1d(6, D)));
    expect(Array.from(cap.decPos)).toEqual(Array.from(sincos1d(6, D)));
    expect(cap.decTokens!.length).toBe(5 * D);
    expect(emb.modalities.get('tok_rgb@224')!.decTokens).toBeUndefined();
    expect(emb.order).toEqual(['caption', 'tok_rgb@224']);
  });

  it('accepts a table with exactly maxLength rows', async () => {
    const emb = await loadEmbeddings(file(official({ seqRows: 6 })), manifest());
    expect(emb.modalities.get('caption')!.encPos.length).toBe(6 * D);
  });

  it('refuses a sequence table with fewer rows than maxLength, naming the file and tensor', async () => {
    const f = file(official({ seqRows: 4 }));
    await expect(loadEmbeddings(f, manifest())).rejects.toThrow(
      `${f}: "encoder_embeddings.caption.pos_emb" has 4 rows, fewer than the 6 positions of caption (maxLength 6)`,
    );
  });

  it('recomputes float16-stored sin-cos tables in float32 (the official behaviour)', async () => {
    for (const dtype of ['F16', 'BF16'] as const) {
      const emb = await loadEmbeddings(file(official({ dtype })), manifest());
      const img = emb.modalities.get('tok_rgb@224')!;
      expect(Array.from(img.encPos)).toEqual(Array.from(sincos2d(2, 2, D)));
      expect(Array.from(emb.modalities.get('caption')!.decPos)).toEqual(Array.from(sincos1d(6, D)));
      // Learned tables are still float16-rounded as stored.
      expect(maxAbsDiff(img.encMod, Float32Array.from(ramp(D, 0.7)))).toBeGreaterThan(0);
    }
  });

  it('keeps the stored tables when the manifest says the weights were trained on them', async () => {
    const emb = await loadEmbeddings(file(official({ dtype: 'F16' })), manifest('stored'));
    const pos = emb.modalities.get('tok_rgb@224')!.encPos;
    const d = maxAbsDiff(pos, sincos2d(2, 2, D));
    expect(d).toBeGreaterThan(0);
    expect(d).toBeLessThan(1e-3);
  });

  it('keeps a learned position table as stored', async () => {
    const emb = await loadEmbeddings(file(official({ learnedImagePos: true })), manifest());
    expect(Array.from(emb.modalities.get('tok_rgb@224')!.encPos)).toEqual(Array.from(Float32Array.from(ramp(4 * D, 0.5))));
  });

  it('fills a deduplicated mod_emb from the copy that was kept', async () => {
    const emb = await loadEmbeddings(file(official({ dropEncoderModEmb: true })), manifest());
    const cap = emb.modalities.get('caption')!;
    expect(Array.from(cap.encMod)).toEqual(Array.from(cap.decMod));
    expect(Array.from(cap.encMod)).toEqual(Array.from(Float32Array.from(ramp(D, 0.3))));
  });

  it('names the missing tensor when neither mod_emb copy is there', async () => {
    const f = file(official({ dropBothModEmb: true }));
    await expect(loadEmbeddings(f, manifest())).rejects.toThrow(`${f}: tensor "encoder_embeddings.caption.mod_emb" is missing (and 3 more)`);
  });
});
