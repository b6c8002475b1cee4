/**
 * The benchmark's TypeScript-written official checkpoint is the one the official code makes: at the
 * parity fixture's size (dim 64, 2 + 2 layers) every tensor name, shape, hash rule and buffer value
 * matches test/fixtures/official-fm (saved by the official FM class), and a written file opens in
 * the engine.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bufferValues, checkpointName, ensureRandomOfficialFm, FOURM_B, FOURM_TINY, hashedValues, linearScale, officialConfig, officialTensorPlan, safetensorsHeader,
} from '../../../bench/random-official-fm';
import { openOfficialFm } from '../../../models/engine/fm/official-fm';
import { fullImageInput } from '../../../models/sampling';
import { CHECKPOINT, FIXTURE_DIR, hashInt16 } from '../models/engine/fm/official-fixture';

interface Entry {
  dtype: string;
  shape: number[];
}

describe('the official tensor plan', () => {
  const header = JSON.parse(CHECKPOINT.header) as Record<string, Entry | Record<string, string>>;
  const { tensors, aliases } = officialTensorPlan(officialConfig(FOURM_TINY));

  it('names and shapes every tensor the official FM saved, in safetensors order', () => {
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    expect(tensors.map((t) => t.name)).toEqual(names);
    for (const t of tensors) expect(t.shape, t.name).toEqual((header[t.name] as Entry).shape);
    expect(aliases).toEqual(header.__metadata__);
  });

  it('fills parameters by the fixture maker rule and buffers with the official values', () => {
    const buffers = readFileSync(join(FIXTURE_DIR, 'buffers.bin'));
    for (const t of tensors) {
      const want = CHECKPOINT.tensors[t.name] as { seed: string; base: number; scale: number } | { buffer: number };
      if ('buffer' in want) {
        const [a, b] = CHECKPOINT.buffers[want.buffer] as [number, number];
        const ref = new Float32Array(buffers.buffer.slice(buffers.byteOffset + a, buffers.byteOffset + b));
        const got = bufferValues(t, 64);
        expect(got.length, t.name).toBe(ref.length);
        let diff = 0;
        for (let i = 0; i < ref.length; i++) diff = Math.max(diff, Math.abs((got[i] as number) - (ref[i] as number)));
        expect(diff, t.name).toBeLessThan(1e-6);
      } else {
        expect(t.fill, t.name).toEqual({ kind: 'hash', ...want });
      }
    }
  });

  it('scales linear weights with the width and matches 4M-B sizes', () => {
    expect(linearScale(64)).toBe(0.25);
    expect(linearScale(768)).toBe(1 / 16);
    const b = officialTensorPlan(officialConfig(FOURM_B)).tensors;
    const shape = (name: string): readonly number[] | undefined => b.find((t) => t.name === name)?.shape;
    expect(shape('encoder.11.mlp.fc1.weight')).toEqual([2048, 768]);
    expect(shape('decoder.11.cross_attn.kv.weight')).toEqual([1536, 768]);
    expect(shape('decoder_embeddings.tok_dinov2@224.pos_emb')).toEqual([1, 256, 768]);
    expect(b.some((t) => t.name.startsWith('encoder.12.'))).toBe(false);
    expect(checkpointName(FOURM_B)).toBe('official-4m21-d768-e12-d12-h12');
  });
});

describe('hashed values', () => {
  it('are the fixture hash, the same in chunks as whole', () => {
    const whole = hashedValues('encoder.0.attn.qkv.weight', 0, 0.25, 0, new Float32Array(1000));
    const ref = hashInt16(fnv('encoder.0.attn.qkv.weight'), 1000);
    for (let i = 0; i < 1000; i++) expect(whole[i]).toBe(Math.fround((ref[i] as number) * (0.25 / 32768)));
    const tail = hashedValues('encoder.0.attn.qkv.weight', 0, 0.25, 600, new Float32Array(400));
    expect(Array.from(tail)).toEqual(Array.from(whole.subarray(600)));
  });

  it('lay out in a header padded to 8 bytes', () => {
    const { json, dataBytes } = safetensorsHeader([{ name: 'a', shape: [3], fill: { kind: 'zeros' } }, { name: 'b', shape: [2, 2], fill: { kind: 'zeros' } }], { format: 'pt' });
    expect((8 + json.length) % 8).toBe(0);
    expect(JSON.parse(json)).toMatchObject({ a: { data_offsets: [0, 12] }, b: { data_offsets: [12, 28] } });
    expect(dataBytes).toBe(28);
  });
});

function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

describe('a written checkpoint (4M-21 set at dim 8)', () => {
  const cache = mkdtempSync(join(tmpdir(), 'bench-cache-'));
  afterAll(() => rmSync(cache, { recursive: true, force: true }));
  const size = { dim: 8, encoderDepth: 1, decoderDepth: 1, heads: 2 };

  it('is written once, reused, and runs in the engine', async () => {
    const first = ensureRandomOfficialFm(cache, size);
    expect(first.reused).toBe(false);
    expect(statSync(join(first.dir, 'model.safetensors')).size).toBe(first.bytes);
    expect((first.bytes - 4 * first.params) % 8).toBe(0); // 8-byte length + padded header, then float32 data
    const again = ensureRandomOfficialFm(cache, size);
    expect(again).toMatchObject({ reused: true, bytes: first.bytes, params: first.params });
    const fm = await openOfficialFm(first.dir, { providers: ['cpu'], intraOpThreads: 1 });
    try {
      expect(fm.table).toHaveLength(19);
      const rgb = fullImageInput(Array.from({ length: 196 }, (_, i) => (i * 37) % 16_384));
      const [logits] = await fm.runner.imageLogits([{ state: { 'tok_rgb@224': rgb }, target: 'tok_depth@224', positions: Int32Array.from([0, 5, 195]) }]);
      expect(logits).toHaveLength(3 * 8192);
      expect(Array.from(logits as Float32Array).every(Number.isFinite)).toBe(true);
    } finally {
      await fm.release();
    }
  }, 120_000);
});
