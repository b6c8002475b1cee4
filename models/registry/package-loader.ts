/**
 * Loads a model package from a folder: parses and validates manifest.json,
 * then checks every listed file's size and sha256, so a truncated download or
 * a hand-edited graph is refused with the file named, before any session opens.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { ModelManifest, manifestConsistencyErrors } from './manifest';
import { checkRegularFile, readTextFile } from './read-text';

export class ModelPackageError extends Error {
  override name = 'ModelPackageError';
}

export interface ModelPackage {
  readonly root: string;
  readonly manifest: ModelManifest;
  /** Absolute path of a package file. */
  path(rel: string): string;
}

export interface LoadPackageOptions {
  /** Hash every file (default true). Sizes are always checked. */
  readonly verifyHashes?: boolean;
}

export async function loadModelPackage(dir: string, options: LoadPackageOptions = {}): Promise<ModelPackage> {
  const root = resolve(dir);
  const manifestPath = join(root, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readTextFile(manifestPath));
  } catch (error) {
    throw new ModelPackageError(`${manifestPath}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = ModelManifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new ModelPackageError(`${manifestPath}: ${field}: ${issue?.message ?? 'invalid'}`);
  }
  const manifest = parsed.data;
  const inconsistent = manifestConsistencyErrors(manifest);
  if (inconsistent.length > 0) throw new ModelPackageError(`${manifestPath}: ${inconsistent[0]}`);
  await verifyFiles(root, manifest, options.verifyHashes ?? true);
  return { root, manifest, path: (rel) => join(root, rel) };
}

async function verifyFiles(root: string, manifest: ModelManifest, hashes: boolean): Promise<void> {
  for (const [rel, expected] of Object.entries(manifest.files)) {
    const file = join(root, rel);
    // Not a regular file (a FIFO, /dev/zero): the hash below would wait or read forever.
    const size = await checkRegularFile(file).then(
      (s) => s.size,
      (error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new ModelPackageError(`${file}: ${error instanceof Error ? error.message : String(error)} (manifest files.${rel})`);
      },
    );
    if (size === undefined) throw new ModelPackageError(`${file}: missing (manifest files.${rel})`);
    if (size !== expected.bytes) throw new ModelPackageError(`${file}: ${size} bytes, manifest files.${rel}.bytes says ${expected.bytes}`);
    if (!hashes) continue;
    const actual = await sha256File(file);
    if (actual !== expected.sha256) {
      throw new ModelPackageError(`${file}: sha256 ${actual} does not match manifest files.${rel}.sha256 ${expected.sha256}`);
    }
  }
}

export function sha256File(file: string): Promise<string> {
  return new Promise((ok, fail) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', fail)
      .on('end', () => ok(hash.digest('hex')));
  });
}
