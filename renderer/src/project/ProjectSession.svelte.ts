// Which project the editor holds (name, file path) and the commands on it: save, save as,
// open, recent. With the app's file channel (Electron main, or the harness) files are written
// by main, atomically; without one, save downloads and open reads a file the artist picks.
import { createDocument, restoreProjectReport, saveProject, type DocumentState } from '../document';
import type { OpenedProject, ProjectsApi, RecentProject } from '../../../preload/contract/projects';
import type { EditorState } from '../state/EditorState.svelte';
import { downloadProject, PROJECT_EXTENSION, readProjectFile } from './projectFiles';
import { openErrorText } from './fileErrors';
import { discardQuestion } from './title';

export interface SessionHooks {
  /** An explicit save landed: the autosave copy is redundant. */
  saved(): void;
  /** Another document replaced this one: its autosave is moot. */
  replaced(): void;
  /** Asks before throwing away unsaved work (window.confirm in the app). */
  confirm(question: string): boolean;
  /**
   * A project file was opened (its file name): the editor may need the model it was made with;
   * `notes` name the upscaled results that could not be read and were left out.
   */
  opened?(doc: DocumentState, file: string, notes: readonly string[]): void;
}

export class ProjectSession {
  name = $state('untitled');
  /** The file this document was opened from or saved to (file channel only). */
  path = $state<string | null>(null);
  /** undefined while the file channel is being looked for. */
  files = $state.raw<ProjectsApi | null | undefined>(undefined);
  recent = $state.raw<readonly RecentProject[]>([]);
  busy = $state(false);

  constructor(
    private readonly editor: EditorState,
    private readonly hooks: SessionHooks,
  ) {}

  get native(): boolean {
    return !!this.files;
  }

  attach(files: ProjectsApi | null): void {
    this.files = files;
    void this.refreshRecent();
  }

  /** Ctrl+S: to the current file; the first save asks where (Save As). */
  async save(): Promise<void> {
    if (!this.files) return this.#download();
    if (!this.path) return this.saveAs();
    await this.#run(`save "${this.name}"`, async (files) => {
      const r = await files.call('project:save', { path: this.path ?? '', bytes: saveProject(this.editor.store.state) });
      if (!r.ok) throw new Error(r.error.message);
      this.#saved(r.value.path, r.value.name);
    });
  }

  /** Ctrl+Shift+S: always asks where (native dialog; the harness picks by name). */
  async saveAs(): Promise<void> {
    if (!this.files) return this.#download();
    await this.#run(`save "${this.name}"`, async (files) => {
      const r = await files.call('project:save-as', { suggestedName: this.name || 'untitled', bytes: saveProject(this.editor.store.state) });
      if (!r.ok) throw new Error(r.error.message);
      if ('canceled' in r.value) return;
      this.#saved(r.value.path, r.value.name);
    });
  }

  /** Ctrl+O, or a recent project by path. False when the artist kept the current document. */
  async open(path?: string): Promise<boolean> {
    if (!this.files || !this.confirmDiscard()) return false;
    let opened = false;
    await this.#run('open the project', async (files) => {
      const r = await files.call('project:open', path === undefined ? {} : { path });
      if (!r.ok) throw new SaidError(openErrorText(r.error.message));
      if ('canceled' in r.value) return;
      this.#load(r.value);
      opened = true;
    });
    await this.refreshRecent();
    return opened;
  }

  /** Browser fallback: a file from the upload picker (the guard ran before the picker opened). */
  async openUploaded(file: File): Promise<void> {
    try {
      const { doc, notes } = await readProjectFile(file);
      this.name = file.name.replace(/\.4mproj$/, '');
      this.path = null;
      this.editor.replaceDocument(doc, `Opened ${file.name}`);
      this.hooks.replaced();
      this.hooks.opened?.(doc, file.name, notes);
    } catch (error) {
      this.editor.error = `Could not open ${file.name}: ${message(error)}`;
    }
  }

  newDocument(): void {
    if (!this.confirmDiscard()) return;
    this.editor.replaceDocument(createDocument(this.editor.manifest), 'New document');
    this.name = 'untitled';
    this.path = null;
    this.hooks.replaced();
  }

  /** True when there is nothing unsaved (or waiting for Accept) or the artist agrees to lose it. */
  confirmDiscard(): boolean {
    const question = discardQuestion(this.name, this.editor.dirty, this.editor.staged.length > 0);
    return question === null || this.hooks.confirm(question);
  }

  /** Where a document rebuilt for another model picks up: the same file and name, saved or not. */
  resume(name: string, path: string | null): void {
    this.name = name;
    this.path = path;
  }

  /** After crash recovery: the work belongs to its file again, and is unsaved. */
  recovered(projectPath: string | null, name: string | null): void {
    this.path = projectPath;
    if (name) this.name = name;
    this.editor.markUnsaved();
  }

  async refreshRecent(): Promise<void> {
    if (!this.files) return;
    const r = await this.files.call('project:recent', {});
    if (r.ok) this.recent = r.value;
  }

  #load(opened: OpenedProject): void {
    // The full format check (version, schema, sizes) is the document core's; main checked only the frame.
    const { doc, notes } = restoreProjectReport(opened.bytes);
    this.editor.replaceDocument(doc, `Opened ${opened.name}${PROJECT_EXTENSION}`);
    this.name = opened.name;
    this.path = opened.path;
    this.hooks.replaced();
    this.hooks.opened?.(doc, `${opened.name}${PROJECT_EXTENSION}`, notes);
  }

  #saved(path: string, name: string): void {
    this.path = path;
    this.name = name;
    this.editor.markSaved(`Saved ${name}${PROJECT_EXTENSION}`);
    this.hooks.saved();
    void this.refreshRecent();
  }

  #download(): void {
    try {
      downloadProject(this.editor.store.state, this.name);
      this.editor.markSaved(`Saved ${this.name}${PROJECT_EXTENSION}`);
      this.hooks.saved();
    } catch (error) {
      this.editor.fail(error);
    }
  }

  async #run(what: string, task: (files: ProjectsApi) => Promise<void>): Promise<void> {
    const files = this.files;
    if (!files || this.busy) return;
    this.busy = true;
    try {
      await task(files);
    } catch (error) {
      this.editor.error = error instanceof SaidError ? error.message : `Could not ${what}: ${message(error)}`;
    } finally {
      this.busy = false;
    }
  }
}

/** An error whose message is already the sentence to show. */
class SaidError extends Error {}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
