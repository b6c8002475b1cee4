/**
 * The model manager end to end against a local hub (node:http) serving real
 * files: the shipped package in the Hugging Face layout, and official-format
 * checkpoints written here. The user folder is a temp folder (FOURM_STUDIO_DATA_DIR).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runModelsCommand } from '../../../../models/cli/models-command';
import { bool, expectFloat32, float32, GraphSession } from '../../../../models/engine/runtime';
import { addModel, listModels, removeModel, verifyModels, type ManagerContext } from '../../../../models/manager/store';
import { tinyOfficialStateDict, TINY_METADATA } from '../engine/fm/official-checkpoint';
import { writeSafetensors } from '../engine/fm/safetensors-writer';
import { startFileServer, type FileServer } from './http-fixture';

const ZOO = join(__dirname, '../../../../models/zoo');
const PKG = join(ZOO, 'world-4m-small');
const hub = mkdtempSync(join(tmpdir(), 'mm-hub-'));
const work = mkdtempSync(join(tmpdir(), 'mm-work-'));
let server: FileServer;
let ctx: ManagerContext;
let userDir: string;
const fast = { retries: 3, stallMs: 2000, backoffMs: 0 };
/** The catalog sizes a download by the real checkpoint (3 GiB for 4M-21_B) while the fixture serves a tiny one: the test pins free space so it does not depend on the disk it runs on. */
const plentyOfSpace = (): Promise<number> => Promise.resolve(2 ** 50);
const CONFIG = TINY_METADATA;

function writeCheckpoint(file: string, metadata?: Record<string, string>, drop: readonly string[] = []): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeSafetensors(file, tinyOfficialStateDict('F16', drop), metadata);
}
const PARAMS = Object.values(tinyOfficialStateDict()).reduce((a, t) => a + t.values.length, 0);

beforeAll(async () => {
  // The shipped package, as a hub repository and as a second one that declares a non-commercial licence.
  mkdirSync(join(hub, 'studio'));
  symlinkSync(PKG, join(hub, 'studio', 'world-4m-small'));
  const nc = join(hub, 'studio', 'nc-model');
  mkdirSync(nc);
  for (const d of ['fm', 'text', 'tokenizers']) symlinkSync(join(PKG, d), join(nc, d));
  const manifest = JSON.parse(readFileSync(join(PKG, 'manifest.json'), 'utf8'));
  writeFileSync(join(nc, 'manifest.json'), JSON.stringify({ ...manifest, id: 'nc-model', license: { name: 'Test NC licence', nonCommercial: true, url: 'https://example.invalid/nc' } }));
  writeCheckpoint(join(hub, 'EPFL-VILAB', '4M-21_B', 'model.safetensors'), CONFIG);
  writeCheckpoint(join(hub, 'EPFL-VILAB', '4M-7_B_CC12M', 'model.safetensors'), { format: 'pt' });
  writeFileSync(join(hub, 'EPFL-VILAB', '4M-7_B_CC12M', 'config.json'), JSON.stringify({ domains_in: ['caption', 'tok_rgb@224'], domains_out: ['caption', 'tok_rgb@224'], dim: 8, encoder_depth: 1, decoder_depth: 1, num_heads: 2 }));
  server = await startFileServer(hub);
});
afterAll(async () => {
  await server.close();
  rmSync(hub, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});
let run = 0;
beforeEach(() => {
  userDir = join(work, `user${run++}`, 'models');
  ctx = { userDir, bundledDir: ZOO, baseUrl: server.base, offline: false, download: fast, freeSpace: plentyOfSpace };
  server.requests.length = 0;
  server.faults.clear();
});

describe('model manager', () => {
  it('downloads the shipped package from the hub layout, resuming an interrupted file, then lists, verifies and removes it', async () => {
    server.faults.set('studio/world-4m-small/fm/embeddings.safetensors', [{ interruptAfter: 1_000_000 }]);
    const m = await addModel(ctx, 'studio/world-4m-small');
    expect(m).toMatchObject({ id: 'world-4m-small', where: 'user', kind: 'package', problem: undefined });
    const ranges = server.requests.filter((r) => r.url.endsWith('embeddings.safetensors')).map((r) => r.range);
    expect(ranges).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/)]);
    // A reset connection may lose bytes in flight: the resume starts at what actually arrived.
    expect(Number(/\d+/.exec(ranges[1] as string)![0])).toBeGreaterThan(0);
    expect(Number(/\d+/.exec(ranges[1] as string)![0])).toBeLessThanOrEqual(1_000_000);
    expect(readFileSync(join(userDir, 'world-4m-small', 'fm', 'embeddings.safetensors')).equals(readFileSync(join(PKG, 'fm', 'embeddings.safetensors')))).toBe(true);
    expect(readdirSync(userDir)).toEqual(['world-4m-small']);

    const list = await listModels(ctx);
    expect(list.map((x) => `${x.where}:${x.id}`)).toEqual(['user:world-4m-small', 'bundled:world-4m-small']);
    expect(list[0]!.bytes).toBeGreaterThan(50e6);
    expect(list[0]!.memoryBytes).toBeGreaterThan(list[0]!.bytes);

    expect((await verifyModels(ctx, 'world-4m-small')).map((r) => r.problems)).toEqual([[], []]);
    const head = join(userDir, 'world-4m-small', 'fm', 'head_caption.onnx');
    const bytes = readFileSync(head);
    bytes[100] = (bytes[100] as number) ^ 1;
    writeFileSync(head, bytes);
    const [user] = await verifyModels(ctx, 'world-4m-small');
    expect(user!.problems).toEqual([expect.stringMatching(new RegExp(`${head.replace(/[.]/g, '\\.')}: sha256 [0-9a-f]{64} does not match installed.json`))]);

    await expect(addModel(ctx, 'studio/world-4m-small')).rejects.toThrow(/a model "world-4m-small" is already installed at .*; remove it first/);
    await removeModel(ctx, 'world-4m-small');
    expect(readdirSync(userDir)).toEqual([]);
    await expect(removeModel(ctx, 'world-4m-small')).rejects.toThrow('world-4m-small is bundled with the app and cannot be removed');
    await expect(removeModel(ctx, 'nothing')).rejects.toThrow(`no installed model "nothing" in ${userDir}`);
  }, 60_000);

  it('asks for licence acceptance before downloading anything big, and records it', async () => {
    await expect(addModel(ctx, 'studio/nc-model')).rejects.toThrow(
      'nc-model is under the Test NC licence; read it at https://example.invalid/nc. Run again with --accept-license to accept it and install',
    );
    expect(server.requests.map((r) => r.url)).toEqual(['/studio/nc-model/resolve/main/manifest.json']);
    expect(readdirSync(userDir)).toEqual([]);
    const m = await addModel(ctx, `${server.base}/studio/nc-model/resolve/main/manifest.json`, { acceptLicense: true });
    expect(m.license).toMatchObject({ name: 'Test NC licence', nonCommercial: true });
    expect(m.licenseAcceptedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  }, 60_000);

  it('refuses a download that will not fit on the disk before fetching it, and leaves no staging behind', async () => {
    const small: ManagerContext = { ...ctx, freeSpace: () => Promise.resolve(2 ** 30) };
    await expect(addModel(small, '4M-21_B', { acceptLicense: true })).rejects.toThrow(/^not enough disk space: this needs about 3\.1 GiB in .*, but only 1\.0 GiB is free; free some space or remove a model you no longer use$/);
    expect(server.requests).toEqual([]);
    expect(readdirSync(userDir)).toEqual([]);
  }, 60_000);

  it('installs a known official checkpoint only with --accept-license, without a request before acceptance', async () => {
    await expect(addModel(ctx, '4M-21_B')).rejects.toThrow(/EPFL-VILAB\/4M-21_B is under the 4M model weights licence .*: research and non-commercial use only; read it at https:\/\/github\.com\/apple\/ml-4m\/blob\/main\/LICENSE_WEIGHTS\. Run again with --accept-license/);
    expect(server.requests).toEqual([]);
    server.redirectWithSha.clear();
    const m = await addModel(ctx, '4M-21_B', { acceptLicense: true });
    expect(m).toMatchObject({ id: '4M-21_B', kind: 'checkpoint', where: 'user' });
    expect(m.problem).toMatch(/its FM graphs are written, but it generates only beside its tokenizers: put it in a folder as fm\/ with the tokenizer folders under tokenizers\/ and import that folder/);
    expect(server.requests.map((r) => r.url)).toEqual(['/EPFL-VILAB/4M-21_B/resolve/main/model.safetensors', '/EPFL-VILAB/4M-21_B/resolve/main/config.json']);
    const rec = JSON.parse(readFileSync(join(userDir, '4M-21_B', 'installed.json'), 'utf8'));
    expect(rec).toMatchObject({ kind: 'checkpoint', parameters: PARAMS, configSource: 'metadata', source: 'EPFL-VILAB/4M-21_B' });
    expect(Object.keys(rec.files)).toEqual(['model.safetensors', 'fm_encoder.onnx', 'fm_decoder.onnx', 'fm_decoder_context_kv.onnx', 'fm_decoder_step.onnx', 'fm_head_caption.onnx', 'fm_head_tok_rgb_224.onnx']);
    expect((await verifyModels(ctx, '4M-21_B'))[0]!.problems).toEqual([]);
    // The graphs written beside the checkpoint run on its bytes in place.
    const enc = await GraphSession.open(join(userDir, '4M-21_B', 'fm_encoder.onnx'), { providers: ['cpu'] });
    const head = await GraphSession.open(join(userDir, '4M-21_B', 'fm_head_caption.onnx'), { providers: ['cpu'] });
    try {
      const ctxOut = expectFloat32((await enc.run({ x: float32(new Float32Array(3 * 8).fill(0.1), [1, 3, 8]), emb: float32(new Float32Array(3 * 8).fill(0.2), [1, 3, 8]), pad: bool(Uint8Array.from([0, 0, 1]), [1, 3]) })).context, 'context');
      expect(ctxOut.dims).toEqual([1, 3, 8]);
      expect(Array.from(ctxOut.data.subarray(16))).toEqual(new Array(8).fill(0));
      expect(expectFloat32((await head.run({ hidden: ctxOut })).logits, 'logits').dims).toEqual([1, 3, 5]);
    } finally {
      await Promise.all([enc.release(), head.release()]);
    }
  });

  it('refuses a checkpoint that lacks a tensor the FM needs, and installs nothing', async () => {
    const file = join(work, 'partial', 'model.safetensors');
    writeCheckpoint(file, CONFIG, ['decoder.0.mlp.fc2.weight']);
    await expect(addModel(ctx, file, { acceptLicense: true })).rejects.toThrow(/^not a complete 4M checkpoint: .*model\.safetensors: tensor "decoder\.0\.mlp\.fc2\.weight" is missing$/);
    expect(readdirSync(userDir)).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('refuses a pipe or device at once, given or inside a folder, and leaves nothing behind (copyFile from a FIFO never returned)', async () => {
    const bad = join(work, 'bad-pipes');
    mkdirSync(bad, { recursive: true });
    const fifo = join(bad, 'pipe.safetensors');
    execFileSync('mkfifo', [fifo]);
    const started = performance.now();
    await expect(addModel(ctx, fifo, { acceptLicense: true })).rejects.toThrow(`${fifo}: is a named pipe (FIFO); give a model folder, its manifest.json or a .safetensors file`);
    await expect(addModel(ctx, '/dev/zero')).rejects.toThrow('/dev/zero: is a character device; give a model folder');
    // An official folder whose tokenizer checkpoint is a FIFO: the FM is checked, then the copy refuses it.
    const official = join(bad, 'official-with-pipe');
    writeCheckpoint(join(official, 'fm', 'model.safetensors'), CONFIG);
    mkdirSync(join(official, 'tokenizers', 'rgb'), { recursive: true });
    execFileSync('mkfifo', [join(official, 'tokenizers', 'rgb', 'model.safetensors')]);
    await expect(addModel(ctx, official, { acceptLicense: true })).rejects.toThrow(`${join(official, 'tokenizers', 'rgb', 'model.safetensors')}: is a named pipe (FIFO), not a regular file`);
    // A package whose listed file is a pipe (size 0 in the manifest would have passed the size check).
    const pkg = join(bad, 'pkg-with-pipe');
    mkdirSync(pkg);
    const manifest = JSON.parse(readFileSync(join(PKG, 'manifest.json'), 'utf8'));
    const [first] = Object.keys(manifest.files);
    writeFileSync(join(pkg, 'manifest.json'), JSON.stringify({ ...manifest, files: { ...manifest.files, [first as string]: { bytes: 0, sha256: '0'.repeat(64) } } }));
    for (const rel of Object.keys(manifest.files)) {
      mkdirSync(join(pkg, rel, '..'), { recursive: true });
      if (rel === first) execFileSync('mkfifo', [join(pkg, rel)]);
      else symlinkSync(join(PKG, rel), join(pkg, rel));
    }
    await expect(addModel(ctx, pkg)).rejects.toThrow(`${join(pkg, first as string)}: is a named pipe (FIFO), not a regular file (manifest files.${first})`);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(readdirSync(userDir)).toEqual([]);
  }, 15_000);

  it('takes a checkpoint config from config.json and checks the hub sha256 on the redirect', async () => {
    const sha = (await import('node:crypto')).createHash('sha256').update(readFileSync(join(hub, 'EPFL-VILAB', '4M-7_B_CC12M', 'model.safetensors'))).digest('hex');
    server.redirectWithSha.set('EPFL-VILAB/4M-7_B_CC12M/model.safetensors', sha);
    await addModel(ctx, 'EPFL-VILAB/4M-7_B_CC12M', { acceptLicense: true });
    server.redirectWithSha.clear();
    const rec = JSON.parse(readFileSync(join(userDir, '4M-7_B_CC12M', 'installed.json'), 'utf8'));
    expect(rec.configSource).toBe('config.json');
    expect(rec.files['model.safetensors']).toMatchObject({ sha256: sha, checkedAgainst: 'server' });
    expect(rec.files['config.json'].checkedAgainst).toBe('recorded');
  });

  it('imports local folders and files: a package, an official checkpoint folder and a lone checkpoint file', async () => {
    const p = await addModel(ctx, PKG, { id: 'copy-of-world' });
    expect(p).toMatchObject({ id: 'copy-of-world', kind: 'package', where: 'user' });
    // The name says what the model is; where it lives (bundled, yours) is said beside it: a copy is not "built in".
    expect(p.displayName).toBe('World 4M small');
    const folder = join(work, 'local', '4M-21_L');
    writeCheckpoint(join(folder, 'model.safetensors'), CONFIG);
    await expect(addModel(ctx, folder)).rejects.toThrow(/^4M-21_L is under the 4M model weights licence/);
    expect(await addModel(ctx, folder, { acceptLicense: true })).toMatchObject({ id: '4M-21_L', kind: 'checkpoint', smaller: '4M-21_B' });
    const lone = join(work, 'local', 'my weights.safetensors');
    writeCheckpoint(lone, CONFIG);
    expect((await addModel(ctx, lone, { acceptLicense: true })).id).toBe('my-weights');
    expect(server.requests).toEqual([]);
    // A package folder copied in by hand is listed and verified too; a stray folder is reported.
    mkdirSync(join(userDir, 'by-hand'));
    for (const f of ['manifest.json']) writeFileSync(join(userDir, 'by-hand', f), readFileSync(join(PKG, f)));
    for (const d of ['fm', 'text', 'tokenizers']) symlinkSync(join(PKG, d), join(userDir, 'by-hand', d));
    mkdirSync(join(userDir, 'stray'));
    const listed = await listModels(ctx);
    expect(listed.map((m) => `${m.where}:${m.id}`)).toEqual(['user:4M-21_L', 'user:world-4m-small', 'user:copy-of-world', 'user:my-weights', 'user:stray', 'bundled:world-4m-small']);
    expect(listed.find((m) => m.id === 'stray')?.problem).toMatch(/installed\.json: missing \(not installed by the model manager\)/);
    const verified = await verifyModels(ctx);
    expect(verified.filter((r) => r.problems.length > 0).map((r) => r.id)).toEqual(['stray']);
  }, 60_000);

  it('refuses what is not a model, naming the file and the problem, and leaves nothing behind', async () => {
    const noConfig = join(work, 'bad', 'noconfig.safetensors');
    writeCheckpoint(noConfig);
    await expect(addModel(ctx, noConfig, { acceptLicense: true })).rejects.toThrow(`${noConfig}: no model config (neither in the header's __metadata__ nor in a config.json beside it)`);
    const wrong = join(work, 'bad', 'wrong.safetensors');
    writeCheckpoint(wrong, { ...CONFIG, dim: "'big'" });
    await expect(addModel(ctx, wrong, { acceptLicense: true })).rejects.toThrow(`${wrong}: not a 4M model config (__metadata__: dim: Invalid input: expected number, received string)`);
    const junk = join(work, 'bad', 'junk.safetensors');
    writeFileSync(junk, 'not a safetensors file at all');
    await expect(addModel(ctx, junk, { acceptLicense: true })).rejects.toThrow(`${junk}: header length`);
    const empty = join(work, 'bad', 'empty');
    mkdirSync(empty);
    await expect(addModel(ctx, empty)).rejects.toThrow(`${empty}: neither a model package (no manifest.json) nor a checkpoint folder (no .safetensors file)`);
    await expect(addModel(ctx, 'not a thing')).rejects.toThrow(/"not a thing" is not a folder, a file, a URL, a hub repository \(owner\/name\) or a known model \(4M-7_B_CC12M, /);
    await expect(addModel(ctx, 'someone/unknown')).rejects.toThrow(`${server.base}/someone/unknown/resolve/main/manifest.json: not found, and someone/unknown is not a known official model`);
    expect(readdirSync(userDir)).toEqual([]);
  });

  it('offline: add refuses to download before any request; list and verify never use the network', async () => {
    const offline: ManagerContext = { ...ctx, offline: true, fetch: () => Promise.reject(new Error('network used while offline')) };
    await expect(addModel(offline, '4M-21_B', { acceptLicense: true })).rejects.toThrow('offline: not downloading 4M-21_B; import a local folder or file instead, or go online');
    await expect(addModel(offline, `${server.base}/studio/world-4m-small`)).rejects.toThrow(/^offline: not downloading/);
    expect((await listModels(offline)).map((m) => m.id)).toEqual(['world-4m-small']);
    expect(await verifyModels(offline)).toEqual([{ id: 'world-4m-small', where: 'bundled', files: expect.any(Number), problems: [] }]);
    expect(server.requests).toEqual([]);
  }, 60_000);
});

describe('4m models (CLI)', () => {
  const cli = async (args: string[], extraEnv: Record<string, string> = {}, availableMemory?: number): Promise<{ code: number; out: string[] }> => {
    const out: string[] = [];
    const code = await runModelsCommand(args, (l) => out.push(l), {
      env: { FOURM_STUDIO_DATA_DIR: join(userDir, '..'), FOURM_STUDIO_MODEL_BASE_URL: server.base, ...extraEnv },
      bundledDir: ZOO,
      freeSpace: plentyOfSpace,
      ...(availableMemory !== undefined ? { availableMemory } : {}),
    });
    return { code, out };
  };

  it('adds with --accept-license, lists your folder before the bundled models with size, licence, backends and memory, and verifies', async () => {
    await expect(cli(['add', '4M-21_B'])).rejects.toThrow(/--accept-license/);
    const add = await cli(['add', '4M-21_B', '--accept-license']);
    expect(add.code).toBe(0);
    expect(add.out.join('\n')).toMatch(/4M-21_B {2}\[checkpoint\]/);
    const list = await cli(['list'], {}, 2 ** 30);
    const text = list.out.join('\n');
    expect(text.indexOf('4M-21_B  [checkpoint]')).toBeLessThan(text.indexOf('world-4m-small  [package]'));
    expect(text).toMatch(/licence: 4M model weights licence \(apple\/ml-4m LICENSE_WEIGHTS\) — NON-COMMERCIAL \(accepted \d{4}-\d\d-\d\d\)/);
    expect(text).toMatch(/world-4m-small {2}\[package\].*\n.*size 57 MiB, needs about \d+ MiB of memory; backends: .*cpu/);
    // The bundled model is the project's own; a lone checkpoint runs once its tokenizers sit beside it (as the Models dialog says).
    expect(text).toMatch(/world-4m-small {2}\[package\].*\n.*\n {6}licence: Made by this project/);
    expect(text).toMatch(/4M-21_B {2}\[checkpoint\].*\n.*backends: .*cpu, with its tokenizers/);
    expect(text).toMatch(/available to download from http:\/\/127\.0\.0\.1:\d+ .*\n(.*\n)* {2}4M-21_L .*NON-COMMERCIAL/);
    expect(text).not.toMatch(/^ {2}4M-21_B .*parameters/m);
    expect(await cli(['verify'])).toEqual({ code: 0, out: [expect.stringMatching(/^ok {5}4M-21_B \(user, 7 files\)/), expect.stringMatching(/^ok {5}world-4m-small \(bundled, \d+ files\)/)] });
    expect((await cli(['remove', '4M-21_B'])).out).toEqual([`removed ${join(userDir, '4M-21_B')}`]);
  }, 60_000);

  it('remembers a licence accepted once (as the Models dialog does) and asks again for another', async () => {
    await cli(['add', '4M-21_B', '--accept-license']);
    await cli(['remove', '4M-21_B']);
    const again = await cli(['add', '4M-21_B']);
    expect(again.code).toBe(0);
    expect(again.out[0]).toMatch(/^licence "4M model weights licence \(apple\/ml-4m LICENSE_WEIGHTS\)" accepted on \d{4}-\d\d-\d\d$/);
    await expect(cli(['add', 'studio/nc-model'])).rejects.toThrow(/Test NC licence.*--accept-license/);
  }, 60_000);

  it('says when a model will not fit in memory and suggests a smaller one', async () => {
    await cli(['add', '4M-21_B', '--accept-license', '--id', '4M-21_L']);
    const list = await cli(['list'], {}, 1000);
    expect(list.out.join('\n')).toMatch(/does not fit: it needs about 1\.0 GiB of memory to load, but only 0\.0 GiB is available: use a smaller model such as 4M-21_B, or close other programs/);
  });

  it('lists STUDIO_MODELS_PATH folders first, as the registry looks them up', async () => {
    const extra = join(work, 'extra-models');
    mkdirSync(join(extra, 'dev-model'), { recursive: true });
    writeFileSync(join(extra, 'dev-model', 'manifest.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(PKG, 'manifest.json'), 'utf8')), id: 'dev-model' }));
    for (const d of ['fm', 'text', 'tokenizers']) symlinkSync(join(PKG, d), join(extra, 'dev-model', d));
    const text = (await cli(['list'], { STUDIO_MODELS_PATH: extra })).out.join('\n');
    expect(text.indexOf(`from STUDIO_MODELS_PATH (${extra}):\n  dev-model  [package]`)).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('dev-model')).toBeLessThan(text.indexOf('installed in'));
    await expect(cli(['remove', 'dev-model'], { STUDIO_MODELS_PATH: extra })).rejects.toThrow(/no installed model "dev-model"/);
  });

  it('honours FOURM_STUDIO_OFFLINE and gives usage errors', async () => {
    await expect(cli(['add', '4M-21_B', '--accept-license'], { FOURM_STUDIO_OFFLINE: '1' })).rejects.toThrow(/^offline: /);
    await expect(cli(['frobnicate'])).rejects.toThrow('models: unknown command "frobnicate" (expected list, add, remove or verify)');
    await expect(cli(['add'])).rejects.toThrow('models add: give a folder, file, URL, known model id or owner/name');
    await expect(cli(['list', '--base-url', 'ftp://x'])).rejects.toThrow('--base-url "ftp://x": expected an http(s) URL');
    expect(server.requests).toEqual([]);
  });
});
