import { appendFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeFolderSync } from '../../models/registry/make-folder';

/**
 * A small rotating log file: `<dir>/<name>.log`, moved to `<name>.1.log` … `<name>.<keep>.log`
 * when it passes `maxBytes`. Synchronous appends, so the last lines before a crash are on disk.
 * Logging never throws: a full disk must not take the app down with it.
 */
export class RotatingLog {
  readonly path: string;
  #size: number;

  constructor(
    readonly dir: string,
    readonly name: string,
    private readonly options: { maxBytes?: number; keep?: number; now?: () => Date } = {},
  ) {
    this.path = join(dir, `${name}.log`);
    try {
      // Not mkdirSync's recursive mode: it spins forever where a folder cannot be made (under /proc).
      makeFolderSync(dir, { mode: 0o700 });
    } catch {
      // reported by the first write
    }
    this.#size = sizeOf(this.path);
  }

  /** One line per call, prefixed with an ISO time and the source; multi-line text is kept together. */
  write(source: string, text: string): void {
    const stamp = (this.options.now?.() ?? new Date()).toISOString();
    const body = text.replace(/\s+$/, '');
    if (!body) return;
    const line = `${stamp} [${source}] ${body}\n`;
    try {
      if (this.#size > 0 && this.#size + Buffer.byteLength(line) > (this.options.maxBytes ?? 1024 * 1024)) this.#rotate();
      appendFileSync(this.path, line, { mode: 0o600 });
      this.#size += Buffer.byteLength(line);
    } catch {
      // see the class comment
    }
  }

  #rotate(): void {
    const keep = this.options.keep ?? 3;
    const numbered = (n: number): string => join(this.dir, `${this.name}.${n}.log`);
    rmSync(numbered(keep), { force: true });
    for (let n = keep - 1; n >= 1; n--) {
      try {
        renameSync(numbered(n), numbered(n + 1));
      } catch {
        // that generation does not exist yet
      }
    }
    renameSync(this.path, numbered(1));
    this.#size = 0;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
