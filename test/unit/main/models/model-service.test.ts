/**
 * The app's model service (main/models) through the same dispatch both transports use, against
 * the real model manager: a temp user data folder, the repository's zoo as the bundled folder and
 * a local hub (node:http) for downloads. Hostile arguments come back as errors, never throws.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ModelChannel, ModelTask } from '../../../../preload/contract/models';
import { dispatchModelCall } from '../../../../main/models/dispatch';
import { ModelService } from '../../../../main/models/model-service';
import { tinyOfficialStateDict, TINY_METADATA } from '../../models/engine/fm/official-checkpoint';
import { writeSafetensors } from '../../models/engine/fm/safetensors-writer';
import { startFileServer, type FileServer } from '../../models/manager/http-fixture';

const ZOO = join(__dirname, '../../../../models/zoo');
const PKG = join(ZOO, 'world-4m-small');
const work = mkdtempSync(join(tmpdir(), 'ms-work-'));
const hub = join(work, 'hub');
let server: FileServer;
let service: ModelService;
let dataDir: string;
let memory = 64 * 2 ** 30;
let free: number | undefined;
let run = 0;

/** A package folder (the shipped model's files, linked) under another id, optionally non-commercial. */
function fixturePackage(id: string, nonCommercial: boolean): string {
  const dir = join(work, 'src', id);
  mkdirSync(dir, { recursive: true });
  for (const d of ['fm', 'text', 'tokenizers']) symlinkSync(join(PKG, d), join(dir, d));
  const manifest = JSON.parse(readFileSync(join(PKG, 'manifest.json'), 'utf8'));
  const license = nonCommercial ? { name: 'Test NC licence', nonCommercial: true, url: 'https://example.invalid/nc', summary: 'research only' } : manifest.license;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, id, license }));
  return dir;
}

const call = (channel: string, args: unknown) => dispatchModelCall(service, channel, args);
async function ok<C extends ModelChannel>(channel: C, args: unknown) {
  const r = await call(channel, args);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as never;
}
async function finished(): Promise<ModelTask> {
  for (;;) {
    const t = (await ok('models:task', {})) as ModelTask;
    if (t.state !== 'running') return t;
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  mkdirSync(join(hub, 'EPFL-VILAB', '4M-21_B'), { recursive: true });
  writeSafetensors(join(hub, 'EPFL-VILAB', '4M-21_B', 'model.safetensors'), tinyOfficialStateDict('F16'), TINY_METADATA);
  server = await startFileServer(hub);
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  dataDir = join(work, `data${run++}`);
  memory = 64 * 2 ** 30;
  free = undefined;
  server.requests.length = 0;
  server.faults.clear();
  service = new ModelService({
    manager: {
      userDir: join(dataDir, 'models'), bundledDir: ZOO, baseUrl: server.base, offline: false,
      download: { retries: 1, stallMs: 2000, backoffMs: 0 },
      freeSpace: async () => free ?? Number.MAX_SAFE_INTEGER,
    },
    dataDir,
    picker: 'typed',
    pickLocal: async (_pick, typed) => typed ?? null,
    availableMemory: () => memory,
  });
});

describe('model service', () => {
  it('lists the bundled model with size, licence and memory, and the catalogue with the registry refusal when memory is short', async () => {
    memory = 2 * 2 ** 30;
    const list = (await ok('models:list', {})) as Awaited<ReturnType<ModelService['list']>>;
    expect(list.installed.map((m) => `${m.where}:${m.id}`)).toEqual(['bundled:world-4m-small']);
    const [bundled] = list.installed;
    expect(bundled).toMatchObject({ kind: 'package', displayName: expect.any(String), shadowed: false, problem: null, memoryRefusal: null });
    expect(bundled!.bytes).toBeGreaterThan(50e6);
    expect(list.catalog.map((c) => c.id)).toContain('4M-21_L');
    const large = list.catalog.find((c) => c.id === '4M-21_L')!;
    expect(large.license.nonCommercial).toBe(true);
    expect(large.memoryRefusal).toMatch(/^4M-21_L needs about 8\.2 GiB of memory to load, but only 2\.0 GiB is available: use a smaller model such as 4M-21_B/);
    expect(list).toMatchObject({ picker: 'typed', offline: false, availableMemory: memory });
  });

  it('imports a folder after the licence is accepted, remembers the acceptance, verifies and removes it; bundled models stay', async () => {
    const src = fixturePackage('nc-one', true);
    await ok('models:add', { source: { kind: 'local', pick: 'folder', path: src }, acceptLicense: false });
    const refused = await finished();
    expect(refused).toMatchObject({ state: 'failed', error: { code: 'license-required', license: { name: 'Test NC licence', nonCommercial: true } } });
    expect(refused.error!.message).toBe('nc-one is under the Test NC licence: research only; read it at https://example.invalid/nc');
    expect(existsSync(join(dataDir, 'models', 'nc-one'))).toBe(false);

    await ok('models:add', { source: { kind: 'retry', taskId: refused.id }, acceptLicense: true });
    expect(await finished()).toMatchObject({ state: 'done', modelId: 'nc-one', error: null });
    expect(JSON.parse(readFileSync(join(dataDir, 'accepted-licenses.json'), 'utf8')).accepted).toEqual([{ name: 'Test NC licence', url: 'https://example.invalid/nc', acceptedAt: expect.any(String) }]);

    // The same licence again: not asked a second time.
    await ok('models:add', { source: { kind: 'local', pick: 'folder', path: fixturePackage('nc-two', true) }, acceptLicense: false });
    expect(await finished()).toMatchObject({ state: 'done', modelId: 'nc-two' });

    expect(await ok('models:verify', { id: 'nc-one' })).toEqual({ id: 'nc-one', files: expect.any(Number), problems: [] });
    expect(await ok('models:check-use', { id: 'nc-one', acceptLicense: false })).toEqual({ id: 'nc-one' });
    expect(await ok('models:remove', { id: 'nc-one' })).toEqual({ removed: join(dataDir, 'models', 'nc-one') });
    expect(readdirSync(join(dataDir, 'models'))).toEqual(['nc-two']);
    expect(await call('models:remove', { id: 'world-4m-small' })).toEqual({ ok: false, error: { code: 'bundled', message: 'world-4m-small is bundled with the app and cannot be removed' } });
    expect(await call('models:verify', { id: 'nc-one' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  }, 120_000);

  it('asks before using a model whose licence was never accepted, and refuses one that will not fit', async () => {
    // Copied in by hand (no installed.json): its manifest's licence was never accepted here.
    const dir = join(dataDir, 'models', 'by-hand');
    mkdirSync(dir, { recursive: true });
    const src = fixturePackage('by-hand', true);
    for (const f of ['manifest.json', 'fm', 'text', 'tokenizers']) symlinkSync(join(src, f), join(dir, f));
    expect(await call('models:check-use', { id: 'by-hand', acceptLicense: false })).toMatchObject({ ok: false, error: { code: 'license-required', license: { name: 'Test NC licence' } } });
    expect(await ok('models:check-use', { id: 'by-hand', acceptLicense: true })).toEqual({ id: 'by-hand' });
    memory = 1;
    expect(await call('models:check-use', { id: 'world-4m-small', acceptLicense: false })).toMatchObject({ ok: false, error: { code: 'memory', message: expect.stringMatching(/needs about 0\.\d GiB of memory to load, but only 0\.0 GiB is available: close other programs or use a smaller model/) } });
  });

  it('downloads: the licence first (no request), then a clear error for 404, a checksum mismatch, offline, a full disk and no memory', async () => {
    expect(await call('models:add', { source: { kind: 'catalog', id: '4M-21_B' }, acceptLicense: false })).toMatchObject({ ok: false, error: { code: 'license-required', license: { nonCommercial: true } } });
    expect(server.requests).toEqual([]);

    await ok('models:add', { source: { kind: 'catalog', id: '4M-7_B_CC12M' }, acceptLicense: true });
    expect(await finished()).toMatchObject({ state: 'failed', error: { code: 'not-found', message: `${server.base}/EPFL-VILAB/4M-7_B_CC12M/resolve/main/model.safetensors: HTTP 404 Not Found` } });
    // Accepted once: remembered for the whole licence.
    expect(await call('models:add', { source: { kind: 'catalog', id: '4M-21_L' }, acceptLicense: false })).toMatchObject({ ok: true });
    await finished();

    server.redirectWithSha.set('EPFL-VILAB/4M-21_B/model.safetensors', createHash('sha256').update('something else').digest('hex'));
    await ok('models:add', { source: { kind: 'catalog', id: '4M-21_B' }, acceptLicense: false });
    const bad = await finished();
    server.redirectWithSha.clear();
    expect(bad).toMatchObject({ state: 'failed', error: { code: 'checksum', message: expect.stringMatching(/sha256 [0-9a-f]{64} does not match the expected/) } });

    free = 1024;
    await ok('models:add', { source: { kind: 'catalog', id: '4M-21_B' }, acceptLicense: false });
    expect(await finished()).toMatchObject({ state: 'failed', error: { code: 'disk-full', message: expect.stringMatching(/^not enough disk space: this needs about 3\.\d GiB in .*, but only 1\.0 KiB is free/) } });
    free = undefined;

    memory = 2 ** 30;
    expect(await call('models:add', { source: { kind: 'catalog', id: '4M-21_L' }, acceptLicense: false })).toMatchObject({ ok: false, error: { code: 'memory', message: expect.stringContaining('use a smaller model such as 4M-21_B') } });
    memory = 64 * 2 ** 30;

    await ok('models:add', { source: { kind: 'catalog', id: '4M-21_B' }, acceptLicense: false });
    expect(await finished()).toMatchObject({ state: 'done', modelId: '4M-21_B' });
    const list = (await ok('models:list', {})) as Awaited<ReturnType<ModelService['list']>>;
    expect(list.installed.find((m) => m.id === '4M-21_B')).toMatchObject({ kind: 'checkpoint', where: 'user', problem: expect.stringMatching(/generates only beside its tokenizers/) });
    expect(list.catalog.map((c) => c.id)).not.toContain('4M-21_B');

    const offline = new ModelService({ manager: { userDir: join(dataDir, 'models'), bundledDir: ZOO, baseUrl: server.base, offline: true }, dataDir, picker: 'typed', pickLocal: async () => null });
    expect(await dispatchModelCall(offline, 'models:add', { source: { kind: 'catalog', id: '4M-21_L' }, acceptLicense: true })).toMatchObject({ ok: false, error: { code: 'offline' } });
  }, 60_000);

  it('cancels a running download, keeping the partial file for a resume; one add at a time', async () => {
    server.faults.set('EPFL-VILAB/4M-21_B/model.safetensors', [{ throttle: 256, delayMs: 50 }]);
    const { taskId } = (await ok('models:add', { source: { kind: 'catalog', id: '4M-21_B' }, acceptLicense: true })) as { taskId: string };
    expect(await call('models:add', { source: { kind: 'catalog', id: '4M-21_L' }, acceptLicense: true })).toMatchObject({ ok: false, error: { code: 'busy' } });
    await expect.poll(async () => ((await ok('models:task', {})) as ModelTask).done).toBeGreaterThan(0);
    expect(await ok('models:cancel', { taskId })).toEqual({});
    expect(await finished()).toMatchObject({ state: 'cancelled', error: { code: 'cancelled' } });
    expect(await call('models:cancel', { taskId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  }, 60_000);

  it('answers hostile requests with a clear error and keeps serving', async () => {
    const bad = async (channel: string, args: unknown): Promise<string> => {
      const r = await call(channel, args);
      expect(r.ok).toBe(false);
      return r.ok ? '' : `${r.error.code}: ${r.error.message}`;
    };
    expect(await bad('models:remove', { id: '../../etc' })).toMatch(/^invalid-request: models:remove: .*expected a model id/s);
    expect(await bad('models:remove', { id: '.staging-x' })).toMatch(/^invalid-request/);
    expect(await bad('models:verify', { id: 'x'.repeat(100_000) })).toMatch(/^invalid-request/);
    expect(await bad('models:add', { source: { kind: 'local', pick: 'folder', path: 'relative/dir' }, acceptLicense: false })).toBe('invalid-request: "relative/dir" is not an absolute path');
    expect(await bad('models:add', { source: { kind: 'local', pick: 'folder', path: 'p'.repeat(5000) }, acceptLicense: false })).toMatch(/^invalid-request/);
    expect(await bad('models:add', { source: { kind: 'catalog', id: 'nope' }, acceptLicense: true })).toMatch(/^not-found: "nope" is not an official model/);
    await ok('models:add', { source: { kind: 'local', pick: 'folder', path: join(work, 'missing') }, acceptLicense: false });
    expect((await finished()).error).toMatchObject({ code: 'failed', message: expect.stringContaining('is not a folder, a file, a URL') });
    expect(await bad('models:nothing', {})).toBe('invalid-request: Unknown model channel "models:nothing"');
    expect(await bad('models:list', null)).toMatch(/^invalid-request/);
    expect(await bad('__proto__', {})).toMatch(/^invalid-request/);
    expect((await call('models:list', {})).ok).toBe(true);
  });
});
