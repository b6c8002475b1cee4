/**
 * 4M-21's `sam_instance` output → instance masks, through the official SAM-instance tokenizer
 * (`EPFL-VILAB/4M_tokenizers_sam-instance_1k_64`: a VQ-VAE on 64×64 binary masks, 4×4 tokens of
 * 1,024 codes, ViT decoder + two ConvNeXt blocks, one logit per pixel). The text is parsed by
 * tokenizers/sequence/sam-instance.ts, every instance's 16 tokens decoded here, and the masks
 * merged and placed by tokenizers/image/sam-instances.ts, as the official `decode_sam_instances`.
 *
 * And the other way (a condition): instance masks on the 224 px picture → box and 64×64 crop
 * (tokenizers/image/sam-encode.ts) → the tokenizer's ViT encoder and cosine codebook → 16 ids per
 * instance → the sam_instance text the FM reads, around query points that name every instance.
 */
import { parseSamInstances, serializeSamInstances, type ParsedSamInstances, type SamBox, type SamQueryPoint } from '../../tokenizers/sequence/sam-instance';
import { samMaskProblem, type SamMaskInput } from '../../../preload/contract/sam-painting';
import { cropSamMask, samOutline, samQueryPoints, SAM_CROP_SIDE } from '../../tokenizers/image/sam-encode';
import {
  byAreaDescending,
  mergeSamCandidates,
  paintSamRender,
  placeSamMask,
  renderSamInstances,
  type PlacedMask,
  type SamInstanceMask,
  type SamMaskCandidate,
  type SamRender,
} from '../../tokenizers/image/sam-instances';
import { OfficialCheckpointError } from '../fm/official-modalities';
import type { RuntimeOptions } from '../runtime';
import { openOfficialVqvae, type OfficialVqvae } from './official-vqvae';

/** The picture side the official decoder places boxes on (it refuses any other). */
export const SAM_PICTURE_SIDE = 224;

/** Opens a SAM-instance tokenizer folder (or file) and checks it is one: one channel, out_conv, 4×4 tokens. */
export async function openOfficialSamInstanceTokenizer(path: string, options: RuntimeOptions & { readonly rewriteGraphs?: boolean } = {}): Promise<OfficialVqvae> {
  // The mask side is the config's image_size (64); the graphs are written for it.
  const probe = await openOfficialVqvae(path, { ...options, imageSize: 64 });
  const c = probe.config;
  const why =
    !c.outConv ? 'out_conv is false (not the SAM-instance decoder)'
      : probe.layout.outChannels !== 1 ? `${probe.layout.outChannels} output channels, expected 1 mask logit per pixel`
        : c.imageSize !== 64 ? `image_size ${c.imageSize}, expected 64`
          : probe.grid[0] !== 4 || probe.grid[1] !== 4 ? `a ${probe.grid.join('×')} token grid, expected 4×4`
            : undefined;
  if (why) {
    await probe.release();
    throw new OfficialCheckpointError(`${probe.file}: not a SAM-instance tokenizer: ${why} (${probe.configSource})`);
  }
  return probe;
}

export interface DecodedSamInstances {
  readonly parsed: ParsedSamInstances;
  /** Instances after merging duplicates, in paint order (largest box first). */
  readonly instances: readonly SamInstanceMask[];
  /** Each instance's binary mask on the picture (undefined when its box lies outside). */
  readonly placed: readonly (PlacedMask | undefined)[];
  readonly render: SamRender;
  /** RGBA: instances in a seeded palette over transparency. */
  readonly rgba: { width: number; height: number; data: Uint8Array };
  /** Mask side of the tokenizer (64). */
  readonly maskSide: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Decodes sam_instance text (the model's merged output) into instance masks on the 224 px picture. */
export async function decodeSamInstances(tok: OfficialVqvae, text: string, options: { readonly paletteSeed?: number } = {}): Promise<DecodedSamInstances> {
  const parsed = parseSamInstances(text, { codebookSize: tok.codebookSize });
  const side = tok.imageSize;
  const candidates: SamMaskCandidate[] = [];
  for (const inst of byAreaDescending(parsed.instances)) {
    const out = await tok.decode(inst.tokens);
    if (out.data.length !== side * side) throw new OfficialCheckpointError(`${tok.file}: decoded ${out.data.length} values, expected ${side}×${side}`);
    candidates.push({ box: inst.box, probs: Float32Array.from(out.data, sigmoid) });
  }
  const instances = mergeSamCandidates(candidates);
  const S = SAM_PICTURE_SIDE;
  const render = renderSamInstances(instances, side, S, S);
  return {
    parsed,
    instances,
    placed: instances.map((m) => placeSamMask(m, side, S, S)),
    render,
    rgba: paintSamRender(render, options.paletteSeed ?? 0),
    maskSide: side,
  };
}

/** One instance as the FM reads it. */
export interface EncodedSamInstance {
  readonly box: SamBox;
  /** The 64×64 crop the tokenizer read (1 inside). */
  readonly crop: Uint8Array;
  /** Row-major 4×4 mask-VQ ids. */
  readonly tokens: number[];
}

export interface EncodedSamInstances {
  /** The sam_instance text (points, boxes, mask tokens) the FM reads. */
  readonly text: string;
  readonly instances: readonly EncodedSamInstance[];
  readonly points: readonly SamQueryPoint[];
}

/**
 * Instance masks on the 224 px picture → sam_instance text. Each mask is one instance of 4M's data:
 * one 8-connected part (split objects first: samInstancesFromObjects), its holes inside it.
 * `points`: query points to write the instances under (each lists every instance whose outline
 * contains it, as the data pipeline); by default samQueryPoints picks one per instance not yet
 * named. Errors name the instance (1-based).
 */
export async function encodeSamInstances(
  tok: OfficialVqvae, masks: readonly SamMaskInput[], options: { readonly points?: readonly { readonly y: number; readonly x: number }[] } = {},
): Promise<EncodedSamInstances> {
  const S = SAM_PICTURE_SIDE;
  if (tok.imageSize !== SAM_CROP_SIDE) throw new OfficialCheckpointError(`${tok.file}: masks of ${tok.imageSize} px, expected ${SAM_CROP_SIDE}`);
  masks.forEach((m, k) => {
    if (m.width !== S || m.height !== S) throw new RangeError(`instance ${k + 1}: a ${m.width}×${m.height} mask; instances are given on the ${S}×${S} picture`);
    const problem = samMaskProblem(m);
    if (problem) throw new RangeError(`instance ${k + 1}: ${problem}`);
  });
  const instances: EncodedSamInstance[] = [];
  for (const m of masks) {
    const { box, crop } = cropSamMask(m, SAM_CROP_SIDE);
    const ids = await tok.tokenize(Float32Array.from(crop));
    instances.push({ box, crop, tokens: Array.from(ids) });
  }
  const outlines = options.points ? masks.map(samOutline) : [];
  const chosen = options.points
    ? options.points.map((p) => {
      if (!Number.isInteger(p.x) || !Number.isInteger(p.y) || p.x < 0 || p.y < 0 || p.x >= S || p.y >= S) throw new RangeError(`query point (${p.x}, ${p.y}) is outside the ${S}×${S} picture`);
      return { ...p, members: outlines.flatMap((m, j) => (m.mask[p.y * S + p.x] ? [j] : [])) };
    })
    : samQueryPoints(masks);
  const points: SamQueryPoint[] = chosen.map((p) => ({ y: p.y, x: p.x, instances: p.members.map((j) => instances[j] as EncodedSamInstance) }));
  return { text: serializeSamInstances(points, { codebookSize: tok.codebookSize }), instances, points };
}
