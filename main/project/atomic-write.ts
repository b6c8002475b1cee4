import { randomBytes } from 'node:crypto';
import { copyFile, link, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Test seams for crash simulation at each step. */
export interface AtomicWriteHooks {
  /** The temp file is durable; nothing else has changed. */
  afterTempWritten?(tempPath: string): void | Promise<void>;
  /** The old version is also in `<path>.bak`; the rename comes next. */
  beforeRename?(tempPath: string): void | Promise<void>;
}

export const backupPathOf = (path: string): string => `${path}.bak`;
const tempPrefix = (path: string): string => `.${basename(path)}.`;

/**
 * Replaces `path` with `bytes` so that a crash or power loss at any point leaves either the
 * old or the new file, never a torn one: write a temp file in the same directory (same file
 * system, so rename is atomic), fsync it, keep the old version as `<path>.bak`, rename the temp
 * over the target, fsync the directory, then drop the backup. Callers serialise writes per path.
 */
export async function atomicWrite(path: string, bytes: Uint8Array, hooks: AtomicWriteHooks = {}): Promise<void> {
  const dir = dirname(path);
  await removeStaleTemps(path);
  const temp = join(dir, `${tempPrefix(path)}${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await hooks.afterTempWritten?.(temp);
    const backedUp = await keepBackup(path);
    await hooks.beforeRename?.(temp);
    await rename(temp, path);
    await syncDirectory(dir);
    if (backedUp) await rm(backupPathOf(path), { force: true });
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** A hard link costs no copy; file systems without links get a copy. False when there is no old file. */
async function keepBackup(path: string): Promise<boolean> {
  const bak = backupPathOf(path);
  await rm(bak, { force: true });
  try {
    await link(path, bak);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
  }
  try {
    await copyFile(path, bak);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Makes the rename itself durable. Windows cannot open a directory for fsync; NTFS journals it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort (see above)
  } finally {
    await handle?.close();
  }
}

/** Temp files left by a write that crashed before its rename. */
async function removeStaleTemps(path: string): Promise<void> {
  const prefix = tempPrefix(path);
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return; // the write itself will report a missing folder
  }
  await Promise.all(names.filter((n) => n.startsWith(prefix) && n.endsWith('.tmp')).map((n) => rm(join(dirname(path), n), { force: true })));
}
