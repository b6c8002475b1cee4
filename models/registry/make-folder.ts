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

/**
 * One fs call the plan asks of its driver. `look`: stat that answers undefined for a path that
 * is absent (ENOENT); `check`: stat that must find it; `make`: mkdir, where EEXIST is fine.
 */
export type FolderStep =
  | { readonly op: 'look'; readonly path: string }
  | { readonly op: 'check'; readonly path: string }
  | { readonly op: 'make'; readonly path: string };

/** What the plan needs of a stat's answer. */
export type FolderInfo = Pick<Stats, 'isDirectory'>;

/**
 * The walk both makeFolder and makeFolderSync run, with no I/O of its own (a generator, so that
 * one plan serves a synchronous and an asynchronous driver): up from `path` to the first thing
 * that exists, refusing it unless it is a folder, then the missing folders top down, then a
 * last look at `path` (someone may have put a file there meanwhile). Each stat's answer comes
 * back through next(); the refusals are thrown from here.
 */
export function* folderPlan(path: string): Generator<FolderStep, void, FolderInfo | undefined> {
  const target = resolve(path);
  const missing: string[] = [];
  for (let at = target; ; at = dirname(at)) {
    const info = yield { op: 'look', path: at };
    if (info) {
      checkFolder(at, info);
      break;
    }
    missing.push(at);
    if (dirname(at) === at) break;
  }
  if (missing.length === 0) return;
  for (const dir of missing.reverse()) yield { op: 'make', path: dir };
  const info = yield { op: 'check', path: target };
  if (info) checkFolder(target, info);
}

/** Makes `path` and the folders above it that are missing; fs errors (ENOENT, EACCES, ENOTDIR, EROFS) pass through. */
export async function makeFolder(path: string, options: MakeFolderOptions = {}): Promise<void> {
  const plan = folderPlan(path);
  for (let step = plan.next(); !step.done; ) {
    const { op, path: at } = step.value;
    if (op === 'make') {
      await mkdir(at, mkdirOptions(options)).catch(existsIsFine);
      step = plan.next();
    } else step = plan.next(await stat(at).catch(op === 'look' ? absentIsUndefined : rethrow));
  }
}

/** The same for callers that must stay synchronous (the rotating log opens in a constructor). */
export function makeFolderSync(path: string, options: MakeFolderOptions = {}): void {
  const plan = folderPlan(path);
  for (let step = plan.next(); !step.done; ) {
    const { op, path: at } = step.value;
    if (op === 'make') {
      try {
        mkdirSync(at, mkdirOptions(options));
      } catch (error) {
        existsIsFine(error);
      }
      step = plan.next();
    } else step = plan.next(statSyncOr(at, op === 'look' ? absentIsUndefined : rethrow));
  }
}

function mkdirOptions(options: MakeFolderOptions): { mode?: number } {
  return options.mode === undefined ? {} : { mode: options.mode };
}

function statSyncOr(path: string, onError: (error: unknown) => undefined): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    return onError(error);
  }
}

function absentIsUndefined(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw error;
}

function rethrow(error: unknown): never {
  throw error;
}

/** Made meanwhile by someone else: fine if it is a folder, which the final stat checks. */
function existsIsFine(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
}

function checkFolder(path: string, info: FolderInfo): void {
  if (!info.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${path}'`), { code: 'ENOTDIR', path });
}
