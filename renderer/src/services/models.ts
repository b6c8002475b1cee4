import { z } from 'zod';
import type { StudioApi } from '../../../preload/contract/api';
import { ModelChannels, type ModelArgs, type ModelChannel, type ModelChannelResult, type ModelsApi } from '../../../preload/contract/models';

/**
 * The model manager's channels on the renderer side: the preload's in Electron, the harness's
 * HTTP ones in a browser. Either transport's answers are parsed with the contract before anyone
 * reads them; a transport failure or a malformed answer becomes a 'failed' error, never a throw.
 */
export function validatedModels(raw: (channel: ModelChannel, args: unknown) => Promise<unknown>): ModelsApi {
  return {
    async call<C extends ModelChannel>(channel: C, args: ModelArgs<C>): Promise<ModelChannelResult<C>> {
      let answer: unknown;
      try {
        answer = await raw(channel, args);
      } catch (error) {
        return fail<C>(`${channel} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      const parsed = ModelChannels[channel].result.safeParse(answer);
      if (!parsed.success) return fail<C>(`${channel}: unexpected answer from the app (${z.prettifyError(parsed.error)})`);
      return parsed.data as unknown as ModelChannelResult<C>;
    },
  };
}

function fail<C extends ModelChannel>(message: string): ModelChannelResult<C> {
  return { ok: false, error: { code: 'failed', message } } as unknown as ModelChannelResult<C>;
}

/** The model manager, or null where this app has none (an older preload). */
export function connectModels(): ModelsApi | null {
  const api = (window as unknown as { studio?: StudioApi }).studio;
  if (api) {
    const models = api.models;
    return models ? validatedModels((channel, args) => models.call(channel, args as never)) : null;
  }
  const base = new URL('/', location.href);
  return validatedModels(async (channel, args) => {
    const res = await fetch(new URL(`api/models/${channel}`, base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
    if (!res.ok) throw new Error(res.status === 404 ? 'this harness serves no model manager' : `HTTP ${res.status}`);
    return res.json();
  });
}
