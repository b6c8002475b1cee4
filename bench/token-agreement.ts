/**
 * Token-level agreement of two packages of the same model (e.g. float and int8 FM graphs):
 * `npx tsx bench/token-agreement.ts <package A> <package B> [scenes dir] [n]`.
 * For each held-out scene, the RGB tokens (package A's tokenizer) go through one greedy step
 * RGB→semseg/depth/normal/edge on both packages; prints the share of identical output tokens per
 * target, and, for semseg→RGB with the product's default sampling at the same seed, the share of
 * identical RGB tokens (sampling amplifies any logit change, so this one is a stress figure).
 */
import { fileURLToPath } from 'node:url';
import { validateGenerationRequest, type GenerationRequest } from '../preload/contract/generation';
import { encodeImage, generate, loadEngineModel, modalityForDomain, type EngineModel } from '../models/engine/generate';
import { loadHeldoutScene, readHeldoutIndex } from '../models/eval/heldout';
import { evalRequest, oneStepGreedy, pictureFrom, tokensInput } from '../models/eval/tasks';

const [dirA, dirB, scenesArg, nArg] = process.argv.slice(2);
if (!dirA || !dirB) {
  process.stderr.write('usage: tsx bench/token-agreement.ts <package A> <package B> [scenes dir] [n]\n');
  process.exit(2);
}
const scenesDir = scenesArg ?? fileURLToPath(new URL('../test/fixtures/model/world-4m-small/heldout/', import.meta.url));
const n = Number(nArg ?? 24);

async function tokensOf(model: EngineModel, request: GenerationRequest, target: string): Promise<Int32Array> {
  const checked = validateGenerationRequest(request);
  if (!checked.ok) throw new Error(`request: ${checked.errors[0]}`);
  const out = (await generate(model, checked.request)).outputs[target];
  if (out?.kind !== 'image') throw new Error(`no image output for ${target}`);
  return out.tokens;
}

const a = await loadEngineModel(dirA, { verifyHashes: true });
const b = await loadEngineModel(dirB, { verifyHashes: true });
const index = await readHeldoutIndex(scenesDir);
const img = (domain: string) => a.imageModality(modalityForDomain(a, domain).name);
const rgb = img('rgb');
const semseg = img('semseg');
const targets = ['semseg', 'depth', 'normal', 'edge'].map((d) => img(d).name);
const same = new Map<string, [number, number]>();
const count = (key: string, x: Int32Array, y: Int32Array) => {
  const [s, t] = same.get(key) ?? [0, 0];
  let eq = 0;
  x.forEach((v, i) => (eq += v === y[i] ? 1 : 0));
  same.set(key, [s + eq, t + x.length]);
};
for (const [i, name] of index.scenes.slice(0, n).entries()) {
  const scene = await loadHeldoutScene(scenesDir, index, name);
  const rgbTokens = await encodeImage(a, rgb, scene.rgb);
  for (const t of targets) {
    const req = evalRequest(a.manifest.id, { [rgb.name]: tokensInput(rgbTokens) }, oneStepGreedy(t), i);
    count(`RGB→${t} one greedy step`, await tokensOf(a, req, t), await tokensOf(b, req, t));
  }
  const colours = new Uint8Array(scene.classes.length * 4);
  scene.classes.forEach((id, p) => colours.set([...(a.manifest.classes.find((c) => c.id === id)?.color ?? [0, 0, 0]), 255], p * 4));
  const semTokens = await encodeImage(a, semseg, { width: index.size, height: index.size, data: colours });
  const req = evalRequest(a.manifest.id, { [semseg.name]: tokensInput(semTokens) }, pictureFrom(rgb.name, 'layout'), i);
  count('semseg→RGB default sampling, same seed', await tokensOf(a, req, rgb.name), await tokensOf(b, req, rgb.name));
}
for (const [key, [s, t]] of same) process.stdout.write(`${key}: ${((100 * s) / t).toFixed(2)} % identical (${s}/${t} tokens)\n`);
await a.release();
await b.release();
