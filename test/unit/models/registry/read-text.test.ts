import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelPackage } from '../../../../models/registry/package-loader';
import { readTextFile } from '../../../../models/registry/read-text';

const dir = mkdtempSync(join(tmpdir(), 'read-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a model folder's small text files (manifest.json, config.json, installed.json, WordPiece)", () => {
  it('reads a regular file; a missing one fails with its fs code', async () => {
    writeFileSync(join(dir, 'ok.json'), '{"a":1}');
    expect(await readTextFile(join(dir, 'ok.json'))).toBe('{"a":1}');
    await expect(readTextFile(join(dir, 'absent.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a folder, and a file over the limit before reading it', async () => {
    mkdirSync(join(dir, 'folder.json'));
    await expect(readTextFile(join(dir, 'folder.json'))).rejects.toThrow('is a folder, expected a file');
    writeFileSync(join(dir, 'big.json'), 'x'.repeat(101));
    await expect(readTextFile(join(dir, 'big.json'), 100)).rejects.toThrow('is 101 bytes, more than the 100 such a file may be');
  });

  it.skipIf(process.platform === 'win32')('refuses a device or a pipe before opening it (readFile on /dev/zero took 600 MB and a second; on a FIFO it never returned)', async () => {
    const zero = join(dir, 'zero.json');
    symlinkSync('/dev/zero', zero);
    await expect(readTextFile(zero)).rejects.toThrow('is not a regular file (a device, pipe or socket)');
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    await expect(readTextFile(fifo)).rejects.toThrow('is not a regular file');
    // Through the package loader (every registry scan reads each folder's manifest): named, and fast.
    const pkg = join(dir, 'pkg');
    mkdirSync(pkg);
    symlinkSync('/dev/zero', join(pkg, 'manifest.json'));
    const started = performance.now();
    await expect(loadModelPackage(pkg)).rejects.toThrow(`${join(pkg, 'manifest.json')}: is not a regular file (a device, pipe or socket)`);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
