/**
 * `mkdir -p` that fails instead of spinning. Node's own `mkdir(path, { recursive: true })` (20.x,
 * mkdirSync too) never returns when a missing folder cannot be made although its parent
 * exists and mkdir says ENOENT, as under /proc: it makes the parent (EEXIST), tries the child
 * again (ENOENT), and so on forever at full CPU. `4m predict --out-dir /proc/x` hung that way after
 * the whole generation. Here each missing folder is made once, top down, and the first error stops.
 */
import { mkdirSync, statSync, type Stats } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export interface MakeFolderOptions {
  /** For the folders this makes (passes through the umask). */
  readonly mode?: number;
}

/** Makes `path` and the folders above it that are missing; fs errors (ENOENT, EACCES, ENOTDIR, EROFS) pass through. */
export async function makeFolder(path: string, options: MakeFolderOptions = {}): Promise<void> {
  const missing: string[] = [];
  for (let at = resolve(path); ; at = dirname(at)) {
    const info = await stat(at).catch(absentIsUndefined);
    if (info) {
      checkFolder(at, info);
      break;
    }
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const dir of missing.reverse()) await mkdir(dir, options.mode === undefined ? {} : { mode: options.mode }).catch(existsIsFine);
  if (missing.length > 0) checkFolder(resolve(path), await stat(resolve(path)));
}

/** The same for callers that must stay synchronous (the rotating log opens in a constructor). */
export function makeFolderSync(path: string, options: MakeFolderOptions = {}): void {
  const missing: string[] = [];
  for (let at = resolve(path); ; at = dirname(at)) {
    let info: Stats | undefined;
    try {
      info = statSync(at);
    } catch (error) {
      info = absentIsUndefined(error);
    }
    if (info) {
      checkFolder(at, info);
      break;
    }
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir, options.mode === undefined ? {} : { mode: options.mode });
    } catch (error) {
      existsIsFine(error);
    }
  }
  if (missing.length > 0) checkFolder(resolve(path), statSync(resolve(path)));
}

function absentIsUndefined(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw error;
}

/** Made meanwhile by someone else: fine if it is a folder, which the final stat checks. */
function existsIsFine(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
}

function checkFolder(path: string, info: Stats): void {
  if (!info.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${path}'`), { code: 'ENOTDIR', path });
}
