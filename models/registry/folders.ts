/**
 * Where model packages live, in lookup order. Pure (paths only): Electron main, the harness and
 * the CLI each say where their bundled folder is; the user's folder is the same for all three
 * (user-folder.ts: userModelsDir, where the model manager installs).
 */
import { join } from 'node:path';

/** Default model: the package the host opens at start and the CLI uses without `--model`. */
export const DEFAULT_MODEL_ID = 'world-4m-small';
/** Extra folders searched before the others (path-delimited, like PATH): for development and tests. */
export const MODELS_PATH_ENV = 'STUDIO_MODELS_PATH';

export type FolderOrigin = 'extra' | 'user' | 'bundled';

export interface ModelFolder {
  readonly path: string;
  readonly origin: FolderOrigin;
}

export interface FolderSources {
  /** The value of STUDIO_MODELS_PATH (or undefined). */
  readonly extra?: string | undefined;
  readonly user?: string | undefined;
  readonly bundled: string;
  /** path.delimiter of the platform (':' or ';'). */
  readonly delimiter?: string;
}

/** Lookup order: extra folders, then the user's folder, then the bundled one; duplicates dropped. */
export function modelFolders(sources: FolderSources): ModelFolder[] {
  const extra = (sources.extra ?? '').split(sources.delimiter ?? ':').filter((p) => p.trim() !== '');
  const all: ModelFolder[] = [
    ...extra.map((path) => ({ path, origin: 'extra' as const })),
    ...(sources.user ? [{ path: sources.user, origin: 'user' as const }] : []),
    { path: sources.bundled, origin: 'bundled' as const },
  ];
  const seen = new Set<string>();
  return all.filter((f) => !seen.has(f.path) && seen.add(f.path));
}

/**
 * The bundled models folder of the desktop app: in an installed app the packages are extra
 * resources outside the asar (`<resources>/models`), so ONNX Runtime reads them with native I/O;
 * in development they are the repository's `models/zoo`.
 */
export function bundledModelsDir(app: { packaged: boolean; resourcesPath: string; appPath: string }): string {
  return app.packaged ? join(app.resourcesPath, 'models') : join(app.appPath, 'models', 'zoo');
}
