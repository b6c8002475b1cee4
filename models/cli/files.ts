/**
 * Reading and writing the files the CLI deals with: images of any common
 * format and size (sharp decodes; EXIF orientation applied), JSON for boxes
 * and palettes, text for captions. Every failure names the file.
 */
import { constants } from 'node:fs';
import { access, open, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import sharp from 'sharp';
import { makeFolder } from '../registry/make-folder';
import { fileKind, FileTooLargeError, MAX_TEXT_FILE_BYTES, NotRegularFileError, readImageBytes, readTextFile } from '../registry/read-text';
import { depthToGrey, type RgbaImage } from '../tokenizers/image';
import type { DetBox, Rgb } from '../tokenizers/sequence';
import { UsageError } from './errors';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.avif', '.gif'] as const;

/** An input picture's bytes, read by us and handed to sharp (a FIFO, a device or a folder refused, naming it). */
async function readImageFile(file: string): Promise<Buffer> {
  try {
    return await readImageBytes(file);
  } catch (error) {
    throw new UsageError(`${file}: ${cannotRead(error, 'as an image')}`);
  }
}

export async function readImage(file: string): Promise<RgbaImage> {
  return decodeImage(file, await readImageFile(file));
}

async function decodeImage(file: string, bytes: Buffer): Promise<RgbaImage> {
  try {
    const { data, info } = await sharp(bytes).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`decoded to ${info.channels} channels`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (error) {
    throw new UsageError(`${file}: cannot read as an image (${firstLine(error)})`);
  }
}

/**
 * Reads an image for a modality, also accepting the dataset conventions the
 * recipe writes: a one-channel semseg PNG of class ids (→ class colours) and a
 * 16-bit one-channel depth PNG in millimetres (→ the grey log-depth convention).
 */
export async function readModalityImage(
  file: string,
  domain: string,
  classes: readonly { id: number; color: readonly [number, number, number] }[],
): Promise<RgbaImage> {
  const bytes = await readImageFile(file);
  if (domain !== 'semseg' && domain !== 'depth') return decodeImage(file, bytes);
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (error) {
    throw new UsageError(`${file}: cannot read as an image (${firstLine(error)})`);
  }
  if (meta.channels !== 1 && !(meta.channels === 2 && meta.hasAlpha)) return decodeImage(file, bytes);
  const wide = meta.depth === 'ushort';
  const channel = sharp(bytes).rotate().extractChannel(0);
  // 16-bit needs grey16 as the output space: otherwise sharp goes through 8-bit and keeps only the high byte.
  const { data, info } = await (wide ? channel.toColourspace('grey16').raw({ depth: 'ushort' }) : channel.raw()).toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  const values = wide ? new Uint16Array(data.buffer, data.byteOffset, n) : new Uint8Array(data.buffer, data.byteOffset, n);
  if (domain === 'depth' && wide) return depthToGrey(Float32Array.from(values, (mm) => mm / 1000), info.width, info.height);
  let max = 0;
  for (const v of values) max = Math.max(max, v);
  if (domain !== 'semseg' || max >= classes.length) return decodeImage(file, bytes);
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) out.set([...(classes.find((c) => c.id === values[i])?.color ?? [0, 0, 0]), 255], i * 4);
  return { width: info.width, height: info.height, data: out };
}

export function checkImageOutput(file: string): void {
  const ext = extname(file).toLowerCase();
  if (!(IMAGE_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new UsageError(`${file}: unsupported image extension "${ext || '(none)'}" (use ${IMAGE_EXTENSIONS.join(', ')})`);
  }
}

/**
 * Before any work: `path` can be written — it is not a folder (for a file), a file (for a folder),
 * or a pipe, device or socket, and the nearest folder above it that exists takes a new file (a
 * file is made there and removed: `access` says yes for root even in /proc or on a read-only
 * mount). Otherwise a long generation would end in a bare EEXIST/EACCES and nothing written.
 */
export async function checkWritable(flag: string, path: string, kind: 'file' | 'folder'): Promise<void> {
  const what = `${flag}${flag.endsWith('=') ? '' : ' '}${path}`;
  const here = await stat(path).catch(() => undefined);
  if (here && kind === 'file' && here.isDirectory()) throw new UsageError(`${what}: is a folder; give a file name`);
  if (here && kind === 'file' && !here.isFile()) throw new UsageError(`${what}: is ${fileKind(here)}; give a regular file name`);
  if (here && kind === 'folder' && !here.isDirectory()) throw new UsageError(`${what}: is ${here.isFile() ? 'a file' : fileKind(here)}, not a folder`);
  let above = kind === 'folder' && here ? path : dirname(path);
  for (;;) {
    const info = await stat(above).catch(() => undefined);
    if (info) {
      if (!info.isDirectory()) throw new UsageError(`${what}: cannot be written, ${above} is ${info.isFile() ? 'a file' : fileKind(info)}, not a folder`);
      await access(above, constants.W_OK).then(() => probeWrite(above)).catch((error: unknown) => {
        throw new UsageError(`${what}: cannot write in ${above} (${firstLine(error)})`);
      });
      return;
    }
    const parent = dirname(above);
    if (parent === above) return;
    above = parent;
  }
}

/** Makes and removes an empty file in `dir`: the only sure test that files can be made there. */
async function probeWrite(dir: string): Promise<void> {
  const probe = join(dir, `.4m-write-check-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const fh = await open(probe, 'wx').catch((error: unknown) => {
    // Without the probe's own name, which would only puzzle: "ENOENT: no such file or directory".
    throw new Error(firstLine(error).replace(/, open '.*'$/, ''));
  });
  await fh.close();
  await unlink(probe);
}

export async function writeImage(file: string, img: RgbaImage): Promise<void> {
  checkImageOutput(file);
  try {
    await makeFolder(dirname(file));
    await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), { raw: { width: img.width, height: img.height, channels: 4 } }).toFile(file);
  } catch (error) {
    throw new Error(`${file}: cannot write (${firstLine(error)})`);
  }
}

export async function writeText(file: string, text: string): Promise<void> {
  try {
    await makeFolder(dirname(file));
    await writeFile(file, text.endsWith('\n') ? text : `${text}\n`);
  } catch (error) {
    throw new Error(`${file}: cannot write (${firstLine(error)})`);
  }
}

export async function readJson(file: string): Promise<unknown> {
  let raw: string;
  try {
    raw = await readTextFile(file, MAX_TEXT_FILE_BYTES);
  } catch (error) {
    throw new UsageError(`${file}: ${cannotRead(error)}`);
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${firstLine(error)})`);
  }
}

/** Boxes JSON: [{x0,y0,x1,y1,label}] with coordinates in 0…1 (or {boxes:[…]}). */
export async function readBoxes(file: string): Promise<DetBox[]> {
  const json = await readJson(file);
  const list = Array.isArray(json) ? json : (json as { boxes?: unknown }).boxes;
  if (!Array.isArray(list)) throw new UsageError(`${file}: expected a JSON array of boxes or {"boxes": [...]}`);
  return list.map((b: unknown, i) => {
    const box = b as Record<string, unknown>;
    for (const k of ['x0', 'y0', 'x1', 'y1']) {
      const v = box[k];
      if (typeof v !== 'number' || v < 0 || v > 1) throw new UsageError(`${file}: boxes[${i}].${k}: expected a number in 0…1`);
    }
    if (typeof box.label !== 'string' || !box.label.trim()) throw new UsageError(`${file}: boxes[${i}].label: expected a non-empty string`);
    // Corners are top-left then bottom-right: a swapped box would be serialized as given and read back another way.
    if ((box.x0 as number) > (box.x1 as number)) throw new UsageError(`${file}: boxes[${i}]: x0 ${String(box.x0)} is right of x1 ${String(box.x1)} (give the top-left corner as x0, y0)`);
    if ((box.y0 as number) > (box.y1 as number)) throw new UsageError(`${file}: boxes[${i}]: y0 ${String(box.y0)} is below y1 ${String(box.y1)} (give the top-left corner as x0, y0)`);
    return { x0: box.x0 as number, y0: box.y0 as number, x1: box.x1 as number, y1: box.y1 as number, label: box.label };
  });
}

/** Palette JSON: [[r,g,b], …] (or {colors:[…]}), 0…255. */
export async function readPalette(file: string): Promise<Rgb[]> {
  const json = await readJson(file);
  const list = Array.isArray(json) ? json : (json as { colors?: unknown }).colors;
  if (!Array.isArray(list)) throw new UsageError(`${file}: expected a JSON array of [r,g,b] or {"colors": [...]}`);
  return list.map((c: unknown, i) => {
    if (!Array.isArray(c) || c.length !== 3 || !c.every((v) => typeof v === 'number' && v >= 0 && v <= 255)) {
      throw new UsageError(`${file}: colors[${i}]: expected [r, g, b] with values 0…255`);
    }
    return [c[0], c[1], c[2]] as Rgb;
  });
}

/** Our refusals as they are ("is a named pipe (FIFO), not a regular file"), fs errors as "cannot read (ENOENT: …)". */
function cannotRead(error: unknown, as?: string): string {
  if (error instanceof NotRegularFileError || error instanceof FileTooLargeError) return error.message;
  return `cannot read${as ? ` ${as}` : ''} (${firstLine(error)})`;
}

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
}
