import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelPackage } from '../../../../models/registry/package-loader';
import { checkRegularFile, readFileAtMost, readTextFile } from '../../../../models/registry/read-text';

const dir = mkdtempSync(join(tmpdir(), 'read-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('files named by the user, a model folder or a project (manifest.json, config.json, WordPiece, CLI inputs)', () => {
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
    await expect(readTextFile(zero)).rejects.toThrow('is a character device, not a regular file');
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    await expect(readTextFile(fifo)).rejects.toThrow('is a named pipe (FIFO), not a regular file');
    // Through the package loader (every registry scan reads each folder's manifest): named, and fast.
    const pkg = join(dir, 'pkg');
    mkdirSync(pkg);
    symlinkSync('/dev/zero', join(pkg, 'manifest.json'));
    const started = performance.now();
    await expect(loadModelPackage(pkg)).rejects.toThrow(`${join(pkg, 'manifest.json')}: is a character device, not a regular file`);
    expect(performance.now() - started).toBeLessThan(1_000);
  }, 5_000);

  it.skipIf(process.platform === 'win32')('readFileAtMost and checkRegularFile say what a path is: FIFO, device, socket, folder', async () => {
    const fifo = join(dir, 'pipe.bin');
    execFileSync('mkfifo', [fifo]);
    await expect(readFileAtMost(fifo, 1024)).rejects.toMatchObject({ name: 'NotRegularFileError', kind: 'a named pipe (FIFO)' });
    await expect(readFileAtMost('/dev/zero', 1024)).rejects.toThrow('is a character device, not a regular file');
    await expect(checkRegularFile(fifo)).rejects.toThrow('is a named pipe (FIFO), not a regular file');
    await expect(checkRegularFile(dir)).rejects.toThrow('is a folder, expected a file');
    const socket = join(dir, 'sock');
    const server = createServer().listen(socket);
    await new Promise((ok) => server.once('listening', ok));
    try {
      await expect(readFileAtMost(socket, 1024)).rejects.toThrow('is a socket, not a regular file');
    } finally {
      server.close();
    }
  }, 5_000);

  it('reads at most the limit, and says a file over it is too large', async () => {
    writeFileSync(join(dir, 'ten.bin'), '0123456789');
    const { bytes } = await readFileAtMost(join(dir, 'ten.bin'), 10);
    expect(new TextDecoder().decode(bytes)).toBe('0123456789');
    await expect(readFileAtMost(join(dir, 'ten.bin'), 9)).rejects.toMatchObject({ name: 'FileTooLargeError', size: 10, maxBytes: 9 });
  });
});
