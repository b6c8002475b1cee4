import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeldoutError, loadHeldoutScene, readHeldoutIndex } from '../../../../models/eval/heldout';

const HELDOUT_DIR = join(__dirname, '../../../fixtures/model/world-4m-small/heldout');

describe('the committed held-out set', () => {
  it('has 50 eval-split scenes with the world classes and named colours', async () => {
    const index = await readHeldoutIndex(HELDOUT_DIR);
    expect(index).toMatchObject({ split: 'eval', seedBase: 9_000_000, size: 128, depth: { metresPerUnit: 0.001 } });
    expect(index.scenes).toHaveLength(50);
    expect(index.classes).toEqual(['sky', 'ground', 'sphere', 'cube', 'cylinder', 'cone']);
    expect(Object.keys(index.namedColours)).toContain('cyan');
  });

  it('loads a scene exactly: 16-bit depth in metres, class ids, RGB and normals', async () => {
    const index = await readHeldoutIndex(HELDOUT_DIR);
    const s = await loadHeldoutScene(HELDOUT_DIR, index, '0000');
    expect(s.meta).toMatchObject({ seed: 9_000_000, objects: [{ kind: 'sphere', color: 'green' }, { kind: 'cube', color: 'cyan' }] });
    expect(s.meta.caption).toContain('green sphere');
    expect(s.rgb).toMatchObject({ width: 128, height: 128 });
    expect(s.normals.data).toHaveLength(128 * 128 * 4);
    expect(s.classes).toHaveLength(128 * 128);
    expect(Math.max(...s.classes)).toBeLessThan(6);
    // Values checked against the recipe's shard: the top-left pixel is 34.125 m, depth spans 3.955…34.125 m
    // (a 16-bit PNG read through 8 bits would give 0.133 m).
    expect(s.depth[0]).toBeCloseTo(34.125, 3);
    expect(Math.min(...s.depth)).toBeCloseTo(3.955, 3);
    expect(Math.max(...s.depth)).toBeCloseTo(34.125, 3);
  });
});

describe('errors name the file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), '4m-heldout-'));
    await writeFile(join(dir, 'scenes.json'), JSON.stringify({ format: '4m-studio.heldout/1', split: 'eval' }));
    await mkdir(join(dir, 'empty'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('rejects a missing or malformed index', async () => {
    await expect(readHeldoutIndex(join(dir, 'empty'))).rejects.toThrow(HeldoutError);
    await expect(readHeldoutIndex(dir)).rejects.toThrow(/scenes\.json: seedBase/);
  });

  it('rejects a missing scene folder', async () => {
    const index = await readHeldoutIndex(HELDOUT_DIR);
    await expect(loadHeldoutScene(HELDOUT_DIR, index, 'nope')).rejects.toThrow(/nope[\\/]meta\.json/);
  });
});
