/**
 * resizeBicubicPil against PIL itself: test/fixtures/official-sr-condition holds a 448 × 448 picture
 * and what the official SR data loader's resize call (PIL `Image.resize` with the resample mode
 * fourm's `get_pil_resample_mode(None)` gives, PIL's default: bicubic) made of it at 224 and at 160
 * (models/recipe/fourm_recipe/official/sr_condition_224.py).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { resizeBicubicPil } from '../../../../../models/engine/generate/pil-resize';
import type { RgbaImage } from '../../../../../models/tokenizers/image';

const DIR = join(__dirname, '../../../../fixtures/official-sr-condition');
const REF = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as { input: string; outputs: { file: string; size: number }[] };

async function png(file: string): Promise<RgbaImage> {
  const { data, info } = await sharp(join(DIR, file)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

function maxDiff(a: RgbaImage, b: RgbaImage): { max: number; differing: number } {
  let max = 0;
  let differing = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs((a.data[i] as number) - (b.data[i] as number));
    max = Math.max(max, d);
    if (d > 0) differing++;
  }
  return { max, differing };
}

describe('resizeBicubicPil: PIL bicubic, as the official SR data made rgb@224 beside rgb@448', () => {
  for (const out of REF.outputs) {
    it(`448 → ${out.size}: byte-identical to PIL`, async () => {
      const [src, want] = await Promise.all([png(REF.input), png(out.file)]);
      const got = resizeBicubicPil(src, out.size, out.size);
      expect([got.width, got.height]).toEqual([out.size, out.size]);
      const d = maxDiff(got, want);
      console.log(`PIL bicubic 448 → ${out.size}: max |diff| ${d.max}, ${d.differing} of ${want.data.length} bytes differ`);
      expect(d.differing).toBe(0);
    });
  }

  it('keeps a flat picture flat, leaves an unchanged size alone, refuses bad sizes', () => {
    const flat: RgbaImage = { width: 8, height: 6, data: new Uint8Array(8 * 6 * 4).fill(200) };
    expect(Array.from(new Set(resizeBicubicPil(flat, 3, 5).data))).toEqual([200]);
    const same = resizeBicubicPil(flat, 8, 6);
    expect(same.data).toEqual(flat.data);
    expect(same.data).not.toBe(flat.data);
    expect(() => resizeBicubicPil(flat, 0, 5)).toThrow('resize: width 0 is not a whole number ≥ 1');
    expect(() => resizeBicubicPil({ width: 2, height: 2, data: new Uint8Array(3) }, 1, 1)).toThrow(/malformed \(2×2 with 3 bytes/);
  });
});
