/**
 * 4M-21's `sam_instance` output → instance masks, through the official SAM-instance tokenizer
 * (`EPFL-VILAB/4M_tokenizers_sam-instance_1k_64`: a VQ-VAE on 64×64 binary masks, 4×4 tokens of
 * 1,024 codes, ViT decoder + two ConvNeXt blocks, one logit per pixel). The text is parsed by
 * tokenizers/sequence/sam-instance.ts, every instance's 16 tokens decoded here, and the masks
 * merged and placed by tokenizers/image/sam-instances.ts, as the official `decode_sam_instances`.
 */
import { parseSamInstances, type ParsedSamInstances } from '../../tokenizers/sequence/sam-instance';
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
