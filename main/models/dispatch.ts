import { z } from 'zod';
import { isModelChannel, ModelChannels, type ModelChannel, type ModelChannelResult } from '../../preload/contract/models';
import { toModelError } from './errors';
import type { ModelService } from './model-service';

type Args<C extends ModelChannel> = z.output<(typeof ModelChannels)[C]['args']>;
type Value<C extends ModelChannel> = Extract<ModelChannelResult<C>, { ok: true }>['value'];
type Handlers = { [C in ModelChannel]: (args: Args<C>) => Promise<Value<C>> };

const handlers = (s: ModelService): Handlers => ({
  'models:list': () => s.list(),
  'models:add': (a) => s.add(a.source, a.acceptLicense),
  'models:task': async () => s.task(),
  'models:cancel': async (a) => (s.cancel(a.taskId), {}),
  'models:verify': (a) => s.verify(a.id),
  'models:remove': (a) => s.remove(a.id),
  'models:check-use': (a) => s.checkUse(a.id, a.acceptLicense),
});

/**
 * One entry point for both transports (Electron IPC and the harness's HTTP): validates the page's
 * arguments with the contract, runs the service, and returns every error as data (never throws).
 */
export async function dispatchModelCall(service: ModelService, channel: string, rawArgs: unknown): Promise<ModelChannelResult<ModelChannel>> {
  if (!isModelChannel(channel)) return { ok: false, error: { code: 'invalid-request', message: `Unknown model channel "${channel.slice(0, 100)}"` } };
  const parsed = ModelChannels[channel].args.safeParse(rawArgs);
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid-request', message: `${channel}: ${z.prettifyError(parsed.error).slice(0, 1000)}` } };
  }
  try {
    const run = handlers(service)[channel] as (args: unknown) => Promise<unknown>;
    return { ok: true, value: await run(parsed.data) } as ModelChannelResult<ModelChannel>;
  } catch (error) {
    return { ok: false, error: toModelError(error) };
  }
}
