/**
 * Reading the small text files of a model folder (manifest.json, config.json, installed.json, a
 * WordPiece file): a device or pipe under such a name (a link to /dev/zero, a FIFO) is refused
 * before it is opened, and a file larger than `maxBytes` before it is read. readFile on /dev/zero
 * reads until the string limit (about 600 MB of memory and a second, on every registry scan) and on
 * a FIFO waits forever. Errors leave naming the file to the caller, as fs errors do.
 */
import { readFile, stat } from 'node:fs/promises';

/** Far above any real manifest, config or WordPiece file (about 1 MB). */
export const MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024;

export async function readTextFile(path: string, maxBytes = MAX_TEXT_FILE_BYTES): Promise<string> {
  const info = await stat(path); // ENOENT and the like pass through with their code
  if (info.isDirectory()) throw new Error('is a folder, expected a file');
  if (!info.isFile()) throw new Error('is not a regular file (a device, pipe or socket)');
  if (info.size > maxBytes) throw new Error(`is ${info.size} bytes, more than the ${maxBytes} such a file may be`);
  return readFile(path, 'utf8');
}
