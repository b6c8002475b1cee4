import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFeeds, GraphInputError, SessionCache, bool, float32, int64 } from '../../../../models/engine/runtime';
import { matmulModel } from '../../../../models/engine/runtime/onnx-proto';
import { planProviders } from '../../../../models/engine/providers';
import { MODEL_DIR } from './model-fixture';

const declared = [
  { name: 'x', type: 'float32', shape: ['B', 'N', 256] },
  { name: 'pad', type: 'bool', shape: ['B', 'N'] },
];

describe('graph input validation', () => {
  it('accepts feeds matching the declared names, dtypes, ranks and fixed dims', () => {
    expect(() => checkFeeds('encoder.onnx', declared, { x: float32(new Float32Array(512), [1, 2, 256]), pad: bool(new Uint8Array(2), [1, 2]) })).not.toThrow();
  });
  it.each([
    [{ x: float32(new Float32Array(512), [1, 2, 256]) }, /input "pad" is missing/],
    [{ x: float32(new Float32Array(512), [1, 2, 256]), pad: int64(new BigInt64Array(2), [1, 2]) }, /"pad" is int64, expected bool/],
    [{ x: float32(new Float32Array(512), [2, 256]), pad: bool(new Uint8Array(2), [1, 2]) }, /"x" has rank 2 .* expected rank 3/],
    [{ x: float32(new Float32Array(256), [1, 2, 128]), pad: bool(new Uint8Array(2), [1, 2]) }, /"x" axis 2 is 128, expected 256/],
    [{ x: float32(new Float32Array(3), [1, 2, 256]), pad: bool(new Uint8Array(2), [1, 2]) }, /holds 3 values/],
    [{ x: float32(new Float32Array(512), [1, 2, 256]), pad: bool(new Uint8Array(2), [1, 2]), y: bool(new Uint8Array(1), [1]) }, /unknown input "y"/],
  ])('names the graph and input when a feed is wrong (%#)', (feeds, message) => {
    expect(() => checkFeeds('encoder.onnx', declared, feeds)).toThrow(GraphInputError);
    expect(() => checkFeeds('encoder.onnx', declared, feeds)).toThrow(message);
  });
});

describe('session cache and real graphs', () => {
  it('shares one session per (model, file, providers) and validates against the graph declaration', async () => {
    const cache = new SessionCache({ providers: ['cpu'], intraOpThreads: 1 });
    const file = join(MODEL_DIR, 'fm/head_tok_semseg_128.onnx');
    const [a, b] = await Promise.all([cache.get('m', file), cache.get('m', file)]);
    expect(a).toBe(b);
    expect(cache.size).toBe(1);
    expect(a.report.provider).toBe('cpu');
    expect(a.inputs).toEqual([{ name: 'hidden', type: 'float32', shape: ['B', 'M', 256] }]);
    await expect(a.run({ hidden: float32(new Float32Array(10), [1, 1, 10]) })).rejects.toThrow(/head_tok_semseg_128\.onnx: input "hidden" axis 2 is 10, expected 256/);
    const out = await a.run({ hidden: float32(new Float32Array(256), [1, 1, 256]) });
    expect(out.logits?.dims).toEqual([1, 1, 1000]);
    await cache.releaseAll();
  });

  it('reports a file that cannot be opened with the file named, and does not cache the failure', async () => {
    const cache = new SessionCache({ providers: ['cpu'] });
    await expect(cache.get('m', join(MODEL_DIR, 'missing.onnx'))).rejects.toThrow(/missing\.onnx: the file is missing \(was the model's folder moved or removed while the model was open\? open the model again\)/);
    await expect(cache.get('m', MODEL_DIR)).rejects.toThrow(`${MODEL_DIR}: is a folder, expected an ONNX graph file`);
    // Garbage bytes: each provider's reason, the CPU's naming the parse failure.
    const garbage = join(mkdtempSync(join(tmpdir(), 'graph-')), 'garbage.onnx');
    writeFileSync(garbage, Buffer.alloc(3000, 9));
    await expect(cache.get('m', garbage)).rejects.toThrow(/garbage\.onnx: no execution provider could open it \(.*cpu: session failed: .*(Protobuf|parse|Load model)/i);
    expect(cache.size).toBe(0);
  });

  it.skipIf(process.platform === 'win32')('refuses a pipe or device before onnxruntime opens it (its thread waited on a FIFO forever)', async () => {
    const cache = new SessionCache({ providers: ['cpu'] });
    const fifo = join(mkdtempSync(join(tmpdir(), 'graph-')), 'pipe.onnx');
    execFileSync('mkfifo', [fifo]);
    await expect(cache.get('m', fifo)).rejects.toThrow(`${fifo}: is a named pipe (FIFO), expected an ONNX graph file`);
    await expect(cache.get('m', '/dev/zero')).rejects.toThrow('/dev/zero: is a character device, expected an ONNX graph file');
  }, 5_000);

  it('plans accelerators before the CPU and says why each is skipped', () => {
    const plan = planProviders('linux', [{ name: 'cpu', bundled: true }]);
    expect(plan.candidates).toEqual(['cpu']);
    expect(plan.skipped.map((s) => s.provider)).toEqual(['cuda', 'dml', 'coreml']);
  });

  it('writes a loadable one-node ONNX MatMul for the throughput probe', async () => {
    const ort = await import('onnxruntime-node');
    const s = await ort.InferenceSession.create(matmulModel(2, 3, 2));
    const a = new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
    const b = new ort.Tensor('float32', Float32Array.of(1, 0, 0, 1, 1, 1), [3, 2]);
    const y = (await s.run({ A: a, B: b })).Y;
    expect(Array.from(y?.data as Float32Array)).toEqual([4, 5, 10, 11]);
    await s.release();
  });
});
