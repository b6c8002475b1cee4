import { describe, expect, it } from 'vitest';
import { decodeNormal, encodeNormal, normalFromSpherePicker, spherePickerFromNormal } from '../../../../renderer/src/tools/normal';

describe('normal picker', () => {
  it('the centre faces the viewer', () => {
    expect(normalFromSpherePicker(0, 0)).toEqual([0, 0, 1]);
    expect(encodeNormal([0, 0, 1])).toEqual([128, 128, 255]);
  });

  it('up on screen is +y; outside the disc snaps to the rim', () => {
    const n = normalFromSpherePicker(0, -1);
    expect(n[1]).toBeCloseTo(1);
    expect(normalFromSpherePicker(3, 4)).toEqual([0.6, -0.8, 0]);
  });

  it('gives unit vectors and round-trips through RGB within quantization', () => {
    for (const [u, v] of [[0.3, 0.2], [-0.7, 0.1], [0.5, -0.5]] as const) {
      const n = normalFromSpherePicker(u, v);
      expect(Math.hypot(...n)).toBeCloseTo(1, 10);
      const back = decodeNormal(encodeNormal(n));
      for (let i = 0; i < 3; i++) expect(Math.abs((back[i] ?? 0) - (n[i] ?? 0))).toBeLessThan(0.01);
      const p = spherePickerFromNormal(n);
      expect(p.u).toBeCloseTo(u);
      expect(p.v).toBeCloseTo(v);
    }
  });
});
