import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineModel } from '../../../../models/engine/generate';
import { generate, generateVariations, type StepPreview, type StepProgress } from '../../../../models/engine/generate';
import { request, sharedModel, target, tokenGrid } from './model-fixture';

let model: EngineModel;
beforeAll(async () => {
  model = await sharedModel();
}, 60_000);
afterAll(async () => model.release());

const semseg = () => ({ 'tok_semseg@128': { kind: 'image-tokens' as const, tokens: tokenGrid(1000) } });

describe('generate on the shipped default model', () => {
  it('semseg → RGB gives a full token grid and a 128×128 image, with one decoded preview per step', async () => {
    const steps: StepProgress[] = [];
    const previews: StepPreview[] = [];
    const res = await generate(model, request(semseg(), [target('tok_rgb@128', 'roar', 4)]), {
      onStep: (p) => steps.push(p),
      onPreview: (p) => previews.push(p),
    });
    const out = res.outputs['tok_rgb@128'];
    expect(out?.kind).toBe('image');
    if (out?.kind !== 'image') return;
    expect(out.tokens).toHaveLength(256);
    expect(Math.max(...out.tokens)).toBeLessThan(6000);
    expect([out.image.rgba.width, out.image.rgba.height]).toEqual([128, 128]);
    expect(steps.map((p) => p.progress.done)).toEqual([1, 2, 3, 4]);
    // Committed tokens grow by 64 per ROAR step.
    expect(steps.map((p) => p.event.snapshot.targetMask.reduce((a, b) => a + b, 0))).toEqual([64, 128, 192, 256]);
    // Previews decode while sampling goes on (latest wins), in order, always including the last step.
    const done = previews.map((p) => p.progress.done);
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.at(-1)).toBe(4);
    expect(previews.every((p) => p.image?.rgba.width === 128 && p.image.rgba.height === 128)).toBe(true);
    // Conditions are untouched.
    expect(Array.from(res.tokens['tok_semseg@128'] ?? [])).toEqual(tokenGrid(1000));
  }, 60_000);

  it('paces image previews: a long interval shows only the first and last step, 0 shows every step', async () => {
    const req = request(semseg(), [target('tok_rgb@128', 'roar', 6)]);
    const shown = async (previewIntervalMs: number): Promise<number[]> => {
      const done: number[] = [];
      await generate(model, req, { previewIntervalMs, onPreview: (p) => done.push(p.progress.done) });
      return done;
    };
    expect(await shown(60_000)).toEqual([1, 6]);
    const every = await shown(0);
    // Latest wins while a decode runs, so 0 may still skip a step, never the first or the last.
    expect(every[0]).toBe(1);
    expect(every.at(-1)).toBe(6);
    expect(every.length).toBeGreaterThan(2);
  }, 60_000);

  it('is deterministic: same request and seed give the same tokens; another seed differs', async () => {
    const req = request(semseg(), [target('tok_rgb@128', 'maskgit', 3, { tokenSchedule: 'cosine' })], 11);
    const a = await generate(model, req);
    const b = await generate(model, req);
    const c = await generate(model, { ...req, seed: 12 });
    expect(Array.from(a.tokens['tok_rgb@128'] ?? [])).toEqual(Array.from(b.tokens['tok_rgb@128'] ?? []));
    expect(Array.from(a.tokens['tok_rgb@128'] ?? [])).not.toEqual(Array.from(c.tokens['tok_rgb@128'] ?? []));
  }, 90_000);

  it('inpainting keeps the kept tokens byte-identical and regenerates only the rest', async () => {
    const original = tokenGrid(6000, 5);
    const keepMask = original.map((_, i) => (Math.floor(i / 16) < 8 ? 1 : 0) as 0 | 1);
    const res = await generate(
      model,
      request({ ...semseg(), 'tok_rgb@128': { kind: 'image-tokens', tokens: original, keepMask } }, [target('tok_rgb@128', 'roar', 2)]),
    );
    const out = Array.from(res.tokens['tok_rgb@128'] ?? []);
    expect(out.slice(0, 128)).toEqual(original.slice(0, 128));
    expect(out.slice(128)).not.toEqual(original.slice(128));
  }, 60_000);

  it('expected-code inpainting is a function of the kept tokens (no seed), reads the manifest\'s FSQ levels, and is refused where it cannot apply', async () => {
    const original = tokenGrid(6000, 5);
    const keepMask = original.map((_, i) => (i % 2 === 0 ? 1 : 0) as 0 | 1);
    const inputs = { 'tok_rgb@128': { kind: 'image-tokens' as const, tokens: original, keepMask } };
    const fill = target('tok_rgb@128', 'roar', 1, { tokenChoice: 'expected-code' });
    const [a, b] = [await generate(model, request(inputs, [fill], 1)), await generate(model, request(inputs, [fill], 2))];
    const out = Array.from(a.tokens['tok_rgb@128'] ?? []);
    expect(out).toEqual(Array.from(b.tokens['tok_rgb@128'] ?? []));
    expect(out.filter((_, i) => i % 2 === 0)).toEqual(original.filter((_, i) => i % 2 === 0));
    const spec = model.manifest.modalities.find((m) => m.name === 'tok_rgb@128');
    expect(spec?.type === 'img' && spec.tokenizer.fsqLevels).toEqual([8, 6, 5, 5, 5]);
    await expect(generate(model, request(semseg(), [target('caption', 'autoregressive', 1, { tokenChoice: 'expected-code' })]))).rejects.toThrow(/targets\.0\.tokenChoice: expected-code is for image targets/);
  }, 60_000);

  it('smoothing (neighbour agreement) makes neighbouring RGB tokens agree more, keeps the seed\'s determinism, and leaves sequences alone', async () => {
    const meanNeighbourCodeDistance = (tokens: ArrayLike<number>): number => {
      const levels = [8, 6, 5, 5, 5];
      const code = (id: number) => levels.map((l) => {
        const d = id % l;
        id = Math.floor(id / l);
        return (d / (l - 1)) * 2 - 1;
      });
      let sum = 0;
      let n = 0;
      for (let r = 0; r < 16; r++) {
        for (let c = 0; c < 15; c++) {
          const a = code(tokens[r * 16 + c] as number);
          const b = code(tokens[r * 16 + c + 1] as number);
          sum += Math.sqrt(a.reduce((s, x, i) => s + (x - (b[i] as number)) ** 2, 0));
          n++;
        }
      }
      return sum / n;
    };
    const plain = target('tok_rgb@128', 'roar', 8, { temperature: 1, topP: 0.9 });
    const smooth = { ...plain, neighbourAgreement: 2 };
    const distances = { plain: 0, smooth: 0 };
    for (const seed of [1, 2, 3]) {
      distances.plain += meanNeighbourCodeDistance((await generate(model, request(semseg(), [plain], seed))).tokens['tok_rgb@128'] ?? []);
      distances.smooth += meanNeighbourCodeDistance((await generate(model, request(semseg(), [smooth], seed))).tokens['tok_rgb@128'] ?? []);
    }
    expect(distances.smooth).toBeLessThan(distances.plain * 0.85);
    const [a, b] = [await generate(model, request(semseg(), [smooth], 5)), await generate(model, request(semseg(), [smooth], 5))];
    expect(Array.from(a.tokens['tok_rgb@128'] ?? [])).toEqual(Array.from(b.tokens['tok_rgb@128'] ?? []));
    await expect(generate(model, request(semseg(), [target('caption', 'autoregressive', 1, { neighbourAgreement: 1 })]))).rejects.toThrow(/targets\.0\.neighbourAgreement: neighbours are for image targets/);
  }, 120_000);

  it('cancels between steps with an AbortError and reports no further steps', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = generate(model, request(semseg(), [target('tok_rgb@128', 'roar', 6)]), {
      signal: controller.signal,
      onStep: (p) => {
        seen.push(p.progress.done);
        if (p.progress.done === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([1, 2]);
  }, 60_000);

  it('RGB → semseg, depth and a short caption in one chain, the caption decoded as text', async () => {
    const res = await generate(
      model,
      request({ 'tok_rgb@128': { kind: 'image-tokens', tokens: tokenGrid(6000) } }, [
        target('tok_semseg@128', 'roar', 1, { temperature: 0.01 }),
        target('tok_depth@128', 'roar', 1, { temperature: 0.01 }),
        target('caption', 'autoregressive', 1, { cfgScale: 1, maxTokens: 4, temperature: 0.3 }),
      ]),
    );
    const seg = res.outputs['tok_semseg@128'];
    expect(seg?.kind === 'image' && seg.image.classMap?.length).toBe(128 * 128);
    const depth = res.outputs['tok_depth@128'];
    expect(depth?.kind === 'image' && depth.image.depth?.every((v) => Number.isFinite(v))).toBe(true);
    const caption = res.outputs.caption;
    expect(caption?.kind).toBe('sequence');
    if (caption?.kind === 'sequence') {
      expect(caption.tokens.length).toBeLessThanOrEqual(4);
      expect(typeof caption.text).toBe('string');
    }
  }, 90_000);

  it('independent targets each come out exactly as a request for that target alone, sharing one encoding of the picture', async () => {
    const rgb = { 'tok_rgb@128': { kind: 'image-tokens' as const, tokens: tokenGrid(6000, 3) } };
    const targets = [
      target('tok_semseg@128', 'roar', 1, { temperature: 0.01 }),
      target('tok_depth@128', 'roar', 1, { temperature: 0.01 }),
      target('tok_normal@128', 'roar', 2, { temperature: 1 }),
      target('caption', 'autoregressive', 1, { cfgScale: 1, maxTokens: 6, temperature: 0.5 }),
    ];
    const reused = model.runner.stats.encoderRowsReused;
    const all = await generate(model, { ...request(rgb, targets), independentTargets: true });
    // semseg's conditional encoding is reused by depth and by normals' first step.
    expect(model.runner.stats.encoderRowsReused - reused).toBeGreaterThanOrEqual(2);
    for (const t of targets) {
      const alone = await generate(model, request(rgb, [t]));
      expect(Array.from(all.tokens[t.modality] ?? []), t.modality).toEqual(Array.from(alone.tokens[t.modality] ?? []));
    }
    // In a chain every target also sees the others (the pending caption's sentinel, earlier
    // results), so the same request without the flag gives other tokens.
    const chained = await generate(model, request(rgb, targets));
    const same = targets.every((t) => Array.from(chained.tokens[t.modality] ?? []).join() === Array.from(all.tokens[t.modality] ?? []).join());
    expect(same).toBe(false);
  }, 120_000);

  it('variations run batched and come out as when each runs alone; a bad request fails them all', async () => {
    const req = { ...request(semseg(), [target('tok_rgb@128', 'roar', 4)]), variations: 3 };
    const previewed = new Set<number>();
    const batched = await generateVariations(model, req, { previewVariations: (v) => v === 0, onPreview: (v) => previewed.add(v) });
    expect(batched.map((r) => r.seed)).toEqual([7, 8, 9]);
    expect([...previewed]).toEqual([0]);
    for (const [v, res] of batched.entries()) {
      const alone = (await generate(model, req, { variation: v })).tokens['tok_rgb@128'] ?? [];
      const mine = res.tokens['tok_rgb@128'] ?? [];
      // Same seeds and steps; only float rounding in the larger batch could flip a near-tie.
      const same = Array.from(mine).filter((t, i) => t === alone[i]).length;
      expect(same / mine.length, `variation ${v}`).toBeGreaterThanOrEqual(0.99);
    }
    expect(Array.from(batched[0]?.tokens['tok_rgb@128'] ?? [])).not.toEqual(Array.from(batched[1]?.tokens['tok_rgb@128'] ?? []));
    const bad = { ...request({ 'tok_semseg@128': { kind: 'image-tokens' as const, tokens: tokenGrid(1000).map(() => 5000) } }, [target('tok_rgb@128', 'roar', 2)]), variations: 2 };
    await expect(generateVariations(model, bad)).rejects.toThrow(/5000/);
  }, 90_000);

  it('refuses a request for another model and tokens outside the vocabulary, naming the field', async () => {
    await expect(generate(model, { ...request(semseg(), [target('tok_rgb@128', 'roar', 1)]), modelId: 'other' })).rejects.toThrow(/other/);
    const bad = request({ 'tok_semseg@128': { kind: 'image-tokens', tokens: tokenGrid(1000).map(() => 5000) } }, [target('tok_rgb@128', 'roar', 1)]);
    await expect(generate(model, bad)).rejects.toThrow(/inputs\.tok_semseg@128\.tokens\.0: 5000/);
  }, 30_000);
});
