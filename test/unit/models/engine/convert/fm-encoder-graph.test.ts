/**
 * The encoder graph written in TypeScript over a checkpoint in the official layout (the recipe's
 * float16 weights file, whose names match the official state dict) must compute what the shipped
 * package's PyTorch-exported encoder.onnx computes, with no weight copied into the graph.
 */
import { closeSync, copyFileSync, ftruncateSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEncoderGraph, GraphBuildError } from '../../../../../models/engine/convert/fm-encoder-graph';
import { readSafetensors, readSafetensorsHeader } from '../../../../../models/engine/fm/safetensors';
import { bool, expectFloat32, float32, GraphSession } from '../../../../../models/engine/runtime';
import { MODEL_DIR } from '../model-fixture';
import { tinyOfficialStateDict, TINY } from '../fm/official-checkpoint';
import { headerBytes, writeSafetensors } from '../fm/safetensors-writer';

const WEIGHTS = join(__dirname, '../../../../../models/recipe/runs/fm/weights.safetensors');
const dir = mkdtempSync(join(tmpdir(), 'fm-graph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rand(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31 - 0.5) * 2;
  });
}

describe('FM encoder graph over an official-layout checkpoint', () => {
  it('matches the exported encoder within 1e-4, padding included, and stays weight-free', async () => {
    const local = join(dir, 'model.safetensors');
    copyFileSync(WEIGHTS, local);
    const header = await readSafetensorsHeader(local);
    const graph = buildEncoderGraph(header, { dim: 256, depth: 6, heads: 4 });
    const file = join(dir, 'encoder.onnx');
    writeFileSync(file, graph);
    expect(statSync(file).size).toBeLessThan(64 * 1024);
    const [ours, shipped] = await Promise.all([GraphSession.open(file, { providers: ['cpu'] }), GraphSession.open(join(MODEL_DIR, 'fm/encoder.onnx'), { providers: ['cpu'] })]);
    try {
      const B = 2;
      const N = 7;
      const D = 256;
      const pad = new Uint8Array(B * N);
      pad[5] = 1;
      pad[6] = 1;
      pad[N + 6] = 1;
      const feeds = { x: float32(rand(B * N * D, 1), [B, N, D]), emb: float32(rand(B * N * D, 2), [B, N, D]), pad: bool(pad, [B, N]) };
      const a = expectFloat32((await ours.run(feeds)).context, 'ours');
      const b = expectFloat32((await shipped.run(feeds)).context, 'shipped');
      let max = 0;
      for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs((a.data[i] as number) - (b.data[i] as number)));
      console.log(`encoder graph vs exported encoder: max abs diff ${max.toExponential(2)}`);
      expect(max).toBeLessThan(1e-4);
      expect(Array.from(a.data.subarray(5 * D, 7 * D)).every((v) => v === 0)).toBe(true);
    } finally {
      await Promise.all([ours.release(), shipped.release()]);
    }
  }, 60_000);

  it('names the file and tensor when the checkpoint does not have what the graph needs', async () => {
    const header = await readSafetensorsHeader(WEIGHTS);
    expect(() => buildEncoderGraph(header, { dim: 256, depth: 7, heads: 4 })).toThrow(new GraphBuildError(`${WEIGHTS}: tensor "encoder.6.norm1.weight" is missing`));
    expect(() => buildEncoderGraph(header, { dim: 512, depth: 6, heads: 4 })).toThrow(`${WEIGHTS}: "encoder.0.norm1.weight" has shape [256], expected [512]`);
    expect(() => buildEncoderGraph(header, { dim: 256, depth: 6, heads: 3 })).toThrow('dim 256 is not divisible by 3 heads');
  });
});

describe('FM encoder graph: float32 checkpoints and files over 2 GB', () => {
  /** Rewrites the recipe checkpoint as float32, optionally after a sparse gap of `gap` bytes. */
  async function rewrite(file: string, gap: number): Promise<void> {
    const tensors = await readSafetensors(WEIGHTS);
    const header: Record<string, unknown> = {};
    const blobs: [number, Buffer][] = [];
    let at = 0;
    if (gap > 0) {
      header['gap.filler'] = { dtype: 'F16', shape: [gap / 2], data_offsets: [0, gap] };
      at = gap;
    }
    for (const [name, t] of tensors) {
      const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [at, at + bytes.length] };
      blobs.push([at, bytes]);
      at += bytes.length;
    }
    const head = headerBytes(header);
    const fd = openSync(file, 'w');
    try {
      writeSync(fd, head, 0, head.length, 0);
      for (const [off, b] of blobs) writeSync(fd, b, 0, b.length, head.length + off);
      ftruncateSync(fd, head.length + at);
    } finally {
      closeSync(fd);
    }
  }

  for (const [what, gap] of [['float32', 0], ['float32 after a 3 GiB gap (offsets past 2^31, sparse file)', 3 * 2 ** 30]] as const) {
    it(what, async () => {
      const sub = mkdtempSync(join(dir, 'f32-'));
      const file = join(sub, 'model.safetensors');
      await rewrite(file, gap);
      expect(statSync(file).size).toBeGreaterThan(gap);
      writeFileSync(join(sub, 'encoder.onnx'), buildEncoderGraph(await readSafetensorsHeader(file), { dim: 256, depth: 6, heads: 4 }));
      const [ours, shipped] = await Promise.all([GraphSession.open(join(sub, 'encoder.onnx'), { providers: ['cpu'] }), GraphSession.open(join(MODEL_DIR, 'fm/encoder.onnx'), { providers: ['cpu'] })]);
      try {
        const feeds = { x: float32(rand(3 * 256, 3), [1, 3, 256]), emb: float32(rand(3 * 256, 4), [1, 3, 256]), pad: bool(new Uint8Array(3), [1, 3]) };
        const a = expectFloat32((await ours.run(feeds)).context, 'ours').data;
        const b = expectFloat32((await shipped.run(feeds)).context, 'shipped').data;
        let max = 0;
        for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
        expect(max).toBeLessThan(1e-4);
      } finally {
        await Promise.all([ours.release(), shipped.release()]);
        rmSync(sub, { recursive: true, force: true });
      }
    }, 120_000);
  }
});

describe('FM encoder graph: storage dtypes', () => {
  it('gives the same context from F32, F16 and BF16 copies of one checkpoint, up to their rounding', async () => {
    const outs: Float32Array[] = [];
    for (const dt of ['F32', 'F16', 'BF16'] as const) {
      const sub = mkdtempSync(join(dir, `dt-${dt}-`));
      writeSafetensors(join(sub, 'model.safetensors'), tinyOfficialStateDict(dt));
      writeFileSync(join(sub, 'encoder.onnx'), buildEncoderGraph(await readSafetensorsHeader(join(sub, 'model.safetensors')), { dim: TINY.dim, depth: TINY.encoderDepth, heads: TINY.heads }));
      const s = await GraphSession.open(join(sub, 'encoder.onnx'), { providers: ['cpu'] });
      try {
        const x = float32(rand(3 * TINY.dim, 5), [1, 3, TINY.dim]);
        const emb = float32(rand(3 * TINY.dim, 6), [1, 3, TINY.dim]);
        outs.push(expectFloat32((await s.run({ x, emb, pad: bool(new Uint8Array(3), [1, 3]) })).context, dt).data);
      } finally {
        await s.release();
      }
    }
    const [f32, f16, bf16] = outs as [Float32Array, Float32Array, Float32Array];
    const diff = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);
    expect(diff(f32, f16)).toBeLessThan(5e-3);
    expect(diff(f32, bf16)).toBeLessThan(3e-2);
    expect(diff(f32, bf16)).toBeGreaterThan(0);
  });
});
