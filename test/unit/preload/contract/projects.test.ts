import { describe, expect, test } from 'vitest';
import { MAX_PROJECT_BYTES, PROJECT_CHANNELS, ProjectChannels, projectNameOf } from '../../../../preload/contract/projects';
import { base64ToBytes, bytesToBase64, fromWireJson, toWireJson } from '../../../../preload/contract/wire';
import type { InvokeContract } from '../../../../preload/contract/channels';

describe('project channels contract', () => {
  test('requests: bytes must be a Uint8Array within the size limit; paths and names bounded', () => {
    const save = ProjectChannels['project:save'].args;
    expect(save.safeParse({ path: '/p/a.4mproj', bytes: Uint8Array.of(1) }).success).toBe(true);
    expect(save.safeParse({ path: '/p/a.4mproj', bytes: [1, 2] }).success).toBe(false);
    expect(save.safeParse({ path: '', bytes: Uint8Array.of(1) }).success).toBe(false);
    const huge = { byteLength: MAX_PROJECT_BYTES + 1 };
    Object.setPrototypeOf(huge, Uint8Array.prototype); // a stand-in: no need to allocate 256 MB
    expect(save.safeParse({ path: '/p/a.4mproj', bytes: huge }).success).toBe(false);
    expect(ProjectChannels['project:save-as'].args.safeParse({ suggestedName: 'x'.repeat(256), bytes: Uint8Array.of(1) }).success).toBe(false);
    expect(ProjectChannels['project:open'].args.safeParse({}).success).toBe(true);
    expect(ProjectChannels['autosave:write'].args.safeParse({ bytes: Uint8Array.of(1) }).success).toBe(false); // projectPath is explicit (null)
  });

  test('results: ok with a value, or a FileError with a known code', () => {
    const open = ProjectChannels['project:open'].result;
    expect(open.safeParse({ ok: true, value: { canceled: true } }).success).toBe(true);
    expect(open.safeParse({ ok: true, value: { path: '/a.4mproj', name: 'a', bytes: Uint8Array.of(1), modifiedAt: 1 } }).success).toBe(true);
    expect(open.safeParse({ ok: false, error: { code: 'corrupt', message: 'x', detail: 'checksum' } }).success).toBe(true);
    expect(open.safeParse({ ok: false, error: { code: 'oops', message: 'x' } }).success).toBe(false);
    expect(open.safeParse({ ok: true, value: { path: '/a.4mproj' } }).success).toBe(false);
  });

  test('every project channel is an Electron invoke channel with one request argument', () => {
    const check: { [C in (typeof PROJECT_CHANNELS)[number]]: InvokeContract[C]['args']['length'] } = {
      'project:save': 1,
      'project:save-as': 1,
      'project:open': 1,
      'project:recent': 1,
      'autosave:write': 1,
      'autosave:read': 1,
      'autosave:clear': 1,
    };
    expect(Object.keys(check).sort()).toEqual([...PROJECT_CHANNELS].sort());
  });

  test('names come from the file name', () => {
    expect(projectNameOf('/home/a/My scene.4mproj')).toBe('My scene');
    expect(projectNameOf('C:\\Users\\a\\b.4MPROJ')).toBe('b');
  });
});

describe('wire JSON (harness transport)', () => {
  test('Uint8Array fields survive the round trip, including Node Buffers and large arrays', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) & 255);
    const message = { path: '/a', bytes, nested: [{ b: Buffer.from([1, 2, 3]) }], n: 1 };
    const back = fromWireJson(toWireJson(message)) as typeof message;
    expect(back.bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(back.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect([...(back.nested[0]?.b ?? [])]).toEqual([1, 2, 3]);
    expect(back.n).toBe(1);
    expect(ProjectChannels['project:save'].args.safeParse(back).success).toBe(true);
  });

  test('base64 matches Node and rejects garbage', () => {
    const bytes = Uint8Array.of(0, 255, 128, 7);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect([...base64ToBytes('AP+ABw==')]).toEqual([0, 255, 128, 7]);
    expect(() => fromWireJson('{"bytes":{"$bytes":"@@@"}}')).toThrow();
  });

  test('what is wrong with a body is said (was "Invalid character" and "Maximum call stack size exceeded")', () => {
    expect(() => fromWireJson('{"bytes":{"$bytes":"!!!*"}}')).toThrow('"bytes": its "$bytes" value is not base64 text');
    expect(() => fromWireJson(`${'['.repeat(200_000)}${']'.repeat(200_000)}`)).toThrow('the request is nested too deeply to read');
    expect(() => fromWireJson('{"a":')).toThrow(/^not valid JSON \(/);
  });
});
