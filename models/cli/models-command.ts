/**
 * `4m models list|add|remove|verify`: the model manager on the command line.
 * Settings come from flags or the environment: FOURM_STUDIO_DATA_DIR (where
 * user models live), FOURM_STUDIO_MODEL_BASE_URL (the hub, Hugging Face layout)
 * and FOURM_STUDIO_OFFLINE=1 (never use the network).
 */
import { homedir, freemem, totalmem } from 'node:os';
import { delimiter } from 'node:path';
import { parseArgs } from 'node:util';
import { planProviders } from '../engine/providers';
import { installedBackends } from '../engine/runtime/backends';
import { MODELS_PATH_ENV, modelFolders } from '../registry/folders';
import { availableMemory, memoryRefusal } from '../registry/memory';
import { licenseLine } from '../registry/license';
import { BUNDLED_LICENSE_TEXT } from '../../preload/contract/models';
import { userDataDir, userModelsDir } from '../registry/user-folder';
import { AcceptedLicenses, addRemembering } from '../manager/accepted-licenses';
import { CATALOG } from '../manager/catalog';
import { listModels, removeModel, verifyModels, type AddOptions, type ListedModel, type ManagerContext } from '../manager/store';
import { formatBytes } from '../../preload/contract/models';
import { BASE_URL_ENV, DEFAULT_BASE_URL, OFFLINE_ENV, offlineFromEnv } from '../manager/transfer-plan';
import { bundledZoo } from './bundled';
import { UsageError } from './errors';

export const MODELS_USAGE = `  4m models list                                  installed models (your folder, then bundled) and official ones to download
  4m models add <folder|file|url|id|owner/name> [--accept-license] [--id <name>] [--base-url <url>] [--offline]
  4m models remove <id>
  4m models verify [<id>]                         re-hash every installed file`;

export { OFFLINE_ENV };
const BUNDLED = bundledZoo();

export interface ModelsCommandEnv {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly bundledDir?: string;
  readonly fetch?: ManagerContext['fetch'];
  /** Memory a model may use (default: what the OS reports). */
  readonly availableMemory?: number;
  /** Free bytes in a folder (default: what the file system reports); tests pin it. */
  readonly freeSpace?: ManagerContext['freeSpace'];
}

/** Runs the subcommand; returns the exit status (1 when verify finds a problem). */
export async function runModelsCommand(argv: readonly string[], log: (line: string) => void, e: ModelsCommandEnv = { env: process.env }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv], allowPositionals: true, strict: true,
      options: { 'accept-license': { type: 'boolean' }, id: { type: 'string' }, 'base-url': { type: 'string' }, offline: { type: 'boolean' } },
    });
  } catch (error) {
    throw new UsageError(`models: ${(error as Error).message.split('\n')[0]}`);
  }
  const { values: v, positionals: [verb, ...rest] } = parsed;
  const baseUrl = v['base-url'] ?? e.env[BASE_URL_ENV] ?? DEFAULT_BASE_URL;
  if (!/^https?:\/\/[^/]/i.test(baseUrl)) throw new UsageError(`--base-url "${baseUrl}": expected an http(s) URL`);
  const userDir = userModelsDir({ env: e.env, platform: process.platform, home: homedir() });
  const bundledDir = e.bundledDir ?? BUNDLED;
  const ctx: ManagerContext = {
    userDir,
    bundledDir,
    // The registry's lookup order: STUDIO_MODELS_PATH folders come first.
    extraDirs: modelFolders({ extra: e.env[MODELS_PATH_ENV], user: userDir, bundled: bundledDir, delimiter }).filter((f) => f.origin === 'extra').map((f) => f.path),
    baseUrl,
    offline: v.offline === true || offlineFromEnv(e.env[OFFLINE_ENV]),
    ...(e.fetch ? { fetch: e.fetch } : {}),
    ...(e.freeSpace ? { freeSpace: e.freeSpace } : {}),
    log,
  };
  const available = e.availableMemory ?? availableMemory(process.platform, freemem(), totalmem());
  const extra = (n: number): void => {
    if (rest.length > n) throw new UsageError(`models ${verb}: unexpected argument "${rest[n]}"`);
  };
  switch (verb) {
    case 'list':
      extra(0);
      printList(await listModels(ctx), ctx, available, log);
      return 0;
    case 'add': {
      const [src] = rest;
      if (!src) throw new UsageError('models add: give a folder, file, URL, known model id or owner/name');
      extra(1);
      let shown = -1;
      // Licences accepted once (here or in the app's Models dialog) are remembered in the user data folder.
      const licenses = AcceptedLicenses.inDataDir(userDataDir({ env: e.env, platform: process.platform, home: homedir() }));
      const opts: AddOptions = {
        acceptLicense: v['accept-license'] === true,
        ...(v.id !== undefined ? { id: v.id } : {}),
        onProgress: (file, done, total) => {
          // One line per ~10 % (or per 64 MiB when the size is unknown), not per chunk.
          const step = total ? Math.floor((done / total) * 10) : Math.floor(done / 2 ** 26);
          if (step !== shown) log(`  ${file}: ${formatBytes(done)}${total ? ` of ${formatBytes(total)}` : ''}`);
          shown = step;
        },
      };
      const m = await addRemembering(ctx, src, opts, licenses, (license, at) => log(`licence "${license.name}" accepted on ${at.slice(0, 10)}`));
      printModel(m, available, log);
      return 0;
    }
    case 'remove': {
      const [id] = rest;
      if (!id) throw new UsageError('models remove: give the id of an installed model (see 4m models list)');
      extra(1);
      log(`removed ${await removeModel(ctx, id)}`);
      return 0;
    }
    case 'verify': {
      extra(1);
      const results = await verifyModels(ctx, rest[0]);
      let bad = 0;
      for (const r of results) {
        if (r.problems.length === 0) log(`ok     ${r.id} (${r.where}, ${r.files} files)`);
        else {
          bad++;
          log(`FAILED ${r.id} (${r.where}): ${r.problems.join('; ')}`);
        }
      }
      return bad > 0 ? 1 : 0;
    }
    default:
      throw new UsageError(`models: unknown command "${verb ?? ''}" (expected list, add, remove or verify)`);
  }
}

function backends(m: ListedModel): string {
  const providers = planProviders(process.platform, installedBackends()).candidates.join(', ');
  // A lone FM checkpoint runs there once its tokenizers sit beside it (the Models dialog says the same).
  return m.kind === 'checkpoint' ? `${providers}, with its tokenizers` : providers;
}

function printModel(m: ListedModel, available: number, log: (line: string) => void): void {
  log(`  ${m.id}  [${m.kind}]  ${m.displayName}`);
  log(`      size ${formatBytes(m.bytes)}, needs about ${formatBytes(m.memoryBytes)} of memory; backends: ${backends(m)}`);
  log(`      licence: ${!m.license && m.where === 'bundled' ? BUNDLED_LICENSE_TEXT : licenseLine(m.license, m.licenseAcceptedAt)}`);
  const refusal = m.memoryBytes > 0 ? memoryRefusal('it', m.memoryBytes, available, m.smaller) : undefined;
  if (refusal) log(`      does not fit: ${refusal}`);
  if (m.problem) log(`      note: ${m.problem}`);
  log(`      ${m.dir}`);
}

function printList(models: ListedModel[], ctx: ManagerContext, available: number, log: (line: string) => void): void {
  const extra = models.filter((m) => m.where === 'extra');
  if (extra.length > 0) log(`from ${MODELS_PATH_ENV} (${(ctx.extraDirs ?? []).join(delimiter)}):`);
  extra.forEach((m) => printModel(m, available, log));
  const user = models.filter((m) => m.where === 'user');
  log(`installed in ${ctx.userDir}:${user.length === 0 ? ' none' : ''}`);
  user.forEach((m) => printModel(m, available, log));
  log('bundled with the app:');
  models.filter((m) => m.where === 'bundled').forEach((m) => printModel(m, available, log));
  const have = new Set(user.map((m) => m.id));
  log(`available to download from ${ctx.baseUrl} (4m models add <id> --accept-license):`);
  for (const c of CATALOG.filter((x) => !have.has(x.id))) {
    log(`  ${c.id}  ${(c.parameters / 1e9).toFixed(2)} B parameters, ≈${formatBytes(c.parameters * 4)} in float32 — ${c.description}; ${licenseLine(c.license)}`);
  }
}
