/**
 * An official 4M model as the user has it on disk: the FM checkpoint folder and the tokenizer
 * checkpoint folders exactly as the Hugging Face repos ship them (`config.json` + `model.safetensors`),
 * gathered in one folder:
 *
 *     <model>/
 *       fm/                  EPFL-VILAB/4M-21_B (or any official FM)
 *       tokenizers/semseg/   EPFL-VILAB/4M_tokenizers_semseg_4k_224-448 (one folder per decoded layer)
 *       tokenizers/sam-instance_1k_64/   EPFL-VILAB/4M_tokenizers_sam-instance_1k_64 (optional: decodes
 *                            4M-21's sam_instance sequences into masks; also accepted as sam_instance/)
 *       text_tokenizer_4m_wordpiece_30k.json   (optional: 4M's WordPiece file, for caption inputs)
 *
 * A tokenizer folder is named after the FM modality it serves (`tok_semseg@224`) or its domain
 * (`semseg`, meaning tok_semseg@<the FM's image size>), and is checked against that modality
 * (vocabulary = codebook, grid = the tokenizer's). Every problem is an OfficialModelError naming
 * the file or folder and what is wrong.
 *
 * `generateOfficial` runs a GenerationRequest on it with the engine's sampler: RGB pictures go in
 * through the FM's pixel input (rgb@224), captions through the WordPiece file, painted image layers
 * through their tokenizer's encoder (segmentation, depth, normals, edges), and image-token
 * targets come out decoded by their tokenizer (semantic segmentation: class map + colours; RGB,
 * depth, normals and edges: the DiVAE's diffusion decoder, vq/official-divae.ts); the global
 * embeddings (tok_dinov2_global, tok_imagebind_global: picture references) come out as tokens only.
 */
import { access, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { GenerationRequest } from '../../../preload/contract/generation';
import {
  emptyImageTarget,
  emptySequenceTarget,
  fullImageInput,
  fullSequenceInput,
  inpaintImageTarget,
  maxTokensFromRequest,
  runChain,
  variationSeed,
  type ModalityState,
  type StepEvent,
} from '../../sampling';
import { classMapFromRgba, fitToGrid, type DecodedImage } from '../../tokenizers/image';
import { WordPieceTokenizer } from '../../tokenizers/text';
import { openOfficialFm, OFFICIAL_TEXT_IDS, type OfficialFm } from '../fm/official-fm';
import type { ParsedColorPalette, ParsedDet } from '../../tokenizers/sequence';
import { readOfficialSequence, type OfficialSequenceOutput } from './official-sequence';
import { OfficialCheckpointError, type OfficialModality } from '../fm/official-modalities';
import { normalizeRgb } from '../fm/pixel-input';
import type { RuntimeOptions } from '../runtime';
import { decodeOfficialDivae, isDivaeConfig, openOfficialDivae, type DivaeDecodeOptions, type OfficialDivae } from '../vq/official-divae';
import { divaeDomainOf, divaeInputFromPicture, PaintedPictureError, type DivaeDomain } from '../vq/official-divae-image';
import { checkTokenizerFits, decodeOfficialSemseg, officialSemsegPalette, openOfficialVqvae, type OfficialVqvae } from '../vq/official-vqvae';
import { decodeSamInstances, openOfficialSamInstanceTokenizer, type DecodedSamInstances } from '../vq/official-sam-instance';
import { openCheckpoint } from '../fm/checkpoint';
import { checkpointIn } from '../fm/official-fm';
import { OFFICIAL_FM_DIR, OFFICIAL_TEXT_FILE, OFFICIAL_TOKENIZERS_DIR } from '../../registry/official-folder';
import { planRequest, RequestError, type PixelResolver } from './request-state';
import { coarsePictures, coarsePixels, coarseRef, withCoarsePictures } from './official-coarse-picture';
import { readTextFile } from '../../registry/read-text';
import { isReferenceModality } from '../../../preload/contract/reference';

export { isOfficialModelFolder, OFFICIAL_FM_DIR, OFFICIAL_TEXT_FILE, OFFICIAL_TOKENIZERS_DIR } from '../../registry/official-folder';

export class OfficialModelError extends Error {
  override name = 'OfficialModelError';
}

const isDir = (p: string): Promise<boolean> => stat(p).then((s) => s.isDirectory(), () => false);
const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);


/** A tokenizer folder opened by what its config describes: a VQ-VAE or a DiVAE (diffusion decoder). */
export type OfficialTokenizer = OfficialVqvae | OfficialDivae;

export interface OfficialModel {
  readonly dir: string;
  readonly fm: OfficialFm;
  /** Tokenizers by the FM modality they decode. */
  readonly tokenizers: ReadonlyMap<string, OfficialTokenizer>;
  /** 4M's WordPiece tokenizer, when the folder has the file. */
  readonly text: WordPieceTokenizer | undefined;
  /** The SAM-instance mask tokenizer (tokenizers/sam-instance_1k_64/): decodes sam_instance sequences into masks, and encodes masks given as one. */
  readonly samInstance?: OfficialVqvae;
  release(): Promise<void>;
}

/** Tokenizer folder names that mean the SAM-instance mask tokenizer (the hub name, its tail, the modality). */
export const SAM_INSTANCE_FOLDER = /^(4M_tokenizers_)?sam[-_]instance(_1k_64)?$/i;

/**
 * The FM modality a tokenizer folder name stands for: its exact name, else tok_<folder>@<image size>
 * when the FM predicts it, else the one tok_<folder>@<N> the FM predicts (a super-resolution model
 * reads tok_rgb@224 and predicts tok_rgb@448: its tokenizers/rgb/ decodes at 448), else
 * tok_<folder>@<image size> (refused later as not an output).
 */
export function modalityOfTokenizerFolder(fm: Pick<OfficialFm, 'table' | 'config'>, folder: string): OfficialModality | undefined {
  const size = fm.config.image_size ?? 224;
  const exact = fm.table.find((m) => m.name === folder);
  if (exact) return exact;
  const atSize = fm.table.find((m) => m.name === `tok_${folder}@${size}`);
  if (atSize?.output) return atSize;
  const predicted = fm.table.filter((m) => m.output && m.kind === 'image-tokens' && m.name.startsWith(`tok_${folder}@`) && /^\d+$/.test(m.name.slice(`tok_${folder}@`.length)));
  return predicted.length === 1 ? predicted[0] : atSize;
}

export async function loadOfficialModel(dir: string, options: RuntimeOptions = {}): Promise<OfficialModel> {
  const fmDir = join(dir, OFFICIAL_FM_DIR);
  if (!(await isDir(fmDir))) throw new OfficialModelError(`${dir}: not an official model folder (no ${OFFICIAL_FM_DIR}/ folder with the FM's config.json + model.safetensors)`);
  const opened: { release(): Promise<void> }[] = [];
  try {
    const fm = await openOfficialFm(fmDir, options);
    opened.push(fm);
    const tokenizers = new Map<string, OfficialTokenizer>();
    const tokDir = join(dir, OFFICIAL_TOKENIZERS_DIR);
    const names = (await isDir(tokDir)) ? (await readdir(tokDir, { withFileTypes: true })).filter((e) => (e.isDirectory() || e.isSymbolicLink()) && !e.name.startsWith('.')).map((e) => e.name).sort() : [];
    let samInstance: OfficialVqvae | undefined;
    for (const name of names) {
      const folder = join(tokDir, name);
      if (SAM_INSTANCE_FOLDER.test(name)) {
        if (!fm.table.some((m) => m.name === 'sam_instance' && (m.output || m.input))) throw new OfficialModelError(`${folder}: a SAM-instance tokenizer, but the FM (${fm.configSource} domains_in / domains_out) has no sam_instance input or output`);
        if (samInstance) throw new OfficialModelError(`${folder}: a second SAM-instance tokenizer folder; keep one`);
        samInstance = await openOfficialSamInstanceTokenizer(folder, options);
        opened.push(samInstance);
        continue;
      }
      const modality = modalityOfTokenizerFolder(fm, name);
      if (!modality) {
        const size = fm.config.image_size ?? 224;
        const known = fm.table.filter((m) => m.kind === 'image-tokens' && m.output).map((m) => m.name).join(', ');
        throw new OfficialModelError(`${folder}: the FM (${fm.configSource}) has no modality "${name}" or "tok_${name}@${size}" to decode (its image-token outputs: ${known})`);
      }
      if (!modality.output) throw new OfficialModelError(`${folder}: "${modality.name}" is not an output of the FM (${fm.configSource} domains_out)`);
      const grid = modality.grid as readonly [number, number];
      const tok = await openOfficialTokenizer(folder, modality, { ...options, imageSize: grid[0] * modality.patchSize });
      opened.push(tok);
      checkTokenizerFits(modality, tok);
      tokenizers.set(modality.name, tok);
    }
    let text: WordPieceTokenizer | undefined;
    const textFile = join(dir, OFFICIAL_TEXT_FILE);
    if (await exists(textFile)) {
      let raw: unknown;
      try {
        raw = JSON.parse(await readTextFile(textFile));
      } catch (error) {
        throw new OfficialModelError(`${textFile}: not a JSON tokenizer file (${error instanceof Error ? error.message : String(error)})`);
      }
      text = WordPieceTokenizer.fromJson(raw, textFile);
      checkTextIds(text, textFile);
    }
    return {
      dir, fm, tokenizers, text, ...(samInstance ? { samInstance } : {}),
      async release() {
        await Promise.all(opened.map((o) => o.release()));
      },
    };
  } catch (error) {
    await Promise.allSettled(opened.map((o) => o.release()));
    if (error instanceof OfficialCheckpointError) throw new OfficialModelError(error.message);
    throw error;
  }
}

/** Opens a tokenizer folder as a DiVAE or a VQ-VAE, as its config says; DiVAEs only for picture domains. */
async function openOfficialTokenizer(folder: string, modality: OfficialModality, options: RuntimeOptions & { imageSize: number }): Promise<OfficialTokenizer> {
  const info = await openCheckpoint(await checkpointIn(folder));
  if (!info.config || !isDivaeConfig(info.config)) return openOfficialVqvae(folder, options);
  if (!divaeDomainOf(modality.name)) throw new OfficialModelError(`${folder}: a diffusion (DiVAE) tokenizer for "${modality.name}"; DiVAE decoding is implemented for rgb, depth, normal and edge layers`);
  return openOfficialDivae(folder, options);
}

/** The official models' ids for [PAD], [EOS] and the sentinels must be the file's. */
function checkTextIds(text: WordPieceTokenizer, file: string): void {
  const id = (token: string): number | undefined => text.tokenToId(token);
  const wrong = [['[PAD]', OFFICIAL_TEXT_IDS.pad], ['[EOS]', OFFICIAL_TEXT_IDS.eos], ['[S_0]', OFFICIAL_TEXT_IDS.sentinels[0]]].find(([t, want]) => id(t as string) !== want);
  if (wrong) throw new OfficialModelError(`${file}: "${wrong[0]}" has id ${id(wrong[0] as string) ?? 'none'}; the official models use ${wrong[1]} (not 4M's WordPiece vocabulary)`);
}

export interface OfficialOutput {
  readonly modality: string;
  readonly tokens: Int32Array;
  readonly image?: DecodedImage;
  /** Sequence outputs in words (needs the WordPiece file); det also as boxes, color_palette as colours. */
  readonly text?: string;
  readonly boxes?: ParsedDet;
  readonly palette?: ParsedColorPalette;
  /** sam_instance decoded into masks (needs the WordPiece file and the SAM-instance tokenizer folder). */
  readonly samInstances?: DecodedSamInstances;
}

export interface OfficialGenerateOptions {
  readonly resolvePixels?: PixelResolver;
  readonly signal?: AbortSignal;
  readonly onStep?: (event: StepEvent) => void;
  /**
   * DiVAE layers (RGB, depth, normals, edges): denoising steps with the file's scheduler (default 50,
   * the demo's), or `previewSteps` for a quick DDIM decode (progress previews); `onDecodeStep`
   * reports each denoising step.
   */
  readonly decode?: Pick<DivaeDecodeOptions, 'steps' | 'previewSteps'> & {
    readonly onDecodeStep?: (modality: string, step: number, total: number) => void;
  };
  /** Image targets returned as tokens only, not decoded (an upscale step decodes its own result). */
  readonly skipDecode?: readonly string[];
}

/**
 * A painted layer → the FM's tokens, through its tokenizer's encoder. A segmentation's colours are
 * read as the official palette's classes (the colours the editor paints and the decoder draws),
 * nearest colour per pixel, scaled to the tokenizer's size without blending; RGB (what masked
 * regeneration keeps outside the mask), depth, normals and edges go through their DiVAE's encoder in
 * 4M's pixel conventions (vq/official-divae-image.ts).
 */
async function paintedTokens(model: OfficialModel, m: OfficialModality, ref: string, resolvePixels?: PixelResolver): Promise<Int32Array> {
  const tok = model.tokenizers.get(m.name);
  const where = `inputs.${m.name}`;
  const domain = divaeDomainOf(m.name);
  const encodes = tok?.kind === 'divae' ? domain !== undefined : tok?.layout.labels !== undefined;
  if (!tok || !encodes) {
    const why = tok ? 'its tokenizer cannot encode a picture (segmentation, depth, normals, edges and RGB can be painted)' : `it has no tokenizer folder to encode it (${join(model.dir, OFFICIAL_TOKENIZERS_DIR)})`;
    throw new RequestError(`${where}: a painted ${m.name} cannot go in: ${why}; generate it instead, or give a picture as RGB`);
  }
  if (!resolvePixels) throw new RequestError(`${where}: image-pixels "${ref}" but no pixel resolver was given`);
  const img = await resolvePixels(ref);
  const size = tok.imageSize;
  let tokens: Int32Array;
  if (tok.kind === 'divae') {
    let pixels: Float32Array;
    try {
      pixels = divaeInputFromPicture(domain as DivaeDomain, img, { channels: tok.channels, size, grid: tok.grid[0], where });
    } catch (error) {
      if (error instanceof PaintedPictureError) throw new RequestError(error.message);
      throw error;
    }
    tokens = await tok.tokenize(pixels);
  } else {
    const fitted = img.width === size && img.height === size ? img : fitToGrid(img, size, size, 'crop', 'nearest');
    tokens = await tok.tokenize(classMapFromRgba(fitted, officialSemsegPalette(tok.layout.labels)));
  }
  if (tokens.length !== m.positions) throw new RequestError(`${where}: the tokenizer ${tok.file} gave ${tokens.length} tokens, the model takes ${m.positions}`);
  return tokens;
}

/**
 * A token input that is also a target with a keepMask (masked regeneration, 4M's token-level
 * inpainting): the kept tokens are visible inputs, the others are to be generated.
 */
function regionTarget(m: OfficialModality, tokens: ArrayLike<number>, keepMask: readonly number[]): ModalityState {
  const where = `inputs.${m.name}.keepMask`;
  if (m.kind !== 'image-tokens') throw new RequestError(`${where}: only picture layers can be regenerated in part (${m.name} is ${m.kind})`);
  if (keepMask.length !== m.positions) throw new RequestError(`${where}: ${keepMask.length} entries, the model's ${(m.grid as readonly number[]).join('×')} grid has ${m.positions} tokens`);
  if (!keepMask.includes(0)) throw new RequestError(`${where}: keeps every token; nothing to regenerate`);
  return inpaintImageTarget(tokens, keepMask);
}

/** A pixel input whose patches are visible only where `keepMask` is 1 (never a target). */
function partialPictureInput(m: OfficialModality, cells: Int32Array, keepMask: readonly number[]): ModalityState {
  if (keepMask.length !== cells.length) throw new RequestError(`inputs.${m.name}.keepMask: ${keepMask.length} entries, the picture has ${cells.length} patches`);
  const s = fullImageInput(cells);
  keepMask.forEach((k, i) => (s.inputMask[i] = k === 0 ? 1 : 0));
  return s;
}

/**
 * The request with the pixel inputs it leaves out but gives a larger picture of (rgb@224 from the
 * 448 picture on the SR model, official-coarse-picture.ts), and a resolver that makes them.
 */
function addCoarsePictures(table: readonly OfficialModality[], request: GenerationRequest, resolvePixels?: PixelResolver): { request: GenerationRequest; resolvePixels?: PixelResolver } {
  const pictures = resolvePixels ? coarsePictures(table, request) : [];
  if (!resolvePixels || pictures.length === 0) return { request, resolvePixels };
  const byRef = new Map(pictures.map((c) => [coarseRef(c), c]));
  return {
    request: withCoarsePictures(request, pictures),
    async resolvePixels(ref) {
      const c = byRef.get(ref);
      if (!c) return resolvePixels(ref);
      const img = await resolvePixels(c.ref);
      const fitted = img.width === c.sourceSize && img.height === c.sourceSize ? img : fitToGrid(img, c.sourceSize, c.sourceSize, 'crop', 'linear');
      return coarsePixels(fitted, c);
    },
  };
}

/** Inputs → initial state; every problem is a RequestError naming the input. */
async function initialOfficialState(model: OfficialModel, request: GenerationRequest, resolvePixels?: PixelResolver): Promise<Record<string, ModalityState>> {
  const { fm } = model;
  const state: Record<string, ModalityState> = {};
  const targets = new Set(request.targets.map((t) => t.modality));
  const spec = (name: string, where: string): OfficialModality => {
    const m = fm.table.find((x) => x.name === name);
    if (!m) throw new RequestError(`${where}: the model has no modality "${name}" (it has ${fm.table.map((x) => x.name).join(', ')})`);
    return m;
  };
  for (const [name, input] of Object.entries(request.inputs)) {
    const m = spec(name, `inputs.${name}`);
    if (!m.input) throw new RequestError(`inputs.${name}: not an input of this model (${fm.configSource} domains_in)`);
    if (m.kind === 'image-pixels') {
      if (input.kind !== 'image-pixels') throw new RequestError(`inputs.${name}: a pixel input takes a picture (image-pixels), not ${input.kind}`);
      if (!resolvePixels) throw new RequestError(`inputs.${name}: image-pixels "${input.ref}" but no pixel resolver was given`);
      const size = (m.grid as readonly [number, number])[0] * m.patchSize;
      const img = await resolvePixels(input.ref);
      const fitted = img.width === size && img.height === size ? img : fitToGrid(img, size, size, 'crop', 'linear');
      const cells = fm.setPicture(name, normalizeRgb(fitted, size));
      // A picture shown in part (the 224 condition of a region regenerated at 448): only its kept patches are visible.
      state[name] = input.keepMask && !targets.has(name) ? partialPictureInput(m, cells, input.keepMask) : fullImageInput(cells);
    } else if (m.kind === 'image-tokens') {
      let tokens: ArrayLike<number>;
      if (input.kind === 'image-pixels') tokens = await paintedTokens(model, m, input.ref, resolvePixels);
      else if (input.kind === 'image-tokens') {
        if (input.tokens.length !== m.positions || input.tokens.some((v) => v >= m.vocabSize)) throw new RequestError(`inputs.${name}.tokens: expected ${m.positions} ids below ${m.vocabSize}`);
        tokens = input.tokens;
      } else throw new RequestError(`inputs.${name}: an image-token modality takes token ids or a painted picture, not ${input.kind}`);
      state[name] = targets.has(name) && input.keepMask ? regionTarget(m, tokens, input.keepMask) : fullImageInput(tokens);
    } else if (m.kind === 'sequence') {
      let ids: Int32Array;
      if (input.kind === 'text') {
        if (!model.text) throw new RequestError(`inputs.${name}: text needs 4M's WordPiece file; put ${OFFICIAL_TEXT_FILE} into ${model.dir}`);
        ids = model.text.encode(input.text);
      } else if (input.kind === 'sequence-tokens') ids = Int32Array.from(input.tokens);
      else throw new RequestError(`inputs.${name}: a ${input.kind} input for a sequence modality`);
      const s = fullSequenceInput(ids, fm.vocab);
      if (s.tokens.length > m.positions) throw new RequestError(`inputs.${name}: ${s.tokens.length} tokens with [EOS], the model takes at most ${m.positions}`);
      state[name] = s;
    } else {
      throw new RequestError(`inputs.${name}: ${m.kind} inputs (T5 vectors) are not fed by the engine yet`);
    }
  }
  for (const t of request.targets) {
    const m = spec(t.modality, 'targets');
    if (!m.output) throw new RequestError(`targets: ${t.modality} is not an output of this model (${fm.configSource} domains_out)`);
    // A global embedding (picture reference) has no decoder: its tokens are the result.
    if (m.kind === 'image-tokens' && !model.tokenizers.has(m.name) && !isReferenceModality(m.name)) {
      const domain = m.name.replace(/^tok_/, '').replace(/@\d+$/, '');
      throw new RequestError(`targets: ${m.name} has no tokenizer to decode it; put its tokenizer folder (config.json + model.safetensors) at ${join(model.dir, OFFICIAL_TOKENIZERS_DIR, domain)}`);
    }
    const given = state[t.modality];
    if (given) {
      // Masked regeneration keeps its region target; a whole input cannot also be generated.
      if (!given.targetMask.includes(0)) throw new RequestError(`targets: ${t.modality} is also an input; give its keepMask (the tokens to keep) to regenerate the rest`);
      continue;
    }
    state[t.modality] = m.kind === 'image-tokens' ? emptyImageTarget(m.positions) : emptySequenceTarget(m.positions, fm.vocab);
  }
  return state;
}

/** Runs a request on an official model; image targets come back decoded by their tokenizers. */
export interface OfficialResult {
  readonly seed: number;
  readonly outputs: Record<string, OfficialOutput>;
  /** Every modality's final tokens (inputs and targets). */
  readonly tokens: Record<string, Int32Array>;
  /** Every modality's final state (what an upscale step reads: official-upscale.ts). */
  readonly states: Record<string, ModalityState>;
}

export async function generateOfficial(model: OfficialModel, given: GenerationRequest, options: OfficialGenerateOptions = {}): Promise<OfficialResult> {
  const { fm } = model;
  const { request, resolvePixels } = addCoarsePictures(fm.table, given, options.resolvePixels);
  const state = await initialOfficialState(model, request, resolvePixels);
  const plan = planRequest(request, state);
  const seed = variationSeed(request, 0);
  const maxTokens = maxTokensFromRequest(request);
  for (const t of request.targets) if (maxTokens[t.modality] === undefined && fm.modality(t.modality).kind === 'sequence') maxTokens[t.modality] = fm.modality(t.modality).maxTokens;
  fm.runner.clearEncoderCache();
  try {
    const final = await runChain(state, plan, {
      model: fm.runner, seed, vocab: fm.vocab, maxTokens, signal: options.signal, onStep: options.onStep, independentTargets: request.independentTargets ?? false,
    });
    const outputs: Record<string, OfficialOutput> = {};
    for (const t of request.targets) {
      const m = final[t.modality];
      if (!m) continue;
      const tok = model.tokenizers.get(t.modality);
      if (tok && options.skipDecode?.includes(t.modality)) {
        outputs[t.modality] = { modality: t.modality, tokens: m.tokens.slice() };
      } else if (tok?.kind === 'divae') {
        const domain = divaeDomainOf(t.modality);
        if (!domain) throw new OfficialModelError(`${tok.file}: no picture domain for ${t.modality}`);
        const onDecodeStep = options.decode?.onDecodeStep;
        const image = await decodeOfficialDivae(tok, domain, m.tokens, {
          // Noise seeded from the tokens (the default), as the engine's own diffusion decoder: same tokens, same picture.
          steps: options.decode?.steps, previewSteps: options.decode?.previewSteps, signal: options.signal,
          onStep: onDecodeStep ? (step, total) => onDecodeStep(t.modality, step, total) : undefined,
        });
        outputs[t.modality] = { modality: t.modality, tokens: m.tokens.slice(), image };
      } else if (tok) {
        if (tok.layout.labels === undefined) throw new OfficialModelError(`${tok.file}: decoding ${t.modality} to a picture is implemented for semantic segmentation and the DiVAE layers only`);
        outputs[t.modality] = { modality: t.modality, tokens: m.tokens.slice(), image: await decodeOfficialSemseg(tok, m.tokens) };
      } else if (fm.modality(t.modality).kind === 'image-tokens') {
        // Tokens only (a picture reference: nothing decodes Memcodes here).
        outputs[t.modality] = { modality: t.modality, tokens: m.tokens.slice() };
      } else {
        const ids: number[] = [];
        for (let i = 0; i < m.tokens.length && m.inputMask[i] === 0 && m.tokens[i] !== fm.vocab.eos; i++) ids.push(m.tokens[i] as number);
        const words: Partial<OfficialSequenceOutput> = model.text ? readOfficialSequence(model.text, t.modality, ids) : {};
        const masks = t.modality === 'sam_instance' && model.samInstance && words.text !== undefined ? { samInstances: await decodeSamInstances(model.samInstance, words.text) } : {};
        outputs[t.modality] = { modality: t.modality, tokens: Int32Array.from(ids), ...words, ...masks };
      }
    }
    const tokens: Record<string, Int32Array> = {};
    for (const [name, m] of Object.entries(final)) tokens[name] = m.tokens.slice();
    return { seed, outputs, tokens, states: final };
  } finally {
    fm.runner.clearEncoderCache();
  }
}
