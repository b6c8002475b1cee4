import { describe, expect, test } from 'vitest';
import type { FromHost } from '../../../preload/contract/jobs';
import { serveHost, type HostLink } from '../../../main/inference/host/host';
import { throwIfCancelled, type JobRunners } from '../../../main/inference/host/runner';

function fakeLink(): { link: HostLink; sent: FromHost[]; deliver(data: unknown): void } {
  const sent: FromHost[] = [];
  let listener: (data: unknown) => void = () => undefined;
  return {
    sent,
    link: { send: (m) => sent.push(m), onMessage: (l) => (listener = l) },
    deliver: (data) => listener(data),
  };
}

const raster = { width: 1, height: 1, rgba: 'AAAA/w==' };
const job = (id: string) => ({
  type: 'job',
  id,
  request: { kind: 'placeholder.relief', image: raster, steps: 2 },
});
const execution = { provider: 'cpu', skipped: [] };
const settle = () => new Promise((r) => setTimeout(r, 10));

describe('serveHost', () => {
  test('announces itself, streams progress, returns the result', async () => {
    const { link, sent, deliver } = fakeLink();
    const runners: JobRunners = {
      'placeholder.relief': async (request, { progress }) => {
        progress(1, request.steps);
        return raster;
      },
    };
    serveHost(link, runners, execution);
    deliver(job('a'));
    await settle();
    expect(sent.map((m) => m.type)).toEqual(['ready', 'progress', 'result']);
  });

  test('answers an invalid request with an error naming the field', async () => {
    const { link, sent, deliver } = fakeLink();
    serveHost(link, { 'placeholder.relief': async () => raster }, execution);
    deliver({ type: 'job', id: 'bad', request: { kind: 'placeholder.relief', image: raster, steps: 0 } });
    await settle();
    const error = sent.find((m) => m.type === 'error');
    expect(error).toMatchObject({ id: 'bad', error: { kind: 'invalid-request' } });
    expect(error?.type === 'error' && error.error.message).toMatch(/steps/);
  });

  test('a failing runner becomes an inference error and the queue goes on', async () => {
    const { link, sent, deliver } = fakeLink();
    let calls = 0;
    serveHost(link, {
      'placeholder.relief': async () => {
        if (calls++ === 0) throw new RangeError('boom');
        return raster;
      },
    }, execution);
    deliver(job('one'));
    deliver(job('two'));
    await settle();
    expect(sent.filter((m) => m.type !== 'ready')).toMatchObject([
      { type: 'error', id: 'one', error: { name: 'RangeError', message: 'boom', kind: 'inference' } },
      { type: 'result', id: 'two' },
    ]);
  });

  test('a cancel message stops the job between steps with a cancelled error', async () => {
    const { link, sent, deliver } = fakeLink();
    serveHost(link, {
      'placeholder.relief': async (request, { progress, signal }) => {
        for (let step = 1; step <= 100; step++) {
          throwIfCancelled(signal);
          progress(step, 100);
          await new Promise((r) => setTimeout(r, 5));
        }
        return raster;
      },
    }, execution);
    deliver(job('slow'));
    await new Promise((r) => setTimeout(r, 12));
    deliver({ type: 'cancel', id: 'slow' });
    await settle();
    expect(sent.at(-1)).toMatchObject({ type: 'error', id: 'slow', error: { kind: 'cancelled', name: 'JobCancelledError' } });
    expect(sent.filter((m) => m.type === 'progress').length).toBeLessThan(100);
  });
});
