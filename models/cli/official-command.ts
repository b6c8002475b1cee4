/**
 * `4m generate --model <official model folder>`: the same command line on an official 4M model
 * (engine/generate/official-model.ts: fm/ + tokenizers/<layer>/ as Hugging Face ships them).
 * `rgb` goes in as the FM's pixel input (rgb@224), `caption` as text (the WordPiece file in the
 * folder), boxes and palettes as text or the bundled models' JSON files (official-sequence.ts), and
 * each image output is decoded by its tokenizer folder; a painted segmentation, depth, normals or edges
 * picture goes in through its tokenizer's encoder; image controls (4M-21's metadata) go in as
 * `name=value` pairs (./metadata.ts); det, color_palette and metadata outputs are written as JSON;
 * picture references (dinov2_global, imagebind_global) go in as a JSON of their 16 ids or as a
 * picture the FM reads them from first, and come out as that JSON; sam_instance (4M-21) comes out as
 * masks through the SAM-instance tokenizer folder (./sam-instances.ts), and goes in the same way: the
 * masks file --out writes (a painted PNG or the JSON) is cropped and tokenized into its text. With `--upscale <SR folder>`, every picture output is then upscaled ×2 by 4M's
 * super-resolution model (engine/generate/official-upscale.ts) and written at 448 × 448.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { validateGenerationRequest, type GenerationInput, type GenerationRequest, type TargetRequest } from '../../preload/contract/generation';
import { describeImageSampling, pictureSourceOf, type ImageSampling } from '../../preload/contract/sampling-defaults';
import { isReferenceModality, REFERENCE_SAMPLING, referenceTokensProblem } from '../../preload/contract/reference';
import { readPictureReference } from '../engine/generate/official-reference';
import type { OfficialModality } from '../engine/fm/official-modalities';
import { generateOfficial, loadOfficialModel, OFFICIAL_TEXT_FILE, OFFICIAL_TOKENIZERS_DIR, type OfficialModel } from '../engine/generate/official-model';
import { samInstancesJson, samMasksFromJson, samMasksFromPicture, samOutputKind } from './sam-instances';
import { encodeSamInstances } from '../engine/vq/official-sam-instance';
import { upscaleOfficial, upscaleTargets } from '../engine/generate/official-upscale';
import { officialWorkingSize } from '../engine/generate/official-layout';
import { fitToGrid, layerImage, type FitMode, type RgbaImage } from '../tokenizers/image';
import type { Command } from './args';
import { defaultTarget, type CliModality, type SamplingOverrides } from './domains';
import { UsageError } from './errors';
import { keepMaskFromPicture, pasteOutsideRegion } from './mask';
import { checkImageOutput, readBoxes, readImage, readJson, readPalette, writeImage, writeText } from './files';
import { checkOfficialDetLabels, checkOfficialSequenceInput, officialDetClasses, OFFICIAL_COORD_BINS } from '../engine/generate/official-sequence';
import { metadataFromArg, metadataFromValues, readableMetadata } from './metadata';
import { serializeColorPalette, serializeDet } from '../tokenizers/sequence';

const ALIASES: Readonly<Record<string, string>> = {
  image: 'rgb', segmentation: 'semseg', normals: 'normal', edges: 'canny_edge', edge: 'canny_edge', boxes: 'det', palette: 'color_palette', poses: 'human_poses',
  controls: 'metadata', instances: 'sam_instance', sam: 'sam_instance',
};

/**
 * What the user typed → the FM modality: an exact name (tok_semseg@224), or a domain: inputs
 * prefer the pixel input (rgb → rgb@224), then tok_<domain>@<image size>, then the sequence.
 */
export function officialCliModality(model: Pick<OfficialModel, 'fm'>, typed: string, as: 'in' | 'out'): CliModality & { readonly spec: OfficialModality } {
  const { table } = model.fm;
  const domain = ALIASES[typed.toLowerCase()] ?? typed.toLowerCase();
  // The model's working size: 448 for the SR model, whose `rgb` is the 448 picture (rgb@448 / tok_rgb@448).
  const size = officialWorkingSize(model.fm);
  const usable = (m: OfficialModality): boolean => (as === 'in' ? m.input : m.output);
  // tok_<domain>: the global modalities (dinov2_global → tok_dinov2_global) have no size in their name.
  const candidates = [typed, ...(as === 'in' ? [`${domain}@${size}`] : []), `tok_${domain}@${size}`, domain, `tok_${domain}`];
  const spec = candidates.map((n) => table.find((m) => m.name === n && usable(m))).find((m) => m !== undefined);
  if (!spec) {
    const names = table.filter(usable).map((m) => m.name).join(', ');
    throw new UsageError(`--${as} ${typed}: the model has no ${as === 'in' ? 'input' : 'output'} "${typed}" (its ${as === 'in' ? 'inputs' : 'outputs'}: ${names})`);
  }
  const type = spec.kind === 'sequence' || spec.kind === 'sequence-embedding' ? 'seq' : 'img';
  return { alias: typed, name: spec.name, domain: spec.name.replace(/^tok_/, '').replace(/@\d+$/, ''), type, spec };
}

type Log = (line: string) => void;

/**
 * A sequence input as 4M's text: boxes (det) and palettes (color_palette) may come as the same JSON
 * files the bundled models take, serialized the official way (1000 coordinate bins; box labels
 * must be the model's class names); image controls (metadata) as `name=value` pairs or a JSON
 * object of them (what `--out metadata=` writes, under "values"), binned as the editor bins them;
 * anything else is taken as written. The text is then checked as the host checks the editor's.
 */
async function officialSequenceInput(model: OfficialModel, name: string, value: string, flag: string): Promise<string> {
  const text = await sequenceText(model, name, value, flag);
  if (model.text) checkOfficialSequenceInput(model.text, name, text, model.fm.modality(name).positions, flag);
  return text;
}

async function sequenceText(model: OfficialModel, name: string, value: string, flag: string): Promise<string> {
  const json = value.toLowerCase().endsWith('.json');
  if (name === 'metadata') {
    if (!json) return metadataFromArg(value, flag);
    const read = await readJson(value);
    const values = (read as { values?: unknown } | null)?.values ?? read;
    if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new UsageError(`${value}: expected a JSON object of image controls ({"brightness": 128, "aesthetic_score": "high"}) or {"values": {…}}`);
    return metadataFromValues(values as Record<string, unknown>, `${flag} (${value})`);
  }
  if (!json) return value;
  if (name === 'det') {
    const boxes = await readBoxes(value);
    if (model.text) checkOfficialDetLabels(boxes, officialDetClasses(model.text), value);
    return serializeDet(boxes, { coordBins: OFFICIAL_COORD_BINS });
  }
  if (name === 'color_palette') return serializeColorPalette(await readPalette(value), { coordBins: OFFICIAL_COORD_BINS });
  return value;
}

/**
 * --in sam_instance=<masks.png|masks.json>: the instance masks (./sam-instances.ts) cropped and
 * tokenized by the SAM-instance tokenizer folder into the sam_instance text, then checked as any
 * sequence input (its length: 24 tokens or so per object).
 */
async function samInstanceInput(model: OfficialModel, dir: string, file: string, flag: string, note: Log): Promise<string> {
  const where = `${flag}=${file}`;
  if (!model.samInstance) throw new UsageError(`${where}: reading masks needs the SAM-instance tokenizer folder (EPFL-VILAB/4M_tokenizers_sam-instance_1k_64) at ${join(dir, OFFICIAL_TOKENIZERS_DIR, 'sam-instance_1k_64')}; or give the sam_instance text itself`);
  if (!model.text) throw new UsageError(`${where}: SAM instances are text to the model; it needs 4M's WordPiece file at ${join(dir, OFFICIAL_TEXT_FILE)}`);
  const read = samOutputKind(file) === 'json' ? samMasksFromJson(await readJson(file), file) : samMasksFromPicture(await readImage(file), file);
  read.notes.forEach(note);
  let encoded;
  try {
    encoded = await encodeSamInstances(model.samInstance, read.masks);
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
  checkOfficialSequenceInput(model.text, 'sam_instance', encoded.text, model.fm.modality('sam_instance').positions, where);
  note(`read ${encoded.instances.length} SAM instance${encoded.instances.length === 1 ? '' : 's'} from ${file} (${encoded.points.length} query point${encoded.points.length === 1 ? '' : 's'})`);
  return encoded.text;
}

/**
 * A picture reference --in (dinov2_global=…, imagebind_global=…): a JSON file of its 16 token ids
 * (what --out writes: {"tokens": […]}, or a bare list), checked naming the file; or a picture, whose
 * tokens the FM reads first (fitted as --in rgb is; engine/generate/official-reference.ts).
 */
async function referenceInput(model: OfficialModel, name: string, value: string, fit: FitMode, seed: number, note: Log): Promise<Int32Array> {
  const spec = model.fm.modality(name);
  if (value.toLowerCase().endsWith('.json')) {
    const read = await readJson(value);
    const ids = Array.isArray(read) ? read : (read as { tokens?: unknown } | null)?.tokens;
    const problem = referenceTokensProblem(ids, spec.positions, spec.vocabSize);
    if (problem) throw new UsageError(`${value}: not a ${name} reference: ${problem}`);
    return Int32Array.from(ids as number[]);
  }
  const size = officialWorkingSize(model.fm);
  const picture = fitToGrid(await readImage(value), size, size, fit, 'linear');
  const t0 = performance.now();
  const tokens = await readPictureReference(model, name, picture, seed);
  note(`read ${name} from ${value} with the FM (${describeImageSampling(REFERENCE_SAMPLING)}) in ${Math.round(performance.now() - t0)} ms: ${tokens.length} tokens`);
  return tokens;
}

/** A picture reference --out: 4M's retrieval recipe (REFERENCE_SAMPLING), with any sampling flag given. */
function referenceTarget(name: string, o: SamplingOverrides): TargetRequest {
  const given = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<ImageSampling>;
  return { modality: name, ...REFERENCE_SAMPLING, ...given };
}

/** `upscaleDir`: an official super-resolution model folder (--upscale) for the picture outputs. */
export async function runOfficialCommand(dir: string, cmd: Exclude<Command, { kind: 'help' }>, log: Log, upscaleDir?: string): Promise<void> {
  if (cmd.kind !== 'generate') throw new UsageError(`${cmd.kind}: ${dir} is an official 4M model folder; only \`4m generate\` runs on it so far`);
  const model = await loadOfficialModel(dir);
  let sr: OfficialModel | undefined;
  try {
    if (upscaleDir !== undefined) sr = await loadOfficialModel(upscaleDir);
    const images = new Map<string, RgbaImage>();
    const inputs: Record<string, GenerationInput> = {};
    const given: CliModality[] = [];
    for (const [alias, value] of cmd.inputs) {
      const m = officialCliModality(model, alias, 'in');
      if (inputs[m.name]) throw new UsageError(`--in ${alias}: given twice`);
      given.push(m);
      if (isReferenceModality(m.name)) {
        inputs[m.name] = { kind: 'image-tokens', tokens: Array.from(await referenceInput(model, m.name, value, cmd.fit, cmd.seed, cmd.quiet ? () => {} : (line) => process.stderr.write(`${line}\n`))) };
      } else if (m.spec.kind === 'image-pixels') {
        const size = (m.spec.grid as readonly [number, number])[0] * m.spec.patchSize;
        const ref = `file:${isAbsolute(value) ? value : resolve(value)}`;
        images.set(ref, fitToGrid(await readImage(value), size, size, cmd.fit, 'linear'));
        inputs[m.name] = { kind: 'image-pixels', ref };
      } else if (m.name === 'sam_instance' && samOutputKind(value) !== 'text') {
        inputs[m.name] = { kind: 'text', text: await samInstanceInput(model, dir, value, `--in ${alias}`, cmd.quiet ? () => {} : (line) => process.stderr.write(`${line}\n`)) };
      } else if (m.type === 'seq') {
        inputs[m.name] = { kind: 'text', text: await officialSequenceInput(model, m.name, value, `--in ${alias}`) };
      } else {
        // A painted map: a segmentation in the palette the decoded PNGs use, depth as grey (white = near),
        // normals RGB-encoded, edges white on black. The engine encodes it, or says why not.
        const ref = `file:${isAbsolute(value) ? value : resolve(value)}`;
        images.set(ref, await readImage(value));
        inputs[m.name] = { kind: 'image-pixels', ref };
      }
    }
    const outs = cmd.outputs.map(([alias, file]) => {
      const m = officialCliModality(model, alias, 'out');
      if (inputs[m.name] && cmd.mask === undefined) throw new UsageError(`--out ${alias}: is also an --in (${m.type === 'img' ? 'give --mask <png> to regenerate part of it' : 'a text layer is either given or generated; drop one of the two'})`);
      if (m.type === 'img' && !isReferenceModality(m.name)) checkImageOutput(file);
      if (m.name === 'sam_instance' && samOutputKind(file) !== 'text') {
        // Masks need the tokenizer and the words; say so before the run, not after it.
        if (!model.samInstance) throw new UsageError(`--out ${alias}=${file}: decoding SAM instances into masks needs the SAM-instance tokenizer folder (EPFL-VILAB/4M_tokenizers_sam-instance_1k_64) at ${join(dir, OFFICIAL_TOKENIZERS_DIR, 'sam-instance_1k_64')}; or write the text (--out ${alias}=masks.txt)`);
        if (!model.text) throw new UsageError(`--out ${alias}=${file}: reading SAM instances needs 4M's WordPiece file at ${join(dir, OFFICIAL_TEXT_FILE)}`);
        if (samOutputKind(file) === 'picture') checkImageOutput(file);
      }
      return { m, file };
    });
    const regions = cmd.mask === undefined ? [] : await officialRegions(cmd.mask, cmd.fit, outs.map(({ m }) => m), given, inputs, images);
    const pictures = outs.filter(({ m }) => m.type === 'img' && !isReferenceModality(m.name)).map(({ m }) => m.name);
    // Before the 224 run: every picture output must be one the SR model can upscale and decode.
    if (sr) {
      if (pictures.length === 0) throw new UsageError(`--upscale: no picture --out to upscale (only ${outs.map(({ m }) => m.alias).join(', ')})`);
      upscaleTargets(sr, pictures);
    }
    const fromRgb = given.some((m) => m.domain === 'rgb');
    const source = pictureSourceOf(given.map((m) => m.domain));
    const draft: GenerationRequest = {
      version: 1,
      modelId: `official:${dir}`.slice(0, 256),
      seed: cmd.seed,
      inputs,
      targets: outs.map(({ m }) => (isReferenceModality(m.name) ? referenceTarget(m.name, cmd.sampling) : defaultTarget(m, fromRgb, cmd.sampling, source))),
      cfgGrowConditioning: true,
      ...(cmd.independent ? { independentTargets: true } : {}),
    };
    const checked = validateGenerationRequest(draft);
    if (!checked.ok) throw new UsageError(`request: ${checked.errors[0]}`);
    const t0 = performance.now();
    const options = {
      resolvePixels: async (ref: string) => {
        const img = images.get(ref);
        if (!img) throw new Error(`unknown image ref ${ref}`);
        return img;
      },
      onStep: cmd.quiet ? undefined : (e: { target: string; step: number; totalSteps: number }) => process.stderr.write(`\r${e.target} step ${e.step}/${e.totalSteps}   `),
      decode: {
        steps: cmd.decodeSteps,
        ...(cmd.quiet ? {} : { onDecodeStep: (modality: string, step: number, total: number) => process.stderr.write(`\r${modality} decoding ${step}/${total}   `) }),
      },
    };
    // With --upscale the 224 pictures are not decoded: only their tokens go on to the SR model.
    const res = await generateOfficial(model, checked.request, sr ? { ...options, skipDecode: pictures } : options);
    if (!cmd.quiet) process.stderr.write('\n');
    log(`generated ${outs.map(({ m }) => m.name).join(', ')} in ${Math.round(performance.now() - t0)} ms (seed ${res.seed}, official model ${dir}, ${model.fm.provider.provider})`);
    const outputs = { ...res.outputs };
    if (sr) {
      const t1 = performance.now();
      const pixels = Object.fromEntries(Object.entries(inputs).flatMap(([name, input]) => (input.kind === 'image-pixels' ? [[name, input.ref]] : [])));
      const up = await upscaleOfficial(sr, { seed: res.seed, states: res.states, pixels }, pictures, options);
      if (!cmd.quiet) process.stderr.write('\n');
      for (const [from, out] of Object.entries(up.outputs)) outputs[from] = out;
      log(`upscaled ${up.request.targets.map((t) => t.modality).join(', ')} in ${Math.round(performance.now() - t1)} ms (seed ${up.seed}, super-resolution model ${sr.dir})`);
    }
    for (const { m, file } of outs) {
      const out = outputs[m.name];
      if (!out) continue;
      // Depth is written as grey (white = near), the picture --in depth= reads back.
      const region = regions.find((r) => r.name === m.name);
      if (out.image && region) await writeImage(file, keptOutside(region, layerImage(out.image), images));
      else if (out.image) await writeImage(file, layerImage(out.image));
      else if (out.samInstances && samOutputKind(file) === 'picture') await writeImage(file, out.samInstances.rgba);
      else if (out.samInstances && samOutputKind(file) === 'json') await writeText(file, JSON.stringify(samInstancesJson(out.samInstances, out.text ?? ''), null, 2));
      else if (out.boxes) await writeText(file, JSON.stringify({ text: out.text, boxes: out.boxes.boxes, dropped: out.boxes.dropped }, null, 2));
      else if (out.palette) await writeText(file, JSON.stringify({ text: out.text, colors: out.palette.colors, dropped: out.palette.dropped }, null, 2));
      else if (m.name === 'metadata' && out.text !== undefined) await writeText(file, JSON.stringify(readableMetadata(out.text), null, 2));
      else if (isReferenceModality(m.name)) await writeText(file, `${JSON.stringify({ modality: m.name, tokens: Array.from(out.tokens) })}\n`);
      else await writeText(file, out.text ?? Array.from(out.tokens).join(' '));
      log(`${m.alias} → ${file}`);
    }
  } finally {
    await Promise.all([model.release(), sr?.release()]);
  }
}

/** A layer regenerated in part (--mask): its FM token modality, the grid, what is kept and the input picture. */
interface Region {
  readonly name: string;
  readonly cols: number;
  readonly rows: number;
  readonly keep: (0 | 1)[];
  readonly ref: string;
  readonly classMap: boolean;
}

/**
 * --mask: every picture --out that is also an --in (by layer: `--in rgb` is the FM's rgb@224 picture,
 * `--out rgb` its tok_rgb@224) goes in as that token modality with a keepMask, as the editor's region
 * tool sends it; the whole picture no longer goes in (the region would show through). The mask is
 * fitted to the picture as the picture was (--fit).
 */
async function officialRegions(
  maskFile: string,
  fit: FitMode,
  outs: readonly (CliModality & { readonly spec: OfficialModality })[],
  given: readonly CliModality[],
  inputs: Record<string, GenerationInput>,
  images: Map<string, RgbaImage>,
): Promise<Region[]> {
  const regions: Region[] = [];
  for (const m of outs) {
    if (m.type !== 'img') continue;
    const from = given.find((g) => g.type === 'img' && g.domain.replace(/@\d+$/, '') === m.domain);
    const input = from ? inputs[from.name] : undefined;
    if (!from || input?.kind !== 'image-pixels') continue;
    const grid = m.spec.grid as readonly [number, number];
    const size = grid[0] * m.spec.patchSize;
    const classMap = m.domain === 'semseg';
    const picture = images.get(input.ref) as RgbaImage;
    images.set(input.ref, fitToGrid(picture, size, size, fit, classMap ? 'nearest' : 'linear'));
    const mask = fitToGrid(await readImage(maskFile), size, size, fit, 'nearest');
    const keep = keepMaskFromPicture(mask, grid[1], grid[0]);
    if (!keep.includes(0)) throw new UsageError(`--mask ${maskFile}: nothing is white, so nothing would be regenerated (white = regenerate, black = keep)`);
    delete inputs[from.name];
    inputs[m.name] = { kind: 'image-pixels', ref: input.ref, keepMask: keep };
    regions.push({ name: m.name, cols: grid[1], rows: grid[0], keep, ref: input.ref, classMap });
  }
  if (regions.length === 0) throw new UsageError('--mask: no picture --out is also an --in; give the picture to regenerate part of both ways, e.g. --in rgb=pic.png --mask mask.png --out rgb=out.png');
  return regions;
}

/** The result with the input picture outside the region (an upscaled 448 px result is written as it came). */
function keptOutside(region: Region, result: RgbaImage, images: ReadonlyMap<string, RgbaImage>): RgbaImage {
  const original = images.get(region.ref);
  if (!original || original.width !== result.width || original.height !== result.height) return result;
  return pasteOutsideRegion(original, result, region.keep, region.cols, region.rows, region.classMap);
}
