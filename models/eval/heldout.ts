/**
 * Reads the held-out scene set the recipe exports
 * (fourm_recipe/export/heldout_fixture.py): scenes.json plus one folder of
 * ordinary files per scene. Every failure names the file.
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { readImageBytes, readTextFile } from '../registry/read-text';
import type { RgbaImage } from '../tokenizers/image';

const Rgb = z.tuple([z.number(), z.number(), z.number()]);

const HeldoutIndex = z.object({
  format: z.literal('4m-studio.heldout/1'),
  split: z.string(),
  seedBase: z.number().int(),
  size: z.number().int().positive(),
  depth: z.object({ metresPerUnit: z.number().positive() }),
  classes: z.array(z.string()).min(1),
  kinds: z.array(z.string()),
  namedColours: z.record(z.string(), Rgb),
  scenes: z.array(z.string().regex(/^[\w-]+$/)).min(1),
});
export type HeldoutIndex = z.infer<typeof HeldoutIndex>;

const SceneMeta = z.object({
  seed: z.number().int(),
  caption: z.string(),
  objects: z.array(z.object({ kind: z.string(), color: z.string() })),
  /** Visible objects' boxes, normalized [x0, y0, x1, y1]. */
  boxes: z.array(z.object({ box: z.tuple([z.number(), z.number(), z.number(), z.number()]), label: z.string() })).default([]),
});
export type SceneMeta = z.infer<typeof SceneMeta>;

export interface HeldoutScene {
  readonly name: string;
  readonly meta: SceneMeta;
  readonly rgb: RgbaImage;
  /** Class id per pixel (index into the index's `classes`). */
  readonly classes: Uint8Array;
  /** Metres per pixel. */
  readonly depth: Float32Array;
  /** RGB = (n + 1)·127.5. */
  readonly normals: RgbaImage;
}

export class HeldoutError extends Error {
  override name = 'HeldoutError';
}

export async function readHeldoutIndex(dir: string): Promise<HeldoutIndex> {
  const file = join(dir, 'scenes.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readTextFile(file));
  } catch (error) {
    throw new HeldoutError(`${file}: cannot read the held-out scene index (${firstLine(error)})`);
  }
  const parsed = HeldoutIndex.safeParse(raw);
  if (!parsed.success) throw new HeldoutError(`${file}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export async function loadHeldoutScene(dir: string, index: HeldoutIndex, name: string): Promise<HeldoutScene> {
  const at = (f: string) => join(dir, name, f);
  const metaRaw = await readTextFile(at('meta.json')).catch((error: unknown) => {
    throw new HeldoutError(`${at('meta.json')}: ${firstLine(error)}`);
  });
  const meta = SceneMeta.safeParse(JSON.parse(metaRaw));
  if (!meta.success) throw new HeldoutError(`${at('meta.json')}: ${meta.error.issues[0]?.message}`);
  const [rgb, normals, classes, units] = await Promise.all([
    rgbaOf(at('rgb.png')),
    rgbaOf(at('normal.png')),
    channelOf(at('semseg.png'), false),
    channelOf(at('depth.png'), true),
  ]);
  const size = index.size;
  for (const [what, img] of [['rgb.png', rgb], ['normal.png', normals]] as const) {
    if (img.width !== size || img.height !== size) throw new HeldoutError(`${at(what)}: ${img.width}×${img.height}, expected ${size}×${size}`);
  }
  for (const [what, values] of [['semseg.png', classes], ['depth.png', units]] as const) {
    if (values.length !== size * size) throw new HeldoutError(`${at(what)}: ${values.length} pixels, expected ${size}×${size}`);
  }
  const k = index.depth.metresPerUnit;
  return { name, meta: meta.data, rgb, normals, classes: Uint8Array.from(classes), depth: Float32Array.from(units, (u) => u * k) };
}

async function rgbaOf(file: string): Promise<RgbaImage> {
  try {
    const { data, info } = await sharp(await readImageBytes(file)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: new Uint8Array(data) };
  } catch (error) {
    throw new HeldoutError(`${file}: cannot read as an image (${firstLine(error)})`);
  }
}

/** First channel as plain numbers; `wide` reads 16-bit samples. */
async function channelOf(file: string, wide: boolean): Promise<Uint16Array | Uint8Array> {
  try {
    // 16-bit: without grey16 as the output space sharp goes through 8-bit sRGB and keeps only the high byte.
    const img = sharp(await readImageBytes(file)).extractChannel(0);
    const data = await (wide ? img.toColourspace('grey16').raw({ depth: 'ushort' }) : img.raw()).toBuffer();
    // Copy: a Buffer's byteOffset need not be 2-aligned for a Uint16Array view.
    return wide ? new Uint16Array(new Uint8Array(data).buffer) : new Uint8Array(data);
  } catch (error) {
    throw new HeldoutError(`${file}: cannot read as an image (${firstLine(error)})`);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
