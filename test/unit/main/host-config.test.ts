import { describe, expect, test } from 'vitest';
import { hostArgs, readHostConfig } from '../../../main/inference/host/config';

describe('the host configuration argument', () => {
  test('round-trips through argv', () => {
    const config = { modelFolders: [{ path: '/u', origin: 'user' as const }, { path: '/b', origin: 'bundled' as const }], modelId: 'm' };
    expect(readHostConfig(['node', 'host.js', ...hostArgs(config)])).toEqual(config);
  });

  test('missing or malformed configuration is refused with the reason', () => {
    expect(() => readHostConfig(['node', 'host.js'])).toThrow(/--host-config <json> is missing/);
    expect(() => readHostConfig(['--host-config', '{'])).toThrow(/not JSON/);
    expect(() => readHostConfig(['--host-config', '{"modelFolders": [{"path": "/x", "origin": "elsewhere"}]}'])).toThrow(/origin/);
  });
});
