/**
 * The model-package manifest (format "4m-studio.model/1"), validated with zod
 * so a bad package fails with the field that is wrong. Pure data: this module
 * is shared by the engine and by main (which lists installed models).
 */
import { z } from 'zod';
import { LicenseInfo } from './license';

export const MANIFEST_FORMAT = '4m-studio.model/1';

const RelPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), 'expected a relative path inside the package');
const Rgb = z.tuple([z.number().int().min(0).max(255), z.number().int().min(0).max(255), z.number().int().min(0).max(255)]);

/**
 * A diffusion tokenizer decoder (4M's DiVAE): the package's `decoder` graph maps token ids to the
 * condition `quant` [1, D, h, w]; the `denoiser` graph is one step, (x_t [B, C, H, W], t [B] float,
 * quant) → the network's estimate (x0, ε or v by `prediction`, same shape as x_t); the engine runs the
 * sampling loop. The result is in [−1, 1] and maps to pixels as (x + 1) / 2.
 */
export const DiffusionDecoder = z.object({
  denoiser: RelPath,
  channels: z.number().int().min(1).max(4),
  scheduler: z.enum(['ddpm', 'ddim']),
  steps: z.number().int().min(1).max(1000),
  /** Fewer DDIM steps for progress previews (the final output always uses `steps`). */
  previewSteps: z.number().int().min(1).max(1000).optional(),
  prediction: z.enum(['sample', 'epsilon', 'v_prediction']),
  clipSample: z.number().positive().nullable(),
  schedule: z.object({
    numTrainTimesteps: z.number().int().min(2).max(100_000),
    betaSchedule: z.enum(['linear', 'scaled_linear', 'squaredcos_cap_v2']),
    betaStart: z.number().positive(),
    betaEnd: z.number().positive(),
    zeroTerminalSnr: z.boolean(),
  }),
});
export type DiffusionDecoderSpec = z.infer<typeof DiffusionDecoder>;

export const ImageModality = z.object({
  name: z.string().min(1),
  /** What the artist reads ("Surface normals" for "tok_normal@128"); older packages lack it and the app names the domain. */
  displayName: z.string().min(1).max(60).optional(),
  type: z.literal('img'),
  domain: z.enum(['rgb', 'depth', 'normal', 'semseg', 'edge']),
  vocabSize: z.number().int().min(2),
  grid: z.tuple([z.number().int().min(1).max(256), z.number().int().min(1).max(256)]),
  tokenizer: z.object({
    encoder: RelPath,
    decoder: RelPath,
    encoderInput: z.string(),
    decoderOutput: z.string(),
    diffusion: DiffusionDecoder.optional(),
    /** FSQ tokenizers: levels per code dimension (their product is vocabSize; the first varies fastest in an id). */
    fsqLevels: z.array(z.number().int().min(2).max(65_536)).min(1).max(16).optional(),
  }),
});

export const SequenceModality = z.object({
  name: z.string().min(1),
  /** What the artist reads ("Surface normals" for "tok_normal@128"); older packages lack it and the app names the domain. */
  displayName: z.string().min(1).max(60).optional(),
  type: z.literal('seq'),
  domain: z.string().min(1),
  vocabSize: z.number().int().min(2),
  maxLength: z.number().int().min(2),
});

export const ModalitySpec = z.discriminatedUnion('type', [ImageModality, SequenceModality]);

export const ModelManifest = z.object({
  format: z.literal(MANIFEST_FORMAT),
  id: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'expected letters, digits, dot, dash or underscore'),
  displayName: z.string().min(1),
  description: z.string(),
  /** Bounded like the editor's layout (preload/contract/model-layout.ts): a package cannot ask for a canvas no machine can allocate. */
  imageSize: z.number().int().min(16).max(4096),
  trainingSteps: z.number().int().min(0),
  /** How the weights were trained, in one line (steps × batch, hardware, time), for reports. */
  training: z.object({ summary: z.string() }).optional(),
  fm: z.object({
    dim: z.number().int().min(8),
    encoderDepth: z.number().int().min(1),
    decoderDepth: z.number().int().min(1),
    numHeads: z.number().int().min(1),
    encoder: RelPath,
    decoder: RelPath,
    heads: z.record(z.string(), RelPath),
    embeddings: RelPath,
    /**
     * Where the position tables come from. "sincos-float32" (the default, as the official code
     * does): a stored table that is 4M's fixed sin-cos table is recomputed in float32 at load, so
     * float16 storage costs nothing. "stored": use the file's values as they are, for a package
     * whose weights were trained against float16-rounded tables.
     */
    positionTables: z.enum(['sincos-float32', 'stored']).optional(),
    /**
     * Optional incremental decoder for autoregressive targets (packages exported
     * before it existed lack it; the engine then recomputes the full decoder).
     * contextKv: context → per-layer cross-attention K/V; step: new query rows +
     * self-attention past K/V → hidden rows + present K/V.
     */
    decoderCache: z.object({ contextKv: RelPath, step: RelPath }).optional(),
  }),
  modalities: z.array(ModalitySpec).min(1),
  text: z.object({ tokenizer: RelPath, coordBins: z.number().int().min(2) }),
  classes: z.array(z.object({ id: z.number().int().min(0), name: z.string().min(1), color: Rgb })),
  /** Shown by the model manager; a non-commercial licence must be accepted before the package is installed. */
  license: LicenseInfo.optional(),
  parity: z.unknown().optional(),
  files: z.record(RelPath, z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'), bytes: z.number().int().min(0) })),
});

export type ModelManifest = z.infer<typeof ModelManifest>;
export type ModalitySpec = z.infer<typeof ModalitySpec>;
export type ImageModalitySpec = z.infer<typeof ImageModality>;
export type SequenceModalitySpec = z.infer<typeof SequenceModality>;
export type ImageDomain = ImageModalitySpec['domain'];

/** Cross-field rules zod's shape cannot say: every referenced file is listed, every head has a modality. */
export function manifestConsistencyErrors(m: ModelManifest): string[] {
  const errors: string[] = [];
  const names = new Set(m.modalities.map((x) => x.name));
  const referenced: [string, string][] = [
    ['fm.encoder', m.fm.encoder],
    ['fm.decoder', m.fm.decoder],
    ['fm.embeddings', m.fm.embeddings],
    ...(m.fm.decoderCache
      ? ([
          ['fm.decoderCache.contextKv', m.fm.decoderCache.contextKv],
          ['fm.decoderCache.step', m.fm.decoderCache.step],
        ] as [string, string][])
      : []),
    ['text.tokenizer', m.text.tokenizer],
  ];
  for (const [mod, file] of Object.entries(m.fm.heads)) {
    if (!names.has(mod)) errors.push(`fm.heads.${mod}: no modality named "${mod}"`);
    referenced.push([`fm.heads.${mod}`, file]);
  }
  m.modalities.forEach((x, i) => {
    if (!(x.name in m.fm.heads)) errors.push(`modalities.${i}.name: "${x.name}" has no entry in fm.heads`);
    if (x.type === 'img') {
      referenced.push([`modalities.${i}.tokenizer.encoder`, x.tokenizer.encoder], [`modalities.${i}.tokenizer.decoder`, x.tokenizer.decoder]);
      const levels = x.tokenizer.fsqLevels;
      if (levels && levels.reduce((a, l) => a * l, 1) !== x.vocabSize) errors.push(`modalities.${i}.tokenizer.fsqLevels: [${levels.join(', ')}] make ${levels.reduce((a, l) => a * l, 1)} codes, vocabSize is ${x.vocabSize}`);
      const d = x.tokenizer.diffusion;
      if (d) {
        referenced.push([`modalities.${i}.tokenizer.diffusion.denoiser`, d.denoiser]);
        if (x.domain === 'depth' || x.domain === 'semseg') errors.push(`modalities.${i}.tokenizer.diffusion: diffusion decoding of ${x.domain} is not supported`);
      }
    }
  });
  for (const [field, file] of referenced) {
    if (!(file in m.files)) errors.push(`${field}: "${file}" is not listed in files`);
  }
  if (new Set(m.modalities.map((x) => x.name)).size !== m.modalities.length) errors.push('modalities: duplicate names');
  return errors;
}
