/**
 * The official 4M modality table (reference §2.1, restated from what 4M's MODALITY_INFO defines):
 * for every modality name an official checkpoint's config may list, what the FM embeds for it.
 * `officialModalityTable` turns a checkpoint config (domains_in / domains_out, image_size,
 * patch_size) into the engine's per-modality layout, and `checkOfficialTensors` holds the
 * checkpoint's tensors against it, so a wrong or unexpected file fails naming the file and the
 * field or tensor at fault instead of producing garbage.
 */
import { REFERENCE_VOCAB } from '../../../preload/contract/reference';
import type { FmCheckpointConfig } from '../../registry/checkpoint-config';
import type { SafetensorsHeader } from './safetensors';

/**
 * - `image-tokens`: VQ token grid (tok_*), token table + position table per grid cell;
 * - `image-pixels`: rgb@N, a linear patch projection of pixels (encoder only);
 * - `sequence`: WordPiece ids (caption, det, …), 1-D position table;
 * - `sequence-embedding`: t5_caption, projected T5-XXL vectors (encoder only).
 */
export type OfficialKind = 'image-tokens' | 'image-pixels' | 'sequence' | 'sequence-embedding';

interface KnownModality {
  readonly kind: OfficialKind;
  readonly vocabSize?: number;
  /** Images: the side the modality is tokenized at (else the config's image_size). */
  readonly inputSize?: number;
  /** Images: pixels per token side (else the config's patch_size). */
  readonly patchSize?: number;
  /** Sequences: rows of the position table the model uses (max_length). */
  readonly maxLength?: number;
  /** Sequences: cap on generated tokens (max_tokens), when it differs from maxLength. */
  readonly maxTokens?: number;
  /** Learned (not sin-cos) position table. */
  readonly learnedPositions?: boolean;
  /** Pixels: channels per pixel; sequence embeddings: vector width. */
  readonly width?: number;
}

const TEXT = 30_000;
const tok = (vocabSize: number, inputSize: number, patchSize = 16): KnownModality => ({ kind: 'image-tokens', vocabSize, inputSize, patchSize });
const seq = (maxLength: number, maxTokens = maxLength): KnownModality => ({ kind: 'sequence', vocabSize: TEXT, maxLength, maxTokens });
/**
 * The global embeddings (picture references): no input size of their own, the config's image_size
 * over a 56-pixel patch (4 × 4 = 16 tokens). Their vocabulary is the contract's, which the editor
 * and the project reader check ids against without this table (the renderer cannot import the engine).
 */
const GLOBAL: KnownModality = { kind: 'image-tokens', vocabSize: REFERENCE_VOCAB, patchSize: 56, learnedPositions: true };

/** Every FM modality of the released 4M-7, 4M-21 and 4M-7-SR models. */
export const OFFICIAL_MODALITIES: Readonly<Record<string, KnownModality>> = {
  'rgb@224': { kind: 'image-pixels', inputSize: 224, patchSize: 16, width: 3 },
  'rgb@448': { kind: 'image-pixels', inputSize: 448, patchSize: 16, width: 3 },
  'tok_rgb@224': tok(16_384, 224),
  'tok_depth@224': tok(8192, 224),
  'tok_normal@224': tok(8192, 224),
  'tok_semseg@224': tok(4096, 224),
  'tok_clip@224': tok(8192, 224),
  'tok_canny_edge@224': tok(8192, 224),
  'tok_sam_edge@224': tok(8192, 224),
  'tok_dinov2@224': tok(8192, 224, 14),
  'tok_imagebind@224': tok(8192, 224, 14),
  tok_dinov2_global: GLOBAL,
  tok_imagebind_global: GLOBAL,
  'tok_rgb@448': tok(16_384, 448),
  'tok_depth@448': tok(8192, 448),
  'tok_normal@448': tok(8192, 448),
  'tok_semseg@448': tok(4096, 448),
  'tok_clip@448': tok(8192, 448),
  caption: seq(256),
  det: seq(256),
  metadata: seq(40),
  human_poses: seq(263, 275),
  color_palette: seq(23),
  sam_instance: seq(290),
  t5_caption: { kind: 'sequence-embedding', maxLength: 77, width: 4096 },
};

export interface OfficialModality {
  readonly name: string;
  readonly kind: OfficialKind;
  /** Token vocabulary (image tokens, sequences); 0 for pixels and embeddings. */
  readonly vocabSize: number;
  /** Images: token grid [rows, cols]. */
  readonly grid: readonly [number, number] | undefined;
  /** Positions the model knows: grid cells, or a sequence's max_length. */
  readonly positions: number;
  /** Sequences: most tokens one generation may produce (4M's max_tokens). */
  readonly maxTokens: number;
  readonly learnedPositions: boolean;
  /** Images: pixels per token side; 0 for sequences. */
  readonly patchSize: number;
  /** Pixel channels or embedding width; 0 otherwise. */
  readonly width: number;
  /** Listed in domains_in: the encoder embeds it. */
  readonly input: boolean;
  /** Listed in domains_out: the decoder predicts it. */
  readonly output: boolean;
}

export class OfficialCheckpointError extends Error {
  override name = 'OfficialCheckpointError';
}

/**
 * The modality table of a checkpoint config, sorted by name as the official FM sorts it.
 * `source` names where the config came from (a config.json path or "<file> __metadata__").
 */
export function officialModalityTable(config: FmCheckpointConfig, source: string): OfficialModality[] {
  const fail = (field: string, message: string): never => {
    throw new OfficialCheckpointError(`${source}: ${field}: ${message}`);
  };
  const imageSize = config.image_size ?? 224;
  const patchSize = config.patch_size ?? 16;
  const inputs = new Set(config.domains_in);
  const outputs = new Set(config.domains_out);
  for (const [field, list] of [['domains_in', config.domains_in], ['domains_out', config.domains_out]] as const) {
    list.forEach((name, i) => {
      if (!Object.hasOwn(OFFICIAL_MODALITIES, name)) {
        fail(`${field}[${i}]`, `"${name}" is not a 4M modality (known: ${Object.keys(OFFICIAL_MODALITIES).join(', ')})`);
      }
      if (list.indexOf(name) !== i) fail(`${field}[${i}]`, `"${name}" is listed twice`);
    });
  }
  return [...new Set([...config.domains_in, ...config.domains_out])].sort().map((name) => {
    const k = OFFICIAL_MODALITIES[name] as KnownModality;
    const output = outputs.has(name);
    if (output && (k.kind === 'image-pixels' || k.kind === 'sequence-embedding')) {
      fail(`domains_out[${config.domains_out.indexOf(name)}]`, `"${name}" is an input-only modality (4M has no decoder for it)`);
    }
    let grid: [number, number] | undefined;
    let positions: number;
    let patchOf = 0;
    if (k.kind === 'image-tokens' || k.kind === 'image-pixels') {
      const size = k.inputSize ?? imageSize;
      const patch = k.patchSize ?? patchSize;
      if (size % patch !== 0) fail(k.inputSize === undefined ? 'image_size' : 'patch_size', `${name}: image side ${size} is not a multiple of its patch size ${patch}`);
      grid = [size / patch, size / patch];
      patchOf = patch;
      positions = grid[0] * grid[1];
    } else {
      positions = k.maxLength as number;
    }
    return {
      name,
      kind: k.kind,
      vocabSize: k.vocabSize ?? 0,
      grid,
      positions,
      maxTokens: k.maxTokens ?? positions,
      learnedPositions: k.learnedPositions ?? false,
      patchSize: patchOf,
      width: k.width ?? 0,
      input: inputs.has(name),
      output,
    };
  });
}

/**
 * Holds the checkpoint's embedding tensors against the table: every tensor the official FM would
 * have for these modalities is present with the official shape (dim = `dim`). Sequence position
 * tables may have more rows than the model uses (released files keep 512); `mod_emb` may be
 * stored once, under either side's name. Throws naming the file and every tensor at fault.
 */
export function checkOfficialTensors(header: SafetensorsHeader, table: readonly OfficialModality[], dim: number): void {
  const problems: string[] = [];
  const shapeOf = (key: string): readonly number[] | undefined => header.entries.get(key)?.shape;
  const expect = (key: string, want: readonly (number | '≥')[], rows?: number, alt?: string): void => {
    const found = header.entries.has(key) ? key : alt && header.entries.has(alt) ? alt : undefined;
    if (!found) {
      problems.push(`tensor "${key}" is missing${alt ? ` (and so is "${alt}")` : ''}`);
      return;
    }
    const s = shapeOf(found) as readonly number[];
    const ok = s.length === want.length && want.every((w, i) => (w === '≥' ? (s[i] as number) >= (rows as number) : s[i] === w));
    if (!ok) problems.push(`"${found}" has shape [${s.join(', ')}], expected [${want.map((w) => (w === '≥' ? `≥${rows}` : w)).join(', ')}]`);
  };
  for (const m of table) {
    const sides: ('encoder' | 'decoder')[] = [];
    if (m.input) sides.push('encoder');
    if (m.output) sides.push('decoder');
    for (const side of sides) {
      const p = `${side}_embeddings.${m.name}`;
      const other = `${side === 'encoder' ? 'decoder' : 'encoder'}_embeddings.${m.name}.mod_emb`;
      expect(`${p}.mod_emb`, [1, 1, dim], undefined, other);
      // Image tables are exactly one row per grid cell; sequence tables may be longer (sliced at use).
      if (m.kind === 'sequence' || m.kind === 'sequence-embedding') expect(`${p}.pos_emb`, [1, '≥', dim], m.positions);
      else expect(`${p}.pos_emb`, [1, m.positions, dim]);
      if (m.kind === 'image-pixels') expect(`${p}.proj.weight`, [dim, m.width * m.patchSize * m.patchSize]);
      else if (m.kind === 'sequence-embedding') expect(`${p}.emb_proj.weight`, [dim, m.width]);
      else if (side === 'encoder' || m.kind === 'sequence') expect(`${p}.token_emb.weight`, [m.vocabSize, dim]);
      if (side === 'decoder') expect(`${p}.to_logits.weight`, [m.vocabSize, dim]);
    }
  }
  if (problems.length > 0) {
    throw new OfficialCheckpointError(`${header.file}: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1, 4).join('; ')}${problems.length > 4 ? '; …' : ''})` : ''}`);
  }
}
