import { expect, test } from 'vitest';
import { CONNECTION_LOST, GenerationClient } from '../../../../renderer/src/generation/generationClient';
import { hostBadge, watchHost, type HostStatus } from '../../../../renderer/src/services/hostStatus';
import type { InferenceTransport } from '../../../../renderer/src/services/studio';

function fakeTransport() {
  const messages = new Set<(m: unknown) => void>();
  const connection = new Set<(c: boolean) => void>();
  const transport: InferenceTransport = {
    send: () => undefined,
    subscribe: (l) => (messages.add(l), () => messages.delete(l)),
    onConnection: (l) => (connection.add(l), () => connection.delete(l)),
  };
  return { transport, receive: (m: unknown) => messages.forEach((l) => l(m)), connected: (c: boolean) => connection.forEach((l) => l(c)) };
}

test('a dropped connection fails the jobs it carried with a message, and the badge says so until it is back', async () => {
  const t = fakeTransport();
  const statuses: HostStatus[] = [];
  watchHost(t.transport, (s) => statuses.push(s));
  const gen = new GenerationClient(t.transport);
  const running = gen.run({ request: {} as never, images: {} }, () => undefined);
  t.connected(false);
  await expect(running.result).rejects.toMatchObject({ message: CONNECTION_LOST, kind: 'disconnected' });
  expect(statuses.at(-1)?.state).toBe('disconnected');
  expect(hostBadge(statuses.at(-1)!, 'websocket')).toMatchObject({ text: 'Inference host: disconnected', tone: 'bad' });
  t.connected(true);
  expect(statuses.at(-1)?.state).toBe('starting');
  // A late answer for the failed job is ignored, not resurrected.
  t.receive({ type: 'generation-result', id: running.id, variations: [{ seed: 1, outputs: {} }], elapsedMs: 1 });
});
