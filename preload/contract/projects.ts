import { z } from 'zod';

/**
 * Project files through main: save, save as, open, recent projects, and the crash-recovery
 * autosave. Main only moves bytes (atomically); the project format and its full validation
 * stay in the renderer's document core. The same schemas validate both transports: Electron
 * IPC (bytes as Uint8Array) and the harness's loopback HTTP (bytes via wire.ts).
 */

export const PROJECT_EXTENSION = '.4mproj';
/** Largest project file main reads or writes. A 224 px project with a long gallery is tens of MB. */
export const MAX_PROJECT_BYTES = 256 * 1024 * 1024;

const Bytes = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes (Uint8Array)')
  .refine((b) => b.byteLength <= MAX_PROJECT_BYTES, `expected at most ${MAX_PROJECT_BYTES} bytes`);
/** An absolute path that main handed out before (dialog, recent list); main checks it again. */
const FilePath = z.string().min(1).max(4096);
/** Longest project name (a file name's limit); the name box stops there, so a long one is never refused by the contract. */
export const PROJECT_NAME_MAX = 255;
const ProjectName = z.string().min(1).max(PROJECT_NAME_MAX);

export const SaveProjectRequest = z.object({ path: FilePath, bytes: Bytes });
export const SaveProjectAsRequest = z.object({ suggestedName: ProjectName, bytes: Bytes });
/** No path: ask the artist (native dialog). A path: one from the recent list. */
export const OpenProjectRequest = z.object({ path: FilePath.optional() });
export const AutosaveWriteRequest = z.object({ bytes: Bytes, projectPath: FilePath.nullable() });

export const SavedProject = z.object({ path: FilePath, name: ProjectName, savedAt: z.number() });
export type SavedProject = z.infer<typeof SavedProject>;
export const OpenedProject = z.object({ path: FilePath, name: ProjectName, bytes: Bytes, modifiedAt: z.number() });
export type OpenedProject = z.infer<typeof OpenedProject>;
export const Canceled = z.object({ canceled: z.literal(true) });
export const RecentProject = z.object({ path: FilePath, name: ProjectName, openedAt: z.number(), exists: z.boolean() });
export type RecentProject = z.infer<typeof RecentProject>;
export const AutosaveRecord = z.object({
  bytes: Bytes,
  /** Wall clock, ms since epoch. */
  savedAt: z.number(),
  /** The project file the autosaved document belongs to, if it had been saved. */
  projectPath: FilePath.nullable(),
  /** That file's modification time, or null when there is none (never saved, deleted). */
  projectSavedAt: z.number().nullable(),
});
export type AutosaveRecord = z.infer<typeof AutosaveRecord>;

/** What went wrong, for the UI to phrase; `message` names the file and the cause. */
export const FileErrorCode = z.enum([
  'not-allowed', // a path the artist never picked
  'not-found',
  'unreadable', // permissions, I/O error, a directory
  'too-large',
  'corrupt', // not a project, truncated or checksum mismatch (detail says which)
  'write-failed',
  'invalid-request',
]);
export type FileErrorCode = z.infer<typeof FileErrorCode>;
export const FileError = z.object({ code: FileErrorCode, message: z.string(), detail: z.string().optional() });
export type FileError = z.infer<typeof FileError>;

/** Errors travel as data: Electron's invoke keeps only an Error's message, and HTTP no class at all. */
function result<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: FileError })]);
}
export type FileResult<T> = { ok: true; value: T } | { ok: false; error: FileError };

/** channel -> argument and result schemas. Both ends parse with these. */
export const ProjectChannels = {
  'project:save': { args: SaveProjectRequest, result: result(SavedProject) },
  'project:save-as': { args: SaveProjectAsRequest, result: result(z.union([SavedProject, Canceled])) },
  'project:open': { args: OpenProjectRequest, result: result(z.union([OpenedProject, Canceled])) },
  'project:recent': { args: z.object({}), result: result(z.array(RecentProject)) },
  'autosave:write': { args: AutosaveWriteRequest, result: result(z.object({ savedAt: z.number() })) },
  'autosave:read': { args: z.object({}), result: result(AutosaveRecord.nullable()) },
  'autosave:clear': { args: z.object({}), result: result(z.object({})) },
} as const;

export type ProjectChannel = keyof typeof ProjectChannels;
export const PROJECT_CHANNELS = Object.keys(ProjectChannels) as ProjectChannel[];
export type ProjectArgs<C extends ProjectChannel> = z.input<(typeof ProjectChannels)[C]['args']>;
export type ProjectResult<C extends ProjectChannel> = z.output<(typeof ProjectChannels)[C]['result']>;

export function isProjectChannel(name: string): name is ProjectChannel {
  return Object.hasOwn(ProjectChannels, name);
}

/** The file API as the renderer sees it (window.studio.projects, or the harness client). */
export interface ProjectsApi {
  call<C extends ProjectChannel>(channel: C, args: ProjectArgs<C>): Promise<ProjectResult<C>>;
}

/** The project's display name: the file name without folder and extension. */
export function projectNameOf(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const name = base.toLowerCase().endsWith(PROJECT_EXTENSION) ? base.slice(0, -PROJECT_EXTENSION.length) : base;
  return name || 'untitled';
}
