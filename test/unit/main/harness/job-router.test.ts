import { describe, expect, test } from 'vitest';
import { JobRouter } from '../../../../main/harness/job-router';
import type { FromHost, ToHost } from '../../../../preload/contract/jobs';

const request = {
  version: 1 as const,
  modelId: 'world-4m-small',
  seed: 1,
  inputs: { caption: { kind: 'text' as const, text: 'a cube' } },
  targets: [{ modality: 'tok_rgb@128', scheme: 'roar' as const, steps: 1, tokenSchedule: 'cosine' as const, temperature: 1, temperatureSchedule: 'constant' as const, cfgScale: 1, topK: 0, topP: 0 }],
  cfgGrowConditioning: false,
};
const job = (id: string): ToHost => ({ type: 'job', id, request: { kind: 'generate', request, images: {} } });
const result = (id: string): FromHost => ({ type: 'generation-result', id, variations: [{ seed: 1, outputs: {} }], elapsedMs: 1 });
const hostIdOf = (message: ToHost | undefined): string => (message && 'id' in message ? message.id : '');

function socket(router: JobRouter) {
  const got: Array<{ message: FromHost; droppable: boolean }> = [];
  const id = router.connect((message, droppable) => got.push({ message, droppable }));
  return { id, got };
}

describe('JobRouter', () => {
  test('host messages go only to the socket that started the job, under its own id', () => {
    const router = new JobRouter();
    const a = socket(router);
    const b = socket(router);
    const toHostA = router.fromClient(a.id, job('same'));
    const toHostB = router.fromClient(b.id, job('same'));
    expect(hostIdOf(toHostA)).not.toBe(hostIdOf(toHostB));
    router.fromHost({ type: 'generation-progress', id: hostIdOf(toHostA), variation: 0, done: 1, total: 2 });
    router.fromHost(result(hostIdOf(toHostA)));
    expect(a.got.map((g) => [g.message.type, 'id' in g.message ? g.message.id : '', g.droppable])).toEqual([
      ['generation-progress', 'same', true],
      ['generation-result', 'same', false],
    ]);
    expect(b.got).toEqual([]);
    expect(router.inFlight).toBe(1);
  });

  test('a socket cannot cancel a job it did not start', () => {
    const router = new JobRouter();
    const a = socket(router);
    const b = socket(router);
    const hostId = hostIdOf(router.fromClient(a.id, job('j')));
    expect(router.fromClient(b.id, { type: 'cancel', id: 'j' })).toBeUndefined();
    expect(router.fromClient(b.id, { type: 'cancel', id: hostId })).toBeUndefined();
    expect(router.fromClient(a.id, { type: 'cancel', id: 'j' })).toEqual({ type: 'cancel', id: hostId });
  });

  test('messages without a job id go to every socket; unknown ids to none', () => {
    const router = new JobRouter();
    const a = socket(router);
    const b = socket(router);
    router.fromHost({ type: 'ready', protocol: 2 as never, model: { state: 'loading', modelId: 'm' }, available: [] });
    router.fromHost(result('j999'));
    expect(a.got).toHaveLength(1);
    expect(b.got).toHaveLength(1);
  });

  test('closing a socket cancels its jobs, and their late messages go nowhere', () => {
    const router = new JobRouter();
    const a = socket(router);
    const ids = [hostIdOf(router.fromClient(a.id, job('1'))), hostIdOf(router.fromClient(a.id, job('2')))];
    expect(router.disconnect(a.id)).toEqual(ids.map((id) => ({ type: 'cancel', id })));
    router.fromHost(result(ids[0]!));
    expect(a.got).toEqual([]);
    expect(router.inFlight).toBe(1); // job 2 is still at the host until it settles
  });

  test('duplicate ids and too many jobs are refused on the socket, not sent to the host', () => {
    const router = new JobRouter({ perConnection: 2, total: 3 });
    const a = socket(router);
    const b = socket(router);
    router.fromClient(a.id, job('1'));
    expect(router.fromClient(a.id, job('1'))).toBeUndefined();
    router.fromClient(a.id, job('2'));
    expect(router.fromClient(a.id, job('3'))).toBeUndefined();
    router.fromClient(b.id, job('1'));
    expect(router.fromClient(b.id, job('2'))).toBeUndefined();
    const kinds = [...a.got, ...b.got].map((g) => (g.message.type === 'error' ? g.message.error.kind : ''));
    expect(kinds).toEqual(['invalid-request', 'busy', 'busy']);
    expect(a.got[1]?.message).toMatchObject({ error: { message: expect.stringMatching(/2 from this page/) } });
    expect(b.got[0]?.message).toMatchObject({ error: { message: expect.stringMatching(/3 in all/) } });
  });

  test('a host exit forgets every job and tells every socket', () => {
    const router = new JobRouter();
    const a = socket(router);
    router.fromClient(a.id, job('1'));
    router.hostExited({ type: 'host-exited', reason: 'killed', restarting: true });
    expect(router.inFlight).toBe(0);
    expect(a.got.map((g) => g.message.type)).toEqual(['host-exited']);
    expect(router.fromClient(a.id, job('1'))).toBeDefined(); // the id is free again
  });

  test('a model switch goes to the host as it is; the answer (ready) reaches every socket', () => {
    const router = new JobRouter();
    const a = socket(router);
    expect(router.fromClient(a.id, { type: 'open-model', modelId: 'other' })).toEqual({ type: 'open-model', modelId: 'other' });
    expect(router.inFlight).toBe(0);
  });
});
