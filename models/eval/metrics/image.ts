/**
 * Pixel-wise comparisons of RGBA images: surface normals stored as
 * RGB = (n + 1)·127.5 and RGB reconstruction PSNR. Alpha is ignored.
 */
import type { RgbaImage } from '../../tokenizers/image';

/** Mean angle in degrees between the normals two images encode (each re-normalised, as the recipe does). */
export function meanAngularErrorDeg(pred: RgbaImage, truth: RgbaImage): number {
  const n = samePixels(pred, truth);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = unitNormal(pred.data, i);
    const t = unitNormal(truth.data, i);
    const cos = Math.min(1, Math.max(-1, p[0] * t[0] + p[1] * t[1] + p[2] * t[2]));
    sum += (Math.acos(cos) * 180) / Math.PI;
  }
  return sum / n;
}

/** PSNR in dB over the RGB channels (peak 255). */
export function psnr(pred: RgbaImage, truth: RgbaImage): number {
  const n = samePixels(pred, truth);
  let se = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) se += ((pred.data[i * 4 + c] as number) - (truth.data[i * 4 + c] as number)) ** 2;
  }
  const mse = Math.max(se / (3 * n), 1e-12);
  return 10 * Math.log10((255 * 255) / mse);
}

function unitNormal(data: RgbaImage['data'], i: number): [number, number, number] {
  const x = (data[i * 4] as number) / 127.5 - 1;
  const y = (data[i * 4 + 1] as number) / 127.5 - 1;
  const z = (data[i * 4 + 2] as number) / 127.5 - 1;
  // The 1e-9 matches the recipe: a (127.5-ish) grey pixel is a near-zero vector, not a division by zero.
  const len = Math.hypot(x, y, z) + 1e-9;
  return [x / len, y / len, z / len];
}

function samePixels(a: RgbaImage, b: RgbaImage): number {
  if (a.width !== b.width || a.height !== b.height) throw new RangeError(`images differ in size: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  return a.width * a.height;
}
