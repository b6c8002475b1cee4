import { readFile, stat } from 'node:fs/promises';
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
  if (info.size > maxBytes) {
    throw new FileServiceError('too-large', `${path} is ${formatMb(info.size)}, larger than the ${formatMb(maxBytes)} a project may be`);
  }
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    throw describeFsError(error, path, 'read');
  }
  // A plain Uint8Array: a Buffer's pooled backing store must not travel as the whole pool.
  const bytes = new Uint8Array(buffer);
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

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
