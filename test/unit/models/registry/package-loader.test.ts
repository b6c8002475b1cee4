import { cp, mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelPackage, ModelPackageError } from '../../../../models/registry/package-loader';
import { ModelManifest, manifestConsistencyErrors } from '../../../../models/registry';

const MODEL_DIR = join(__dirname, '../../../../models/zoo/world-4m-small');
let copy: string;

beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), '4m-pkg-'));
  await cp(MODEL_DIR, copy, { recursive: true });
});
afterAll(async () => rm(copy, { recursive: true, force: true }));

async function withManifest(edit: (m: Record<string, unknown>) => void): Promise<string> {
  const raw = JSON.parse(await readFile(join(MODEL_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  edit(raw);
  await writeFile(join(copy, 'manifest.json'), JSON.stringify(raw));
  return copy;
}

describe('model package loader', () => {
  it('loads the shipped default model and verifies every file hash', async () => {
    const pkg = await loadModelPackage(MODEL_DIR);
    expect(pkg.manifest.id).toBe('world-4m-small');
    expect(pkg.manifest.modalities.map((m) => m.name)).toContain('tok_rgb@128');
    expect(pkg.path('fm/encoder.onnx')).toBe(join(MODEL_DIR, 'fm/encoder.onnx'));
  }, 30_000);

  it('names the field of a schema error', async () => {
    const dir = await withManifest((m) => {
      (m.fm as Record<string, unknown>).dim = 'wide';
    });
    await expect(loadModelPackage(dir, { verifyHashes: false })).rejects.toThrow(/manifest\.json: fm\.dim: /);
  });

  it('refuses sizes no machine could allocate (a package claiming a 10⁹ px canvas loaded, and its first picture input failed with a bare RangeError)', async () => {
    const huge = await withManifest((m) => {
      m.imageSize = 1e9;
    });
    await expect(loadModelPackage(huge, { verifyHashes: false })).rejects.toThrow(/manifest\.json: imageSize: Too big: expected number to be <=4096/);
    const grid = await withManifest((m) => {
      (m.modalities as { type: string; grid?: number[] }[]).find((x) => x.type === 'img')!.grid = [16, 1e6];
    });
    await expect(loadModelPackage(grid, { verifyHashes: false })).rejects.toThrow(/manifest\.json: modalities\.\d+\.grid\.1: Too big: expected number to be <=256/);
  });

  it('names the field when a referenced file is not listed', async () => {
    const dir = await withManifest((m) => {
      delete (m.files as Record<string, unknown>)['fm/decoder.onnx'];
    });
    await expect(loadModelPackage(dir, { verifyHashes: false })).rejects.toThrow(/fm\.decoder: "fm\/decoder\.onnx" is not listed in files/);
  });

  it('refuses a path escaping the package', async () => {
    const dir = await withManifest((m) => {
      (m.fm as Record<string, unknown>).encoder = '../../etc/passwd';
    });
    await expect(loadModelPackage(dir, { verifyHashes: false })).rejects.toThrow(/fm\.encoder: expected a relative path inside the package/);
  });

  it('names a tampered file and the manifest entry it fails', async () => {
    await withManifest(() => undefined);
    const raw = JSON.parse(await readFile(join(MODEL_DIR, 'manifest.json'), 'utf8')) as { files: Record<string, { bytes: number }> };
    const head = join(copy, 'fm/head_det.onnx');
    const bytes = await readFile(head);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    await writeFile(head, bytes);
    await expect(loadModelPackage(copy)).rejects.toThrow(/head_det\.onnx: sha256 [0-9a-f]{64} does not match manifest files\.fm\/head_det\.onnx\.sha256/);
    await appendFile(head, 'x');
    await expect(loadModelPackage(copy)).rejects.toThrow(new RegExp(`head_det\\.onnx: ${raw.files['fm/head_det.onnx']!.bytes + 1} bytes`));
    await expect(loadModelPackage(join(copy, 'nope'))).rejects.toBeInstanceOf(ModelPackageError);
  }, 30_000);

  it('flags heads without a modality', async () => {
    const raw = JSON.parse(await readFile(join(MODEL_DIR, 'manifest.json'), 'utf8')) as { fm: { heads: Record<string, string> } };
    raw.fm.heads.ghost = 'fm/head_det.onnx';
    const errors = manifestConsistencyErrors(ModelManifest.parse(raw));
    expect(errors).toContain('fm.heads.ghost: no modality named "ghost"');
  });

  it('reads FSQ levels per image tokenizer, optional, and checks they make the vocabulary', async () => {
    const raw = JSON.parse(await readFile(join(MODEL_DIR, 'manifest.json'), 'utf8')) as { modalities: { name: string; tokenizer?: { fsqLevels?: number[] } }[] };
    const rgb = raw.modalities.find((m) => m.name === 'tok_rgb@128')!;
    expect(rgb.tokenizer?.fsqLevels).toEqual([8, 6, 5, 5, 5]);
    const older = structuredClone(raw);
    for (const m of older.modalities) delete m.tokenizer?.fsqLevels;
    expect(manifestConsistencyErrors(ModelManifest.parse(older))).toEqual([]);
    const wrong = structuredClone(raw);
    wrong.modalities.find((m) => m.name === 'tok_rgb@128')!.tokenizer!.fsqLevels = [8, 5, 5, 5];
    expect(manifestConsistencyErrors(ModelManifest.parse(wrong))).toEqual([expect.stringMatching(/tokenizer\.fsqLevels: \[8, 5, 5, 5\] make 1000 codes, vocabSize is 6000/)]);
  });

  it('reads a display name per modality, optional so older manifests still load', async () => {
    const raw = JSON.parse(await readFile(join(MODEL_DIR, 'manifest.json'), 'utf8')) as { modalities: { name: string; displayName?: string }[] };
    const names = Object.fromEntries(ModelManifest.parse(raw).modalities.map((m) => [m.name, m.displayName]));
    expect(names['tok_normal@128']).toBe('Surface normals');
    expect(Object.values(names).every((n) => typeof n === 'string' && n.length > 0)).toBe(true);
    const older = structuredClone(raw);
    for (const m of older.modalities) delete m.displayName;
    expect(ModelManifest.parse(older).modalities.every((m) => m.displayName === undefined)).toBe(true);
    older.modalities[0]!.displayName = '';
    expect(ModelManifest.safeParse(older).success).toBe(false);
  });

  it('accepts packages with or without the optional incremental decoder, and checks its files are listed', async () => {
    const raw = JSON.parse(await readFile(join(MODEL_DIR, 'manifest.json'), 'utf8')) as {
      fm: Record<string, unknown>;
      files: Record<string, unknown>;
    };
    const without = structuredClone(raw);
    delete without.fm.decoderCache;
    delete without.files['fm/decoder_context_kv.onnx'];
    delete without.files['fm/decoder_step.onnx'];
    expect(manifestConsistencyErrors(ModelManifest.parse(without))).toEqual([]);
    const withCache = structuredClone(without);
    withCache.fm.decoderCache = { contextKv: 'fm/decoder_context_kv.onnx', step: 'fm/decoder_step.onnx' };
    expect(manifestConsistencyErrors(ModelManifest.parse(withCache))).toEqual([
      'fm.decoderCache.contextKv: "fm/decoder_context_kv.onnx" is not listed in files',
      'fm.decoderCache.step: "fm/decoder_step.onnx" is not listed in files',
    ]);
    const entry = { sha256: '0'.repeat(64), bytes: 1 };
    withCache.files['fm/decoder_context_kv.onnx'] = entry;
    withCache.files['fm/decoder_step.onnx'] = entry;
    expect(manifestConsistencyErrors(ModelManifest.parse(withCache))).toEqual([]);
    withCache.fm.decoderCache = { step: 'fm/decoder_step.onnx' };
    expect(ModelManifest.safeParse(withCache).success).toBe(false);
  });

  it('checks a diffusion decoder: its denoiser must be listed, and only pixel-like domains decode by diffusion', async () => {
    const raw = JSON.parse(await readFile(join(MODEL_DIR, 'manifest.json'), 'utf8')) as {
      modalities: { name: string; domain: string; tokenizer?: Record<string, unknown> }[];
      files: Record<string, unknown>;
    };
    const diffusion = {
      denoiser: 'tokenizers/denoiser.onnx',
      channels: 3,
      scheduler: 'ddpm',
      steps: 50,
      prediction: 'sample',
      clipSample: 1,
      schedule: { numTrainTimesteps: 1000, betaSchedule: 'linear', betaStart: 1e-4, betaEnd: 0.02, zeroTerminalSnr: true },
    };
    const index = (domain: string) => raw.modalities.findIndex((m) => m.domain === domain);
    const m = structuredClone(raw);
    (m.modalities[index('rgb')]?.tokenizer as Record<string, unknown>).diffusion = diffusion;
    (m.modalities[index('depth')]?.tokenizer as Record<string, unknown>).diffusion = { ...diffusion, channels: 1 };
    expect(manifestConsistencyErrors(ModelManifest.parse(m)).sort()).toEqual(
      [
        `modalities.${index('depth')}.tokenizer.diffusion: diffusion decoding of depth is not supported`,
        `modalities.${index('rgb')}.tokenizer.diffusion.denoiser: "tokenizers/denoiser.onnx" is not listed in files`,
        `modalities.${index('depth')}.tokenizer.diffusion.denoiser: "tokenizers/denoiser.onnx" is not listed in files`,
      ].sort(),
    );
    (m.modalities[index('rgb')]?.tokenizer as Record<string, unknown>).diffusion = { ...diffusion, scheduler: 'euler' };
    expect(ModelManifest.safeParse(m).success).toBe(false);
  });
});
