import { expect, test } from 'vitest';
import { writePsd } from '../../../../renderer/src/project/psd';

const u16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
const u32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;

test('a layered PSD: header, two layer records with names, channel data, composite', () => {
  const w = 3;
  const h = 2;
  const red = new Uint8Array(w * h * 4).map((_, i) => [255, 0, 0, 255][i % 4]!);
  const half = new Uint8Array(w * h * 4).map((_, i) => [0, 0, 200, 128][i % 4]!);
  const psd = writePsd(w, h, [
    { name: 'RGB', rgba: red, opacity: 1, visible: true },
    { name: 'Depth', rgba: half, opacity: 0.5, visible: false },
  ], red);
  expect(new TextDecoder().decode(psd.subarray(0, 4))).toBe('8BPS');
  expect(u16(psd, 4)).toBe(1);
  expect(u16(psd, 12)).toBe(3); // channels
  expect([u32(psd, 14), u32(psd, 18)]).toEqual([h, w]);
  expect([u16(psd, 22), u16(psd, 24)]).toEqual([8, 3]);
  // After empty colour-mode and resource sections: layer & mask section, then layer info.
  const section = 26 + 8;
  const sectionLength = u32(psd, section);
  const infoLength = u32(psd, section + 4);
  expect(sectionLength).toBe(infoLength + 8);
  expect(u16(psd, section + 8)).toBe(2); // layer count
  // The file ends with the composite: 2 bytes compression + 3 planes.
  expect(psd.length).toBe(section + 4 + sectionLength + 2 + 3 * w * h);
  expect(Array.from(psd.subarray(psd.length - 3 * w * h, psd.length - 2 * w * h))).toEqual(new Array(w * h).fill(255));
  const text = new TextDecoder('latin1').decode(psd);
  expect(text).toContain('8BIMnorm');
  expect(text).toContain('\x03RGB');
  expect(text).toContain('\x05Depth');
});

test('sizes are checked', () => {
  expect(() => writePsd(2, 2, [{ name: 'x', rgba: new Uint8Array(3), opacity: 1, visible: true }], new Uint8Array(16))).toThrow(/expected 16 bytes/);
});
