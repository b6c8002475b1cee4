import { z } from 'zod';
import { isProjectChannel, ProjectChannels, type ProjectChannel, type ProjectResult } from '../../preload/contract/projects';
import { toFileError } from './errors';
import type { FileDialogs, ProjectService } from './project-service';

type Args<C extends ProjectChannel> = z.output<(typeof ProjectChannels)[C]['args']>;
type Value<C extends ProjectChannel> = Extract<ProjectResult<C>, { ok: true }>['value'];
type Handlers = { [C in ProjectChannel]: (args: Args<C>, dialogs: FileDialogs) => Promise<Value<C>> };

const handlers = (s: ProjectService): Handlers => ({
  'project:save': (a) => s.save(a.path, a.bytes),
  'project:save-as': (a, d) => s.saveAs(a.suggestedName, a.bytes, d),
  'project:open': (a, d) => s.open(a.path, d),
  'project:recent': () => s.recent(),
  'autosave:write': (a) => s.writeAutosave(a.bytes, a.projectPath),
  'autosave:read': () => s.readAutosave(),
  'autosave:clear': async () => {
    await s.clearAutosave();
    return {};
  },
});

/**
 * One entry point for both transports (Electron IPC and the harness's HTTP): validates the
 * renderer's arguments with the contract, runs the service, and returns errors as data.
 */
export async function dispatchProjectCall(service: ProjectService, dialogs: FileDialogs, channel: string, rawArgs: unknown): Promise<ProjectResult<ProjectChannel>> {
  if (!isProjectChannel(channel)) return { ok: false, error: { code: 'invalid-request', message: `Unknown project channel "${channel}"` } };
  const parsed = ProjectChannels[channel].args.safeParse(rawArgs);
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid-request', message: `${channel}: ${z.prettifyError(parsed.error)}` } };
  }
  try {
    const run = handlers(service)[channel] as (args: unknown, dialogs: FileDialogs) => Promise<unknown>;
    return { ok: true, value: await run(parsed.data, dialogs) } as ProjectResult<ProjectChannel>;
  } catch (error) {
    return { ok: false, error: toFileError(error) };
  }
}
