/**
 * Picture grids for EVAL.md: one column per scene, rows condition → generated → real. The condition
 * row shows what the model was given: the class layout in the class colours, the boxes drawn, the
 * caption's words, or the real picture with the hidden tokens greyed out. Composed with sharp; the
 * helpers that draw conditions are pure.
 */
import { makeFolder } from '../registry/make-folder';
import { dirname } from 'node:path';
import sharp from 'sharp';
import type { RgbaImage } from '../tokenizers/image';
import type { LabelledBox } from './metrics';

export interface GridColumn {
  /** A picture, or text (a caption) to set in the tile. */
  readonly condition: RgbaImage | string;
  readonly generated: RgbaImage;
  readonly real: RgbaImage;
}

const GAP = 4;
const LABEL_WIDTH = 92;
const TITLE_HEIGHT = 24;
const ROWS = ['condition', 'generated', 'real'] as const;

export async function writeGrid(file: string, title: string, columns: readonly GridColumn[]): Promise<void> {
  if (columns.length === 0) throw new RangeError('a grid needs at least one scene');
  const tile = columns[0]?.real.width ?? 128;
  const width = LABEL_WIDTH + columns.length * (tile + GAP) + GAP;
  const height = TITLE_HEIGHT + ROWS.length * (tile + GAP) + GAP;
  const layers: sharp.OverlayOptions[] = [];
  const at = (col: number, row: number) => ({ left: LABEL_WIDTH + GAP + col * (tile + GAP), top: TITLE_HEIGHT + GAP + row * (tile + GAP) });
  const text = [`<text x="${GAP}" y="17" font-family="sans-serif" font-size="14" font-weight="bold" fill="#222">${escapeXml(title)}</text>`];
  ROWS.forEach((r, row) => text.push(`<text x="${GAP}" y="${at(0, row).top + tile / 2 + 5}" font-family="sans-serif" font-size="13" fill="#222">${r}</text>`));
  layers.push({ input: Buffer.from(svg(width, height, text.join(''))), left: 0, top: 0 });
  for (const [col, c] of columns.entries()) {
    const cond = typeof c.condition === 'string' ? await textTile(c.condition, tile) : rawInput(c.condition);
    layers.push({ ...cond, ...at(col, 0) }, { ...rawInput(c.generated), ...at(col, 1) }, { ...rawInput(c.real), ...at(col, 2) });
  }
  await makeFolder(dirname(file));
  await sharp({ create: { width, height, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 1 } } })
    .composite(layers)
    .png({ compressionLevel: 9 })
    .toFile(file);
}

function rawInput(img: RgbaImage): sharp.OverlayOptions {
  return { input: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), raw: { width: img.width, height: img.height, channels: 4 } };
}

async function textTile(words: string, size: number): Promise<sharp.OverlayOptions> {
  const lines = wrapText(words, 24).slice(0, 11);
  const body = lines.map((l, i) => `<text x="3" y="${12 + i * 11}" font-family="sans-serif" font-size="9.5" fill="#222">${escapeXml(l)}</text>`).join('');
  const png = await sharp(Buffer.from(svg(size, size, `<rect width="${size}" height="${size}" fill="#f2f2f2"/>${body}`))).png().toBuffer();
  return { input: png };
}

function svg(w: number, h: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${body}</svg>`;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** Greedy word wrap to lines of at most `width` characters (a longer word gets a line of its own). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Box outlines (2 px, in their class colour) on a dark grey canvas. */
export function boxesImage(boxes: readonly LabelledBox[], size: number, colourOf: (label: string) => readonly [number, number, number]): RgbaImage {
  const data = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) data.set([48, 48, 48, 255], i * 4);
  for (const b of boxes) {
    const [x0, y0, x1, y1] = b.box.map((v) => Math.min(size - 1, Math.max(0, Math.round(v * size)))) as [number, number, number, number];
    const c = colourOf(b.label);
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        if (x - x0 < 2 || x1 - x < 2 || y - y0 < 2 || y1 - y < 2) data.set([c[0], c[1], c[2], 255], (y * size + x) * 4);
      }
    }
  }
  return { width: size, height: size, data };
}

/** The picture with every hidden token's pixels (keep = 0) painted mid grey. */
export function maskedImage(rgb: RgbaImage, keep: ArrayLike<number>, grid: number): RgbaImage {
  const data = Uint8Array.from(rgb.data);
  const patch = rgb.width / grid;
  for (let y = 0; y < rgb.height; y++) {
    for (let x = 0; x < rgb.width; x++) {
      if (keep[Math.floor(y / patch) * grid + Math.floor(x / patch)] === 0) data.set([128, 128, 128], (y * rgb.width + x) * 4);
    }
  }
  return { width: rgb.width, height: rgb.height, data };
}
