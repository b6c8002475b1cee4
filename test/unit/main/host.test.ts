import { describe, expect, test } from 'vitest';
import { FromHost, MAX_QUEUED_JOBS, type ModelStatus } from '../../../preload/contract/jobs';
import type { HostBackend } from '../../../main/inference/host/backend';
import type { GenerateRunner } from '../../../main/inference/host/generate-runner';
import { serveHost, type HostLink } from '../../../main/inference/host/host';
import { JobCancelledError, throwIfCancelled } from '../../../main/inference/host/runner';

function fakeLink(): { link: HostLink; sent: FromHost[]; deliver(data: unknown): void } {
  const sent: FromHost[] = [];
  let listener: (data: unknown) => void = () => undefined;
  return { sent, link: { send: (m) => sent.push(m), onMessage: (l) => (listener = l) }, deliver: (data) => listener(data) };
}

const raster = { width: 1, height: 1, rgba: 'AAAA/w==' };
const loaded: ModelStatus = {
  state: 'loaded',
  modelId: 'world-4m-small',
  displayName: 'World 4M small',
  execution: { provider: 'cpu', skipped: [{ provider: 'dml', reason: 'not available on linux' }] },
  graphs: [{ graph: 'fm/encoder.onnx', provider: 'cpu', skipped: [] }],
  loadMs: 12,
};

/** A backend whose generate runner is the test's; open() switches instantly. */
function fakeBackend(generate: GenerateRunner): HostBackend & { opened: string[] } {
  let model: ModelStatus = loaded;
  const listeners: (() => void)[] = [];
  const opened: string[] = [];
  return {
    opened,
    generate,
    status: () => ({ model, available: [{ id: 'world-4m-small', displayName: 'World 4M small', origin: 'bundled' }] }),
    onChange: (l) => void listeners.push(l),
    async open(id) {
      opened.push(id);
      model = { state: 'loading', modelId: id };
      listeners.forEach((l) => l());
      await new Promise((r) => setTimeout(r, 5));
      model = { ...loaded, modelId: id } as ModelStatus;
      listeners.forEach((l) => l());
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 20));
const request = {
  version: 1,
  modelId: 'world-4m-small',
  seed: 3,
  inputs: { caption: { kind: 'text', text: 'a red cube' } },
  targets: [{ modality: 'tok_rgb@128', scheme: 'maskgit', steps: 2, tokenSchedule: 'cosine', temperature: 1, temperatureSchedule: 'linear', cfgScale: 2, topK: 0, topP: 0.9 }],
  cfgGrowConditioning: true,
};
const job = (id: string) => ({ type: 'job', id, request: { kind: 'generate', request } });
const ok: GenerateRunner = async (j, { progress }) => {
  progress(0, 1, 2, { modality: 'tok_rgb@128', raster });
  progress(0, 2, 2);
  return [{ seed: j.request.seed, outputs: { 'tok_rgb@128': { kind: 'image', tokens: [1, 2], raster } } }];
};

describe('serveHost', () => {
  test("announces the model's status, streams per-step previews and returns per-modality outputs, all valid FromHost messages", async () => {
    const { link, sent, deliver } = fakeLink();
    serveHost(link, fakeBackend(ok));
    deliver(job('g'));
    await settle();
    expect(sent.map((m) => m.type)).toEqual(['ready', 'generation-progress', 'generation-progress', 'generation-result']);
    for (const m of sent) expect(FromHost.safeParse(m).success).toBe(true);
    expect(sent[0]).toMatchObject({ model: { state: 'loaded', execution: { provider: 'cpu' } }, available: [{ id: 'world-4m-small' }] });
    expect(sent[3]).toMatchObject({ id: 'g', variations: [{ seed: 3 }] });
  });

  test('an invalid request is refused with the field at fault; a message without an id is dropped', async () => {
    const { link, sent, deliver } = fakeLink();
    serveHost(link, fakeBackend(ok));
    deliver({ type: 'job', id: 'bad', request: { kind: 'generate', request: { ...request, targets: [] } } });
    deliver({ type: 'job', request: { kind: 'placeholder.relief' } });
    await settle();
    const errors = sent.filter((m) => m.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ id: 'bad', error: { kind: 'invalid-request', message: expect.stringMatching(/targets/) } });
  });

  test('a failing runner becomes an inference error and the queue goes on', async () => {
    const { link, sent, deliver } = fakeLink();
    let calls = 0;
    serveHost(link, fakeBackend(async (j, c) => {
      if (calls++ === 0) throw new RangeError('boom');
      return ok(j, c);
    }));
    deliver(job('one'));
    deliver(job('two'));
    await settle();
    expect(sent.filter((m) => m.type === 'error' || m.type === 'generation-result')).toMatchObject([
      { type: 'error', id: 'one', error: { name: 'RangeError', message: 'boom', kind: 'inference' } },
      { type: 'generation-result', id: 'two' },
    ]);
  });

  test('a cancel message stops the job between steps with a cancelled error', async () => {
    const { link, sent, deliver } = fakeLink();
    serveHost(link, fakeBackend(async (_j, { progress, signal }) => {
      for (let step = 1; step <= 100; step++) {
        try {
          throwIfCancelled(signal);
        } catch {
          throw new JobCancelledError('Generation was cancelled');
        }
        progress(0, step, 100);
        await new Promise((r) => setTimeout(r, 5));
      }
      return [];
    }));
    deliver(job('slow'));
    await new Promise((r) => setTimeout(r, 12));
    deliver({ type: 'cancel', id: 'slow' });
    await settle();
    expect(sent.at(-1)).toMatchObject({ type: 'error', id: 'slow', error: { kind: 'cancelled', name: 'JobCancelledError' } });
    expect(sent.filter((m) => m.type === 'generation-progress').length).toBeLessThan(100);
  });

  test('open-model waits for the jobs sent before it, then announces loading and loaded', async () => {
    const { link, sent, deliver } = fakeLink();
    const backend = fakeBackend(ok);
    serveHost(link, backend);
    deliver(job('before'));
    deliver({ type: 'open-model', modelId: 'other-model' });
    deliver(job('after'));
    await settle();
    const order = sent.map((m) => (m.type === 'ready' ? `ready:${m.model.state}:${m.model.modelId}` : m.type === 'generation-result' ? `result:${m.id}` : m.type));
    expect(order.filter((x) => !x.startsWith('generation-progress'))).toEqual([
      'ready:loaded:world-4m-small',
      'result:before',
      'ready:loading:other-model',
      'ready:loaded:other-model',
      'result:after',
    ]);
    expect(backend.opened).toEqual(['other-model']);
  });
});

describe('serveHost bounds', () => {
  test('thousands of fast steps send a bounded number of progress messages, the last one included', async () => {
    const { link, sent, deliver } = fakeLink();
    serveHost(link, fakeBackend(async (_j, { progress }) => {
      for (let s = 1; s <= 4096; s++) progress(0, s, 4096);
      return [{ seed: 3, outputs: {} }];
    }));
    deliver(job('many'));
    await settle();
    const progress = sent.filter((m) => m.type === 'generation-progress');
    expect(progress.length).toBeLessThanOrEqual(3);
    expect(progress.at(-1)).toMatchObject({ done: 4096, total: 4096 });
  });

  test(`more than ${MAX_QUEUED_JOBS} jobs waiting are refused as busy`, async () => {
    const { link, sent, deliver } = fakeLink();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    serveHost(link, fakeBackend(async () => (await gate, [{ seed: 3, outputs: {} }])));
    for (let i = 0; i <= MAX_QUEUED_JOBS; i++) deliver(job(`j${i}`));
    await settle();
    expect(sent.filter((m) => m.type === 'error').map((m) => m.type === 'error' && [m.id, m.error.kind])).toEqual([[`j${MAX_QUEUED_JOBS}`, 'busy']]);
    release();
    await settle();
    expect(sent.filter((m) => m.type === 'generation-result')).toHaveLength(MAX_QUEUED_JOBS);
  });

  test('a flood of model switches queues only the latest', async () => {
    const { link, deliver } = fakeLink();
    const backend = fakeBackend(ok);
    serveHost(link, backend);
    deliver(job('busy'));
    for (let i = 0; i < 1000; i++) deliver({ type: 'open-model', modelId: `m${i}` });
    await settle();
    await settle();
    expect(backend.opened).toEqual(['m999']);
  });
});

describe('serveHost: hostile messages (the Electron renderer talks to the host directly over a MessagePort)', () => {
  test('no message throws out of the listener (which would end the host process); each is answered when its id can be, and the host keeps serving', async () => {
    const { link, sent, deliver } = fakeLink();
    serveHost(link, fakeBackend(ok));
    const hostile: unknown[] = [
      { type: 'job', id: 'x'.repeat(129), request: {} }, // an id the contract cannot answer to
      { type: 'job', id: '', request: {} },
      { type: 'job', id: 42, request: {} },
      { type: 'job', id: { toString: null }, request: {} },
      { type: 'cancel', id: 'y'.repeat(10_000) },
      { type: 'open-model', modelId: 'z'.repeat(300) },
      { type: 'job', id: 'nan', request: { kind: 'generate', request: { ...request, seed: Number.NaN } } },
      { type: 'job', id: 'inf', request: { kind: 'generate', request: { ...request, targets: [{ ...request.targets[0], steps: Number.POSITIVE_INFINITY }] } } },
      JSON.parse('{"type":"job","id":"proto","__proto__":{"kind":"generate"},"request":{"__proto__":{"kind":"generate"}}}'),
      null,
      'job',
      [job('in-an-array')],
    ];
    for (const message of hostile) expect(() => deliver(message), JSON.stringify(message)?.slice(0, 80)).not.toThrow();
    deliver(job('after'));
    await settle();
    const errors = sent.flatMap((m) => (m.type === 'error' ? [[m.id, m.error.kind]] : []));
    expect(errors).toEqual([['nan', 'invalid-request'], ['inf', 'invalid-request'], ['proto', 'invalid-request']]);
    expect(sent.filter((m) => m.type === 'generation-result').map((m) => m.type === 'generation-result' && m.id)).toEqual(['after']);
    expect(({} as Record<string, unknown>)['kind']).toBeUndefined(); // nothing reached Object.prototype
  });
});

describe('serveHost: a model that describes itself past the contract', () => {
  test("a loaded status the editor cannot take (a 8192 px layout) is announced as a failed model naming the field, not thrown out of the model's open", async () => {
    const { link, sent, deliver } = fakeLink();
    const backend = fakeBackend(ok);
    const layout = { id: 'huge', imageSize: 8192, modalities: [{ name: 'rgb@8192', displayName: 'Picture', type: 'img' as const, domain: 'rgb', grid: [16, 16] as [number, number] }] };
    const status = backend.status;
    let huge = false;
    backend.status = () => (huge ? { model: { ...loaded, modelId: 'huge', layout }, available: [...status().available, { id: 'x'.repeat(300), displayName: 'too long', origin: 'user' }] } : status());
    serveHost(link, backend);
    huge = true;
    expect(() => deliver({ type: 'open-model', modelId: 'huge' })).not.toThrow();
    await settle();
    const last = sent.at(-1);
    expect(last).toMatchObject({ type: 'ready', model: { state: 'failed', modelId: 'huge', message: expect.stringMatching(/^Model "huge" describes itself in a way the editor cannot use \(model\.layout\.imageSize: Too big: expected number to be <=4096\)$/) } });
    expect(last?.type === 'ready' && last.available.map((a) => a.id)).toEqual(['world-4m-small']);
    for (const m of sent) expect(FromHost.safeParse(m).success).toBe(true);
  });
});
