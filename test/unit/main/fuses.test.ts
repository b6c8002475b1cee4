import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..', '..');

/** The installer's Electron fuses (electron-builder flips them in the packaged binary). */
test('electron-builder.yml turns off RunAsNode, NODE_OPTIONS and --inspect, and requires the verified asar', () => {
  const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
  const block = /^electronFuses:\n((?:[ ]{2}.*\n)+)/m.exec(yml)?.[1] ?? '';
  const fuses = Object.fromEntries([...block.matchAll(/^\s+(\w+):\s*(true|false)/gm)].map((m) => [m[1], m[2] === 'true']));
  expect(fuses).toMatchObject({
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
    grantFileProtocolExtraPrivileges: false,
  });
});
