import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ProjectService } from '../../../../main/project/project-service';
import { writeContainer } from '../../../../renderer/src/document/project/container';
import { fixedDialogs, projectBytes, tempDir } from './fixtures';

async function setup(options: { maxBytes?: number } = {}) {
  const state = tempDir('4m-state-');
  const projects = tempDir('4m-projects-');
  let clock = 1_000;
  const service = await ProjectService.create({ stateDir: state, autosaveDir: join(state, 'autosave'), now: () => clock++, caseInsensitivePaths: false, ...options });
  return { state, projects, service };
}

describe('ProjectService: save and open', () => {
  test('save as → save → open returns the same bytes; the folder holds only the project', async () => {
    const { projects, service } = await setup();
    const path = join(projects, 'scene.4mproj');
    const saved = await service.saveAs('scene', projectBytes(1), fixedDialogs(path));
    expect(saved).toMatchObject({ path, name: 'scene' });
    await service.save(path, projectBytes(2));
    const opened = await service.open(path, fixedDialogs(null));
    expect('bytes' in opened && Buffer.from(opened.bytes).equals(Buffer.from(projectBytes(2)))).toBe(true);
    expect(readdirSync(projects)).toEqual(['scene.4mproj']);
  });

  test('Save As adds the extension; cancelled dialogs change nothing', async () => {
    const { projects, service } = await setup();
    const saved = await service.saveAs('x', projectBytes(), fixedDialogs(join(projects, 'no-extension')));
    expect(saved).toMatchObject({ path: join(projects, 'no-extension.4mproj') });
    expect(await service.saveAs('x', projectBytes(), fixedDialogs(null))).toEqual({ canceled: true });
    expect(await service.open(undefined, fixedDialogs(null, null))).toEqual({ canceled: true });
  });

  test('a path the artist never picked is refused for save and open', async () => {
    const { projects, service } = await setup();
    const victim = join(projects, 'victim.4mproj');
    writeFileSync(victim, 'precious');
    await expect(service.save(victim, projectBytes())).rejects.toMatchObject({ code: 'not-allowed' });
    await expect(service.open(victim, fixedDialogs(null))).rejects.toMatchObject({ code: 'not-allowed' });
    await expect(service.save('/etc/passwd', projectBytes())).rejects.toMatchObject({ code: 'not-allowed' });
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  test('bytes that are not a project are never written', async () => {
    const { projects, service } = await setup();
    const path = join(projects, 'p.4mproj');
    await service.saveAs('p', projectBytes(1), fixedDialogs(path));
    await expect(service.save(path, new TextEncoder().encode('#!/bin/sh\nrm -rf ~'))).rejects.toMatchObject({ code: 'invalid-request', detail: 'magic' });
    expect(Buffer.from(readFileSync(path)).equals(Buffer.from(projectBytes(1)))).toBe(true);
  });

  test('corrupt, truncated, missing, folder and too-large files give specific errors', async () => {
    const { projects, service } = await setup({ maxBytes: 64 * 1024 });
    const path = (n: string): string => join(projects, `${n}.4mproj`);
    const good = projectBytes(3);

    writeFileSync(path('flipped'), good.map((b, i) => (i === 200 ? b ^ 1 : b)));
    await expect(service.open(undefined, fixedDialogs(null, path('flipped')))).rejects.toMatchObject({ code: 'corrupt', detail: 'checksum', message: expect.stringMatching(/flipped\.4mproj cannot be opened: file is damaged/) });

    writeFileSync(path('cut'), good.subarray(0, 12));
    await expect(service.open(undefined, fixedDialogs(null, path('cut')))).rejects.toMatchObject({ code: 'corrupt', detail: 'truncated' });

    writeFileSync(path('text'), 'hello');
    await expect(service.open(undefined, fixedDialogs(null, path('text')))).rejects.toMatchObject({ code: 'corrupt', detail: 'magic', message: expect.stringMatching(/not a 4M Studio project/) });

    await expect(service.open(undefined, fixedDialogs(null, path('gone')))).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/gone\.4mproj does not exist/) });

    mkdirSync(path('folder'));
    await expect(service.open(undefined, fixedDialogs(null, path('folder')))).rejects.toMatchObject({ code: 'unreadable', message: expect.stringMatching(/is a folder/) });

    writeFileSync(path('huge'), new Uint8Array(64 * 1024 + 1));
    await expect(service.open(undefined, fixedDialogs(null, path('huge')))).rejects.toMatchObject({ code: 'too-large', message: expect.stringMatching(/larger than the 0\.1 MB/) });
    await expect(service.saveAs('big', new Uint8Array(64 * 1024 + 1), fixedDialogs(path('big')))).rejects.toMatchObject({ code: 'too-large' });
    expect(existsSync(path('big'))).toBe(false);
  });

  test.skipIf(process.platform === 'win32')('a device or a pipe named .4mproj is refused before reading (reading /dev/zero grew main by gigabytes a minute; a FIFO never answered)', async () => {
    const { projects, service } = await setup({ maxBytes: 64 * 1024 });
    const zero = join(projects, 'zero.4mproj');
    symlinkSync('/dev/zero', zero);
    await expect(service.open(undefined, fixedDialogs(null, zero))).rejects.toMatchObject({ code: 'unreadable', message: `${zero} is a character device, not a project file` });
    const fifo = join(projects, 'pipe.4mproj');
    execFileSync('mkfifo', [fifo]);
    await expect(service.open(undefined, fixedDialogs(null, fifo))).rejects.toMatchObject({ code: 'unreadable', message: `${fifo} is a named pipe (FIFO), not a project file` });
    // A regular file is still read whole, up to the limit.
    writeFileSync(join(projects, 'ok.4mproj'), projectBytes(2));
    expect(await service.open(undefined, fixedDialogs(null, join(projects, 'ok.4mproj')))).toMatchObject({ name: 'ok' });
  });

  test('a damaged file whose crash backup survived says where the previous version is', async () => {
    const { projects, service } = await setup();
    const path = join(projects, 'p.4mproj');
    writeFileSync(path, 'garbage');
    const backup = join(projects, '.p.4mproj.12345-beef.bak'); // what a write that crashed leaves
    writeFileSync(backup, projectBytes());
    await expect(service.open(undefined, fixedDialogs(null, path))).rejects.toMatchObject({ code: 'corrupt', message: expect.stringContaining(backup) });
  });

  test('write errors name the file and the cause', async () => {
    const { projects, service } = await setup();
    const path = join(projects, 'missing-folder', 'p.4mproj');
    await expect(service.saveAs('p', projectBytes(), fixedDialogs(path))).rejects.toMatchObject({ code: 'write-failed', message: expect.stringMatching(/folder does not exist/) });
  });
});

describe('ProjectService: recent projects', () => {
  test('saves and opens are remembered across restarts, newest first, and stay openable', async () => {
    const { state, projects, service } = await setup();
    const a = join(projects, 'a.4mproj');
    const b = join(projects, 'b.4mproj');
    await service.saveAs('a', projectBytes(), fixedDialogs(a));
    await service.saveAs('b', projectBytes(), fixedDialogs(b));
    await service.open(a, fixedDialogs(null));
    expect((await service.recent()).map((r) => [r.name, r.exists])).toEqual([['a', true], ['b', true]]);

    const restarted = await ProjectService.create({ stateDir: state, autosaveDir: join(state, 'autosave'), caseInsensitivePaths: false });
    expect((await restarted.recent()).map((r) => r.name)).toEqual(['a', 'b']);
    await expect(restarted.open(b, fixedDialogs(null))).resolves.toMatchObject({ name: 'b' });
  });

  test('a damaged recent list is ignored, and paths in it are not trusted beyond .4mproj files', async () => {
    const { state } = await setup();
    writeFileSync(join(state, 'recent-projects.json'), JSON.stringify({ version: 1, projects: [{ path: '/etc/passwd', openedAt: 1 }] }));
    const service = await ProjectService.create({ stateDir: state, autosaveDir: join(state, 'autosave'), caseInsensitivePaths: false });
    expect(await service.recent()).toEqual([]);
    await expect(service.save('/etc/passwd', projectBytes())).rejects.toMatchObject({ code: 'not-allowed' });
  });
});

describe.skipIf(process.platform === 'win32')("ProjectService: a pipe or device in main's own state files does not hang start-up", () => {
  test('a FIFO as the recent list, and /dev/zero and a FIFO as the autosave and its metadata, are refused at once', async () => {
    const { state, service } = await setup();
    await service.writeAutosave(projectBytes(), null);
    rmSync(join(state, 'recent-projects.json'), { force: true });
    execFileSync('mkfifo', [join(state, 'recent-projects.json')]);
    rmSync(join(state, 'autosave', 'autosave.json'));
    execFileSync('mkfifo', [join(state, 'autosave', 'autosave.json')]);
    const started = performance.now();
    const restarted = await ProjectService.create({ stateDir: state, autosaveDir: join(state, 'autosave'), caseInsensitivePaths: false });
    expect(await restarted.recent()).toEqual([]);
    // The metadata is optional: the bytes are still offered, dated by the file.
    expect(await restarted.readAutosave()).toMatchObject({ projectPath: null, savedAt: expect.any(Number) });
    rmSync(join(state, 'autosave', 'autosave.4mproj'));
    symlinkSync('/dev/zero', join(state, 'autosave', 'autosave.4mproj'));
    await expect(restarted.readAutosave()).rejects.toMatchObject({ code: 'unreadable', message: expect.stringMatching(/autosave\.4mproj is a character device, not a project file$/) });
    expect(performance.now() - started).toBeLessThan(2_000);
  }, 5_000);
});

describe('ProjectService: autosave', () => {
  test('write → read (after a restart) → clear; the project path comes back and is allowed again', async () => {
    const { state, projects, service } = await setup();
    const path = join(projects, 'p.4mproj');
    await service.saveAs('p', projectBytes(1), fixedDialogs(path));
    const { savedAt } = await service.writeAutosave(projectBytes(2), path);

    const restarted = await ProjectService.create({ stateDir: state, autosaveDir: join(state, 'autosave'), caseInsensitivePaths: false });
    const record = await restarted.readAutosave();
    expect(record).toMatchObject({ savedAt, projectPath: path, projectSavedAt: expect.any(Number) });
    expect(Buffer.from(record?.bytes ?? []).equals(Buffer.from(projectBytes(2)))).toBe(true);
    await expect(restarted.save(path, projectBytes(2))).resolves.toMatchObject({ path });

    await restarted.clearAutosave();
    expect(await restarted.readAutosave()).toBeNull();
  });

  test('an autosave for an unpicked path or of non-project bytes is refused', async () => {
    const { projects, service } = await setup();
    await expect(service.writeAutosave(projectBytes(), join(projects, 'x.4mproj'))).rejects.toMatchObject({ code: 'not-allowed' });
    await expect(service.writeAutosave(Uint8Array.of(1, 2, 3), null)).rejects.toMatchObject({ code: 'invalid-request' });
    expect(await service.readAutosave()).toBeNull();
  });

  test('a damaged autosave is reported, not silently dropped', async () => {
    const { state, service } = await setup();
    await service.writeAutosave(projectBytes(), null);
    writeFileSync(join(state, 'autosave', 'autosave.4mproj'), 'torn');
    await expect(service.readAutosave()).rejects.toMatchObject({ code: 'corrupt' });
  });

  test('concurrent autosaves are serialised: the last one wins, intact', async () => {
    const { service } = await setup();
    await Promise.all([1, 2, 3, 4].map((shade) => service.writeAutosave(projectBytes(shade), null)));
    const record = await service.readAutosave();
    expect(Buffer.from(record?.bytes ?? []).equals(Buffer.from(projectBytes(4)))).toBe(true);
  });
});

describe('ProjectService: files that would explode when opened', () => {
  /** A valid frame and CRC whose header points at one chunk many times at shifted offsets. */
  function overlapping(): Uint8Array {
    const bytes = projectBytes(3);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const headerLength = view.getUint32(12, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))) as { gallery: unknown[]; layers: { content: { pixels?: { offset: number; length: number } } }[] };
    const pixels = header.layers.find((l) => l.content.pixels)!.content.pixels!;
    for (let i = 0; i < 100; i++) {
      header.gallery.push({ id: `g${i}`, createdAt: '2026-11-29T00:00:00.000Z', accepted: false, request: null, outputs: [{ layer: 'rgb', content: { kind: 'image', pixels: { offset: pixels.offset + i, length: pixels.length } }, tokens: null }] });
    }
    return writeContainer(view.getUint32(8, true), JSON.stringify(header), bytes.subarray(16 + headerLength, bytes.length - 4));
  }

  test('main checks more than the CRC: such bytes are neither autosaved nor saved', async () => {
    const { projects, service } = await setup();
    const bytes = overlapping();
    await expect(service.writeAutosave(bytes, null)).rejects.toMatchObject({ code: 'invalid-request', message: expect.stringMatching(/chunks overlap/) });
    await expect(service.saveAs('x', bytes, fixedDialogs(join(projects, 'x.4mproj')))).rejects.toMatchObject({ code: 'invalid-request', message: expect.stringMatching(/chunks overlap/) });
    expect(existsSync(join(projects, 'x.4mproj'))).toBe(false);
  });
});
