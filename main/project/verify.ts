import { ProjectError } from '../../renderer/src/document/project/errors';
import { inspectProject } from '../../renderer/src/document/project/restore';
import { FileServiceError } from './errors';

/**
 * The project file's checks that cost no pixel copies, reused from the renderer's document
 * core rather than repeated: signature, frame lengths, CRC-32, header JSON, version, schema,
 * gallery size and the chunk budget (what opening the file would allocate). Main refuses to
 * write (save, autosave) bytes that fail them, so a file that would explode when reopened is
 * never kept, and it names a damaged file precisely. The renderer's restoreProject still runs
 * the full validation (pixel sizes, class ranges) when it opens one.
 */
export function checkProjectBytes(bytes: Uint8Array, path: string, code: 'corrupt' | 'invalid-request'): void {
  try {
    inspectProject(bytes);
  } catch (error) {
    const reason = error instanceof ProjectError ? error.message : String(error);
    const detail = error instanceof ProjectError ? error.code : 'unknown';
    throw code === 'corrupt'
      ? new FileServiceError('corrupt', `${path} cannot be opened: ${reason}`, detail)
      : new FileServiceError('invalid-request', `Refusing to write ${path}: the data is not a valid project (${reason})`, detail);
  }
}
