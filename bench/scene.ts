/** Benchmark inputs: a held-out world scene from the recipe's fixtures, or a drawn one. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { RgbaImage } from '../models/tokenizers/image';

const SCENE = fileURLToPath(new URL('../test/fixtures/model/world-4m-small/scenes/scene0_', import.meta.url));

/** The recipe's held-out scene 0 (RGB and class colours), if the fixtures are present. */
export async function heldOutScene(classes: readonly { id: number; color: readonly [number, number, number] }[]): Promise<{ rgb: RgbaImage; semseg: RgbaImage } | undefined> {
  if (!existsSync(`${SCENE}rgb.png`) || !existsSync(`${SCENE}semseg.png`)) return undefined;
  const rgb = await sharp(`${SCENE}rgb.png`).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const ids = await sharp(`${SCENE}semseg.png`).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const seg = new Uint8Array(ids.info.width * ids.info.height * 4);
  ids.data.forEach((id, i) => seg.set([...(classes.find((c) => c.id === id)?.color ?? [0, 0, 0]), 255], i * 4));
  return {
    rgb: { width: rgb.info.width, height: rgb.info.height, data: new Uint8Array(rgb.data) },
    semseg: { width: ids.info.width, height: ids.info.height, data: seg },
  };
}

/** A synthetic scene like the training world (sky, ground, a sphere), drawn in RGB and as a class map. */
export function drawScene(size: number, classes: readonly { id: number; color: readonly [number, number, number] }[]): { rgb: RgbaImage; semseg: RgbaImage } {
  const rgb = new Uint8Array(size * size * 4);
  const semseg = new Uint8Array(size * size * 4);
  const colorOf = (id: number) => classes.find((c) => c.id === id)?.color ?? [0, 0, 0];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sphere = (x - size * 0.5) ** 2 + (y - size * 0.6) ** 2 < (size * 0.18) ** 2;
      const cls = sphere ? 2 : y < size * 0.45 ? 0 : 1;
      const o = (y * size + x) * 4;
      const shade = sphere ? 1 - Math.min(0.5, Math.hypot(x - size * 0.45, y - size * 0.55) / size) : 1;
      const c = colorOf(cls);
      rgb.set([c[0] * shade, c[1] * shade, c[2] * shade, 255], o);
      semseg.set([...c, 255], o);
    }
  }
  return { rgb: { width: size, height: size, data: rgb }, semseg: { width: size, height: size, data: semseg } };
}
