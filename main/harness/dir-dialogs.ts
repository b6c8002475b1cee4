import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_EXTENSION } from '../../preload/contract/projects';
import type { FileDialogs } from '../project/project-service';

/** "my sketch/../x" → "my sketch_.._x": a name can never leave the project folder. */
export function safeFileName(name: string): string {
  const clean = name
    .replace(/\.4mproj$/i, '')
    .replace(/[^A-Za-z0-9 ._-]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 100);
  return clean || 'untitled';
}

/**
 * The harness has no native dialogs; this deterministic stand-in works in one project folder
 * given at start. Save As picks `<folder>/<name>.4mproj` from the name the renderer suggests;
 * Open takes the next name a test queued, else the most recently modified project there.
 */
export class DirectoryDialogs implements FileDialogs {
  readonly #openQueue: string[] = [];

  constructor(readonly dir: string) {}

  /** The next Open answers with this project name (as an artist would pick it). */
  queueOpen(name: string): void {
    this.#openQueue.push(name);
  }

  async chooseSavePath(suggestedName: string): Promise<string | null> {
    return join(this.dir, `${safeFileName(suggestedName)}${PROJECT_EXTENSION}`);
  }

  async chooseOpenPath(): Promise<string | null> {
    const queued = this.#openQueue.shift();
    if (queued !== undefined) return join(this.dir, `${safeFileName(queued)}${PROJECT_EXTENSION}`);
    return this.#newest();
  }

  async #newest(): Promise<string | null> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.toLowerCase().endsWith(PROJECT_EXTENSION) && !n.startsWith('.'));
    } catch {
      return null;
    }
    const dated = await Promise.all(names.map(async (n) => ({ path: join(this.dir, n), at: (await stat(join(this.dir, n))).mtimeMs })));
    dated.sort((a, b) => b.at - a.at || a.path.localeCompare(b.path));
    return dated[0]?.path ?? null;
  }
}
