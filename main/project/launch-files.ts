import { isAbsolute, resolve } from 'node:path';
import { PROJECT_EXTENSION } from '../../preload/contract/projects';

/**
 * Project files the OS asks the app to open on its command line: a double-clicked `.4mproj` on
 * Windows and Linux (the file association), or `4m-studio scene.4mproj`. Flags (Chromium's and
 * Electron's own, `--inspect`…) and anything that is not a project are ignored. Pure.
 */
export function projectPathsIn(argv: readonly string[], cwd: string): string[] {
  return argv
    .filter((arg) => !arg.startsWith('-') && arg.toLowerCase().endsWith(PROJECT_EXTENSION) && !arg.includes('\0'))
    .map((arg) => (isAbsolute(arg) ? resolve(arg) : resolve(cwd, arg)));
}
