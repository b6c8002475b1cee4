// Importing a picture of any size and common format onto an image layer: EXIF orientation
// applied, fitted to the model's aspect (centre crop, pad or stretch), resampled to the model grid.
import type { DocumentManifest, ModalityManifest, Plane } from '../document';
import { sizeText } from '../state/wording';

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

/** How a picture of another aspect ratio meets the model's grid (the CLI's --fit has the same three). */
export type FitMode = 'crop' | 'pad' | 'stretch';
export const FIT_MODES: readonly FitMode[] = ['crop', 'pad', 'stretch'];

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Source and destination rectangles for drawing an sw×sh picture into a tw×th grid: crop keeps the
 * largest centred part with the grid's aspect; pad shows all of it, centred, with bars; stretch
 * distorts it to fill.
 */
export function fitRects(mode: FitMode, sw: number, sh: number, tw: number, th: number): { src: Rect; dst: Rect } {
  const whole = { x: 0, y: 0, w: sw, h: sh };
  const grid = { x: 0, y: 0, w: tw, h: th };
  if (mode === 'crop') return { src: centreCrop(sw, sh, tw, th), dst: grid };
  if (mode === 'stretch') return { src: whole, dst: grid };
  const scale = Math.min(tw / sw, th / sh);
  const w = sw * scale;
  const h = sh * scale;
  return { src: whole, dst: { x: (tw - w) / 2, y: (th - h) / 2, w, h } };
}

const FIT_WORDS: Record<FitMode, string> = { crop: 'cropped', pad: 'padded', stretch: 'stretched' };

/**
 * The status line after an import: the picture's size and what was done to fit it. Only what
 * happened: a picture of the canvas's size was neither cropped nor resized ("cropped and resized
 * to 224 × 224" was said of a 224 × 224 picture), one of its aspect was only resized.
 */
export function importedText(name: string, sw: number, sh: number, tw: number, th: number, fit: FitMode): string {
  const source = sizeText(sw, sh);
  if (sw === tw && sh === th) return `Imported ${name} (${source}, the canvas's size)`;
  if (sw * th === sh * tw) return `Imported ${name} (${source}, resized to ${sizeText(tw, th)})`;
  return `Imported ${name} (${source}, ${FIT_WORDS[fit]} and resized to ${sizeText(tw, th)})`;
}

/**
 * The layer an imported picture goes to: the active picture layer, else the first colour one (RGB).
 * Never a layer the model only makes (Objects (SAM)): no tool edits it, an import neither.
 */
export function importTarget(manifest: DocumentManifest, activeId: string): ModalityManifest | undefined {
  const takes = (x: ModalityManifest): boolean => x.kind === 'image' && x.canCondition !== false;
  return manifest.modalities.find((x) => x.id === activeId && takes(x)) ?? manifest.modalities.find((x) => takes(x) && x.channels !== 1);
}

export async function importImageFile(file: Blob, width: number, height: number, channels: 1 | 3, fit: FitMode = 'crop'): Promise<ImportedImage> {
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
    // Pad bars are black, the neutral "nothing here" for every image modality.
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, width, height);
    const { src, dst } = fitRects(fit, bitmap.width, bitmap.height, width, height);
    ctx.drawImage(bitmap, src.x, src.y, src.w, src.h, dst.x, dst.y, dst.w, dst.h);
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
