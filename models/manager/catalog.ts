/**
 * The official 4M checkpoints the manager knows by name (reference §1.8, §5):
 * where they are on the Hugging Face hub, their size, their licence, and the
 * next smaller variant to suggest when one does not fit in memory. Pure data.
 */
import type { LicenseInfo } from '../registry/license';

export interface CatalogFile {
  readonly path: string;
  /** A missing optional file (404) is not an error: e.g. config.json when the config is in the header. */
  readonly optional?: boolean;
}

export interface CatalogEntry {
  readonly id: string;
  readonly repo: string;
  readonly description: string;
  readonly parameters: number;
  readonly files: readonly CatalogFile[];
  readonly license: LicenseInfo;
  /** A smaller model of the same family, suggested when this one does not fit. */
  readonly smaller?: string;
}

export const FOURM_WEIGHTS_LICENSE: LicenseInfo = {
  name: '4M model weights licence (apple/ml-4m LICENSE_WEIGHTS)',
  url: 'https://github.com/apple/ml-4m/blob/main/LICENSE_WEIGHTS',
  nonCommercial: true,
  summary: 'research and non-commercial use only',
};

const files: readonly CatalogFile[] = [{ path: 'model.safetensors' }, { path: 'config.json', optional: true }];
const entry = (id: string, parameters: number, description: string, smaller?: string): CatalogEntry => ({
  id, repo: `EPFL-VILAB/${id}`, description, parameters, files, license: FOURM_WEIGHTS_LICENSE, ...(smaller ? { smaller } : {}),
});

export const CATALOG: readonly CatalogEntry[] = [
  entry('4M-7_B_CC12M', 441e6, '4M-7 base: RGB, 5 image token modalities, caption, boxes (224 px)'),
  entry('4M-7_L_CC12M', 1.03e9, '4M-7 large', '4M-7_B_CC12M'),
  entry('4M-7_XL_CC12M', 3.47e9, '4M-7 extra large', '4M-7_L_CC12M'),
  entry('4M-21_B', 834e6, '4M-21 base: 21 modalities (224 px)'),
  entry('4M-21_L', 1.55e9, '4M-21 large', '4M-21_B'),
  entry('4M-21_XL', 4.52e9, '4M-21 extra large', '4M-21_L'),
  entry('4M-7-SR_L_CC12M', 953e6, '4M-7 super-resolution to 448 px (large)'),
];

export function catalogEntry(idOrRepo: string): CatalogEntry | undefined {
  const key = idOrRepo.toLowerCase();
  return CATALOG.find((e) => e.id.toLowerCase() === key || e.repo.toLowerCase() === key);
}
