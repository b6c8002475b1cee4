import { describe, expect, test } from 'vitest';
import { pixelsResolver } from '../../../main/inference/host/generate-runner';

describe("a job's pixels (generate and upscale runners)", () => {
  test('only rasters sent under that ref: a ref named like an Object property gets the "no pixels" error, not a TypeError', async () => {
    const resolve = pixelsResolver({ a: { width: 1, height: 1, rgba: 'AAAA/w==' } });
    await expect(resolve('a')).resolves.toEqual({ width: 1, height: 1, data: Uint8Array.of(0, 0, 0, 255) });
    for (const ref of ['constructor', 'toString', '__proto__', 'missing']) {
      await expect(resolve(ref)).rejects.toThrow(`inputs: no pixels were sent for "${ref}"`);
    }
  });
});
