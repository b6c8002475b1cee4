import { isAbsolute, resolve } from 'node:path';
import { PROJECT_EXTENSION } from '../../preload/contract/projects';
import { FileServiceError } from './errors';

/**
 * Which project paths the renderer may name: only those main handed out, i.e. chosen by the
 * artist in a dialog (this session) or remembered in the recent list (chosen earlier). A
 * compromised renderer therefore cannot read or overwrite arbitrary files.
 */
export class PathPolicy {
  readonly #allowed = new Set<string>();

  /** Windows and macOS file systems are case-insensitive by default. */
  constructor(private readonly caseInsensitive = process.platform === 'win32' || process.platform === 'darwin') {}

  allow(path: string): string {
    const normal = this.#shape(path);
    this.#allowed.add(this.#key(normal));
    return normal;
  }

  /** The normalised path, or a 'not-allowed' error. */
  check(path: string): string {
    const normal = this.#shape(path);
    if (!this.#allowed.has(this.#key(normal))) {
      throw new FileServiceError('not-allowed', `${path} was not chosen in a file dialog; use Save As or Open to pick it`);
    }
    return normal;
  }

  #shape(path: string): string {
    if (path.includes('\0') || !isAbsolute(path)) throw new FileServiceError('not-allowed', `${JSON.stringify(path)} is not an absolute file path`);
    const normal = resolve(path);
    if (!normal.toLowerCase().endsWith(PROJECT_EXTENSION)) {
      throw new FileServiceError('not-allowed', `${path} is not a ${PROJECT_EXTENSION} project file`);
    }
    return normal;
  }

  #key(path: string): string {
    return this.caseInsensitive ? path.toLowerCase() : path;
  }
}
