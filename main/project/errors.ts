import type { FileError, FileErrorCode } from '../../preload/contract/projects';

/** A failure the artist can act on; crosses to the renderer as a FileError (data, not a class). */
export class FileServiceError extends Error {
  override readonly name = 'FileServiceError';
  constructor(
    readonly code: FileErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

export function toFileError(error: unknown): FileError {
  if (error instanceof FileServiceError) return { code: error.code, message: error.message, ...(error.detail ? { detail: error.detail } : {}) };
  return { code: 'unreadable', message: error instanceof Error ? error.message : String(error) };
}

/** Node's errno codes in words, naming the file. */
export function describeFsError(error: unknown, path: string, doing: 'read' | 'write'): FileServiceError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const failed: FileErrorCode = doing === 'read' ? 'unreadable' : 'write-failed';
  switch (code) {
    case 'ENOENT':
      return doing === 'read'
        ? new FileServiceError('not-found', `${path} does not exist (moved or deleted?)`)
        : new FileServiceError(failed, `Could not save ${path}: its folder does not exist`);
    case 'EACCES':
    case 'EPERM':
      return new FileServiceError(failed, `Could not ${doing} ${path}: permission denied`);
    case 'EISDIR':
      return new FileServiceError(failed, `${path} is a folder, not a project file`);
    case 'ENOSPC':
      return new FileServiceError(failed, `Could not save ${path}: the disk is full (the previous version is unchanged)`);
    case 'EROFS':
      return new FileServiceError(failed, `Could not save ${path}: the disk is read-only`);
    default: {
      const reason = error instanceof Error ? error.message : String(error);
      return new FileServiceError(failed, `Could not ${doing} ${path}: ${reason}`);
    }
  }
}
