/**
 * Executes parsed CLI commands on the engine: builds a GenerationRequest from
 * files and text, runs it, writes each output in its file convention.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { pictureSourceOf } from '../../preload/contract/sampling-defaults';
import { validateGenerationRequest, type GenerationInput, type GenerationRequest, type TargetRequest } from '../../preload/contract/generation';
import { generate, loadEngineModel, type EngineModel, type GeneratedOutput } from '../engine/generate';
import { MODELS_PATH_ENV, modelFolders, type ModelFolder } from '../registry/folders';
import { fileKind } from '../registry/read-text';
import { userModelsDir } from '../registry/user-folder';
import { findModel, ModelNotFoundError } from '../registry/registry';
import { fitToGrid, layerImage, type RgbaImage } from '../tokenizers/image';
import { serializeColorPalette, serializeDet } from '../tokenizers/sequence';
import type { Command, CommonOptions } from './args';
import { defaultTarget, resolveModality, type CliModality } from './domains';
import { bundledZoo } from './bundled';
import { runOfficialCommand } from './official-command';
import { findOfficialModelFolder, isOfficialModelFolder } from '../registry/official-folder';
import { UsageError } from './errors';
import { runEval } from './eval-command';
import { checkImageOutput, checkWritable, readBoxes, readImage, readModalityImage, readPalette, writeImage, writeText } from './files';
import { keepMaskFromPicture, pasteOutsideRegion } from './mask';

const BUNDLED = bundledZoo();

/** The registry's lookup order for the CLI: STUDIO_MODELS_PATH, the user's models folder, the bundled zoo. */
export function cliModelFolders(env: NodeJS.ProcessEnv = process.env): ModelFolder[] {
  return modelFolders({ extra: env[MODELS_PATH_ENV], user: userModelsDir({ env, platform: process.platform, home: homedir() }), bundled: BUNDLED, delimiter });
}

/** `--model`: a package folder (a path) or an id the registry finds. */
const MODEL_FOLDER = 'a model folder (a package with manifest.json, or an official folder with fm/)';

export async function modelDir(model: string, folders: readonly ModelFolder[] = cliModelFolders(), flag = '--model'): Promise<string> {
  if (model.includes('/') || model.includes('\\') || model.startsWith('.')) {
    const dir = resolve(model);
    const info = await stat(dir).catch(() => undefined);
    if (!info) throw new UsageError(`${flag} ${model}: ${dir} does not exist`);
    if (!info.isDirectory()) throw new UsageError(`${flag} ${model}: ${dir} is ${info.isFile() ? 'a file' : fileKind(info)}; give ${MODEL_FOLDER}`);
    return dir;
  }
  try {
    return (await findModel(folders, model)).dir;
  } catch (error) {
    // An official model folder (no manifest) is found by its folder name.
    const official = error instanceof ModelNotFoundError ? await findOfficialModelFolder(folders, model) : undefined;
    if (official) return official;
    throw error instanceof ModelNotFoundError ? new UsageError(`--model ${model}: ${error.message}`) : error;
  }
}

type Log = (line: string) => void;

export async function runCommand(cmd: Exclude<Command, { kind: 'help' }>, log: Log): Promise<void> {
  // Where the results go is checked before the model loads: a long run must not end unwritable.
  if (cmd.kind === 'generate') for (const [alias, file] of cmd.outputs) await checkWritable(`--out ${alias}=`, file, 'file');
  else if (cmd.kind === 'predict') await checkWritable('--out-dir', cmd.outDir, 'folder');
  else if (cmd.out !== undefined) await checkWritable('--out', cmd.out, 'file');
  const dir = await modelDir(cmd.model);
  // An official 4M model folder (fm/ + tokenizers/, as Hugging Face ships them) runs on its own path.
  if (await isOfficialModelFolder(dir)) {
    const upscale = cmd.kind === 'generate' && cmd.upscale !== undefined ? await modelDir(cmd.upscale, undefined, '--upscale') : undefined;
    if (upscale !== undefined && !(await isOfficialModelFolder(upscale))) {
      throw new UsageError(`--upscale ${cmd.kind === 'generate' ? cmd.upscale : ''}: ${upscale} is not an official 4M model folder (fm/ + tokenizers/<layer>/, as 4M-7-SR_L_CC12M ships)`);
    }
    return runOfficialCommand(dir, cmd, log, upscale);
  }
  if (cmd.kind === 'generate' && cmd.upscale !== undefined) {
    throw new UsageError(`--upscale: only official 4M model folders take it (4M's super-resolution model upscales their 224 px results); ${dir} is a package`);
  }
  if (cmd.kind === 'generate' && cmd.decodeSteps !== undefined) {
    throw new UsageError(`--decode-steps: only official 4M model folders take it (their DiVAE decoders); ${dir} decodes as its manifest says`);
  }
  if (!(await stat(join(dir, 'manifest.json')).then((m) => m.isFile(), () => false))) throw new UsageError(`--model ${cmd.model}: ${dir} is not ${MODEL_FOLDER}`);
  const model = await loadEngineModel(dir);
  try {
    if (cmd.kind === 'generate') await runGenerate(model, cmd, log);
    else if (cmd.kind === 'eval') await runEval(model, cmd, log);
    else await runPredict(model, cmd, log);
  } finally {
    await model.release();
  }
}

async function runGenerate(model: EngineModel, cmd: Extract<Command, { kind: 'generate' }>, log: Log): Promise<void> {
  const images = new Map<string, RgbaImage>();
  const inputs: Record<string, GenerationInput> = {};
  const given: CliModality[] = [];
  for (const [alias, value] of cmd.inputs) {
    const m = resolveModality(model.manifest, alias);
    if (inputs[m.name]) throw new UsageError(`--in ${alias}: given twice`);
    given.push(m);
    inputs[m.name] = await inputFor(model, m, value, images, cmd.fit);
  }
  const outs = cmd.outputs.map(([alias, file]) => {
    const m = resolveModality(model.manifest, alias);
    if (inputs[m.name] && cmd.mask === undefined) throw new UsageError(`--out ${alias}: is also an --in (${m.type === 'img' ? 'give --mask <png> to regenerate part of it' : 'a text layer is either given or generated; drop one of the two'})`);
    if (m.type === 'img') checkImageOutput(file);
    return { m, file };
  });
  // --mask: each picture --out that is also an --in keeps its tokens outside the white part.
  const regions = new Map<string, { keep: (0 | 1)[]; ref: string; cols: number; rows: number }>();
  if (cmd.mask !== undefined) {
    const size = model.manifest.imageSize;
    const mask = fitToGrid(await readImage(cmd.mask), size, size, cmd.fit, 'nearest');
    for (const { m } of outs) {
      const input = inputs[m.name];
      if (m.type !== 'img' || input?.kind !== 'image-pixels') continue;
      const spec = model.modality(m.name);
      if (spec.type !== 'img') continue;
      const [rows, cols] = spec.grid;
      const keep = keepMaskFromPicture(mask, cols, rows);
      if (!keep.includes(0)) throw new UsageError(`--mask ${cmd.mask}: nothing is white, so nothing would be regenerated (white = regenerate, black = keep)`);
      inputs[m.name] = { ...input, keepMask: keep };
      regions.set(m.name, { keep, ref: input.ref, cols, rows });
    }
    if (regions.size === 0) throw new UsageError('--mask: no picture --out is also an --in; give the picture to regenerate part of both ways, e.g. --in rgb=pic.png --mask mask.png --out rgb=out.png');
  }
  const fromRgb = given.some((m) => m.domain === 'rgb');
  const source = pictureSourceOf(given.map((m) => m.domain));
  const targets = outs.map(({ m }) => defaultTarget(m, fromRgb, cmd.sampling, source));
  const result = await runRequest(model, cmd, inputs, targets, images, log, cmd.independent);
  for (const { m, file } of outs) {
    const out = result[m.name];
    const region = regions.get(m.name);
    const original = region ? images.get(region.ref) : undefined;
    // As the editor: the input picture outside the region, the result inside (class maps hard).
    const kept = region && original ? (img: RgbaImage) => pasteOutsideRegion(original, img, region.keep, region.cols, region.rows, m.domain === 'semseg') : undefined;
    if (out) await writeOutput(out, m, file, log, kept);
  }
}

async function runPredict(model: EngineModel, cmd: Extract<Command, { kind: 'predict' }>, log: Log): Promise<void> {
  const rgb = resolveModality(model.manifest, 'rgb');
  const images = new Map<string, RgbaImage>();
  const inputs = { [rgb.name]: await inputFor(model, rgb, cmd.image, images, cmd.fit) };
  const mods = cmd.targets.map((t) => resolveModality(model.manifest, t));
  for (const m of mods) if (m.domain === 'rgb') throw new UsageError('--to rgb: the input already is the RGB image');
  const targets = mods.map((m) => defaultTarget(m, true, cmd.sampling));
  // Every layer from the picture alone: one shared encoding, and each layer as if asked for alone.
  const result = await runRequest(model, cmd, inputs, targets, images, log, true);
  for (const m of mods) {
    const out = result[m.name];
    if (out) await writeOutput(out, m, join(cmd.outDir, outputName(m)), log);
  }
}

async function runRequest(
  model: EngineModel,
  opts: CommonOptions,
  inputs: Record<string, GenerationInput>,
  targets: TargetRequest[],
  images: Map<string, RgbaImage>,
  log: Log,
  independentTargets = false,
): Promise<Record<string, GeneratedOutput>> {
  const draft: GenerationRequest = {
    version: 1,
    modelId: model.manifest.id,
    seed: opts.seed,
    inputs,
    targets,
    cfgGrowConditioning: true,
    ...(independentTargets ? { independentTargets } : {}),
  };
  const checked = validateGenerationRequest(draft);
  if (!checked.ok) throw new UsageError(`request: ${checked.errors[0]}`);
  const t0 = performance.now();
  const res = await generate(model, checked.request, {
    resolvePixels: async (ref) => {
      const img = images.get(ref);
      if (!img) throw new Error(`unknown image ref ${ref}`);
      return img;
    },
    onStep: opts.quiet ? undefined : (p) => process.stderr.write(`\r${p.event.target} step ${p.event.step}/${p.event.totalSteps} (${p.progress.done}/${p.progress.total})   `),
  });
  if (!opts.quiet) process.stderr.write('\n');
  log(`generated ${targets.map((t) => t.modality).join(', ')} in ${Math.round(performance.now() - t0)} ms (seed ${res.seed}, ${model.provider.provider})`);
  return res.outputs;
}

async function inputFor(model: EngineModel, m: CliModality, value: string, images: Map<string, RgbaImage>, fit: CommonOptions['fit']): Promise<GenerationInput> {
  const coordBins = model.manifest.text.coordBins;
  if (m.type === 'img') {
    const size = model.manifest.imageSize;
    const img = await readModalityImage(value, m.domain, model.manifest.classes);
    const ref = `file:${isAbsolute(value) ? value : resolve(value)}`;
    images.set(ref, fitToGrid(img, size, size, fit, m.domain === 'semseg' ? 'nearest' : 'linear'));
    return { kind: 'image-pixels', ref };
  }
  const isJson = value.toLowerCase().endsWith('.json');
  if (m.domain === 'det' && isJson) return { kind: 'text', text: serializeDet(await readBoxes(value), { coordBins }) };
  if (m.domain === 'color_palette' && isJson) return { kind: 'text', text: serializeColorPalette(await readPalette(value), { coordBins }) };
  return { kind: 'text', text: value };
}

function outputName(m: CliModality): string {
  const names: Record<string, string> = { det: 'boxes.json', color_palette: 'palette.json', caption: 'caption.txt', normal: 'normals.png', edge: 'edges.png' };
  return names[m.domain] ?? `${m.domain}.png`;
}

async function writeOutput(out: GeneratedOutput, m: CliModality, file: string, log: Log, kept?: (img: RgbaImage) => RgbaImage): Promise<void> {
  if (out.kind === 'image') {
    const { image } = out;
    // Depth is written as grey (white = near) so it can be read back as an input.
    const img = layerImage(image);
    await writeImage(file, kept ? kept(img) : img);
  } else if (out.boxes) {
    await writeText(file, JSON.stringify({ text: out.text, boxes: out.boxes.boxes, dropped: out.boxes.dropped }, null, 2));
  } else if (out.palette) {
    await writeText(file, JSON.stringify({ text: out.text, colors: out.palette.colors, dropped: out.palette.dropped }, null, 2));
  } else {
    await writeText(file, out.text);
  }
  log(`${m.alias} → ${file}`);
}
