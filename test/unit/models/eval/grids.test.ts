import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { boxesImage, maskedImage, wrapText, writeGrid } from '../../../../models/eval/grids';
import type { RgbaImage } from '../../../../models/tokenizers/image';

const flat = (size: number, c: readonly [number, number, number]): RgbaImage => {
  const data = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) data.set([...c, 255], i * 4);
  return { width: size, height: size, data };
};
const px = (img: RgbaImage, x: number, y: number) => Array.from(img.data.slice((y * img.width + x) * 4, (y * img.width + x) * 4 + 3));

const dir = mkdtempSync(join(tmpdir(), 'grids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('grid helpers', () => {
  it('wraps words to the width', () => {
    expect(wrapText('a red cube on sand under a blue sky', 12)).toEqual(['a red cube', 'on sand', 'under a blue', 'sky']);
  });

  it('greys the hidden tokens only', () => {
    const m = maskedImage(flat(16, [200, 10, 10]), [1, 0, 0, 1], 2);
    expect(px(m, 0, 0)).toEqual([200, 10, 10]);
    expect(px(m, 12, 0)).toEqual([128, 128, 128]);
    expect(px(m, 0, 12)).toEqual([128, 128, 128]);
    expect(px(m, 15, 15)).toEqual([200, 10, 10]);
  });

  it('draws box outlines in the label colour', () => {
    const img = boxesImage([{ box: [0.25, 0.25, 0.75, 0.75], label: 'cube' }], 16, () => [0, 255, 0]);
    expect(px(img, 4, 4)).toEqual([0, 255, 0]);
    expect(px(img, 8, 8)).toEqual([48, 48, 48]);
  });
});

describe('writeGrid', () => {
  it('writes one column per scene and three rows, text conditions included', async () => {
    const file = join(dir, 'eval', 'g.png');
    const col = { condition: flat(32, [255, 0, 0]), generated: flat(32, [0, 255, 0]), real: flat(32, [0, 0, 255]) };
    await writeGrid(file, 'semseg → RGB', [col, { ...col, condition: 'a red cube & a <blue> sphere' }]);
    const meta = await sharp(file).metadata();
    expect(meta.width).toBe(92 + 2 * 36 + 4);
    expect(meta.height).toBe(24 + 3 * 36 + 4);
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => Array.from(data.slice((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    expect(at(92 + 4 + 16, 24 + 4 + 16)).toEqual([255, 0, 0]);
    expect(at(92 + 4 + 16, 24 + 4 + 36 + 16)).toEqual([0, 255, 0]);
    expect(at(92 + 4 + 36 + 16, 24 + 4 + 72 + 16)).toEqual([0, 0, 255]);
  });

  it('refuses an empty grid', async () => {
    await expect(writeGrid(join(dir, 'e.png'), 't', [])).rejects.toThrow(/at least one scene/);
  });
});
