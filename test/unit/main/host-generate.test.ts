import { describe, expect, test } from 'vitest';
import { FromHost } from '../../../preload/contract/jobs';
import { serveHost, type HostLink } from '../../../main/inference/host/host';
import { JobCancelledError, type JobRunners } from '../../../main/inference/host/runner';
import type { GenerateRunner } from '../../../main/inference/host/generate-runner';

function fakeLink(): { link: HostLink; sent: FromHost[]; deliver(data: unknown): void } {
  const sent: FromHost[] = [];
  let listener: (data: unknown) => void = () => undefined;
  return { sent, link: { send: (m) => sent.push(m), onMessage: (l) => (listener = l) }, deliver: (data) => listener(data) };
}

const raster = { width: 1, height: 1, rgba: 'AAAA/w==' };
const runners: JobRunners = { 'placeholder.relief': async () => raster };
const execution = { provider: 'cpu', skipped: [] };
const settle = () => new Promise((r) => setTimeout(r, 10));
const request = {
  version: 1,
  modelId: 'world-4m-small',
  seed: 3,
  inputs: { caption: { kind: 'text', text: 'a red cube' } },
  targets: [{ modality: 'tok_rgb@128', scheme: 'maskgit', steps: 2, tokenSchedule: 'cosine', temperature: 1, temperatureSchedule: 'linear', cfgScale: 2, topK: 0, topP: 0.9 }],
  cfgGrowConditioning: true,
};
const job = (id: string) => ({ type: 'job', id, request: { kind: 'generate', request } });

describe("the host's 'generate' job", () => {
  test('streams per-step previews and returns per-modality outputs, all valid FromHost messages', async () => {
    const { link, sent, deliver } = fakeLink();
    const generate: GenerateRunner = async (j, { progress }) => {
      expect(j.images).toEqual({}); // defaulted
      progress(0, 1, 2, { modality: 'tok_rgb@128', raster });
      progress(0, 2, 2);
      return [{ seed: j.request.seed, outputs: { 'tok_rgb@128': { kind: 'image', tokens: [1, 2], raster } } }];
    };
    serveHost(link, runners, execution, generate);
    deliver(job('g'));
    await settle();
    expect(sent.map((m) => m.type)).toEqual(['ready', 'generation-progress', 'generation-progress', 'generation-result']);
    for (const m of sent) expect(FromHost.safeParse(m).success).toBe(true);
    expect(sent[3]).toMatchObject({ id: 'g', variations: [{ seed: 3 }] });
  });

  test('without a model the job fails with a clear error; cancellation is reported as cancelled', async () => {
    const { link, sent, deliver } = fakeLink();
    serveHost(link, runners, execution);
    deliver(job('none'));
    await settle();
    expect(sent.at(-1)).toMatchObject({ type: 'error', id: 'none', error: { kind: 'inference', message: expect.stringMatching(/no 4M model/) } });

    const second = fakeLink();
    serveHost(second.link, runners, execution, async () => {
      throw new JobCancelledError('Generation was cancelled');
    });
    second.deliver(job('c'));
    await settle();
    expect(second.sent.at(-1)).toMatchObject({ type: 'error', id: 'c', error: { kind: 'cancelled' } });
  });

  test('an invalid generation request is refused with the field at fault', async () => {
    const { link, sent, deliver } = fakeLink();
    serveHost(link, runners, execution, async () => []);
    deliver({ type: 'job', id: 'bad', request: { kind: 'generate', request: { ...request, targets: [] } } });
    await settle();
    const error = sent.find((m) => m.type === 'error');
    expect(error).toMatchObject({ id: 'bad', error: { kind: 'invalid-request' } });
    expect(error?.type === 'error' && error.error.message).toMatch(/targets/);
  });
});
