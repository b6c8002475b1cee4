import { describe, expect, test } from 'vitest';
import { hostBadge, hostCanRun, hostWait, watchHost, type HostStatus } from '../../../renderer/src/services/hostStatus';
import type { InferenceTransport } from '../../../renderer/src/services/studio';
import { PROTOCOL_VERSION } from '../../../preload/contract/versions';

const loaded: HostStatus = {
  state: 'ready',
  model: {
    state: 'loaded',
    modelId: 'world-4m-small',
    displayName: 'World 4M small',
    execution: { provider: 'cuda', skipped: [{ provider: 'dml', reason: 'not available on linux' }] },
    graphs: [
      { graph: 'fm/encoder.onnx', provider: 'cuda', skipped: [] },
      { graph: 'tokenizers/rgb_decoder.onnx', provider: 'cpu', skipped: [{ provider: 'cuda', reason: 'session failed: out of memory' }] },
    ],
    loadMs: 900,
  },
};

describe('why Generate is off while the host cannot run', () => {
  test('"waiting" only while something is on its way; a failed model says what to do', () => {
    expect(hostWait({ state: 'starting' })).toBe('Waiting for the inference host to start…');
    expect(hostWait({ state: 'ready', model: { state: 'loading', modelId: 'world-4m-small' } })).toBe('Waiting for world-4m-small to load…');
    expect(hostWait({ state: 'ready', model: { state: 'failed', modelId: 'x', message: 'Could not open model "x": gone' } })).toBe('Could not open model "x": gone. Choose a model in Models (Ctrl+Shift+M).');
    expect(hostWait({ state: 'restarting', message: 'the inference host was killed (SIGKILL)' })).toBe('The inference host is restarting: the inference host was killed (SIGKILL). Generate comes back when it is ready.');
    expect(hostWait({ state: 'down', message: 'it crashed 3 times in a minute.' })).toBe('The inference host stopped: it crashed 3 times in a minute. Restart the app to generate again.');
    expect(hostWait({ state: 'disconnected', message: 'No connection to the inference host; reconnecting…' })).toBe('No connection to the inference host; reconnecting…');
  });
});

describe('the header badge', () => {
  test('says which model runs on which provider, and names graphs that fell back', () => {
    const badge = hostBadge(loaded, 'websocket');
    expect(badge.text).toBe('Inference host: ready · World 4M small on cuda');
    expect(badge.title).toBe('World 4M small: 2 graphs on cuda (except tokenizers/rgb_decoder.onnx runs on cpu)\ndml: not available on linux\nconnected over websocket');
    expect(badge.tone).toBe('ok');
    expect(hostCanRun(loaded)).toBe(true);
  });

  test('loading, failed, restarting and down are each said plainly', () => {
    const loading: HostStatus = { state: 'ready', model: { state: 'loading', modelId: 'world-4m-small' } };
    expect(hostBadge(loading, 'electron')).toMatchObject({ text: 'Inference host: loading world-4m-small…', tone: 'busy' });
    expect(hostCanRun(loading)).toBe(false);
    const failed: HostStatus = { state: 'ready', model: { state: 'failed', modelId: 'x', message: 'Could not open model "x": gone' } };
    expect(hostBadge(failed, 'electron')).toEqual({ text: 'Inference host: model failed', title: 'Could not open model "x": gone\nconnected over electron', tone: 'bad' });
    expect(hostBadge({ state: 'restarting', message: 'the inference host was killed (SIGKILL)' }, 'electron')).toMatchObject({ text: 'Inference host: restarting', tone: 'busy' });
    expect(hostBadge({ state: 'down' }, 'electron').tone).toBe('bad');
    expect(hostBadge({ state: 'starting' }, 'electron')).toMatchObject({ text: 'Inference host: starting', title: 'connected over electron' });
  });

  test('follows ready and host-exited messages, and says so when the host speaks another protocol', () => {
    let listener: (m: unknown) => void = () => undefined;
    const transport: InferenceTransport = { send: () => undefined, subscribe: (l) => ((listener = l), () => undefined) };
    const seen: HostStatus[] = [];
    watchHost(transport, (s) => seen.push(s));
    listener({ type: 'ready', protocol: PROTOCOL_VERSION, model: { state: 'loading', modelId: 'm' }, available: [] });
    listener({ type: 'generation-progress', id: 'x', variation: 0, done: 1, total: 2 });
    listener({ type: 'host-exited', reason: 'the inference host exited with code 1', restarting: true });
    listener({ type: 'ready', protocol: 1, execution: { provider: 'cpu', skipped: [] } });
    expect(seen.map((s) => s.state)).toEqual(['ready', 'restarting', 'down']);
    expect(seen[2]?.message).toMatch(/another protocol \(expected version 2\)/);
  });
});
