/** The recipe's held-out world scenes (test/fixtures/model/world-4m-small/scenes), read for content tests. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { RgbaImage } from '../../../../models/tokenizers/image';

export const SCENES_DIR = join(__dirname, '../../../fixtures/model/world-4m-small/scenes');

export interface SceneMeta {
  caption: string;
  boxes: { box: [number, number, number, number]; label: string }[];
  palette: [number, number, number][];
  objects: { kind: string; color: string }[];
}

export interface Scene {
  rgb: RgbaImage;
  /** Class id per pixel. */
  classes: Uint8Array;
  /** Metres per pixel. */
  depth: Float32Array;
  meta: SceneMeta;
}

export function sceneIds(): number[] {
  return [0, 1].filter((i) => existsSync(join(SCENES_DIR, `scene${i}_meta.json`)));
}

export async function loadScene(i: number): Promise<Scene> {
  const file = (kind: string) => join(SCENES_DIR, `scene${i}_${kind}`);
  const rgb = await sharp(file('rgb.png')).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const seg = await sharp(file('semseg.png')).extractChannel(0).raw().toBuffer();
  // grey16: without it sharp converts through 8 bits and keeps only the high byte of each millimetre value.
  const depth = await sharp(file('depth.png')).extractChannel(0).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer();
  const mm = new Uint16Array(depth.buffer, depth.byteOffset, depth.length / 2);
  return {
    rgb: { width: rgb.info.width, height: rgb.info.height, data: new Uint8Array(rgb.data) },
    classes: new Uint8Array(seg),
    depth: Float32Array.from(mm, (v) => v / 1000),
    meta: JSON.parse(readFileSync(file('meta.json'), 'utf8')) as SceneMeta,
  };
}

/** Class ids → an RGBA image in the manifest's class colours (the semseg file convention). */
export function classColours(ids: Uint8Array, size: number, classes: readonly { id: number; color: readonly [number, number, number] }[]): RgbaImage {
  const data = new Uint8Array(size * size * 4);
  ids.forEach((id, i) => data.set([...(classes.find((c) => c.id === id)?.color ?? [0, 0, 0]), 255], i * 4));
  return { width: size, height: size, data };
}
