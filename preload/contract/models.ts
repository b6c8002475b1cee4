import { z } from 'zod';

/**
 * The model manager panel's channels (issue #14): list installed and downloadable models,
 * import a local folder or file, download from the catalogue (a task with progress and
 * cancel), verify, remove, and check a model before using it (licence, memory). Main (and the
 * harness) serve them with the model manager of models/manager; the page never names a path
 * on disk in Electron (main's own dialog picks it), ids are checked here and again by main.
 */

/** Sizes as the CLI and the Models dialog both print them ("57 MiB", "3.4 GiB"). Pure. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** A model id as the manager writes folder names: no separators, no leading dot. */
export const ModelIdArg = z.string().min(1).max(128).regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/, 'expected a model id (letters, digits, dot, dash, underscore)');
const TaskId = z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, 'expected a task id');
/** A path typed into the harness's import field (it has no native dialog); main re-checks it. */
const TypedPath = z.string().min(1).max(4096);

/** A bundled model whose package names no licence is the project's own (the app and the CLI say so alike). */
export const BUNDLED_LICENSE_TEXT = "Made by this project (trained on its own synthetic world; no third-party weights or data): the app's own terms";

export const License = z.object({ name: z.string(), url: z.string().optional(), nonCommercial: z.boolean(), summary: z.string().optional() });
export type License = z.infer<typeof License>;

export const InstalledModel = z.object({
  id: z.string(),
  where: z.enum(['extra', 'user', 'bundled']),
  kind: z.enum(['package', 'checkpoint', 'official']),
  displayName: z.string(),
  bytes: z.number(),
  license: License.nullable(),
  /** When its licence was accepted (at install, or remembered for that licence). */
  licenseAcceptedAt: z.string().nullable(),
  memoryBytes: z.number(),
  /** Why it will not fit in memory now, with the smaller model to try (the registry's words). */
  memoryRefusal: z.string().nullable(),
  /** Why it cannot be used as it is (e.g. an official checkpoint that cannot generate yet). */
  problem: z.string().nullable(),
  /** The registry finds another folder's copy of this id first: this one is never opened. */
  shadowed: z.boolean(),
  dir: z.string(),
  /**
   * An official folder whose FM predicts 448 px token grids (tok_*@448): 4M's super-resolution
   * model (4M-7-SR_L_CC12M), the editor's "Upscale ×2" for another official model's 224 px results.
   */
  upscales: z.boolean().optional(),
});
export type InstalledModel = z.infer<typeof InstalledModel>;

export const CatalogModel = z.object({
  id: z.string(),
  repo: z.string(),
  description: z.string(),
  parameters: z.number(),
  /** The download: the float32 weights. */
  bytes: z.number(),
  license: License,
  licenseAcceptedAt: z.string().nullable(),
  memoryBytes: z.number(),
  memoryRefusal: z.string().nullable(),
});
export type CatalogModel = z.infer<typeof CatalogModel>;

export const ModelList = z.object({
  installed: z.array(InstalledModel),
  catalog: z.array(CatalogModel),
  userDir: z.string(),
  availableMemory: z.number(),
  offline: z.boolean(),
  /** 'native': main shows the OS's file dialog; 'typed': the page sends the path (the harness). */
  picker: z.enum(['native', 'typed']),
});
export type ModelList = z.infer<typeof ModelList>;

export const ModelErrorCode = z.enum([
  'invalid-request',
  'not-allowed',
  'not-found', // no such model installed, or HTTP 404
  'offline',
  'network',
  'checksum',
  'disk-full',
  'license-required',
  'memory',
  'bundled',
  'exists',
  'busy',
  'cancelled',
  'failed',
]);
export type ModelErrorCode = z.infer<typeof ModelErrorCode>;
export const ModelError = z.object({
  code: ModelErrorCode,
  message: z.string(),
  /** license-required: what to show and accept. */
  license: License.optional(),
});
export type ModelError = z.infer<typeof ModelError>;

export const ModelTask = z.object({
  id: TaskId,
  /** What is being added: a catalogue id or the imported path's name. */
  label: z.string(),
  kind: z.enum(['download', 'import']),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  file: z.string().nullable(),
  done: z.number(),
  total: z.number().nullable(),
  /** The installed model's id when done. */
  modelId: z.string().nullable(),
  error: ModelError.nullable(),
});
export type ModelTask = z.infer<typeof ModelTask>;

export const VerifyReport = z.object({ id: z.string(), files: z.number(), problems: z.array(z.string()) });
export type VerifyReport = z.infer<typeof VerifyReport>;

export const AddSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('catalog'), id: ModelIdArg }),
  /** path: only where main has no dialog (picker 'typed'); Electron ignores it and asks the OS. */
  z.object({ kind: z.literal('local'), pick: z.enum(['folder', 'file']), path: TypedPath.optional() }),
  /** The same source as an earlier add that was refused (e.g. to accept its licence): main kept it. */
  z.object({ kind: z.literal('retry'), taskId: TaskId }),
]);
export type AddSource = z.infer<typeof AddSource>;

function result<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: ModelError })]);
}
export type ModelResult<T> = { ok: true; value: T } | { ok: false; error: ModelError };

export const ModelChannels = {
  'models:list': { args: z.object({}), result: result(ModelList) },
  /** Starts a download or import; follow it with models:task. Canceled: the dialog was closed. */
  'models:add': { args: z.object({ source: AddSource, acceptLicense: z.boolean() }), result: result(z.union([z.object({ taskId: TaskId }), z.object({ canceled: z.literal(true) })])) },
  /** The current or last task (one at a time). */
  'models:task': { args: z.object({}), result: result(ModelTask.nullable()) },
  'models:cancel': { args: z.object({ taskId: TaskId }), result: result(z.object({})) },
  'models:verify': { args: z.object({ id: ModelIdArg }), result: result(VerifyReport) },
  'models:remove': { args: z.object({ id: ModelIdArg }), result: result(z.object({ removed: z.string() })) },
  /** Before opening a model: its licence accepted (acceptLicense remembers it) and memory enough. */
  'models:check-use': { args: z.object({ id: ModelIdArg, acceptLicense: z.boolean() }), result: result(z.object({ id: z.string() })) },
} as const;

export type ModelChannel = keyof typeof ModelChannels;
export const MODEL_CHANNELS = Object.keys(ModelChannels) as ModelChannel[];
export type ModelArgs<C extends ModelChannel> = z.input<(typeof ModelChannels)[C]['args']>;
export type ModelChannelResult<C extends ModelChannel> = z.output<(typeof ModelChannels)[C]['result']>;

export function isModelChannel(name: string): name is ModelChannel {
  return Object.hasOwn(ModelChannels, name);
}

/** The model manager as the renderer sees it (window.studio.models, or the harness client). */
export interface ModelsApi {
  call<C extends ModelChannel>(channel: C, args: ModelArgs<C>): Promise<ModelChannelResult<C>>;
}
