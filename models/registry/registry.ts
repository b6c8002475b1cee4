/**
 * The model registry: finds model packages in the lookup folders (folders.ts), each validated
 * by its manifest (schema, cross-references, file sizes; hashes are checked when the engine
 * loads it). The first folder that holds an id wins, so a user's copy overrides the bundled one.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_MODEL_ID, type ModelFolder } from './folders';
import type { ModelManifest } from './manifest';
import { loadModelPackage } from './package-loader';

export interface InstalledModel {
  readonly id: string;
  readonly displayName: string;
  readonly dir: string;
  readonly folder: ModelFolder;
  readonly manifest: ModelManifest;
}

export interface ModelScan {
  /** Valid packages, first occurrence of each id in folder order. */
  readonly models: InstalledModel[];
  /** One line per package that is broken (path and reason); missing folders are not problems. */
  readonly problems: string[];
}

export class ModelNotFoundError extends Error {
  override name = 'ModelNotFoundError';
}

export async function scanModels(folders: readonly ModelFolder[]): Promise<ModelScan> {
  const models: InstalledModel[] = [];
  const problems: string[] = [];
  for (const folder of folders) {
    let entries: string[];
    try {
      // Symlinked packages count too (a model kept on another disk); a non-folder link has no manifest.
      entries = (await readdir(folder.path, { withFileTypes: true }))
        .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort();
    } catch {
      continue; // a folder that does not exist (yet) holds no models
    }
    for (const name of entries) {
      const dir = join(folder.path, name);
      try {
        const pkg = await loadModelPackage(dir, { verifyHashes: false });
        if (models.some((m) => m.id === pkg.manifest.id)) continue;
        models.push({ id: pkg.manifest.id, displayName: pkg.manifest.displayName, dir: pkg.root, folder, manifest: pkg.manifest });
      } catch (error) {
        // A folder without a manifest is not a package (e.g. a stray download folder): say nothing.
        if (error instanceof Error && /manifest\.json: (ENOENT|ENOTDIR)/.test(error.message)) continue;
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
  }
  return { models, problems };
}

/** The package `id` (default: the default model) from the first folder that has it, or a clear error. */
export async function findModel(folders: readonly ModelFolder[], id: string = DEFAULT_MODEL_ID): Promise<InstalledModel> {
  const { models, problems } = await scanModels(folders);
  const found = models.find((m) => m.id === id);
  if (found) return found;
  const searched = folders.map((f) => `${f.path} (${f.origin})`).join(', ');
  const others = models.length > 0 ? ` Installed: ${models.map((m) => m.id).join(', ')}.` : '';
  const broken = problems.length > 0 ? ` Broken packages: ${problems.join('; ')}.` : '';
  throw new ModelNotFoundError(`Model "${id}" was not found. Searched ${searched || 'no folders'}.${others}${broken}`);
}
