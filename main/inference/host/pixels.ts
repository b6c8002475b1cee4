import type { Raster } from '../../../preload/contract/jobs';

/** Raster <-> tensor conversions for the host. Pure functions, no ORT types. */

export function decodeRgba(raster: Raster): Uint8Array {
  const bytes = Buffer.from(raster.rgba, 'base64');
  const expected = raster.width * raster.height * 4;
  if (bytes.length !== expected) {
    throw new RangeError(
      `image.rgba holds ${bytes.length} bytes, expected ${expected} for ${raster.width}x${raster.height} RGBA`,
    );
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** RGBA8 interleaved -> float32 planar RGB in [0, 1], shape [1, 3, H, W]. */
export function rgbaToPlanarRgb(rgba: Uint8Array, width: number, height: number): Float32Array {
  const plane = width * height;
  const out = new Float32Array(plane * 3);
  for (let i = 0; i < plane; i++) {
    out[i] = (rgba[i * 4] ?? 0) / 255;
    out[plane + i] = (rgba[i * 4 + 1] ?? 0) / 255;
    out[2 * plane + i] = (rgba[i * 4 + 2] ?? 0) / 255;
  }
  return out;
}

/** One float plane in [0, 1] -> opaque grey RGBA raster. */
export function greyToRaster(values: Float32Array, width: number, height: number): Raster {
  const bytes = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = Math.round(Math.min(1, Math.max(0, values[i] ?? 0)) * 255);
    bytes[i * 4] = v;
    bytes[i * 4 + 1] = v;
    bytes[i * 4 + 2] = v;
    bytes[i * 4 + 3] = 255;
  }
  return { width, height, rgba: bytes.toString('base64') };
}
