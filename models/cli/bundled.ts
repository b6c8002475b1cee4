import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The models bundled with this copy of the CLI: the repository's models/zoo, found from where
 * this code runs: models/cli/*.ts in a checkout, or out/cli/4m.mjs once built (`npm run build`).
 */
export function bundledZoo(moduleUrl: string = import.meta.url): string {
  const here = dirname(fileURLToPath(moduleUrl));
  const candidates = [join(here, '..', 'zoo'), join(here, '..', '..', 'models', 'zoo')];
  return candidates.find((dir) => existsSync(dir)) ?? (candidates[0] as string);
}
