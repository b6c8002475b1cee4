/**
 * Command-line parsing (node:util parseArgs) into validated commands. Every
 * problem becomes a UsageError naming the option and what was expected.
 */
import { parseArgs } from 'node:util';
import { MAX_NEIGHBOUR_AGREEMENT } from '../../preload/contract/generation';
import { DEFAULT_MODEL_ID } from '../registry/folders';
import type { FitMode } from '../tokenizers/image';
import type { SamplingOverrides } from './domains';
import { UsageError } from './errors';
import { MODELS_USAGE } from './models-command';

export const USAGE = `usage:
  4m generate [--model <id|dir>] --in <modality>=<file|text> … --out <modality>=<file> … [--mask <png>] [options]
          (--mask: regenerate only the white part of a picture layer given as both --in and --out, e.g.
          --in rgb=pic.png --mask mask.png --out rgb=out.png; the rest is kept, as the editor's region tool;
          with 4M's super-resolution model as --model it works at 448 px: --model <SR folder|id>
          --in rgb=big.png --mask m.png --out rgb=out.png regenerates the white tokens of tok_rgb@448)
  4m predict <image> --to depth,normals,semseg,edges,caption,boxes,palette --out-dir <dir> [--model <id|dir>] [options]
          (each layer from the picture alone; generate chains its outputs, each conditioning the next)
  4m eval --scenes <dir> [--model <id|dir>] [--n N] [--out <file>] [--judge <dir>] [--record]   (held-out evaluation; default
          --out <model dir>/EVAL.md, picture grids in eval/ beside it; --n N: the first N scenes, for a quick run;
          --record also writes the verdict on the quality targets to the package's manifest.json; the picture rows
          use the app's default sampling unless --scheme/--steps/--temp/--temp-schedule/--token-schedule/--cfg/--top-p
          override it, for a sweep)
${MODELS_USAGE}
--model: a model id (looked up in $STUDIO_MODELS_PATH, the user's models folder, then the bundled
         models; default ${DEFAULT_MODEL_ID}) or a package folder, or an official 4M model folder
         (fm/ + tokenizers/<layer>/ as Hugging Face ships them; generate only: rgb, caption, boxes,
         palette, metadata or a painted semseg, depth, normals or edges → semseg, rgb, depth, normals,
         edges, caption, boxes, palette, metadata;
         4M-21's image controls as --in metadata="brightness=128 aesthetic=high people=2" (the editor's
         names and units) or a JSON of them, what --out metadata=<file.json> writes; picture references
         as --in dinov2_global=<picture|tokens.json> (the FM reads a picture's 16 tokens first), likewise
         imagebind_global, and --out dinov2_global=<tokens.json>; 4M-21's SAM instances as
         --out sam_instance=<masks.png|masks.json|text> with tokenizers/sam-instance_1k_64/, and --in the same files)
options: --steps N  --temp T  --cfg S  --top-p P  --scheme roar|maskgit  --temp-schedule constant|linear
         --token-schedule cosine|linear  --seed N  --fit crop|stretch|pad  --quiet
         --token-choice sample|expected-code (image outputs: expected-code puts each token at the model's
           expected code: deterministic, faithful and smooth, for repairs; the default samples)
         --smoothing S (sampled image outputs of FSQ tokenizers: how strongly each token agrees with
           its already drawn neighbours, 0 = the model alone, up to ${MAX_NEIGHBOUR_AGREEMENT}; default: as the editor)
         --independent (generate: each --out from the --in alone, not chained; predict always is)
         --decode-steps N (generate on an official model: denoising steps of its RGB/depth/normal/edge
         diffusion decoders; default 50, as 4M's demo)
         --upscale <dir|id> (generate on an official model: upscale every picture --out ×2 to 448 px with
         4M's super-resolution model, an official model folder such as 4M-7-SR_L_CC12M with fm/ and
         tokenizers/<layer>/; MaskGIT 8 cosine steps, guidance 2, seed + 1, as 4M's demo)`;

export interface CommonOptions {
  readonly model: string;
  readonly seed: number;
  readonly fit: FitMode;
  readonly sampling: SamplingOverrides;
  readonly quiet: boolean;
}

export type Command =
  | { readonly kind: 'help' }
  | ({
      readonly kind: 'generate';
      readonly inputs: [string, string][];
      readonly outputs: [string, string][];
      /** Each output from the inputs alone instead of a chain. */
      readonly independent: boolean;
      /** Official models' diffusion (DiVAE) layers: denoising steps (undefined: the decoder's default). */
      readonly decodeSteps?: number | undefined;
      /** Official models: a super-resolution model (folder or id) that upscales the picture outputs to 448 px. */
      readonly upscale?: string | undefined;
      /** A mask picture (white = regenerate): masked regeneration of the --out layers that are also --in. */
      readonly mask?: string | undefined;
    } & CommonOptions)
  | ({ readonly kind: 'predict'; readonly image: string; readonly targets: string[]; readonly outDir: string } & CommonOptions)
  | EvalCommand;

/** Held-out evaluation: `out` undefined means <model dir>/EVAL.md; `n` undefined means every scene of the set. */
export interface EvalCommand {
  readonly kind: 'eval';
  readonly model: string;
  readonly scenes: string;
  readonly n: number | undefined;
  readonly out: string | undefined;
  /** The judge's folder (judge.onnx + judge.json); undefined means models/eval/judge. */
  readonly judge: string | undefined;
  readonly quiet: boolean;
  /** Write manifest.evaluation (per-metric verdicts) into the evaluated package. */
  readonly record: boolean;
  /** A sweep's overrides of the picture rows' default sampling (empty: the app's defaults). */
  readonly sampling: SamplingOverrides;
}

export function parseCommand(argv: readonly string[]): Command {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // "--steps -1": node reads -1 as the next option and says only "argument is ambiguous" on the line we print.
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message);
    if (ambiguous) throw new UsageError(`${ambiguous[1]}: a value starting with "-" must be written ${ambiguous[1]}=<value> (e.g. ${ambiguous[1]}=-1)`);
    throw new UsageError(message.split('\n')[0] ?? 'bad arguments');
  }
  const { values: v, positionals } = parsed;
  const [verb, ...rest] = positionals;
  if (v.help || verb === undefined || verb === 'help') return { kind: 'help' };
  const common: CommonOptions = {
    model: v.model ?? DEFAULT_MODEL_ID,
    seed: int('--seed', v.seed, 0, Number.MAX_SAFE_INTEGER) ?? 0,
    fit: oneOf('--fit', v.fit, ['crop', 'stretch', 'pad'] as const) ?? 'crop',
    quiet: v.quiet ?? false,
    sampling: {
      steps: int('--steps', v.steps, 1, 256),
      temperature: num('--temp', v.temp, 0, 100),
      cfgScale: num('--cfg', v.cfg, -100, 100),
      topP: num('--top-p', v['top-p'], 0, 1),
      scheme: oneOf('--scheme', v.scheme, ['roar', 'maskgit'] as const),
      temperatureSchedule: oneOf('--temp-schedule', v['temp-schedule'], ['constant', 'linear'] as const),
      tokenSchedule: oneOf('--token-schedule', v['token-schedule'], ['cosine', 'linear'] as const),
      tokenChoice: oneOf('--token-choice', v['token-choice'], ['sample', 'expected-code'] as const),
      neighbourAgreement: num('--smoothing', v.smoothing, 0, MAX_NEIGHBOUR_AGREEMENT),
    },
  };
  if (verb === 'generate') {
    if (rest.length > 0) throw new UsageError(`generate: unexpected argument "${rest[0]}"`);
    const inputs = pairs('--in', v.in ?? []);
    const outputs = pairs('--out', v.out ?? []);
    if (outputs.length === 0) throw new UsageError('generate: give at least one --out <modality>=<file>');
    const decodeSteps = int('--decode-steps', v['decode-steps'], 1, 1000);
    if (v.upscale !== undefined && v.upscale.trim() === '') throw new UsageError('--upscale: give the super-resolution model folder or id');
    if (v.mask !== undefined && v.mask.trim() === '') throw new UsageError('--mask: give a mask picture (white = regenerate, black = keep)');
    return {
      kind: 'generate', inputs, outputs, independent: v.independent ?? false,
      ...(decodeSteps !== undefined ? { decodeSteps } : {}), ...(v.upscale !== undefined ? { upscale: v.upscale } : {}), ...(v.mask !== undefined ? { mask: v.mask } : {}), ...common,
    };
  }
  if (verb === 'predict') {
    const [image, extra] = rest;
    if (image === undefined) throw new UsageError('predict: give the input image, e.g. 4m predict photo.png --to depth --out-dir out/');
    if (extra !== undefined) throw new UsageError(`predict: unexpected argument "${extra}"`);
    if (!v.to) throw new UsageError('predict: --to <modality,…> is required');
    if (!v['out-dir']) throw new UsageError('predict: --out-dir <dir> is required');
    const targets = v.to.split(',').map((s) => s.trim()).filter(Boolean);
    if (targets.length === 0) throw new UsageError('predict: --to lists no modality');
    return { kind: 'predict', image, targets, outDir: v['out-dir'], ...common };
  }
  if (verb === 'eval') {
    if (rest.length > 0) throw new UsageError(`eval: unexpected argument "${rest[0]}"`);
    if (!v.scenes) throw new UsageError('eval: --scenes <dir> is required (a held-out set from fourm_recipe.export.heldout_fixture)');
    if ((v.out?.length ?? 0) > 1) throw new UsageError('eval: give --out once (the report file)');
    return { kind: 'eval', model: common.model, scenes: v.scenes, n: int('--n', v.n, 1, 100_000), out: v.out?.[0], judge: v.judge, quiet: common.quiet, record: v.record ?? false, sampling: definedOnly(common.sampling) };
  }
  throw new UsageError(`unknown command "${verb}" (expected generate, predict, eval or models)`);
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      model: { type: 'string' },
      in: { type: 'string', multiple: true },
      out: { type: 'string', multiple: true },
      to: { type: 'string' },
      'out-dir': { type: 'string' },
      scenes: { type: 'string' },
      judge: { type: 'string' },
      n: { type: 'string' },
      steps: { type: 'string' },
      temp: { type: 'string' },
      cfg: { type: 'string' },
      'top-p': { type: 'string' },
      'temp-schedule': { type: 'string' },
      'token-schedule': { type: 'string' },
      'token-choice': { type: 'string' },
      smoothing: { type: 'string' },
      scheme: { type: 'string' },
      seed: { type: 'string' },
      fit: { type: 'string' },
      quiet: { type: 'boolean' },
      record: { type: 'boolean' },
      independent: { type: 'boolean' },
      'decode-steps': { type: 'string' },
      upscale: { type: 'string' },
      mask: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** The options that were given (an override object without undefined fields). */
function definedOnly(o: SamplingOverrides): SamplingOverrides {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as SamplingOverrides;
}

function pairs(flag: string, values: string[]): [string, string][] {
  return values.map((s) => {
    const eq = s.indexOf('=');
    if (eq <= 0 || eq === s.length - 1) throw new UsageError(`${flag} "${s}": expected <modality>=<value>`);
    return [s.slice(0, eq), s.slice(eq + 1)];
  });
}

function num(flag: string, s: string | undefined, lo: number, hi: number): number | undefined {
  if (s === undefined) return undefined;
  const v = Number(s);
  if (s.trim() === '' || !Number.isFinite(v) || v < lo || v > hi) throw new UsageError(`${flag} "${s}": expected a number in ${lo}…${hi}`);
  return v;
}

function int(flag: string, s: string | undefined, lo: number, hi: number): number | undefined {
  const v = num(flag, s, lo, hi);
  if (v !== undefined && !Number.isInteger(v)) throw new UsageError(`${flag} "${s}": expected a whole number`);
  return v;
}

function oneOf<T extends string>(flag: string, s: string | undefined, allowed: readonly T[]): T | undefined {
  if (s === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(s)) throw new UsageError(`${flag} "${s}": expected one of ${allowed.join(', ')}`);
  return s as T;
}
