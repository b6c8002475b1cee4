import { z } from 'zod';
import { ProjectChannels, type ProjectArgs, type ProjectChannel, type ProjectResult, type ProjectsApi } from '../../../preload/contract/projects';
import { fromWireJson, toWireJson } from '../../../preload/contract/wire';

/**
 * The project-file channels on the renderer side. Either transport's answers are parsed with
 * the contract before anyone reads them; a malformed answer becomes an 'invalid-request' error.
 */
export function validatedProjects(raw: (channel: ProjectChannel, args: unknown) => Promise<unknown>): ProjectsApi {
  return {
    async call<C extends ProjectChannel>(channel: C, args: ProjectArgs<C>): Promise<ProjectResult<C>> {
      let answer: unknown;
      try {
        answer = await raw(channel, args);
      } catch (error) {
        return fail<C>(`${channel} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      const parsed = ProjectChannels[channel].result.safeParse(answer);
      if (!parsed.success) return fail<C>(`${channel}: unexpected answer from the app (${z.prettifyError(parsed.error)})`);
      return parsed.data as unknown as ProjectResult<C>;
    },
  };
}

/** Every channel's result admits this failure shape; TypeScript cannot see it through C. */
function fail<C extends ProjectChannel>(message: string): ProjectResult<C> {
  return { ok: false, error: { code: 'invalid-request', message } } as unknown as ProjectResult<C>;
}

/** The harness's HTTP transport (main/harness/project-api.ts), or null when it serves no files. */
export async function harnessProjects(base: URL): Promise<ProjectsApi | null> {
  const root = new URL('api/projects', base);
  try {
    const res = await fetch(root, { cache: 'no-store' });
    const body: unknown = res.ok ? await res.json() : null;
    if (!(body && typeof body === 'object' && (body as { available?: unknown }).available === true)) return null;
  } catch {
    return null;
  }
  return validatedProjects(async (channel, args) => {
    const res = await fetch(new URL(`api/projects/${channel}`, base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: toWireJson(args),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return fromWireJson(await res.text());
  });
}
