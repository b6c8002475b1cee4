import { readContainer } from '../../renderer/src/document/project/container';
import { ProjectError } from '../../renderer/src/document/project/errors';
import { FileServiceError } from './errors';

/**
 * The project container's own integrity check (signature, frame lengths, CRC-32), reused from
 * the renderer's document core rather than repeated: main never parses the document schema,
 * but it refuses to write bytes that are not a project and names a damaged file precisely.
 * The renderer's restoreProject still runs the full validation (version, schema, sizes).
 */
export function checkProjectBytes(bytes: Uint8Array, path: string, code: 'corrupt' | 'invalid-request'): void {
  try {
    readContainer(bytes);
  } catch (error) {
    const reason = error instanceof ProjectError ? error.message : String(error);
    const detail = error instanceof ProjectError ? error.code : 'unknown';
    throw code === 'corrupt'
      ? new FileServiceError('corrupt', `${path} cannot be opened: ${reason}`, detail)
      : new FileServiceError('invalid-request', `Refusing to write ${path}: the data is not a valid project (${reason})`, detail);
  }
}
