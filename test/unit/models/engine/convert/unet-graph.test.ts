/**
 * One denoising step of 4M's DiVAE decoder network against the official code.
 * test/fixtures/official-divae-unet holds what the official PatchedUNetCondCat (run by
 * models/recipe/fourm_recipe/official/divae_fixture.py; the released layout shrunk to
 * model_channels 32, channel_mult (1, 2), one ResBlock per level) computed for a hashed x_t at two
 * timesteps; the checkpoint (DiVAE `decoder.` names) is rebuilt byte for byte and run through the
 * graph buildUnetGraph writes beside it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildUnetGraph, unetShapeFromTensors, type UnetShape } from '../../../../../models/engine/convert/unet-graph';
import { readSafetensorsHeader } from '../../../../../models/engine/fm/safetensors';
import { float32, GraphSession } from '../../../../../models/engine/runtime';
import { fnv1a32, hashInt16, rebuildCheckpoint, type CheckpointFixture } from '../fm/official-fixture';

const DIR = join(__dirname, '../../../../fixtures/official-divae-unet');
const CHECKPOINT = JSON.parse(readFileSync(join(DIR, 'checkpoint.json'), 'utf8')) as CheckpointFixture;
interface Input {
  seed: string;
  base: number;
  scale: number;
  shape: number[];
}
const REF = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as {
  checkpointSha256: string;
  unet: Record<string, unknown>;
  inputs: { x_t: Input; quant: Input };
  timesteps: number[];
  indices: number[];
  file: string;
  maxAbs: number[];
};
const OUTPUTS = new Float32Array(readFileSync(join(DIR, REF.file)).buffer.slice(0));

const hashed = (i: Input): Float32Array => {
  const n = i.shape.reduce((a, b) => a * b, 1);
  return Float32Array.from(hashInt16(fnv1a32(i.seed), n), (v) => i.base + (v * i.scale) / 32768);
};

const u = REF.unet as { in_channels: number; cond_channels: number; patch_size: number; model_channels: number; channel_mult: number[]; num_res_blocks: number; attention_resolutions: number[]; num_heads: number };
const SHAPE: UnetShape = {
  channels: u.in_channels, condChannels: u.cond_channels, patch: u.patch_size, modelChannels: u.model_channels,
  channelMult: u.channel_mult, numResBlocks: u.num_res_blocks, attentionResolutions: u.attention_resolutions, heads: u.num_heads,
};

describe('the DiVAE patched-UNet denoiser graph against the official code', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  async function run(dtype: 'F32' | 'F16'): Promise<{ sha: string; diffs: number[] }> {
    const dir = mkdtempSync(join(tmpdir(), 'official-unet-'));
    dirs.push(dir);
    const sha = rebuildCheckpoint(CHECKPOINT, DIR, dir, dtype);
    const header = await readSafetensorsHeader(join(dir, 'model.safetensors'));
    // The shape the official config built, read back from the tensors alone.
    expect(unetShapeFromTensors(header, SHAPE.patch)).toEqual(SHAPE);
    writeFileSync(join(dir, 'unet.onnx'), buildUnetGraph(header, SHAPE));
    const session = await GraphSession.open(join(dir, 'unet.onnx'), { providers: ['cpu'], intraOpThreads: 1 });
    const x = hashed(REF.inputs.x_t);
    const q = hashed(REF.inputs.quant);
    const diffs: number[] = [];
    try {
      for (const [j, t] of REF.timesteps.entries()) {
        const out = await session.run({ x_t: float32(x, REF.inputs.x_t.shape), t: float32(Float32Array.of(t), [1]), quant: float32(q, REF.inputs.quant.shape) });
        const y = out.estimate;
        if (y?.type !== 'float32') throw new Error('no float32 estimate');
        expect(y.dims).toEqual(REF.inputs.x_t.shape);
        let d = 0;
        REF.indices.forEach((idx, i) => (d = Math.max(d, Math.abs((y.data[idx] as number) - (OUTPUTS[j * REF.indices.length + i] as number)))));
        diffs.push(d);
      }
    } finally {
      await session.release();
    }
    console.log(`${dtype} DiVAE UNet step vs official: max |diff| ${diffs.map((d, i) => `t=${REF.timesteps[i]} ${d.toExponential(2)}`).join(', ')} over ${REF.indices.length} values (|out| ≤ ${Math.max(...REF.maxAbs).toFixed(2)})`);
    return { sha, diffs };
  }

  it('float32: one step within 1e-4 at t = 980 and t = 20', async () => {
    const r = await run('F32');
    expect(r.sha).toBe(CHECKPOINT.sha256);
    expect(REF.checkpointSha256).toBe(CHECKPOINT.sha256);
    for (const d of r.diffs) expect(d).toBeLessThan(1e-4);
  }, 120_000);

  it('float16 storage stays close', async () => {
    const r = await run('F16');
    for (const d of r.diffs) expect(d).toBeLessThan(0.05 * Math.max(1, ...REF.maxAbs));
  }, 120_000);
});
