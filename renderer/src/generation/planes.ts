// Layer planes ↔ the RGBA rasters the engine reads and writes. Conventions (FORMAT.md and the
// image tokenizers): depth and edges are grey (255 = near / edge), normals are RGB-encoded,
// segmentation travels as class colours (the engine maps each to its nearest class).
import { UNLABELED_CLASS, type Plane, type SegmentationClass } from '../document';

export interface RgbaRaster {
  readonly width: number;
  readonly height: number;
  /** width × height × 4 bytes. */
  readonly rgba: Uint8Array;
}

export function planeToRaster(plane: Plane, classes: readonly SegmentationClass[] | null): RgbaRaster {
  const n = plane.width * plane.height;
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    if (classes) {
      const index = plane.data[i] ?? UNLABELED_CLASS;
      // Unlabeled pixels have no colour; the first class is the model's background.
      const c = classes[index === UNLABELED_CLASS ? 0 : index]?.color ?? [0, 0, 0];
      rgba.set([c[0], c[1], c[2], 255], i * 4);
    } else if (plane.channels === 1) {
      const v = plane.data[i] ?? 0;
      rgba.set([v, v, v, 255], i * 4);
    } else {
      rgba.set([plane.data[i * 3] ?? 0, plane.data[i * 3 + 1] ?? 0, plane.data[i * 3 + 2] ?? 0, 255], i * 4);
    }
  }
  return { width: plane.width, height: plane.height, rgba };
}

/** A result raster as a layer plane. Segmentation uses the class map when the host sent one. */
export function rasterToPlane(raster: RgbaRaster, channels: number, classMap: Uint8Array | null): Plane {
  const n = raster.width * raster.height;
  if (raster.rgba.length !== n * 4) throw new RangeError(`raster: expected ${n * 4} bytes, got ${raster.rgba.length}`);
  if (classMap) {
    if (classMap.length !== n) throw new RangeError(`class map: expected ${n} bytes, got ${classMap.length}`);
    return { width: raster.width, height: raster.height, channels: 1, data: classMap.slice() };
  }
  const data = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    if (channels === 1) data[i] = raster.rgba[i * 4] ?? 0;
    else for (let c = 0; c < 3; c++) data[i * 3 + c] = raster.rgba[i * 4 + c] ?? 0;
  }
  return { width: raster.width, height: raster.height, channels, data };
}

/** Keeps `original` outside the masked tokens, so a region regeneration changes only the region. */
export function compositeInsideMask(original: Plane, generated: Plane, pixelMask: Uint8Array): Plane {
  const data = original.data.slice();
  const ch = original.channels;
  for (let i = 0; i < pixelMask.length; i++) {
    if (!pixelMask[i]) continue;
    for (let c = 0; c < ch; c++) data[i * ch + c] = generated.data[i * ch + c] ?? 0;
  }
  return { ...original, data };
}

/** `generated` over `original` with a soft alpha (0..1 per pixel): a feathered region seam. */
export function blendWithAlpha(original: Plane, generated: Plane, alpha: Float32Array): Plane {
  const data = original.data.slice();
  const ch = original.channels;
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i] ?? 0;
    if (a <= 0) continue;
    for (let c = 0; c < ch; c++) {
      const o = original.data[i * ch + c] ?? 0;
      data[i * ch + c] = Math.round(o + ((generated.data[i * ch + c] ?? 0) - o) * a);
    }
  }
  return { ...original, data };
}
