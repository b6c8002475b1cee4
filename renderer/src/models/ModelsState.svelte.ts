// The Models panel's state over the model manager's channels: the list, the one running add
// (polled for progress), verify results, and the prompt waiting for the artist (licence or removal).
import type { AddSource, License, ModelError, ModelList, ModelsApi, ModelTask } from '../../../preload/contract/models';
import { errorText } from './modelRows';

export type Prompt =
  | { readonly kind: 'license'; readonly license: License; readonly message: string; readonly accept: () => Promise<void> }
  | { readonly kind: 'remove'; readonly id: string; readonly name: string; readonly dir: string };

export interface Verified {
  readonly ok: boolean;
  readonly text: string;
}

const POLL_MS = 300;

export class ModelsState {
  list = $state.raw<ModelList | null>(null);
  task = $state.raw<ModelTask | null>(null);
  error = $state('');
  status = $state('');
  prompt = $state.raw<Prompt | null>(null);
  verified = $state.raw<Record<string, Verified>>({});
  /** Ids with a verify or remove in flight. */
  working = $state.raw<readonly string[]>([]);
  typedPath = $state('');
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: ModelsApi,
    /** Opens the model in the inference host once the checks passed. */
    private readonly open: (id: string) => void,
  ) {}

  get running(): boolean {
    return this.task?.state === 'running';
  }

  async refresh(): Promise<void> {
    const r = await this.api.call('models:list', {});
    if (r.ok) this.list = r.value;
    else this.#fail(r.error);
    const t = await this.api.call('models:task', {});
    if (t.ok && t.value?.state === 'running') this.#follow(t.value);
  }

  #fail(error: ModelError, retry?: () => Promise<void>): void {
    if (error.code === 'license-required' && error.license && retry) {
      this.prompt = { kind: 'license', license: error.license, message: error.message, accept: retry };
      return;
    }
    this.error = errorText(error);
  }

  #clear(): void {
    this.error = '';
    this.status = '';
  }

  async download(id: string, acceptLicense = false): Promise<void> {
    await this.#add({ kind: 'catalog', id }, acceptLicense);
  }

  async importLocal(pick: 'folder' | 'file'): Promise<void> {
    const typed = this.list?.picker === 'typed';
    if (typed && this.typedPath.trim() === '') {
      this.error = 'Type the full path of a model folder or file on this machine first.';
      return;
    }
    await this.#add({ kind: 'local', pick, ...(typed ? { path: this.typedPath.trim() } : {}) }, false);
  }

  async #add(source: AddSource, acceptLicense: boolean): Promise<void> {
    this.#clear();
    const r = await this.api.call('models:add', { source, acceptLicense });
    if (!r.ok) return this.#fail(r.error, () => this.#add(source, true));
    if ('canceled' in r.value) return;
    this.#follow({ id: r.value.taskId, label: '', kind: source.kind === 'catalog' ? 'download' : 'import', state: 'running', file: null, done: 0, total: null, modelId: null, error: null });
  }

  #follow(task: ModelTask): void {
    this.task = task;
    clearTimeout(this.#timer);
    const poll = async (): Promise<void> => {
      const r = await this.api.call('models:task', {});
      if (!r.ok) return this.#fail(r.error);
      const t = r.value;
      if (!t || t.id !== task.id) return;
      this.task = t;
      if (t.state === 'running') {
        this.#timer = setTimeout(() => void poll(), POLL_MS);
        return;
      }
      await this.refresh();
      if (t.state === 'done') this.status = `Installed ${t.modelId ?? t.label}.`;
      else if (t.error) this.#fail(t.error, () => this.#add({ kind: 'retry', taskId: t.id }, true));
    };
    this.#timer = setTimeout(() => void poll(), POLL_MS);
  }

  async cancel(): Promise<void> {
    if (!this.task) return;
    const r = await this.api.call('models:cancel', { taskId: this.task.id });
    if (!r.ok) this.#fail(r.error);
  }

  async #busy(id: string, work: () => Promise<void>): Promise<void> {
    this.working = [...this.working, id];
    try {
      await work();
    } finally {
      this.working = this.working.filter((x) => x !== id);
    }
  }

  async verify(id: string): Promise<void> {
    this.#clear();
    await this.#busy(id, async () => {
      const r = await this.api.call('models:verify', { id });
      if (!r.ok) return this.#fail(r.error);
      const { files, problems } = r.value;
      const ok = problems.length === 0;
      this.verified = { ...this.verified, [id]: { ok, text: ok ? `Verified: all ${files} files match their SHA-256.` : `Verification failed: ${problems.join('; ')}` } };
    });
  }

  askRemove(id: string, name: string, dir: string): void {
    this.#clear();
    this.prompt = { kind: 'remove', id, name, dir };
  }

  async remove(id: string): Promise<void> {
    this.prompt = null;
    await this.#busy(id, async () => {
      const r = await this.api.call('models:remove', { id });
      if (!r.ok) return this.#fail(r.error);
      const rest = { ...this.verified };
      delete rest[id];
      this.verified = rest;
      await this.refresh();
      this.status = `Removed ${id}.`;
    });
  }

  async use(id: string, acceptLicense = false): Promise<void> {
    this.#clear();
    const r = await this.api.call('models:check-use', { id, acceptLicense });
    if (!r.ok) return this.#fail(r.error, () => this.use(id, true));
    // The dialog's active line follows the host from here (opening, active, or why it failed).
    this.open(r.value.id);
    await this.refresh();
  }

  async acceptPrompt(): Promise<void> {
    const p = this.prompt;
    this.prompt = null;
    if (p?.kind === 'license') await p.accept();
    else if (p?.kind === 'remove') await this.remove(p.id);
  }

  dismissPrompt(): void {
    this.prompt = null;
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }
}
