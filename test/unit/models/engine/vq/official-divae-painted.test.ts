/**
 * Painted depth, normals and edges through the official DiVAE encoders, against the official code:
 * models/recipe/fourm_recipe/official/divae_painted.py drew the pictures in
 * test/fixtures/official-divae-painted (as the editor stores those layers: depth grey with 255 = near,
 * edges white on black, normals RGB-encoded), normalised them with 4M's transforms (the official
 * DepthTransform's truncated standardization for depth) and tokenized them with the official
 * DiVAE.tokenize of the fixture tokenizers (official-divae-depth: the 1-channel member, for depth and
 * edges; official-divae-rgb: the 3-channel member, for normals). Here the same PNGs go through
 * divaeInputFromPicture and the engine's encoder graph.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { divaeInputFromPicture, type DivaeDomain } from '../../../../../models/engine/vq/official-divae-image';
import { openOfficialDivae, type OfficialDivae } from '../../../../../models/engine/vq/official-divae';
import type { RgbaImage } from '../../../../../models/tokenizers/image';
import { rebuildCheckpoint, type CheckpointFixture } from '../fm/official-fixture';

interface Case {
  file: string;
  tokenizer: string;
  shape: number[];
  tokens: number[];
  tokenGap: number[];
  indices: number[];
  offset: number;
}

const FIXTURES = join(__dirname, '../../../../fixtures');
const DIR = join(FIXTURES, 'official-divae-painted');
const ref = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as { inputs: string; cases: Record<DivaeDomain, Case> };
const inputs = new Float32Array(readFileSync(join(DIR, ref.inputs)).buffer.slice(0));

async function picture(file: string): Promise<RgbaImage> {
  const { data, info } = await sharp(join(DIR, file)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

describe('painted depth, normals and edges: tokens of the engine vs the official DiVAE encoders', () => {
  const root = mkdtempSync(join(tmpdir(), 'official-divae-painted-'));
  const toks = new Map<string, OfficialDivae>();
  beforeAll(async () => {
    for (const name of ['official-divae-depth', 'official-divae-rgb']) {
      const fix = join(FIXTURES, name);
      const out = join(root, name);
      mkdirSync(out);
      rebuildCheckpoint(JSON.parse(readFileSync(join(fix, 'checkpoint.json'), 'utf8')) as CheckpointFixture, fix, out);
      toks.set(name, await openOfficialDivae(out, { providers: ['cpu'], intraOpThreads: 1 }));
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all([...toks.values()].map((t) => t.release()));
    rmSync(root, { recursive: true, force: true });
  });

  for (const domain of ['depth', 'edge', 'normal'] as const) {
    it(`${domain}: the same normalised input and the same token ids`, async () => {
      const c = ref.cases[domain];
      const tok = toks.get(c.tokenizer) as OfficialDivae;
      const x = divaeInputFromPicture(domain, await picture(c.file), { channels: tok.channels, size: tok.imageSize, grid: tok.grid[0], where: domain });
      expect(x.length).toBe(c.shape.reduce((a, b) => a * b, 1));
      let maxDiff = 0;
      c.indices.forEach((idx, i) => (maxDiff = Math.max(maxDiff, Math.abs((x[idx] as number) - (inputs[c.offset + i] as number)))));
      const tokens = await tok.tokenize(x);
      const same = Array.from(tokens).filter((t, i) => t === c.tokens[i]).length;
      const tied = Array.from(tokens).filter((t, i) => t !== c.tokens[i] && (c.tokenGap[i] as number) < 1e-4).length;
      console.log(`painted ${domain} via ${c.tokenizer}: input max |diff| ${maxDiff.toExponential(2)} over ${c.indices.length} values; tokens ${same}/${c.tokens.length} identical (${new Set(c.tokens).size} distinct)`);
      expect(maxDiff).toBeLessThan(1e-5);
      expect(same + tied).toBe(c.tokens.length);
    }, 60_000);
  }
});
