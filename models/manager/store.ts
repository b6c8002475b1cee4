/**
 * The model manager's disk and network side: list installed models (the
 * user's folder, then the bundled zoo), add one (download or import into a
 * staging folder, verify, then rename into place), remove one, and re-verify
 * hashes. Only `add` from a URL or hub repository touches the network, and
 * never when offline. Decisions live in the pure modules beside this one.
 */
import { createHash } from 'node:crypto';
import { copyFile, readdir, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFmGraphs } from '../engine/convert/fm-decoder-graph';
import { openCheckpoint, type CheckpointInfo } from '../engine/fm/checkpoint';
import { parseFmConfig, type FmCheckpointConfig } from '../registry/checkpoint-config';
import { acceptanceMessage, needsAcceptance, type LicenseInfo } from '../registry/license';
import { ModelManifest, manifestConsistencyErrors } from '../registry/manifest';
import { estimateCheckpointBytes, estimatePackageBytes } from '../registry/memory';
import { isOfficialModelFolder, OFFICIAL_FM_DIR, OFFICIAL_TEXT_FILE, OFFICIAL_TOKENIZERS_DIR } from '../registry/official-folder';
import { loadModelPackage, sha256File } from '../registry/package-loader';
import { catalogEntry, FOURM_WEIGHTS_LICENSE, type CatalogEntry } from './catalog';
import { downloadFile, type DownloadResult, type FetchLike } from './download';
import { INSTALLED_FILE, INSTALLED_FORMAT, InstalledRecord } from './installed';
import { classifySource, packageFileUrl, sanitizeId, type Source } from './sources';
import { diskRefusal, hubFileUrl } from './transfer-plan';
import { makeFolder } from '../registry/make-folder';
import { checkRegularFile, fileKind, readTextFile } from '../registry/read-text';

/** What kind of refusal, for a UI to phrase; the message alone is complete for the CLI. */
export type ManagerFailure = 'offline' | 'exists' | 'bundled' | 'not-installed' | 'disk-full' | 'cancelled' | 'invalid';

export class ModelManagerError extends Error {
  override name = 'ModelManagerError';
  constructor(message: string, readonly failure: ManagerFailure = 'invalid') {
    super(message);
  }
}

/** `add` of something under a licence that needs accepting, without acceptance: nothing was installed. */
export class LicenseRequiredError extends ModelManagerError {
  override name = 'LicenseRequiredError';
  constructor(readonly what: string, readonly license: LicenseInfo) {
    super(acceptanceMessage(what, license));
  }
}

export interface ManagerContext {
  /** The user's models folder (userModelsDir()). */
  readonly userDir: string;
  /** The models shipped with the app (models/zoo). */
  readonly bundledDir: string;
  /** Folders searched before the user's (STUDIO_MODELS_PATH), as the registry does. */
  readonly extraDirs?: readonly string[];
  /** Hub base URL (Hugging Face layout). */
  readonly baseUrl: string;
  /** Refuse anything that would use the network. */
  readonly offline: boolean;
  readonly fetch?: FetchLike;
  readonly download?: { readonly retries?: number; readonly stallMs?: number; readonly backoffMs?: number };
  readonly log?: (line: string) => void;
  /** Free bytes on the disk holding `dir` (default: statfs); tests stand in for a full disk. */
  readonly freeSpace?: (dir: string) => Promise<number>;
}

export interface ListedModel {
  readonly id: string;
  /** Which folder of the registry's lookup order it is in. */
  readonly where: 'extra' | 'user' | 'bundled';
  readonly dir: string;
  /** official: an official 4M model folder (fm/ + tokenizers/), which the editor and `4m generate` run. */
  readonly kind: 'package' | 'checkpoint' | 'official';
  readonly displayName: string;
  readonly bytes: number;
  readonly license: LicenseInfo | undefined;
  readonly licenseAcceptedAt: string | undefined;
  /** Estimated memory to load it. */
  readonly memoryBytes: number;
  /** A smaller model to suggest when this one does not fit. */
  readonly smaller: string | undefined;
  /** Why it cannot be used as it is, if so. */
  readonly problem: string | undefined;
  /**
   * An official folder whose FM outputs 448 px token grids (tok_*@448): 4M's super-resolution model
   * (4M-7-SR_L_CC12M), which upscales another official model's 224 px results ×2.
   */
  readonly upscales?: boolean;
}

export interface AddOptions {
  readonly acceptLicense?: boolean;
  /** Folder name to install under (default: from the manifest, catalogue or file name). */
  readonly id?: string;
  readonly onProgress?: (file: string, done: number, total: number | undefined) => void;
  /** Stops a download (partial files are kept for a resume) or an import between files. */
  readonly signal?: AbortSignal;
}

const CHECKPOINT_NOTE = 'official FM checkpoint alone: its FM graphs are written, but it generates only beside its tokenizers: put it in a folder as fm/ with the tokenizer folders under tokenizers/ and import that folder (README, "Running an official model from the CLI")';

// ---------------------------------------------------------------- list

export async function listModels(ctx: ManagerContext): Promise<ListedModel[]> {
  const user = await subfolders(ctx.userDir);
  const bundled = await subfolders(ctx.bundledDir);
  const out: ListedModel[] = [];
  for (const extra of ctx.extraDirs ?? []) {
    for (const dir of await subfolders(extra)) if (await exists(join(dir, 'manifest.json'))) out.push(await describePackage(dir, 'extra'));
  }
  for (const dir of user) {
    const m = await describeUserModel(dir);
    if (m) out.push(m);
  }
  for (const dir of bundled) {
    if (!(await exists(join(dir, 'manifest.json')))) continue;
    out.push(await describePackage(dir, 'bundled'));
  }
  return out;
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => join(dir, e.name)).sort();
}

async function describeUserModel(dir: string): Promise<ListedModel | undefined> {
  const rec = await readRecord(dir).catch((error: unknown) => error as Error);
  // A package copied in by hand (no installed.json) is still a model the app finds there.
  if (rec instanceof Error && !(await exists(join(dir, INSTALLED_FILE))) && (await exists(join(dir, 'manifest.json')))) return describePackage(dir, 'user');
  if (rec instanceof Error) {
    return { id: basename(dir), where: 'user', dir, kind: 'package', displayName: basename(dir), bytes: 0, license: undefined, licenseAcceptedAt: undefined, memoryBytes: 0, smaller: undefined, problem: rec.message };
  }
  if (rec.kind === 'package') return describePackage(dir, 'user', rec);
  const bytes = Object.values(rec.files).reduce((a, f) => a + f.bytes, 0);
  if (rec.kind === 'official') {
    return {
      id: rec.id, where: 'user', dir, kind: 'official', displayName: rec.displayName, bytes, license: rec.license,
      licenseAcceptedAt: rec.licenseAcceptedAt, memoryBytes: estimateCheckpointBytes(rec.parameters ?? bytes / 4),
      smaller: catalogEntry(rec.id)?.smaller, problem: undefined, upscales: await officialUpscales(dir),
    };
  }
  return {
    id: rec.id, where: 'user', dir, kind: 'checkpoint', displayName: rec.displayName, bytes, license: rec.license,
    licenseAcceptedAt: rec.licenseAcceptedAt, memoryBytes: estimateCheckpointBytes(rec.parameters ?? bytes / 4),
    smaller: catalogEntry(rec.id)?.smaller, problem: CHECKPOINT_NOTE,
  };
}

/** Whether an official folder's FM predicts 448 px token grids (an SR model); false when its config cannot be read. */
export async function officialUpscales(dir: string): Promise<boolean> {
  try {
    const info = await openCheckpoint(join(dir, OFFICIAL_FM_DIR, 'model.safetensors'));
    const fm = info.config ? parseFmConfig(info.config) : undefined;
    return fm?.ok === true && isSuperResolution(fm.config.domains_out);
  } catch {
    return false;
  }
}

/** An SR model's outputs: some tok_*@448 grid (4M's SR models predict tok_X@448 from tok_X@224). */
export function isSuperResolution(domainsOut: readonly string[]): boolean {
  return domainsOut.some((m) => /^tok_[a-z0-9_]+@448$/.test(m));
}

async function describePackage(dir: string, where: ListedModel['where'], rec?: InstalledRecord): Promise<ListedModel> {
  const base = { id: rec?.id ?? basename(dir), where, dir, kind: 'package' as const, licenseAcceptedAt: rec?.licenseAcceptedAt, smaller: undefined };
  let manifest: ModelManifest;
  try {
    manifest = parseManifest(await readTextFile(join(dir, 'manifest.json')), join(dir, 'manifest.json'));
  } catch (error) {
    return { ...base, displayName: base.id, bytes: 0, license: rec?.license, memoryBytes: 0, problem: (error as Error).message };
  }
  return {
    ...base,
    // An imported copy may live under another folder name (--id): the folder is its id here.
    id: rec?.id ?? manifest.id,
    displayName: manifest.displayName,
    bytes: Object.values(manifest.files).reduce((a, f) => a + f.bytes, 0),
    license: manifest.license ?? rec?.license,
    memoryBytes: estimatePackageBytes(manifest),
    problem: undefined,
  };
}

function parseManifest(text: string, where: string): ModelManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ModelManagerError(`${where}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = ModelManifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelManagerError(`${where}: ${issue && issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const bad = manifestConsistencyErrors(parsed.data);
  if (bad.length > 0) throw new ModelManagerError(`${where}: ${bad[0]}`);
  return parsed.data;
}

async function readRecord(dir: string): Promise<InstalledRecord> {
  const file = join(dir, INSTALLED_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readTextFile(file));
  } catch (error) {
    throw new ModelManagerError(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing (not installed by the model manager)' : (error as Error).message}`);
  }
  const parsed = InstalledRecord.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelManagerError(`${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

// ---------------------------------------------------------------- add

export async function addModel(ctx: ManagerContext, arg: string, opts: AddOptions = {}): Promise<ListedModel> {
  const found = await stat(arg).catch(() => undefined);
  // A pipe, device or socket: copying or hashing it would wait or read forever.
  if (found && !found.isDirectory() && !found.isFile()) throw new ModelManagerError(`${arg}: is ${fileKind(found)}; give a model folder, its manifest.json or a .safetensors file`);
  const onDisk = found ? (found.isDirectory() ? 'dir' : 'file') : undefined;
  let source: Source;
  try {
    source = classifySource(arg, onDisk);
  } catch (error) {
    throw new ModelManagerError((error as Error).message);
  }
  if (source.kind !== 'local-folder' && source.kind !== 'local-file' && ctx.offline) {
    throw new ModelManagerError(`offline: not downloading ${arg}; import a local folder or file instead, or go online`, 'offline');
  }
  if (opts.id !== undefined && !/^[A-Za-z0-9._-]+$/.test(opts.id)) throw new ModelManagerError(`--id "${opts.id}": expected letters, digits, dot, dash or underscore`);
  await makeFolder(ctx.userDir);
  // Same source → same staging folder, so an interrupted add resumes its partial files.
  const staging = join(ctx.userDir, `.staging-${createHash('sha256').update(arg).digest('hex').slice(0, 16)}`);
  await makeFolder(staging);
  let record: InstalledRecord;
  try {
    record = await stage(ctx, source, arg, staging, opts);
  } catch (error) {
    // Keep partial downloads for a resume; drop a staging folder that holds nothing worth keeping.
    if (!(await hasPartials(staging))) await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await writeFile(join(staging, INSTALLED_FILE), `${JSON.stringify(record, null, 1)}\n`);
  const final = join(ctx.userDir, record.id);
  if (await exists(final)) {
    await rm(staging, { recursive: true, force: true });
    throw new ModelManagerError(`a model "${record.id}" is already installed at ${final}; remove it first (4m models remove ${record.id})`, 'exists');
  }
  await rename(staging, final);
  ctx.log?.(`installed ${record.id} in ${final}`);
  const listed = await describeUserModel(final);
  return listed as ListedModel;
}

async function stage(ctx: ManagerContext, source: Source, arg: string, staging: string, opts: AddOptions): Promise<InstalledRecord> {
  const now = new Date().toISOString();
  const accept = (what: string, license: LicenseInfo | undefined): string | undefined => {
    if (!needsAcceptance(license)) return undefined;
    if (!opts.acceptLicense) throw new LicenseRequiredError(what, license as LicenseInfo);
    return now;
  };
  switch (source.kind) {
    case 'local-folder': {
      if (await exists(join(source.path, 'manifest.json'))) return importPackage(source.path, staging, arg, opts, accept);
      if (await isOfficialModelFolder(source.path)) return importOfficialFolder(source.path, staging, arg, opts, accept);
      const file = await pickCheckpoint(source.path);
      return importCheckpoint(file, staging, arg, opts, accept);
    }
    case 'local-file':
      if (basename(source.path) === 'manifest.json') return importPackage(dirname(source.path), staging, arg, opts, accept);
      return importCheckpoint(source.path, staging, arg, opts, accept);
    case 'package-url':
      return downloadPackage(ctx, source, staging, arg, opts, accept);
    case 'checkpoint-url': {
      const name = basename(new URL(source.url).pathname);
      const id = opts.id ?? sanitizeId(decodeURIComponent(name));
      const acceptedAt = accept(id, FOURM_WEIGHTS_LICENSE);
      return downloadCheckpoint(ctx, [{ url: source.url, rel: 'model.safetensors', optional: false }], staging, id, id, source.url, FOURM_WEIGHTS_LICENSE, acceptedAt, opts);
    }
    case 'repo': {
      if (source.entry) return downloadCatalogEntry(ctx, source.entry, staging, opts, accept);
      const probe = await fetchFile(ctx, hubFileUrl(ctx.baseUrl, source.repo, 'manifest.json'), join(staging, 'manifest.json'), undefined, true, opts);
      if (!probe) {
        throw new ModelManagerError(`${hubFileUrl(ctx.baseUrl, source.repo, 'manifest.json')}: not found, and ${source.repo} is not a known official model; give a package URL, a known model id or a local folder`);
      }
      return downloadPackage(ctx, source, staging, arg, opts, accept, true);
    }
  }
}

type Accept = (what: string, license: LicenseInfo | undefined) => string | undefined;

async function importPackage(dir: string, staging: string, arg: string, opts: AddOptions, accept: Accept): Promise<InstalledRecord> {
  // Validates the manifest and every file's size and sha256 before anything is copied.
  const pkg = await loadModelPackage(dir, { verifyHashes: true });
  const m = pkg.manifest;
  const acceptedAt = accept(m.id, m.license);
  await copyInto(join(dir, 'manifest.json'), join(staging, 'manifest.json'), opts.signal);
  for (const rel of Object.keys(m.files)) await copyInto(pkg.path(rel), join(staging, rel), opts.signal);
  return packageRecord(m, opts.id ?? m.id, arg, acceptedAt, 'manifest');
}

function packageRecord(m: ModelManifest, id: string, source: string, acceptedAt: string | undefined, how: 'manifest'): InstalledRecord {
  return {
    format: INSTALLED_FORMAT, id, kind: 'package', displayName: m.displayName, source, installedAt: new Date().toISOString(),
    ...(m.license ? { license: m.license } : {}), ...(acceptedAt ? { licenseAcceptedAt: acceptedAt } : {}),
    files: Object.fromEntries(Object.entries(m.files).map(([rel, f]) => [rel, { ...f, checkedAgainst: how }])),
  };
}

async function pickCheckpoint(dir: string): Promise<string> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.safetensors'));
  if (names.includes('model.safetensors')) return join(dir, 'model.safetensors');
  if (names.length === 1) return join(dir, names[0] as string);
  if (names.length === 0) throw new ModelManagerError(`${dir}: neither a model package (no manifest.json) nor a checkpoint folder (no .safetensors file)`);
  throw new ModelManagerError(`${dir}: ${names.length} .safetensors files and none is model.safetensors; add the one you mean as a file`);
}

/** Validates an official-format checkpoint (header, config) and returns what the record needs. */
async function checkCheckpoint(file: string): Promise<{ parameters: number; configSource: string; fm: FmCheckpointConfig; info: CheckpointInfo }> {
  const info = await openCheckpoint(file).catch((error: unknown) => {
    throw new ModelManagerError((error as Error).message);
  });
  if (!info.config) throw new ModelManagerError(`${file}: no model config (neither in the header's __metadata__ nor in a config.json beside it)`);
  const fm = parseFmConfig(info.config);
  if (!fm.ok) throw new ModelManagerError(`${file}: not a 4M model config (${info.configSource === 'metadata' ? '__metadata__' : info.configSource}: ${fm.error})`);
  return { parameters: info.parameters, configSource: info.configSource === 'metadata' ? 'metadata' : 'config.json', fm: fm.config, info };
}

/**
 * Writes the FM's weight-free graphs beside the staged checkpoint (they reference its bytes in
 * place) and records them; a checkpoint missing a tensor the graphs need is refused here.
 */
async function writeGraphs(staged: string, files: InstalledRecord['files']): Promise<void> {
  const { fm, info } = await checkCheckpoint(staged);
  const outputs = fm.domains_out.filter((m) => info.header.entries.has(`decoder_embeddings.${m}.to_logits.weight`));
  let graphs;
  try {
    graphs = await writeFmGraphs(info.header, { dim: fm.dim, depth: fm.encoder_depth, decoderDepth: fm.decoder_depth, heads: fm.num_heads }, outputs);
  } catch (error) {
    throw new ModelManagerError(`not a complete 4M checkpoint: ${(error as Error).message}`);
  }
  for (const rel of [graphs.encoder, graphs.decoder, graphs.decoderCache.contextKv, graphs.decoderCache.step, ...Object.values(graphs.heads)]) {
    const file = join(dirname(staged), rel);
    files[rel] = { sha256: await sha256File(file), bytes: (await stat(file)).size, checkedAgainst: 'recorded' };
  }
}

/**
 * An official model folder as `4m generate` and the editor run it (registry/official-folder.ts):
 * its FM checkpoint is checked like any official checkpoint, then fm/, every tokenizers/<layer>/
 * and the WordPiece file are copied with their sha256 recorded. The folders' own checks (tokenizer
 * against FM) run when the model is opened, and fail there naming the file.
 */
async function importOfficialFolder(dir: string, staging: string, arg: string, opts: AddOptions, accept: Accept): Promise<InstalledRecord> {
  const fmFile = join(dir, OFFICIAL_FM_DIR, 'model.safetensors');
  if (!(await exists(fmFile))) throw new ModelManagerError(`${join(dir, OFFICIAL_FM_DIR)}: no model.safetensors (an official model folder holds the FM checkpoint as Hugging Face ships it)`);
  const { parameters, configSource } = await checkCheckpoint(fmFile);
  const id = opts.id ?? sanitizeId(basename(dir));
  const acceptedAt = accept(id, FOURM_WEIGHTS_LICENSE);
  const rels = [`${OFFICIAL_FM_DIR}/model.safetensors`, ...(configSource === 'config.json' ? [`${OFFICIAL_FM_DIR}/config.json`] : [])];
  for (const name of await subfolders(join(dir, OFFICIAL_TOKENIZERS_DIR))) {
    for (const file of ['config.json', 'model.safetensors']) {
      if (await exists(join(name, file))) rels.push(`${OFFICIAL_TOKENIZERS_DIR}/${basename(name)}/${file}`);
    }
  }
  if (await exists(join(dir, OFFICIAL_TEXT_FILE))) rels.push(OFFICIAL_TEXT_FILE);
  const files: InstalledRecord['files'] = {};
  for (const rel of rels) {
    await copyInto(join(dir, rel), join(staging, rel), opts.signal);
    files[rel] = { sha256: await sha256File(join(staging, rel)), bytes: (await stat(join(staging, rel))).size, checkedAgainst: 'recorded' };
  }
  return {
    format: INSTALLED_FORMAT, id, kind: 'official', displayName: catalogEntry(id)?.description ?? id, source: arg, installedAt: new Date().toISOString(),
    license: FOURM_WEIGHTS_LICENSE, ...(acceptedAt ? { licenseAcceptedAt: acceptedAt } : {}), parameters, configSource, files,
  };
}

async function importCheckpoint(file: string, staging: string, arg: string, opts: AddOptions, accept: Accept): Promise<InstalledRecord> {
  if (!file.endsWith('.safetensors')) throw new ModelManagerError(`${file}: expected a .safetensors checkpoint, a package folder or its manifest.json`);
  const { parameters, configSource } = await checkCheckpoint(file);
  const entry = catalogEntry(basename(dirname(file))) ?? catalogEntry(basename(file, '.safetensors'));
  const id = opts.id ?? entry?.id ?? sanitizeId(basename(file) === 'model.safetensors' ? basename(dirname(file)) : basename(file));
  // Files in the official format carry the 4M weights licence.
  const license = entry?.license ?? FOURM_WEIGHTS_LICENSE;
  const acceptedAt = accept(id, license);
  const files: InstalledRecord['files'] = {};
  const copies: [string, string][] = [[file, 'model.safetensors']];
  if (configSource === 'config.json') copies.push([join(dirname(file), 'config.json'), 'config.json']);
  for (const [from, rel] of copies) {
    await copyInto(from, join(staging, rel), opts.signal);
    const s = await stat(join(staging, rel));
    files[rel] = { sha256: await sha256File(join(staging, rel)), bytes: s.size, checkedAgainst: 'recorded' };
  }
  await writeGraphs(join(staging, 'model.safetensors'), files);
  return {
    format: INSTALLED_FORMAT, id, kind: 'checkpoint', displayName: entry?.description ?? id, source: arg, installedAt: new Date().toISOString(),
    license, ...(acceptedAt ? { licenseAcceptedAt: acceptedAt } : {}), parameters, configSource, files,
  };
}

async function downloadPackage(
  ctx: ManagerContext, source: Extract<Source, { kind: 'package-url' | 'repo' }>, staging: string, arg: string, opts: AddOptions, accept: Accept, haveManifest = false,
): Promise<InstalledRecord> {
  const manifestPath = join(staging, 'manifest.json');
  if (!haveManifest) {
    // Always fresh: a manifest kept from an earlier try may be stale.
    await rm(manifestPath, { force: true });
    await fetchFile(ctx, packageFileUrl(source, ctx.baseUrl, 'manifest.json'), manifestPath, undefined, false, opts);
  }
  const m = parseManifest(await readTextFile(manifestPath), packageFileUrl(source, ctx.baseUrl, 'manifest.json'));
  // Before the big files: a licence that needs accepting stops here.
  const acceptedAt = accept(m.id, m.license);
  for (const [rel, f] of Object.entries(m.files)) {
    const dest = join(staging, rel);
    if (await exists(dest)) {
      // Finished in an earlier try: keep it if it still matches.
      const s = await stat(dest);
      if (s.size === f.bytes && (await sha256File(dest)) === f.sha256) continue;
      await rm(dest, { force: true });
    }
    await makeFolder(dirname(dest));
    await fetchFile(ctx, packageFileUrl(source, ctx.baseUrl, rel), dest, { bytes: f.bytes, sha256: f.sha256 }, false, opts);
  }
  return packageRecord(m, opts.id ?? m.id, arg, acceptedAt, 'manifest');
}

async function downloadCatalogEntry(ctx: ManagerContext, entry: CatalogEntry, staging: string, opts: AddOptions, accept: Accept): Promise<InstalledRecord> {
  const id = opts.id ?? entry.id;
  const acceptedAt = accept(entry.repo, entry.license);
  // The weights in float32 (the hub's files), less what an earlier try already has.
  await ensureSpace(staging, entry.parameters * 4 - (await partialBytes(staging)), ctx.freeSpace);
  const files = entry.files.map((f) => ({ url: hubFileUrl(ctx.baseUrl, entry.repo, f.path), rel: f.path, optional: f.optional ?? false }));
  return downloadCheckpoint(ctx, files, staging, id, entry.description, entry.repo, entry.license, acceptedAt, opts);
}

async function downloadCheckpoint(
  ctx: ManagerContext, files: { url: string; rel: string; optional: boolean }[], staging: string, id: string, displayName: string,
  source: string, license: LicenseInfo, acceptedAt: string | undefined, opts: AddOptions,
): Promise<InstalledRecord> {
  const record: InstalledRecord['files'] = {};
  for (const f of files) {
    const dest = join(staging, f.rel);
    const r = await fetchFile(ctx, f.url, dest, undefined, f.optional, opts);
    if (r) record[f.rel] = { sha256: r.sha256, bytes: r.bytes, checkedAgainst: r.verifiedAgainst === 'server' ? 'server' : 'recorded' };
  }
  const { parameters, configSource } = await checkCheckpoint(join(staging, 'model.safetensors'))
    .then(async (r) => (await writeGraphs(join(staging, 'model.safetensors'), record), r))
    .catch(async (error: unknown) => {
      // A finished file that is not a 4M checkpoint is not worth resuming.
      await rm(staging, { recursive: true, force: true });
      throw error;
    });
  return {
    format: INSTALLED_FORMAT, id, kind: 'checkpoint', displayName, source, installedAt: new Date().toISOString(),
    license, ...(acceptedAt ? { licenseAcceptedAt: acceptedAt } : {}), parameters, configSource, files: record,
  };
}

async function fetchFile(
  ctx: ManagerContext, url: string, dest: string, expected: { bytes: number; sha256: string } | undefined, optional: boolean, opts: AddOptions,
): Promise<DownloadResult | undefined> {
  if (ctx.offline) throw new ModelManagerError(`offline: not downloading ${url}`);
  ctx.log?.(`downloading ${url}`);
  const rel = basename(dest);
  return downloadFile({
    url, dest, optional, ...(expected ? { expected } : {}), ...(ctx.fetch ? { fetch: ctx.fetch } : {}), ...ctx.download,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onProgress: (done, total) => opts.onProgress?.(rel, done, total),
  });
}

/** Refuses before writing `needed` bytes into `dir` when its disk has less free. */
async function ensureSpace(dir: string, needed: number, freeSpace: ManagerContext['freeSpace']): Promise<void> {
  if (needed <= 0) return;
  const free = await (freeSpace ?? defaultFreeSpace)(dir).catch(() => undefined);
  const refusal = free === undefined ? undefined : diskRefusal(needed, free, dir);
  if (refusal) throw new ModelManagerError(refusal, 'disk-full');
}

async function defaultFreeSpace(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

async function partialBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  let n = 0;
  for (const e of entries) n += await stat(join(dir, String(e))).then((s) => (s.isFile() ? s.size : 0), () => 0);
  return n;
}

async function hasPartials(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.some((e) => String(e).endsWith('.partial'));
}

async function copyInto(from: string, to: string, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw new ModelManagerError(`import of ${from} cancelled; nothing was installed`, 'cancelled');
  // Checked first: copyFile from a FIFO waits for a writer forever, from /dev/zero fills the disk.
  const info = await checkRegularFile(from).catch((error: unknown) => {
    throw new ModelManagerError(`${from}: ${error instanceof Error ? error.message : String(error)}`);
  });
  await makeFolder(dirname(to));
  await ensureSpace(dirname(to), info.size, undefined);
  await copyFile(from, to);
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

// ---------------------------------------------------------------- remove, verify

export async function removeModel(ctx: ManagerContext, id: string): Promise<string> {
  if (!/^[A-Za-z0-9._-]+$/.test(id) || id.startsWith('.')) throw new ModelManagerError(`"${id}" is not a model id`);
  const dir = join(ctx.userDir, id);
  if (!(await exists(dir))) {
    if (await exists(join(ctx.bundledDir, id, 'manifest.json'))) throw new ModelManagerError(`${id} is bundled with the app and cannot be removed`, 'bundled');
    throw new ModelManagerError(`no installed model "${id}" in ${ctx.userDir}`, 'not-installed');
  }
  // Renamed first so a half-deleted folder is never listed as a model.
  const trash = join(ctx.userDir, `.removing-${id}-${Date.now()}`);
  await rename(dir, trash);
  await rm(trash, { recursive: true, force: true });
  return dir;
}

export interface VerifyResult {
  readonly id: string;
  readonly where: ListedModel['where'];
  readonly files: number;
  readonly problems: readonly string[];
}

/** Re-hashes every file of every installed model (or only `id`). Local only. */
export async function verifyModels(ctx: ManagerContext, id?: string): Promise<VerifyResult[]> {
  const models = (await listModels(ctx)).filter((m) => id === undefined || m.id === id);
  if (id !== undefined && models.length === 0) throw new ModelManagerError(`no installed model "${id}"`, 'not-installed');
  const out: VerifyResult[] = [];
  for (const m of models) {
    if (m.where !== 'user') {
      const problems = await loadModelPackage(m.dir, { verifyHashes: true }).then(() => [], (error: unknown) => [(error as Error).message]);
      out.push({ id: m.id, where: m.where, files: await manifestFileCount(m.dir), problems });
      continue;
    }
    const rec = await readRecord(m.dir).catch((error: unknown) => error as Error);
    if (rec instanceof Error && m.problem === undefined && m.kind === 'package') {
      // Copied in by hand: its manifest's hashes are all there is to check against.
      const problems = await loadModelPackage(m.dir, { verifyHashes: true }).then(() => [], (error: unknown) => [(error as Error).message]);
      out.push({ id: m.id, where: m.where, files: await manifestFileCount(m.dir), problems });
      continue;
    }
    if (rec instanceof Error) {
      out.push({ id: m.id, where: m.where, files: 0, problems: [rec.message] });
      continue;
    }
    const problems: string[] = [];
    for (const [rel, f] of Object.entries(rec.files)) {
      const file = join(m.dir, rel);
      const size = await stat(file).then((s) => s.size, () => undefined);
      if (size === undefined) problems.push(`${file}: missing`);
      else if (size !== f.bytes) problems.push(`${file}: ${size} bytes, installed.json says ${f.bytes}`);
      else {
        const sha = await sha256File(file);
        if (sha !== f.sha256) problems.push(`${file}: sha256 ${sha} does not match installed.json ${f.sha256}`);
      }
    }
    if (rec.kind === 'package' && problems.length === 0) {
      await loadModelPackage(m.dir, { verifyHashes: false }).catch((error: unknown) => problems.push((error as Error).message));
    }
    out.push({ id: m.id, where: m.where, files: Object.keys(rec.files).length, problems });
  }
  return out;
}

async function manifestFileCount(dir: string): Promise<number> {
  return readTextFile(join(dir, 'manifest.json')).then((t) => Object.keys((JSON.parse(t) as { files: object }).files).length, () => 0);
}
