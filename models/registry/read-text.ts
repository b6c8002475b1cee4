/**
 * Reading files whose names come from the user, a model folder or a project (manifest.json,
 * config.json, installed.json, a WordPiece file, a picture or JSON given to the CLI, a project):
 * a folder, device, pipe or socket under such a name is refused, saying which it is, and a file larger
 * than `maxBytes` before it is read. readFile on /dev/zero reads until the string limit (about 600 MB of
 * memory and a second, on every registry scan), and opening or reading a FIFO waits for a writer
 * forever (sharp and onnxruntime too, in a worker thread that then keeps the process alive). Errors
 * leave naming the file to the caller, as fs errors do (their `code` passes through).
 */
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** Far above any real manifest, config or WordPiece file (about 1 MB). */
export const MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024;

/** Far above any picture the models take (a 16384² PNG is rarely half of it); sharp limits the pixels. */
export const MAX_IMAGE_FILE_BYTES = 512 * 1024 * 1024;

/** A picture file's bytes for sharp, which opening a FIFO itself blocks one of its threads forever. */
export async function readImageBytes(path: string): Promise<Buffer> {
  const { bytes } = await readFileAtMost(path, MAX_IMAGE_FILE_BYTES);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** What a path that is not a regular file is, in words: "a folder", "a named pipe (FIFO)", … */
export function fileKind(info: Stats): string {
  if (info.isFile()) return 'a regular file';
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** The refusal of a path that is not a regular file: "is a named pipe (FIFO), not a regular file". */
export class NotRegularFileError extends Error {
  override name = 'NotRegularFileError';
  constructor(readonly kind: string) {
    super(kind === 'a folder' ? 'is a folder, expected a file' : `is ${kind}, not a regular file`);
  }
}

/** The refusal of a file over its limit, before it is read. */
export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError';
  constructor(readonly size: number | undefined, readonly maxBytes: number) {
    super(size === undefined ? `is more than the ${maxBytes} bytes such a file may be` : `is ${size} bytes, more than the ${maxBytes} such a file may be`);
  }
}

/**
 * The path's stat, if it is a regular file of at most `maxBytes` (links followed); throws
 * NotRegularFileError or FileTooLargeError otherwise, and fs errors (ENOENT, …) as they come. For
 * paths handed on to code that opens them itself (onnxruntime, a hash stream, copyFile).
 */
export async function checkRegularFile(path: string, maxBytes = Number.POSITIVE_INFINITY): Promise<Stats> {
  const info = await stat(path);
  if (!info.isFile()) throw new NotRegularFileError(fileKind(info));
  if (info.size > maxBytes) throw new FileTooLargeError(info.size, maxBytes);
  return info;
}

/**
 * The bytes of a regular file of at most `maxBytes`. Opened without blocking (a FIFO opens at once
 * instead of waiting for a writer) and checked on the open handle, so what is read is what was
 * checked; reads at most `maxBytes` + 1 bytes (a file grown meanwhile is refused, never held).
 * A plain Uint8Array, not a pooled Buffer.
 */
export async function readFileAtMost(path: string, maxBytes: number): Promise<{ bytes: Uint8Array; info: Stats }> {
  await checkRegularFile(path, maxBytes); // first by name: opening a socket fails with a bare ENXIO
  // O_NONBLOCK does not exist on Windows, where opening a pipe does not wait anyway.
  const fh = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await fh.stat();
    if (!info.isFile()) throw new NotRegularFileError(fileKind(info));
    if (info.size > maxBytes) throw new FileTooLargeError(info.size, maxBytes);
    const chunks: Uint8Array[] = [];
    let total = 0;
    while (total <= maxBytes) {
      const chunk = new Uint8Array(Math.min(4 * 1024 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > maxBytes) throw new FileTooLargeError(undefined, maxBytes);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return { bytes, info };
  } finally {
    await fh.close();
  }
}

export async function readTextFile(path: string, maxBytes = MAX_TEXT_FILE_BYTES): Promise<string> {
  return new TextDecoder().decode((await readFileAtMost(path, maxBytes)).bytes);
}
