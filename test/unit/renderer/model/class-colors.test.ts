// The shipped palette: every pair of classes must look different (sky and cube were both blue).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deltaE, srgbToLab } from '../../../../renderer/src/model/colorDifference';
import { nearestClass } from '../../../../models/tokenizers/image/colormaps';

const manifest = JSON.parse(readFileSync(new URL('../../../../models/zoo/world-4m-small/manifest.json', import.meta.url), 'utf8')) as {
  classes: { id: number; name: string; color: [number, number, number] }[];
};

describe('CIELAB ΔE', () => {
  it('matches published sRGB → Lab values', () => {
    const white = srgbToLab([255, 255, 255]);
    expect(white[0]).toBeCloseTo(100, 2);
    expect(Math.abs(white[1]) + Math.abs(white[2])).toBeLessThan(0.01);
    const red = srgbToLab([255, 0, 0]);
    expect(red[0]).toBeCloseTo(53.24, 1);
    expect(red[1]).toBeCloseTo(80.09, 1);
    expect(red[2]).toBeCloseTo(67.2, 1);
    expect(deltaE([0, 0, 0], [255, 255, 255])).toBeCloseTo(100, 2);
  });

  it('called the old sky and cube blues alike', () => {
    expect(deltaE([110, 170, 235], [70, 130, 220])).toBeLessThan(25);
  });
});

describe('the shipped class palette', () => {
  const classes = manifest.classes;

  it('has every pair of classes at least ΔE 40 apart', () => {
    expect(classes.length).toBeGreaterThanOrEqual(2);
    const close: string[] = [];
    for (const [i, a] of classes.entries()) {
      for (const b of classes.slice(i + 1)) {
        const d = deltaE(a.color, b.color);
        if (d < 40) close.push(`${a.name}/${b.name}: ΔE ${d.toFixed(1)}`);
      }
    }
    expect(close).toEqual([]);
  });

  it('reads each class colour back as its own class (the engine sketch → class id path)', () => {
    for (const c of classes) expect(nearestClass(c.color[0], c.color[1], c.color[2], classes)).toBe(c.id);
  });
});
