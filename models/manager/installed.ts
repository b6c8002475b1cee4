/**
 * `installed.json`, written into every model folder the manager installs:
 * where it came from, its licence and when that was accepted, and every file's
 * size and sha256 so `verify` can re-check them later. Pure schema.
 */
import { z } from 'zod';
import { LicenseInfo } from '../registry/license';

export const INSTALLED_FORMAT = '4m-studio.installed/1';
export const INSTALLED_FILE = 'installed.json';

export const InstalledFile = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().min(0),
  /** What the hash was checked against when the file arrived: the package manifest, the server, or nothing (recorded only). */
  checkedAgainst: z.enum(['manifest', 'server', 'recorded']),
});

export const InstalledRecord = z.object({
  format: z.literal(INSTALLED_FORMAT),
  id: z.string().regex(/^[A-Za-z0-9._-]+$/),
  /**
   * package: a 4M Studio package (manifest.json, runs in the engine); checkpoint: an official 4M
   * checkpoint (needs conversion); official: an official model folder (fm/ + tokenizers/<layer>/).
   */
  kind: z.enum(['package', 'checkpoint', 'official']),
  displayName: z.string(),
  source: z.string(),
  installedAt: z.string(),
  license: LicenseInfo.optional(),
  licenseAcceptedAt: z.string().optional(),
  /** Checkpoints: number of values in the file, and where its config came from. */
  parameters: z.number().int().min(0).optional(),
  configSource: z.string().optional(),
  files: z.record(z.string(), InstalledFile),
});
export type InstalledRecord = z.infer<typeof InstalledRecord>;
