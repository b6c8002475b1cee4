/**
 * Licences the user has accepted, remembered in `<user data folder>/accepted-licenses.json`
 * so the app asks once per licence, not once per model. A licence is known by its name and
 * URL: a changed licence text at another URL is asked again. A missing or unreadable file
 * means nothing was accepted (never an error that blocks the app).
 */
import { rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { needsAcceptance, type LicenseInfo } from '../registry/license';
import { makeFolder } from '../registry/make-folder';
import { readTextFile } from '../registry/read-text';
import { addModel, LicenseRequiredError, type AddOptions, type ListedModel, type ManagerContext } from './store';

export const ACCEPTED_LICENSES_FILE = 'accepted-licenses.json';

const Accepted = z.object({
  format: z.literal('4m-studio.accepted-licenses/1'),
  accepted: z.array(z.object({ name: z.string(), url: z.string().optional(), acceptedAt: z.string() })).max(1000),
});
type Accepted = z.infer<typeof Accepted>;

/** The key a licence is remembered by. Pure. */
export function licenseKey(license: Pick<LicenseInfo, 'name' | 'url'>): string {
  return `${license.name}\n${license.url ?? ''}`;
}

export class AcceptedLicenses {
  constructor(readonly file: string) {}

  static inDataDir(dataDir: string): AcceptedLicenses {
    return new AcceptedLicenses(join(dataDir, ACCEPTED_LICENSES_FILE));
  }

  /** When `license` was accepted, or undefined. */
  async acceptedAt(license: LicenseInfo): Promise<string | undefined> {
    const key = licenseKey(license);
    return (await this.#read()).accepted.find((a) => licenseKey(a) === key)?.acceptedAt;
  }

  async remember(license: LicenseInfo, at = new Date().toISOString()): Promise<void> {
    const current = await this.#read();
    const key = licenseKey(license);
    if (current.accepted.some((a) => licenseKey(a) === key)) return;
    const next: Accepted = { ...current, accepted: [...current.accepted, { name: license.name, ...(license.url ? { url: license.url } : {}), acceptedAt: at }] };
    await makeFolder(dirname(this.file));
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(next, null, 1)}\n`);
    await rename(tmp, this.file);
  }

  async #read(): Promise<Accepted> {
    const empty: Accepted = { format: '4m-studio.accepted-licenses/1', accepted: [] };
    try {
      const parsed = Accepted.safeParse(JSON.parse(await readTextFile(this.file, 1024 * 1024)));
      return parsed.success ? parsed.data : empty;
    } catch {
      return empty;
    }
  }
}

/**
 * `addModel` with remembered licences, for the CLI and the app alike: a licence accepted before
 * (in either) is not asked again (`onRemembered` hears when it was accepted), and one accepted
 * with this add is remembered.
 */
export async function addRemembering(
  ctx: ManagerContext,
  arg: string,
  opts: AddOptions,
  licenses: AcceptedLicenses,
  onRemembered?: (license: LicenseInfo, acceptedAt: string) => void,
): Promise<ListedModel> {
  let m: ListedModel;
  try {
    m = await addModel(ctx, arg, opts);
  } catch (error) {
    const at = !opts.acceptLicense && error instanceof LicenseRequiredError ? await licenses.acceptedAt(error.license) : undefined;
    if (at === undefined) throw error;
    onRemembered?.((error as LicenseRequiredError).license, at);
    return addModel(ctx, arg, { ...opts, acceptLicense: true });
  }
  if (opts.acceptLicense && m.license && needsAcceptance(m.license)) await licenses.remember(m.license).catch(() => undefined);
  return m;
}
