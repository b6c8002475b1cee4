// Brings an older header up to the current version, one step at a time. Each step takes
// the parsed JSON of version v and returns version v + 1; steps are never edited once shipped.
import { documentManifestSchema } from '../manifest';
import { modelRecordOf } from '../modelRecord';
import { ProjectError } from './errors';

export const FORMAT_VERSION = 3;
export const OLDEST_READABLE_VERSION = 1;

type Migration = (header: unknown, blob: Uint8Array) => unknown;

/**
 * 1 → 2: the header records the model the document was made with (`model`: id and layout
 * identity), taken from the manifest the file already holds. A header whose manifest does not
 * parse is passed on unchanged, for the schema check to name the field.
 */
function addModelRecord(header: unknown): unknown {
  if (typeof header !== 'object' || header === null || !('manifest' in header)) return header;
  const manifest = documentManifestSchema.safeParse(header.manifest);
  if (!manifest.success) return header;
  const { format, ...rest } = header as Record<string, unknown>;
  return { format, model: modelRecordOf(manifest.data), ...rest };
}

/**
 * 2 → 3: upscaled results are kept (`upscaled`, none in an older file) and each gallery entry
 * keeps the pixels its job sent (`inputs`, unknown for older results: they cannot be upscaled).
 * A header of another shape is passed on unchanged, for the schema check to name the field.
 */
function addUpscaled(header: unknown): unknown {
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return header;
  const h = header as Record<string, unknown>;
  const gallery = Array.isArray(h['gallery'])
    ? h['gallery'].map((e: unknown) => (typeof e === 'object' && e !== null && !Array.isArray(e) ? { ...e, inputs: [] } : e))
    : h['gallery'];
  return { ...h, gallery, upscaled: [] };
}

/** MIGRATIONS[v] upgrades v → v + 1. Never edit a shipped step; add the next one. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = { 1: addModelRecord, 2: addUpscaled };

export function migrateHeader(version: number, header: unknown, blob: Uint8Array, migrations = MIGRATIONS, current = FORMAT_VERSION): unknown {
  if (version > current) {
    throw new ProjectError('version', `version: file is format ${version}, newer than this app reads (${current}); update 4M Studio`);
  }
  if (version < OLDEST_READABLE_VERSION) {
    throw new ProjectError('version', `version: expected ${OLDEST_READABLE_VERSION}..${current}, got ${version}`);
  }
  let h = header;
  for (let v = version; v < current; v++) {
    const step = migrations[v];
    if (!step) throw new ProjectError('version', `version: no migration from format ${v} to ${v + 1}`);
    h = step(h, blob);
  }
  return h;
}
