import { expect, test } from 'vitest';
import { isModelChannel, ModelChannels, MODEL_CHANNELS } from '../../../../preload/contract/models';

test('ids cannot name a path: separators, leading dots, huge strings are refused', () => {
  const verify = ModelChannels['models:verify'].args;
  expect(verify.safeParse({ id: '4M-21_B' }).success).toBe(true);
  expect(verify.safeParse({ id: 'world-4m-small' }).success).toBe(true);
  for (const id of ['../x', 'a/b', 'a\\b', '.hidden', '..', '', 'x'.repeat(129), 'a\0b', 42, null]) expect(verify.safeParse({ id }).success).toBe(false);
});

test('add: a catalogue id, a local pick (with a typed path only up to 4096 characters) or a retry of a kept task', () => {
  const add = ModelChannels['models:add'].args;
  expect(add.safeParse({ source: { kind: 'catalog', id: '4M-21_B' }, acceptLicense: false }).success).toBe(true);
  expect(add.safeParse({ source: { kind: 'local', pick: 'folder' }, acceptLicense: false }).success).toBe(true);
  expect(add.safeParse({ source: { kind: 'local', pick: 'file', path: '/tmp/m.safetensors' }, acceptLicense: true }).success).toBe(true);
  expect(add.safeParse({ source: { kind: 'retry', taskId: '0f8e-11' }, acceptLicense: true }).success).toBe(true);
  expect(add.safeParse({ source: { kind: 'local', pick: 'folder', path: 'p'.repeat(4097) }, acceptLicense: false }).success).toBe(false);
  expect(add.safeParse({ source: { kind: 'local', pick: 'everything' }, acceptLicense: false }).success).toBe(false);
  expect(add.safeParse({ source: { kind: 'url', url: 'http://x' }, acceptLicense: false }).success).toBe(false);
  expect(add.safeParse({ source: { kind: 'catalog', id: '4M-21_B' } }).success).toBe(false);
});

test('every channel is known by name, and only those', () => {
  expect(MODEL_CHANNELS).toEqual(['models:list', 'models:add', 'models:task', 'models:cancel', 'models:verify', 'models:remove', 'models:check-use']);
  expect(isModelChannel('models:list')).toBe(true);
  expect(isModelChannel('__proto__')).toBe(false);
  expect(isModelChannel('toString')).toBe(false);
});
