import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocument, DocumentStore, paintPixels, saveProject } from '../../../../renderer/src/document';
import type { FileDialogs } from '../../../../main/project/project-service';
import { testManifest } from '../../renderer/document/fixtures';

/** A real project file (the renderer's format); a different document for each `shade`. */
export function projectBytes(shade = 0): Uint8Array {
  const store = new DocumentStore(createDocument(testManifest()));
  if (shade !== 0) store.apply(paintPixels(store.state, 'rgb', { x: 0, y: 0, w: 4, h: 4 }, new Uint8Array(4 * 4 * 3).fill(shade)), { history: 'record' });
  return saveProject(store.state);
}

export function tempDir(prefix = '4m-files-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Dialogs that answer with fixed paths (null = cancel). */
export function fixedDialogs(save: string | null, open: string | null = null): FileDialogs {
  return { chooseSavePath: async () => save, chooseOpenPath: async () => open };
}
