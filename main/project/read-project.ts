import { open, stat } from 'node:fs/promises';
import { MAX_PROJECT_BYTES } from '../../preload/contract/projects';
import { describeFsError, FileServiceError } from './errors';
import { crashBackupsOf } from './atomic-write';
import { checkProjectBytes } from './verify';

export interface ReadProject {
  readonly bytes: Uint8Array;
  readonly modifiedAt: number;
}

/** Reads a project file with a size limit checked before reading, then its container check. */
export async function readProjectFile(path: string, maxBytes = MAX_PROJECT_BYTES): Promise<ReadProject> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw describeFsError(error, path, 'read');
  }
  if (info.isDirectory()) throw new FileServiceError('unreadable', `${path} is a folder, not a project file`);
  // A device or pipe named .4mproj (/dev/zero, a FIFO) reports size 0 and never ends: reading it
  // grew main's memory by gigabytes a minute.
  if (!info.isFile()) throw new FileServiceError('unreadable', `${path} is not a regular file (a device, pipe or socket), not a project file`);
  const tooLarge = (size: string): FileServiceError => new FileServiceError('too-large', `${path} is ${size}, larger than the ${formatMb(maxBytes)} a project may be`);
  if (info.size > maxBytes) throw tooLarge(formatMb(info.size));
  let bytes: Uint8Array;
  try {
    bytes = await readAtMost(path, maxBytes);
  } catch (error) {
    throw describeFsError(error, path, 'read');
  }
  // Grown since the stat (another program writing it): no more than the limit is ever held.
  if (bytes.byteLength > maxBytes) throw tooLarge(`more than ${formatMb(maxBytes)}`);
  try {
    checkProjectBytes(bytes, path, 'corrupt');
  } catch (error) {
    const backup = error instanceof FileServiceError ? (await crashBackupsOf(path))[0] : undefined;
    if (error instanceof FileServiceError && backup) {
      throw new FileServiceError(error.code, `${error.message}. The version from before the last save is in ${backup}`, error.detail);
    }
    throw error;
  }
  return { bytes, modifiedAt: info.mtimeMs };
}

/** The file's bytes, reading at most `max` + 1 of them (one more says it is too large). A plain Uint8Array, not a pooled Buffer. */
async function readAtMost(path: string, max: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    while (total <= max) {
      const chunk = new Uint8Array(Math.min(4 * 1024 * 1024, max + 1 - total));
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } finally {
    await fh.close();
  }
}

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
