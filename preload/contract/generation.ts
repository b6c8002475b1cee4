import { z } from 'zod';
import { boundedRecord, inheritedKeyMessage, isInheritedKey } from './object-keys';

/**
 * GenerationRequest: everything that determines a generation result, as plain
 * JSON, so a result can be saved, replayed, queued and compared. The same
 * request, seed and backend give the same tokens. Imports only zod.
 */

export const GENERATION_REQUEST_VERSION = 1;

/**
 * Bounds that keep one request's work finite. More steps than a target has tokens reveal
 * nothing (an image target of the shipped model has 256 tokens; 4M's largest grids about
 * 1 000); variations all run at once, so their count multiplies memory.
 */
export const MAX_TARGET_STEPS = 1024;
/** Beyond this the neighbours' vote drowns the model (every region one flat code). */
export const MAX_NEIGHBOUR_AGREEMENT = 10;
export const MAX_VARIATIONS = 16;

const ModalityName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_@.-]+$/, 'expected a modality name such as tok_rgb@224')
  .refine((name) => !isInheritedKey(name), { error: (issue) => inheritedKeyMessage(issue.input) });
/** A key of `images` and the ref of an image-pixels input that points into it. */
export const PixelsRef = z
  .string()
  .min(1)
  .max(256)
  .refine((ref) => !isInheritedKey(ref), { error: (issue) => inheritedKeyMessage(issue.input) });
const TokenIds = z.array(z.number().int().min(0).max(0x7fffffff)).max(65_536);
/** 1 = keep this token as a visible input, 0 = regenerate it (token-grid order, row-major). */
const KeepMask = z.array(z.union([z.literal(0), z.literal(1)])).max(65_536);

/** An image-like modality given as tokens; with keepMask it can also be an inpainting target. */
export const ImageTokensInput = z.object({
  kind: z.literal('image-tokens'),
  tokens: TokenIds.min(1),
  keepMask: KeepMask.optional(),
});

/** Pixels to tokenize first; `ref` is content-addressed (e.g. "sha256:<hex>") so replays match. */
export const ImagePixelsInput = z.object({
  kind: z.literal('image-pixels'),
  ref: PixelsRef,
  keepMask: KeepMask.optional(),
});

/** Text for a sequence modality (caption, det, metadata…); sentinels like [S_1] mark spans to fill. */
export const TextInput = z.object({
  kind: z.literal('text'),
  text: z.string().max(10_000),
});

/** A sequence modality already tokenized. */
export const SequenceTokensInput = z.object({
  kind: z.literal('sequence-tokens'),
  tokens: TokenIds,
});

export const GenerationInput = z.discriminatedUnion('kind', [ImageTokensInput, ImagePixelsInput, TextInput, SequenceTokensInput]);
export type GenerationInput = z.infer<typeof GenerationInput>;

export const SamplingScheme = z.enum(['maskgit', 'roar', 'autoregressive']);
export const TokenScheduleName = z.enum(['cosine', 'linear']);
/** 'constant' | 'linear' | 'onex:<min>:<power>'. */
export const TemperatureScheduleName = z.union([
  z.literal('constant'),
  z.literal('linear'),
  z.templateLiteral(['onex:', z.number(), ':', z.number()]),
]);

export const TargetRequest = z.object({
  modality: ModalityName,
  scheme: SamplingScheme,
  /** Decoding steps (ignored for autoregressive). */
  steps: z.number().int().min(1).max(MAX_TARGET_STEPS),
  tokenSchedule: TokenScheduleName,
  temperature: z.number().min(0).max(100),
  temperatureSchedule: TemperatureScheduleName,
  cfgScale: z.number().min(-100).max(100),
  /** Multi-condition guidance: weight per condition modality (negative and weak weights allowed). */
  cfgConditionWeights: boundedRecord(ModalityName, z.number().min(-100).max(100)).optional(),
  /** 0 = off; integer >= 1 = count; (0, 1) = fraction of the vocabulary. */
  topK: z.number().min(0).refine((k) => k < 1 || Number.isInteger(k), 'expected 0, a fraction in (0, 1) or an integer count'),
  /** 0 = off. */
  topP: z.number().min(0).max(1),
  /** Length cap for autoregressive targets (the modality's max_tokens). */
  maxTokens: z.number().int().min(1).max(4096).optional(),
  /**
   * How image tokens are chosen: 'sample' (default: temperature, top-k, top-p) or 'expected-code'
   * (the token nearest the model's expected code; FSQ tokenizers only, deterministic: faithful,
   * smooth fills for repairs rather than variety).
   */
  tokenChoice: z.enum(['sample', 'expected-code']).optional(),
  /**
   * Neighbour agreement for sampled image tokens (FSQ tokenizers): how strongly each new token
   * favours the codes of its already visible neighbours (0 = off, the model alone;
   * models/core/neighbour-prior.ts). Less confetti, flatter regions as it grows.
   */
  neighbourAgreement: z.number().min(0).max(MAX_NEIGHBOUR_AGREEMENT).optional(),
});
export type TargetRequest = z.infer<typeof TargetRequest>;

export const GenerationRequest = z
  .object({
    version: z.literal(GENERATION_REQUEST_VERSION),
    modelId: z.string().min(1).max(256),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    inputs: boundedRecord(ModalityName, GenerationInput),
    /** Generated in this order; each result can condition the next. */
    targets: z.array(TargetRequest).min(1).max(64),
    /** After each image target, add it to the guidance conditions of later targets. */
    cfgGrowConditioning: z.boolean(),
    /** Also add autoregressive targets when growing (the reference never does). */
    arTargetsJoinConditioning: z.boolean().optional(),
    /**
     * Predict every target from the inputs alone: no target sees another (not even its
     * empty sentinel), so each result is the one a request for that target alone gives
     * with the same seed. What "predict every layer from this picture" means, and much
     * faster: targets share one encoding of the inputs. Default false, 4M's chain: each
     * result conditions the next targets.
     */
    independentTargets: z.boolean().optional(),
    /** Number of results; variation v uses seed + v. */
    variations: z.number().int().min(1).max(MAX_VARIATIONS).optional(),
  })
  .superRefine((req, ctx) => {
    const seen = new Set<string>();
    req.targets.forEach((t, i) => {
      if (seen.has(t.modality)) {
        ctx.addIssue({ code: 'custom', path: ['targets', i, 'modality'], message: `'${t.modality}' is already a target` });
      }
      seen.add(t.modality);
      const input = Object.hasOwn(req.inputs, t.modality) ? req.inputs[t.modality] : undefined;
      if (input && (input.kind === 'image-tokens' || input.kind === 'image-pixels') && !input.keepMask) {
        ctx.addIssue({
          code: 'custom',
          path: ['inputs', t.modality, 'keepMask'],
          message: 'an image input that is also a target needs a keepMask (which tokens to keep)',
        });
      }
      if (input?.kind === 'image-tokens' && input.keepMask && !input.keepMask.includes(0)) {
        ctx.addIssue({ code: 'custom', path: ['inputs', t.modality, 'keepMask'], message: 'keepMask keeps every token; nothing to regenerate' });
      }
      for (const cond of Object.keys(t.cfgConditionWeights ?? {})) {
        const earlier = req.targets.slice(0, i).some((p) => p.modality === cond);
        if (!Object.hasOwn(req.inputs, cond) && !earlier) {
          ctx.addIssue({
            code: 'custom',
            path: ['targets', i, 'cfgConditionWeights', cond],
            message: `'${cond}' is neither an input nor an earlier target`,
          });
        } else if (earlier && req.independentTargets) {
          ctx.addIssue({
            code: 'custom',
            path: ['targets', i, 'cfgConditionWeights', cond],
            message: `'${cond}' is an earlier target, which independent targets do not see`,
          });
        }
      }
    });
    for (const [name, input] of Object.entries(req.inputs)) {
      if (input.kind === 'image-tokens' && input.keepMask && input.keepMask.length !== input.tokens.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['inputs', name, 'keepMask'],
          message: `expected ${input.tokens.length} entries (one per token), got ${input.keepMask.length}`,
        });
      }
    }
  });
export type GenerationRequest = z.infer<typeof GenerationRequest>;

export type GenerationRequestValidation =
  | { readonly ok: true; readonly request: GenerationRequest }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Parses unknown JSON; each error reads "<field path>: <what was expected>". */
export function validateGenerationRequest(value: unknown): GenerationRequestValidation {
  const result = GenerationRequest.safeParse(value);
  if (result.success) return { ok: true, request: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(request)'}: ${issue.message}`),
  };
}
