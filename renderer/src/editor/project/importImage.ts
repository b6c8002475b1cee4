// Importing a picture of any size and common format onto an image layer: EXIF orientation
// applied, centre-cropped to the model's aspect, resampled to the model grid.
import type { Plane } from '../../document';

export interface ImportedImage {
  readonly plane: Plane;
  /** Displayed size of the source (after EXIF orientation). */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
}

/** The largest centred source rectangle with the target's aspect ratio. */
export function centreCrop(sw: number, sh: number, tw: number, th: number): { x: number; y: number; w: number; h: number } {
  const scale = Math.min(sw / tw, sh / th);
  const w = tw * scale;
  const h = th * scale;
  return { x: (sw - w) / 2, y: (sh - h) / 2, w, h };
}

export async function importImageFile(file: Blob, width: number, height: number, channels: 1 | 3): Promise<ImportedImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new Error('This file is not an image the app can read (PNG, JPEG, WebP, GIF, BMP or AVIF).');
  }
  try {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('2D canvas context unavailable');
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    const crop = centreCrop(bitmap.width, bitmap.height, width, height);
    ctx.drawImage(bitmap, crop.x, crop.y, crop.w, crop.h, 0, 0, width, height);
    const rgba = ctx.getImageData(0, 0, width, height).data;
    const data = new Uint8Array(width * height * channels);
    for (let i = 0; i < width * height; i++) {
      const r = rgba[i * 4] ?? 0;
      const g = rgba[i * 4 + 1] ?? 0;
      const b = rgba[i * 4 + 2] ?? 0;
      if (channels === 1) data[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      else data.set([r, g, b], i * 3);
    }
    return { plane: { width, height, channels, data }, sourceWidth: bitmap.width, sourceHeight: bitmap.height };
  } finally {
    bitmap.close();
  }
}
