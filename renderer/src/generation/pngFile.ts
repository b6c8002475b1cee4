// A host raster (RGBA8, base64) as PNG file bytes: how upscaled pictures are kept in the document
// and in project files (a 448 px picture is a few hundred KB as PNG, 800 KB as raw RGBA). The
// page's canvas encodes; PNG is lossless for these opaque pictures.
import { base64ToBytes } from './base64';
import { sizeText } from '../state/wording';
import type { WireRaster } from './upscale';

export function rasterCanvas(raster: WireRaster): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = raster.width;
  c.height = raster.height;
  c.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(base64ToBytes(raster.rgba)), raster.width, raster.height), 0, 0);
  return c;
}

export function rasterToPng(raster: WireRaster): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    rasterCanvas(raster).toBlob((blob) => {
      if (!blob) return reject(new Error(`the ${sizeText(raster.width, raster.height)} picture could not be encoded as PNG`));
      blob.arrayBuffer().then((b) => resolve(new Uint8Array(b)), reject);
    }, 'image/png');
  });
}

/** PNG bytes → RGBA8 pixels as stored (no colour-space conversion or premultiplication). */
export async function pngToRgba(png: Uint8Array): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  const bitmap = await createImageBitmap(new Blob([png.slice().buffer], { type: 'image/png' }), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  try {
    const c = document.createElement('canvas');
    c.width = bitmap.width;
    c.height = bitmap.height;
    const ctx = c.getContext('2d');
    if (!ctx) throw new Error('2D canvas context unavailable');
    ctx.drawImage(bitmap, 0, 0);
    return { width: bitmap.width, height: bitmap.height, data: ctx.getImageData(0, 0, bitmap.width, bitmap.height).data };
  } finally {
    bitmap.close();
  }
}
