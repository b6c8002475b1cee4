import { describe, expect, it } from 'vitest';
import { createPlane } from '../../../../renderer/src/document/plane';
import { dabCoverage, dabsAlong, stampDab, type BrushSettings } from '../../../../renderer/src/tools/brush';
import { stampClassDab } from '../../../../renderer/src/tools/classBrush';
import { clampByte, linearGradient, stampDepthDab } from '../../../../renderer/src/tools/depth';

const brush: BrushSettings = { size: 8, hardness: 1, opacity: 1, spacing: 0.25, color: [255, 128, 0] };

describe('dab coverage', () => {
  it('is 1 in the hard core, 0 at and past the radius, monotone between', () => {
    expect(dabCoverage(0, 4, 0.5)).toBe(1);
    expect(dabCoverage(2, 4, 0.5)).toBe(1);
    expect(dabCoverage(4, 4, 0.5)).toBe(0);
    const a = dabCoverage(2.5, 4, 0.5);
    const b = dabCoverage(3.5, 4, 0.5);
    expect(a).toBeGreaterThan(b);
    expect(b).toBeGreaterThan(0);
    expect(dabCoverage(3.99, 4, 1)).toBe(1);
  });
});

describe('stampDab', () => {
  it('returns the clipped dirty rect and blends the colour', () => {
    const p = createPlane(16, 16, 3);
    const edit = stampDab(p, { x: 1, y: 1, pressure: 1 }, brush);
    expect(edit?.rect).toEqual({ x: 0, y: 0, w: 5, h: 5 });
    expect(Array.from(edit?.after.subarray(0, 3) ?? [])).toEqual([255, 128, 0]);
    // Does not mutate the plane: the store applies it.
    expect(p.data[0]).toBe(0);
  });

  it('pressure shrinks the dab, opacity blends partially', () => {
    const p = createPlane(32, 32, 1);
    const big = stampDab(p, { x: 16, y: 16, pressure: 1 }, { ...brush, color: [200] });
    const small = stampDab(p, { x: 16, y: 16, pressure: 0.25 }, { ...brush, color: [200] });
    expect((small?.rect.w ?? 0) < (big?.rect.w ?? 0)).toBe(true);
    const half = stampDab(p, { x: 16, y: 16, pressure: 1 }, { ...brush, color: [200], opacity: 0.5 });
    const centre = ((16 - (half?.rect.y ?? 0)) * (half?.rect.w ?? 0) + (16 - (half?.rect.x ?? 0)));
    expect(half?.after[centre]).toBe(100);
  });

  it('erases towards the empty value', () => {
    const p = createPlane(8, 8, 1, 90);
    const edit = stampDab(p, { x: 4, y: 4, pressure: 1 }, { ...brush, size: 2, color: [0] });
    expect(edit?.after.includes(0)).toBe(true);
  });

  it('is null outside the plane', () => {
    expect(stampDab(createPlane(8, 8, 1), { x: -20, y: 3, pressure: 1 }, brush)).toBeNull();
  });
});

describe('dabsAlong', () => {
  it('spaces dabs evenly across segments using the carry', () => {
    const s = { ...brush, size: 8, spacing: 0.25 }; // step 2 px
    const a = dabsAlong({ x: 0, y: 0, pressure: 1 }, { x: 3, y: 0, pressure: 1 }, s, 0);
    expect(a.dabs.map((d) => d.x)).toEqual([2]);
    expect(a.carry).toBeCloseTo(1);
    const b = dabsAlong({ x: 3, y: 0, pressure: 1 }, { x: 7, y: 0, pressure: 1 }, s, a.carry);
    expect(b.dabs.map((d) => d.x)).toEqual([4, 6]);
  });

  it('interpolates pressure and handles zero-length moves', () => {
    const r = dabsAlong({ x: 0, y: 0, pressure: 0 }, { x: 10, y: 0, pressure: 1 }, { ...brush, size: 2, spacing: 1 }, 0);
    expect(r.dabs.length).toBeGreaterThan(3);
    expect(r.dabs.every((d, i, all) => i === 0 || d.pressure > (all[i - 1]?.pressure ?? 0))).toBe(true);
    expect(dabsAlong({ x: 1, y: 1, pressure: 1 }, { x: 1, y: 1, pressure: 1 }, brush, 0.5)).toEqual({ dabs: [], carry: 0.5 });
  });
});

describe('class brush', () => {
  it('writes exact class indices with no blending', () => {
    const p = createPlane(16, 16, 1, 255);
    const edit = stampClassDab(p, 8, 8, 6, 2);
    const values = new Set(edit?.after);
    expect([...values].sort()).toEqual([2, 255]);
    expect(stampClassDab(p, 0.5, 0.5, 1, 1)?.after[0]).toBe(1);
    expect(() => stampClassDab(createPlane(4, 4, 3), 1, 1, 1, 1)).toThrow(RangeError);
  });
});

describe('depth tools', () => {
  it('depth brush sets the value', () => {
    const p = createPlane(8, 8, 1);
    const e = stampDepthDab(p, { x: 4, y: 4, pressure: 1 }, { size: 4, hardness: 1, opacity: 1, spacing: 0.2 }, 300);
    expect(Math.max(...(e?.after ?? []))).toBe(255);
  });

  it('linear gradient ramps between stops and clamps beyond', () => {
    const p = createPlane(10, 1, 1);
    const e = linearGradient(p, { x: 0, y: 0.5, value: 0 }, { x: 10, y: 0.5, value: 200 });
    expect(Array.from(e.after)).toEqual([10, 30, 50, 70, 90, 110, 130, 150, 170, 190]);
    const flat = linearGradient(p, { x: 2, y: 0, value: 9 }, { x: 2, y: 0, value: 40 });
    expect(flat.after.every((v) => v === 40)).toBe(true);
    expect(clampByte(-3)).toBe(0);
  });
});
