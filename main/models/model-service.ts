/**
 * The model manager for the app's panel, runtime-neutral (Electron main and the browser
 * harness both serve it; plain Node, no Electron). Every decision is the manager's
 * (models/manager) or the registry's (licences, memory): this class holds the one running
 * add task (progress, cancel), remembers accepted licences, and says why a model cannot be
 * added or used. Errors are thrown as ModelServiceError or the manager's own; errors.ts turns
 * any of them into the contract's ModelError.
 */
import { randomUUID } from 'node:crypto';
import { freemem, totalmem } from 'node:os';
import { basename, isAbsolute } from 'node:path';
import type { AddSource, CatalogModel, InstalledModel, License, ModelList, ModelTask, VerifyReport } from '../../preload/contract/models';
import { AcceptedLicenses, addRemembering } from '../../models/manager/accepted-licenses';
import { CATALOG, catalogEntry } from '../../models/manager/catalog';
import type { FetchLike } from '../../models/manager/download';
import { LicenseRequiredError, listModels, removeModel, verifyModels, type ManagerContext } from '../../models/manager/store';
import { needsAcceptance, type LicenseInfo } from '../../models/registry/license';
import { availableMemory, estimateCheckpointBytes, memoryRefusal } from '../../models/registry/memory';
import { ModelServiceError, toModelError } from './errors';

export { ModelServiceError };

/** Picks a local folder or file: Electron's OS dialog, or the harness's typed path. Null: canceled. */
export type LocalPicker = (pick: 'folder' | 'file', typed: string | undefined) => Promise<string | null>;

export interface ModelServiceOptions {
  readonly manager: Omit<ManagerContext, 'log'>;
  /** The user data folder (accepted-licenses.json lives there). */
  readonly dataDir: string;
  readonly picker: 'native' | 'typed';
  readonly pickLocal: LocalPicker;
  /** Memory a model may use now (default: what the OS reports). */
  readonly availableMemory?: () => number;
  readonly fetch?: FetchLike;
}

interface Task {
  snapshot: ModelTask;
  readonly abort: AbortController;
  /** What it added, so a licence refusal can be retried with acceptance (the page never names it again). */
  readonly source: { kind: 'catalog'; id: string } | { kind: 'local'; path: string };
}

export class ModelService {
  readonly #o: ModelServiceOptions;
  readonly #licenses: AcceptedLicenses;
  #task: Task | undefined;

  constructor(options: ModelServiceOptions) {
    this.#o = options;
    this.#licenses = AcceptedLicenses.inDataDir(options.dataDir);
  }

  #available(): number {
    return this.#o.availableMemory?.() ?? availableMemory(process.platform, freemem(), totalmem());
  }

  async #acceptedAt(license: LicenseInfo | undefined, recorded?: string): Promise<string | null> {
    if (recorded) return recorded;
    return license ? ((await this.#licenses.acceptedAt(license)) ?? null) : null;
  }

  async list(): Promise<ModelList> {
    const available = this.#available();
    const listed = await listModels(this.#o.manager);
    const seen = new Set<string>();
    const installed: InstalledModel[] = [];
    for (const m of listed) {
      installed.push({
        id: m.id, where: m.where, kind: m.kind, displayName: m.displayName, bytes: m.bytes,
        license: m.license ?? null, licenseAcceptedAt: await this.#acceptedAt(m.license, m.licenseAcceptedAt),
        memoryBytes: m.memoryBytes,
        memoryRefusal: m.memoryBytes > 0 ? (memoryRefusal(m.displayName, m.memoryBytes, available, m.smaller) ?? null) : null,
        problem: m.problem ?? null,
        // The registry opens the first folder holding an id (extra, user, bundled: listModels' order).
        shadowed: seen.has(m.id),
        dir: m.dir,
        ...(m.upscales ? { upscales: true } : {}),
      });
      seen.add(m.id);
    }
    const mine = new Set(listed.filter((m) => m.where === 'user').map((m) => m.id));
    const catalog: CatalogModel[] = [];
    for (const c of CATALOG.filter((x) => !mine.has(x.id))) {
      const memoryBytes = estimateCheckpointBytes(c.parameters);
      catalog.push({
        id: c.id, repo: c.repo, description: c.description, parameters: c.parameters, bytes: c.parameters * 4,
        license: c.license, licenseAcceptedAt: await this.#acceptedAt(c.license), memoryBytes,
        memoryRefusal: memoryRefusal(c.id, memoryBytes, available, c.smaller) ?? null,
      });
    }
    return { installed, catalog, userDir: this.#o.manager.userDir, availableMemory: available, offline: this.#o.manager.offline, picker: this.#o.picker };
  }

  /** Starts a download or an import (one at a time); refusals that need no work come back at once. */
  async add(source: AddSource, acceptLicense: boolean): Promise<{ taskId: string } | { canceled: true }> {
    if (this.#task?.snapshot.state === 'running') throw new ModelServiceError('busy', `${this.#task.snapshot.label} is still being added; wait for it or cancel it first`);
    let target: Task['source'];
    if (source.kind === 'retry') {
      if (!this.#task || this.#task.snapshot.id !== source.taskId) throw new ModelServiceError('not-found', `no earlier add "${source.taskId}" to try again`);
      target = this.#task.source;
    } else if (source.kind === 'catalog') {
      target = { kind: 'catalog', id: source.id };
    } else {
      const path = await this.#pick(source.pick, source.path);
      if (path === null) return { canceled: true };
      target = { kind: 'local', path };
    }
    if (target.kind === 'catalog') await this.#checkCatalog(target.id, acceptLicense);
    // Accepted now or before (remembered): the manager records the acceptance in installed.json.
    const accepted = acceptLicense || (target.kind === 'catalog' && (await this.#catalogAccepted(target.id)));
    return { taskId: this.#start(target, accepted) };
  }

  async #pick(pick: 'folder' | 'file', typed: string | undefined): Promise<string | null> {
    if (this.#o.picker === 'typed') {
      if (typed === undefined || typed.trim() === '') throw new ModelServiceError('invalid-request', 'give the path of a model folder or file to import');
      if (!isAbsolute(typed) || typed.includes('\0')) throw new ModelServiceError('invalid-request', `"${typed.slice(0, 200)}" is not an absolute path`);
    }
    return this.#o.pickLocal(pick, typed);
  }

  async #checkCatalog(id: string, acceptLicense: boolean): Promise<void> {
    const entry = catalogEntry(id);
    if (!entry) throw new ModelServiceError('not-found', `"${id}" is not an official model this app knows (${CATALOG.map((e) => e.id).join(', ')})`);
    if (this.#o.manager.offline) throw new ModelServiceError('offline', `offline: not downloading ${entry.id}; import a folder you downloaded yourself instead`);
    if (needsAcceptance(entry.license)) {
      if (acceptLicense) await this.#licenses.remember(entry.license);
      else if (!(await this.#licenses.acceptedAt(entry.license))) throw new LicenseRequiredError(entry.id, entry.license);
    }
    const refusal = memoryRefusal(entry.id, estimateCheckpointBytes(entry.parameters), this.#available(), entry.smaller);
    if (refusal) throw new ModelServiceError('memory', refusal);
  }

  async #catalogAccepted(id: string): Promise<boolean> {
    const entry = catalogEntry(id);
    return entry !== undefined && (await this.#licenses.acceptedAt(entry.license)) !== undefined;
  }

  #start(source: Task['source'], acceptLicense: boolean): string {
    const id = randomUUID();
    const abort = new AbortController();
    const label = source.kind === 'catalog' ? source.id : basename(source.path) || source.path;
    const task: Task = {
      source, abort,
      snapshot: { id, label, kind: source.kind === 'catalog' ? 'download' : 'import', state: 'running', file: null, done: 0, total: null, modelId: null, error: null },
    };
    this.#task = task;
    const arg = source.kind === 'catalog' ? source.id : source.path;
    // A licence accepted before (for another model, or in the CLI) is not asked again.
    const opts = {
      acceptLicense,
      signal: abort.signal,
      onProgress: (file: string, done: number, total: number | undefined) => (task.snapshot = { ...task.snapshot, file, done, total: total ?? null }),
    };
    void addRemembering({ ...this.#o.manager, ...(this.#o.fetch ? { fetch: this.#o.fetch } : {}) }, arg, opts, this.#licenses).then(
      (m) => {
        task.snapshot = { ...task.snapshot, state: 'done', modelId: m.id };
      },
      (error: unknown) => {
        task.snapshot = { ...task.snapshot, state: abort.signal.aborted ? 'cancelled' : 'failed', error: toModelError(error) };
      },
    );
    return id;
  }

  task(): ModelTask | null {
    return this.#task?.snapshot ?? null;
  }

  cancel(taskId: string): void {
    if (!this.#task || this.#task.snapshot.id !== taskId) throw new ModelServiceError('not-found', `no add "${taskId}" to cancel`);
    this.#task.abort.abort();
  }

  async verify(id: string): Promise<VerifyReport> {
    const [first] = await verifyModels(this.#o.manager, id);
    if (!first) throw new ModelServiceError('not-found', `no installed model "${id}"`);
    return { id: first.id, files: first.files, problems: [...first.problems] };
  }

  async remove(id: string): Promise<{ removed: string }> {
    if (this.#task?.snapshot.state === 'running' && this.#task.snapshot.label === id) throw new ModelServiceError('busy', `${id} is being added right now`);
    return { removed: await removeModel(this.#o.manager, id) };
  }

  /** Before the host opens `id`: the registry's copy of it, its licence accepted, enough memory. */
  async checkUse(id: string, acceptLicense: boolean): Promise<{ id: string }> {
    const list = await this.list();
    const m = list.installed.find((x) => x.id === id && !x.shadowed);
    if (!m) throw new ModelServiceError('not-found', `no installed model "${id}"`);
    if (m.problem) throw new ModelServiceError('failed', `${m.displayName} cannot be used: ${m.problem}`);
    const license = m.license as License | null;
    if (license && needsAcceptance(license) && !m.licenseAcceptedAt) {
      if (!acceptLicense) throw new LicenseRequiredError(m.id, license);
      await this.#licenses.remember(license);
    }
    if (m.memoryRefusal) throw new ModelServiceError('memory', m.memoryRefusal);
    return { id: m.id };
  }
}
