import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, writeSync, ftruncateSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES, readSafetensors, readSafetensorsHeader, readTensors } from '../../../../../models/engine/fm/safetensors';
import { headerBytes, safetensorsBytes, writeSafetensors } from './safetensors-writer';

const dir = mkdtempSync(join(tmpdir(), 'st-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const path = (): string => join(dir, `f${n++}.safetensors`);
const raw = (bytes: Buffer): string => {
  const f = path();
  writeFileSync(f, bytes);
  return f;
};

describe('safetensors reader', () => {
  const values = [0, 1, -2.5, 0.333251953125, 65504, -1e-5];

  it('reads F32, F16 and BF16 into float32 and returns the metadata', async () => {
    const f = path();
    writeSafetensors(f, {
      a: { dtype: 'F32', shape: [2, 3], values },
      b: { dtype: 'F16', shape: [6], values },
      c: { dtype: 'BF16', shape: [1, 6], values: [1, -2, 0.5, 3.140625, 0, -0.0078125] },
    }, { dim: '768', format: 'pt' });
    const t = await readSafetensors(f);
    expect(Array.from(t.get('a')!.data)).toEqual(Array.from(Float32Array.from(values)));
    expect(t.get('a')!.shape).toEqual([2, 3]);
    const b = Array.from(t.get('b')!.data);
    values.forEach((v, i) => expect(Math.abs((b[i] as number) - v)).toBeLessThanOrEqual(Math.abs(v) * 1e-3 + 1e-7));
    expect(Array.from(t.get('c')!.data)).toEqual([1, -2, 0.5, 3.140625, 0, -0.0078125]);
    const h = await readSafetensorsHeader(f);
    expect(h.metadata).toEqual({ dim: '768', format: 'pt' });
    expect([...h.entries.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('reads only the tensors asked for', async () => {
    const f = path();
    writeSafetensors(f, { keep: { dtype: 'F32', shape: [2], values: [1, 2] }, skip: { dtype: 'I64', shape: [2], values: [1, 2] } });
    const t = await readSafetensors(f, (name) => name === 'keep');
    expect([...t.keys()]).toEqual(['keep']);
    await expect(readSafetensors(f)).rejects.toThrow(`${f}: tensor "skip" has dtype I64; expected F32, F16 or BF16`);
    const h = await readSafetensorsHeader(f);
    await expect(readTensors(h, ['nope'])).rejects.toThrow(`${f}: tensor "nope" is missing`);
  });

  it('reads a tensor beyond 2 GB by offset without loading the file (sparse file)', async () => {
    const big = 3 * 1024 ** 3; // a 3 GiB F16 tensor that is never read
    const header = headerBytes({
      __metadata__: { note: 'sparse' },
      huge: { dtype: 'F16', shape: [big / 2], data_offsets: [0, big] },
      tail: { dtype: 'F32', shape: [4], data_offsets: [big, big + 16] },
    });
    const f = path();
    const fd = openSync(f, 'w');
    try {
      writeSync(fd, header, 0, header.length, 0);
      writeSync(fd, Buffer.from(Float32Array.from([1.5, -2, 3, 4]).buffer), 0, 16, header.length + big);
      ftruncateSync(fd, header.length + big + 16);
    } finally {
      closeSync(fd);
    }
    expect(statSync(f).size).toBeGreaterThan(2 ** 31);
    const t = await readSafetensors(f, (name) => name === 'tail');
    expect(Array.from(t.get('tail')!.data)).toEqual([1.5, -2, 3, 4]);
    expect((await readSafetensorsHeader(f)).entries.get('huge')!.shape).toEqual([big / 2]);
  });

  describe('says what is wrong with a file that is not what it claims', () => {
    const ok = { dtype: 'F32', shape: [2], data_offsets: [0, 8] };
    const withData = (header: unknown, dataBytes = 8): string => raw(Buffer.concat([headerBytes(header), Buffer.alloc(dataBytes)]));
    const cases: [string, () => string, RegExp][] = [
      ['too short', () => raw(Buffer.from([1, 2, 3])), /3 bytes is too short for a safetensors file/],
      ['header too large', () => { const b = Buffer.alloc(16); b.writeBigUInt64LE(BigInt(MAX_HEADER_BYTES) + 1n); return raw(b); }, /header length 100000001 is over the 100000000-byte limit/],
      ['header past the end', () => { const b = Buffer.alloc(16); b.writeBigUInt64LE(64n); return raw(b); }, /header length 64 runs past the end of the file \(16 bytes\)/],
      ['header not JSON', () => { const b = Buffer.from('        {nope   '); b.writeBigUInt64LE(8n); return raw(b); }, /header is not valid JSON/],
      ['header not an object', () => withData([1, 2]), /header is not a JSON object/],
      ['no shape', () => withData({ t: { dtype: 'F32', data_offsets: [0, 8] } }), /tensor "t": header entry has no shape/],
      ['bad shape', () => withData({ t: { dtype: 'F32', shape: [2, -1], data_offsets: [0, 8] } }), /tensor "t": shape \[2,-1\] is not a list/],
      ['no dtype', () => withData({ t: { shape: [2], data_offsets: [0, 8] } }), /tensor "t": header entry has no dtype/],
      ['unknown dtype', () => withData({ t: { dtype: 'F12', shape: [2], data_offsets: [0, 8] } }), /tensor "t": unknown dtype "F12"/],
      ['reversed offsets', () => withData({ t: { ...ok, data_offsets: [8, 0] } }), /tensor "t": data_offsets \[8,0\] are not two ordered/],
      ['offsets not numbers', () => withData({ t: { ...ok, data_offsets: ['0', 8] } }), /data_offsets \["0",8\]/],
      ['dtype does not match the bytes', () => withData({ t: { ...ok, dtype: 'F16' } }), /tensor "t": 8 bytes of data for shape \[2\] of F16, which needs 4/],
      ['shape does not match the bytes', () => withData({ t: { ...ok, shape: [3] } }), /8 bytes of data for shape \[3\] of F32, which needs 12/],
      ['truncated data', () => withData({ t: ok }, 5), /tensor "t": data ends at byte \d+ but the file has \d+ bytes \(truncated\?\)/],
      ['overlapping tensors', () => withData({ a: ok, b: { ...ok, data_offsets: [4, 12] } }, 12), /tensors "a" and "b" overlap/],
      ['metadata not strings', () => withData({ __metadata__: { dim: 768 }, t: ok }), /__metadata__\.dim is not a string/],
    ];
    for (const [what, make, message] of cases) {
      it(what, async () => {
        const f = make();
        await expect(readSafetensors(f)).rejects.toThrow(message);
        await expect(readSafetensors(f)).rejects.toThrow(f);
      });
    }

    it('a folder where the file should be is named as such (not a bare EISDIR)', async () => {
      const folder = join(dir, 'folder.safetensors');
      mkdirSync(folder);
      await expect(readSafetensorsHeader(folder)).rejects.toThrow(`${folder}: is a folder, expected a .safetensors file`);
      await expect(readSafetensors(folder)).rejects.toThrow(/is a folder/);
    });

    it.skipIf(process.platform === 'win32')('a device or a pipe is refused before it is opened (opening a FIFO waits for a writer forever)', async () => {
      const fifo = join(dir, 'pipe.safetensors');
      execFileSync('mkfifo', [fifo]);
      await expect(readSafetensorsHeader(fifo)).rejects.toThrow(`${fifo}: is a named pipe (FIFO), expected a .safetensors file`);
      await expect(readSafetensorsHeader('/dev/zero')).rejects.toThrow('/dev/zero: is a character device, expected a .safetensors file');
    });

    it('a missing file', async () => {
      await expect(readSafetensorsHeader(join(dir, 'absent.safetensors'))).rejects.toThrow(/absent\.safetensors: cannot open/);
    });

    it('a valid file stays readable after these checks', async () => {
      const f = raw(safetensorsBytes({ t: { dtype: 'F32', shape: [2], values: [1, 2] } }));
      expect(Array.from((await readSafetensors(f)).get('t')!.data)).toEqual([1, 2]);
    });
  });
});
