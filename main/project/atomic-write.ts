import { randomBytes } from 'node:crypto';
import { copyFile, link, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './process-alive';

/** Test seams for crash simulation at each step, and for the platform's answers. */
export interface AtomicWriteHooks {
  /** The temp file is durable; nothing else has changed. */
  afterTempWritten?(tempPath: string): void | Promise<void>;
  /** The old version is also in the backup file; the rename comes next. */
  beforeRename?(tempPath: string): void | Promise<void>;
  /** Replaces fs.rename (tests make it fail with EPERM/EBUSY as Windows scanners do). */
  rename?(from: string, to: string): Promise<void>;
  /** Whether the process that left a temp or backup file still runs. */
  isAlive?(pid: number): boolean;
}

/** Renames that fail this way are retried: antivirus and cloud-sync tools hold new files briefly on Windows. */
const RETRY_CODES = new Set(['EPERM', 'EBUSY', 'EACCES']);
const RENAME_DELAYS_MS = [10, 20, 50, 100, 200, 400, 800, 1600];

const hiddenPrefix = (path: string): string => `.${basename(path)}.`;
/** `.<name>.<pid>-<random>.tmp|bak`: hidden, per write, and tells whose it is. */
const OWNED = /^(\d+)-[0-9a-f]+\.(tmp|bak)$/;

/**
 * Replaces `path` with `bytes` so that a crash or power loss at any point leaves either the
 * old or the new file, never a torn one: write a temp file in the same directory (same file
 * system, so rename is atomic) with the old file's permissions, fsync it, keep the old version
 * as a hidden backup, rename the temp over the target (retrying the transient EPERM/EBUSY of
 * scanners), fsync the directory, then drop the backup. Only files this scheme names
 * (`.<name>.<pid>-<hex>.tmp|bak`) are ever removed, and only those of processes that are gone:
 * a user's own `<name>.bak` and a concurrent writer's temp are never touched.
 * Callers serialise writes per path within a process.
 */
export async function atomicWrite(path: string, bytes: Uint8Array, hooks: AtomicWriteHooks = {}): Promise<void> {
  const dir = dirname(path);
  const isAlive = hooks.isAlive ?? processAlive;
  await removeLeftovers(path, 'tmp', isAlive);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(dir, `${hiddenPrefix(path)}${tag}.tmp`);
  const backup = join(dir, `${hiddenPrefix(path)}${tag}.bak`);
  const mode = await existingMode(path);
  try {
    const handle = await open(temp, 'wx', mode ?? 0o644);
    try {
      await handle.writeFile(bytes);
      // open()'s mode passes through the umask; the old file's mode is restored exactly.
      if (mode !== undefined) await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await hooks.afterTempWritten?.(temp);
    const backedUp = await keepBackup(path, backup);
    await hooks.beforeRename?.(temp);
    await renameWithRetry(temp, path, hooks.rename ?? rename);
    await syncDirectory(dir);
    if (backedUp) await rm(backup, { force: true });
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  // Backups left by writes that crashed are superseded now that a good file is in place.
  await removeLeftovers(path, 'bak', isAlive);
}

/** Backups a crashed write left for `path`, newest first (for "the previous version is in …"). */
export async function crashBackupsOf(path: string): Promise<string[]> {
  const prefix = hiddenPrefix(path);
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return [];
  }
  const found = await Promise.all(
    names
      .filter((n) => n.startsWith(prefix) && OWNED.exec(n.slice(prefix.length))?.[2] === 'bak')
      .map(async (n) => ({ path: join(dirname(path), n), at: (await stat(join(dirname(path), n)).catch(() => ({ mtimeMs: 0 }))).mtimeMs })),
  );
  return found.sort((a, b) => b.at - a.at).map((f) => f.path);
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch {
    return undefined;
  }
}

async function renameWithRetry(from: string, to: string, doRename: (from: string, to: string) => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await doRename(from, to);
      return;
    } catch (error) {
      const delay = RENAME_DELAYS_MS[attempt];
      if (!RETRY_CODES.has((error as NodeJS.ErrnoException).code ?? '') || delay === undefined) throw error;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** A hard link costs no copy; file systems without links get a copy. False when there is no old file. */
async function keepBackup(path: string, backup: string): Promise<boolean> {
  try {
    await link(path, backup);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
  }
  try {
    await copyFile(path, backup);
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

/** Our own files for `path` of the given kind whose writer is gone (this process counts as gone: its writes are serialised). */
async function removeLeftovers(path: string, kind: 'tmp' | 'bak', isAlive: (pid: number) => boolean): Promise<void> {
  const prefix = hiddenPrefix(path);
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return; // the write itself will report a missing folder
  }
  const stale = names.filter((n) => {
    if (!n.startsWith(prefix)) return false;
    const owned = OWNED.exec(n.slice(prefix.length));
    if (!owned || owned[2] !== kind) return false;
    const pid = Number(owned[1]);
    return pid === process.pid || !isAlive(pid);
  });
  await Promise.all(stale.map((n) => rm(join(dirname(path), n), { force: true })));
}
