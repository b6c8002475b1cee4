import { FileTooLargeError, NotRegularFileError, readFileAtMost } from '../../models/registry/read-text';
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
  let read: Awaited<ReturnType<typeof readFileAtMost>>;
  try {
    read = await readFileAtMost(path, maxBytes);
  } catch (error) {
    // A device or pipe named .4mproj (/dev/zero, a FIFO) reports size 0 and never ends: reading it
    // grew main's memory by gigabytes a minute, and a FIFO never answered.
    if (error instanceof NotRegularFileError) throw new FileServiceError('unreadable', `${path} is ${error.kind}, not a project file`);
    if (error instanceof FileTooLargeError) {
      const size = error.size === undefined ? `more than ${formatMb(maxBytes)}` : formatMb(error.size);
      throw new FileServiceError('too-large', `${path} is ${size}, larger than the ${formatMb(maxBytes)} a project may be`);
    }
    throw describeFsError(error, path, 'read');
  }
  const { bytes, info } = read;
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
