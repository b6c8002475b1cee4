// Brings an older header up to the current version, one step at a time. Each step takes
// the parsed JSON of version v and returns version v + 1; steps are never edited once shipped.
import { ProjectError } from './errors';

export const FORMAT_VERSION = 1;
export const OLDEST_READABLE_VERSION = 1;

type Migration = (header: unknown, blob: Uint8Array) => unknown;

/** MIGRATIONS[v] upgrades v → v + 1. Version 1 is the first shipped format, so it is empty. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

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
