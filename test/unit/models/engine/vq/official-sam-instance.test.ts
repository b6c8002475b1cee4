/**
 * Parity with the official 4M code for SAM instances. test/fixtures/official-vqvae-sam holds what
 * the official VQVAE and `decode_sam_instances` (github.com/apple/ml-4m, run by
 * models/recipe/fourm_recipe/official/sam_instance_fixture.py) computed on a checkpoint in the layout
 * of `4M_tokenizers_sam-instance_1k_64` (64×64 one-channel masks, 4×4 tokens of 1,024 codes, two
 * ConvNeXt `out_conv` blocks), shrunk to width 128, depth 2: the 64×64 logits of three token grids,
 * and the instance rendering of a sam_instance sequence (duplicates and malformed groups included);
 * and the condition direction: nine instance masks → the official boxes, 64×64 crops
 * (`SAMInstanceTransform.get_binary_masks` on each mask's traced outline), `tokenize` ids and the
 * sam_instance text around committed query points. And (encode-parts.json, made by
 * sam_parts_fixture.py) a painting whose objects have holes, several parts, a speck, one-pixel
 * spurs and lines, or touch the picture's edge, read by readSamPainting and encoded as above.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSamInstances, encodeSamInstances, openOfficialSamInstanceTokenizer } from '../../../../../models/engine/vq/official-sam-instance';
import type { OfficialVqvae } from '../../../../../models/engine/vq/official-vqvae';
import { samInstancesJson } from '../../../../../models/cli/sam-instances';
import { readSamPainting, samOutline } from '../../../../../models/tokenizers/image/sam-encode';
import { rebuildCheckpoint, type CheckpointFixture } from '../fm/official-fixture';

const DIR = join(__dirname, '../../../../fixtures/official-vqvae-sam');
const CHECKPOINT = JSON.parse(readFileSync(join(DIR, 'checkpoint.json'), 'utf8')) as CheckpointFixture;
const REF = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as {
  checkpointSha256: string;
  decode: { grids: number[][]; logitsFile: string; maxAbsLogit: number };
  sequence: { text: string; instancesFile: string; size: number; instances: number; paintedPixels: number };
  encode: { size: number; masks: number[][]; boxes: number[][]; crops: number[][]; tokens: number[][]; points: { x: number; y: number }[]; text: string };
};

/** Row-major run lengths (starting with 0s) → 0/1 values. */
function fromRuns(counts: readonly number[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let at = 0;
  counts.forEach((c, k) => {
    if (k % 2 === 1) out.fill(1, at, at + c);
    at += c;
  });
  expect(at).toBe(n);
  return out;
}
const PARTS = JSON.parse(readFileSync(join(DIR, 'encode-parts.json'), 'utf8')) as {
  checkpointSha256: string;
  size: number;
  colours: { name: string; rgb: number[]; mask: number[] }[];
  instances: { colour: number; inside: number[] }[];
  dropped: { colour: number; box: number[] }[];
  boxes: number[][];
  crops: number[][];
  tokens: number[][];
  points: { x: number; y: number }[];
  text: string;
  twoPolygonInstance: { namedAtFirst: number; namedAtSecond: number };
};
const LOGITS = new Float32Array(readFileSync(join(DIR, REF.decode.logitsFile)).buffer.slice(0));
const INSTANCES = new Uint8Array(readFileSync(join(DIR, REF.sequence.instancesFile)));

async function withTokenizer(dtype: 'F32' | 'F16', body: (tok: OfficialVqvae, sha: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'official-sam-'));
  let tok: OfficialVqvae | undefined;
  try {
    const sha = rebuildCheckpoint(CHECKPOINT, DIR, dir, dtype);
    tok = await openOfficialSamInstanceTokenizer(dir, { providers: ['cpu'], intraOpThreads: 1 });
    await body(tok, sha);
  } finally {
    await tok?.release();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function logitDiff(tok: OfficialVqvae): Promise<number> {
  let diff = 0;
  for (const [g, ids] of REF.decode.grids.entries()) {
    const { data, dims } = await tok.decode(ids);
    expect(dims).toEqual([1, 1, 64, 64]);
    for (let p = 0; p < 64 * 64; p++) diff = Math.max(diff, Math.abs((data[p] as number) - (LOGITS[g * 4096 + p] as number)));
  }
  return diff;
}

describe('an official-format SAM-instance tokenizer against the official code', () => {
  it('float32: the same file; 64×64 logits of three grids within 1e-4; the instance rendering of a sequence', async () => {
    await withTokenizer('F32', async (tok, sha) => {
      expect(sha).toBe(CHECKPOINT.sha256);
      expect(REF.checkpointSha256).toBe(CHECKPOINT.sha256);
      expect(tok.grid).toEqual([4, 4]);
      expect(tok.layout).toMatchObject({ outChannels: 1, outConvBlocks: 2, codebookSize: 1024, inChannels: 1 });
      const diff = await logitDiff(tok);
      const decoded = await decodeSamInstances(tok, REF.sequence.text);
      const S = REF.sequence.size;
      let same = 0;
      let painted = 0;
      for (let p = 0; p < S * S; p++) {
        if (decoded.render.index[p] === INSTANCES[p]) same++;
        if ((decoded.render.index[p] as number) > 0) painted++;
      }
      console.log(`SAM-instance tokenizer vs official VQVAE: decoded logits max |diff| ${diff.toExponential(2)} over 3×64×64 (|logit| ≤ ${REF.decode.maxAbsLogit.toFixed(2)}); decode_sam_instances: ${decoded.instances.length} instances (official ${REF.sequence.instances}), ${same}/${S * S} pixels with the same instance, ${painted} painted (official ${REF.sequence.paintedPixels})`);
      expect(diff).toBeLessThan(1e-4);
      expect(decoded.instances.length).toBe(REF.sequence.instances);
      expect(decoded.parsed.dropped.map((d) => d.reason)).toEqual([
        expect.stringMatching(/got 14$/),
        'empty box (50,50)–(50,90)',
        '"v0=x" is not a v<axis>=<number> word',
      ]);
      // Thresholding resized probabilities at 0.5: only pixels on a mask's edge may flip.
      expect(S * S - same).toBeLessThanOrEqual(S * S * 0.002);
      // The CLI's JSON: every mask's run lengths cover it, and the placed masks' pixels are the painted ones where nothing covers them.
      const json = samInstancesJson(decoded, REF.sequence.text) as { instances: { box: unknown; mask64: { counts: number[] }; placed: { width: number; height: number; counts: number[] } | null }[] };
      expect(json.instances).toHaveLength(decoded.instances.length);
      for (const inst of json.instances) {
        expect(inst.mask64.counts.reduce((a, b) => a + b, 0)).toBe(64 * 64);
        if (inst.placed) expect(inst.placed.counts.reduce((a, b) => a + b, 0)).toBe(inst.placed.width * inst.placed.height);
      }
      const last = json.instances.at(-1)?.placed;
      const inside = (last?.counts ?? []).filter((_, k) => k % 2 === 1).reduce((a, b) => a + b, 0);
      expect(inside).toBe(decoded.render.index.filter((v) => v === json.instances.length).length);
      // Transparent outside the instances, opaque inside.
      const alpha = decoded.rgba.data.filter((_, i) => i % 4 === 3);
      expect(alpha.filter((a) => a === 255).length).toBe(painted);
    });
  }, 120_000);

  it('encodes instance masks as the official code: the same boxes, 64×64 crops, ids and text', async () => {
    await withTokenizer('F32', async (tok) => {
      const E = REF.encode;
      const masks = E.masks.map((c) => ({ width: E.size, height: E.size, mask: fromRuns(c, E.size * E.size) }));
      const enc = await encodeSamInstances(tok, masks, { points: E.points });
      expect(enc.instances.map((i) => [i.box.xmin, i.box.ymin, i.box.xmax, i.box.ymax])).toEqual(E.boxes);
      const lines: string[] = [];
      let sameTokens = 0;
      let sameFromOfficialCrop = 0;
      for (const [k, inst] of enc.instances.entries()) {
        const official = fromRuns(E.crops[k] as number[], 64 * 64);
        const diff = official.reduce((n, v, p) => n + (v === inst.crop[p] ? 0 : 1), 0);
        const fromOfficial = Array.from(await tok.tokenize(Float32Array.from(official)));
        const same = inst.tokens.filter((t, p) => t === E.tokens[k]?.[p]).length;
        sameTokens += same;
        if (fromOfficial.every((t, p) => t === E.tokens[k]?.[p])) sameFromOfficialCrop++;
        lines.push(`#${k + 1} box ${E.boxes[k]?.join(',')}: ${diff}/4096 crop pixels differ, ${same}/16 ids the same`);
        expect(diff).toBe(0);
      }
      console.log(`SAM-instance encode vs official (SAMInstanceTransform + VQVAE.tokenize): ${lines.join('; ')}; ids from the official crops identical for ${sameFromOfficialCrop}/${E.tokens.length}; text ${enc.text === E.text ? 'identical' : 'differs'}`);
      // The encoder graph and codebook: the official crop gives the official ids.
      expect(sameFromOfficialCrop).toBe(E.tokens.length);
      expect(sameTokens).toBe(16 * E.tokens.length);
      // Points, boxes and v0/v1 ids word for word (the official shuffles of points and instances off).
      expect(enc.text).toBe(E.text);
    });
  }, 120_000);

  it('reads a painting of objects with holes, several parts, specks, thin parts and edges as the official pipeline', async () => {
    await withTokenizer('F32', async (tok) => {
      const P = PARTS;
      expect(P.checkpointSha256).toBe(CHECKPOINT.sha256);
      const n = P.size * P.size;
      const data = new Uint8Array(n * 4);
      for (const c of P.colours) fromRuns(c.mask, n).forEach((v, i) => v && data.set([...c.rgb, 255], i * 4));
      const hex = (rgb: number[]): string => `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
      const { masks, notes } = readSamPainting({ width: P.size, height: P.size, data });
      // One instance per part (the official data's one outline each), the speck left out as remove_tiny_instances drops it.
      expect(masks).toHaveLength(P.instances.length);
      const blobs = hex(P.colours.find((c) => c.name === 'two separate blobs')?.rgb ?? []);
      const speckColour = P.colours[P.dropped[0]?.colour ?? -1];
      expect(notes).toEqual([
        `the object in ${hex(speckColour?.rgb ?? [])}: left out a speck (2×2 px at x ${P.dropped[0]?.box[0]}, y ${P.dropped[0]?.box[1]}): 4M's data pipeline drops parts whose box is under 26 px²`,
        `the object in ${blobs}: 2 separate parts, read as 2 objects (an instance in 4M's data is one outline)`,
      ]);
      // What a query point names: the outline (holes inside) against pointPolygonTest at every pixel.
      let insideDiff = 0;
      masks.forEach((m, k) => {
        const official = fromRuns(P.instances[k]?.inside as number[], n);
        const ours = samOutline(m).mask;
        insideDiff += official.reduce((d, v, i) => d + (v === ours[i] ? 0 : 1), 0);
      });
      const enc = await encodeSamInstances(tok, masks, { points: P.points });
      expect(enc.instances.map((i) => [i.box.xmin, i.box.ymin, i.box.xmax, i.box.ymax])).toEqual(P.boxes);
      const lines: string[] = [];
      let cropDiff = 0;
      let sameTokens = 0;
      let sameFromOfficialCrop = 0;
      for (const [k, inst] of enc.instances.entries()) {
        const official = fromRuns(P.crops[k] as number[], 64 * 64);
        const diff = official.reduce((d, v, p) => d + (v === inst.crop[p] ? 0 : 1), 0);
        cropDiff += diff;
        const fromOfficial = Array.from(await tok.tokenize(Float32Array.from(official)));
        if (fromOfficial.every((t, p) => t === P.tokens[k]?.[p])) sameFromOfficialCrop++;
        sameTokens += inst.tokens.filter((t, p) => t === P.tokens[k]?.[p]).length;
        if (diff) lines.push(`#${k + 1} (${P.colours[P.instances[k]?.colour ?? 0]?.name}): ${diff} crop pixels differ`);
      }
      console.log(`SAM painting with holes and parts vs official: ${P.colours.length} colours → ${masks.length} instances (official ${P.instances.length}, ${P.dropped.length} speck dropped); pixels named by query points differ at ${insideDiff} of ${masks.length}×${n}; boxes identical; ${cropDiff} of ${masks.length * 4096} crop pixels differ${lines.length ? ` (${lines.join('; ')})` : ''}; ids ${sameTokens}/${16 * masks.length} (from the official crops ${sameFromOfficialCrop}/${masks.length} grids); text ${enc.text === P.text ? 'identical' : 'differs'}; an official instance of two polygons is named at its first (${P.twoPolygonInstance.namedAtFirst}) and not its second (${P.twoPolygonInstance.namedAtSecond})`);
      expect(insideDiff).toBe(0);
      expect(cropDiff).toBe(0);
      expect(sameFromOfficialCrop).toBe(masks.length);
      expect(sameTokens).toBe(16 * masks.length);
      expect(enc.text).toBe(P.text);
      // The evidence for one outline per instance: the official query test reads coords[0] only.
      expect(P.twoPolygonInstance).toMatchObject({ namedAtFirst: 1, namedAtSecond: 0 });
    });
  }, 120_000);

  it('float16 storage stays close', async () => {
    await withTokenizer('F16', async (tok) => {
      expect(await logitDiff(tok)).toBeLessThan(0.05 * Math.max(1, REF.decode.maxAbsLogit));
    });
  }, 120_000);

  it('refuses a VQ-VAE that is not the SAM-instance one, and checks tokens', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'official-sam-bad-'));
    try {
      rebuildCheckpoint(CHECKPOINT, DIR, bad, 'F32');
      const cfg = join(bad, 'config.json');
      copyFileSync(cfg, `${cfg}.orig`);
      writeFileSync(cfg, JSON.stringify({ ...CHECKPOINT.config, out_conv: false }));
      await expect(openOfficialSamInstanceTokenizer(bad)).rejects.toThrow(/tensor\(s\) with no place in the layout .* decoder\.out_conv/);
      copyFileSync(`${cfg}.orig`, cfg);
      const tok = await openOfficialSamInstanceTokenizer(bad, { providers: ['cpu'], intraOpThreads: 1 });
      try {
        await expect(tok.decode(new Array(16).fill(1024))).rejects.toThrow(/token 0 = 1024 is outside 0…1023/);
        // Ids past the codebook in the text are dropped by the parser, not sent to the decoder.
        const text = `point v0=3 v1=4 polygon v0=1 v1=2 v2=30 v3=40 ${'v1=600 '.repeat(16)}`;
        const d = await decodeSamInstances(tok, text);
        expect(d.instances).toHaveLength(0);
        expect(d.parsed.dropped[0]?.reason).toMatch(/mask token 1112 is outside the codebook/);
        expect(d.rgba.data.every((v) => v === 0)).toBe(true);
      } finally {
        await tok.release();
      }
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  }, 120_000);
});
