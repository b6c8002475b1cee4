/**
 * Opens a folder holding an official 4M checkpoint (`model.safetensors`, config in its
 * `__metadata__` or in `config.json` beside it, as the Hugging Face releases ship) and runs it:
 * the config becomes the official modality table (official-modalities.ts), the tensors are held
 * against it, the weight-free FM graphs are written beside the file when missing (convert/), and
 * the embeddings are read from the checkpoint in place. The result is the engine's `FmRunner`,
 * so the sampler runs an official model exactly as it runs a package.
 *
 * Pixel inputs (`rgb@224`) are fed through their patch projection (pixel-input.ts): `setPicture`
 * projects a picture into the modality's table and returns the state tokens that show it.
 * Not yet fed by the engine: T5 vectors (`t5_caption`), which are in the table and checked only.
 */
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseFmConfig, type FmCheckpointConfig } from '../../registry/checkpoint-config';
import type { SequenceVocab } from '../../sampling';
import { writeFmGraphs } from '../convert/fm-decoder-graph';
import { GraphSession, type ProviderReport, type RuntimeOptions } from '../runtime';
import { openCheckpoint } from './checkpoint';
import { loadEmbeddings, type FmEmbeddings, type TableSpec } from './embeddings';
import { FmRunner } from './fm-runner';
import { loadPixelInputs, pixelCells, pixelTables, projectPatches, type PixelInput } from './pixel-input';
import { checkOfficialTensors, officialModalityTable, OfficialCheckpointError, type OfficialModality } from './official-modalities';

/**
 * Special ids of 4M's WordPiece vocabulary (text_tokenizer_4m_wordpiece_30k.json): [PAD] 0,
 * [EOS] 3, sentinels [S_0]…[S_199] at 4…203. Every released model shares this vocabulary.
 */
export const OFFICIAL_TEXT_IDS: SequenceVocab = { pad: 0, eos: 3, sentinels: Array.from({ length: 200 }, (_, k) => 4 + k) };

export interface OfficialFm {
  readonly file: string;
  /** The config.json path, or "<file> __metadata__". */
  readonly configSource: string;
  readonly config: FmCheckpointConfig;
  /** Every modality the config names, sorted (the official FM's order). */
  readonly table: readonly OfficialModality[];
  readonly embeddings: FmEmbeddings;
  readonly runner: FmRunner;
  readonly vocab: SequenceVocab;
  /** The execution provider the encoder and decoder opened on, and those skipped on the way. */
  readonly provider: ProviderReport;
  /** The pixel inputs the model reads (`rgb@224`…), by name. */
  readonly pixelInputs: ReadonlyMap<string, PixelInput>;
  /**
   * Makes `chw` (float32 [3, size, size], ImageNet-normalised: pixel-input.ts normalizeRgb) the
   * picture of pixel input `name` and returns the tokens of its fully visible state (cell indices).
   * One picture per pixel input at a time: a later call replaces it (and clears the encoder cache).
   */
  setPicture(name: string, chw: Float32Array): Int32Array;
  modality(name: string): OfficialModality;
  release(): Promise<void>;
}

export interface OpenOfficialOptions extends RuntimeOptions {
  /** Rewrite the graphs even when they exist (default: write only the missing ones). */
  readonly rewriteGraphs?: boolean;
  /**
   * Autoregressive targets on the incremental (KV-cached) decoder (default true). Its two graphs
   * open on the first sequence target, so image-only work never holds their copy of the decoder
   * weights; false recomputes the full decoder per token (comparisons, the bench's baseline).
   */
  readonly decoderCache?: boolean;
}

/** Config fields the engine's graphs implement one way only: anything else is refused by name. */
function checkArchitecture(config: FmCheckpointConfig, source: string): void {
  const c = config as Record<string, unknown>;
  const refuse = (field: string, why: string): never => {
    throw new OfficialCheckpointError(`${source}: ${field}: ${why}`);
  };
  if (c.act_layer !== undefined && c.act_layer !== 'SiLU') refuse('act_layer', `"${String(c.act_layer)}"; the engine implements the released models' SwiGLU (SiLU) MLP only`);
  if (c.gated_mlp === false) refuse('gated_mlp', 'false; the engine implements the gated (SwiGLU) MLP only');
  if (c.qk_norm === true) refuse('qk_norm', 'true; QK-norm attention is not implemented (no released model uses it)');
  if (typeof c.num_register_tokens === 'number' && c.num_register_tokens > 0) refuse('num_register_tokens', `${c.num_register_tokens}; register tokens are not implemented (no released model uses them)`);
  if (config.dim % config.num_heads !== 0) refuse('num_heads', `${config.num_heads} does not divide dim ${config.dim}`);
}

/** The checkpoint file a folder (or file path) names: model.safetensors, or its only .safetensors file. */
export async function checkpointIn(path: string): Promise<string> {
  if (path.endsWith('.safetensors')) return path;
  const names = (await readdir(path)).filter((n) => n.endsWith('.safetensors'));
  if (names.includes('model.safetensors')) return join(path, 'model.safetensors');
  if (names.length === 1) return join(path, names[0] as string);
  throw new OfficialCheckpointError(`${path}: ${names.length === 0 ? 'no .safetensors checkpoint' : `${names.length} .safetensors files and none is model.safetensors`}`);
}

const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false);

export async function openOfficialFm(path: string, options: OpenOfficialOptions = {}): Promise<OfficialFm> {
  const file = await checkpointIn(path);
  const info = await openCheckpoint(file);
  if (!info.config) throw new OfficialCheckpointError(`${file}: no model config (neither in the header's __metadata__ nor in a config.json beside it)`);
  const source = info.configSource === 'metadata' ? `${file} __metadata__` : (info.configSource as string);
  const parsed = parseFmConfig(info.config);
  if (!parsed.ok) throw new OfficialCheckpointError(`${source}: ${parsed.error}`);
  const config = parsed.config;
  checkArchitecture(config, source);
  const table = officialModalityTable(config, source);
  checkOfficialTensors(info.header, table, config.dim);

  const shape = { dim: config.dim, depth: config.encoder_depth, decoderDepth: config.decoder_depth, heads: config.num_heads };
  const outputs = table.filter((m) => m.output).map((m) => m.name);
  const dir = join(file, '..');
  const written = await writeFmGraphs(info.header, shape, outputs, options.rewriteGraphs ? undefined : (rel) => exists(join(dir, rel)));
  const tokens = table.filter((m) => m.kind === 'image-tokens' || m.kind === 'sequence');
  const specs: TableSpec[] = tokens.map((m) =>
    m.kind === 'image-tokens'
      ? { name: m.name, type: 'img', vocabSize: m.vocabSize, grid: m.grid as [number, number], input: m.input, output: m.output }
      : { name: m.name, type: 'seq', vocabSize: m.vocabSize, maxLength: m.positions, input: m.input, output: m.output },
  );
  const tokenTables = await loadEmbeddings(file, { fm: { dim: config.dim }, modalities: specs });
  const pixels = new Map((await loadPixelInputs(info.header, table, config.dim)).map((p) => [p.name, p]));
  const tables = new Map(tokenTables.modalities);
  // Until a picture is set, the pixel table is empty: any use of it is refused as out of range.
  for (const p of pixels.values()) tables.set(p.name, { ...pixelTables(p, new Float32Array(0)), vocabSize: 0 });
  const embeddings = { ...tokenTables, modalities: tables, order: table.filter((m) => tables.has(m.name)).map((m) => m.name) };
  const open = (rel: string): Promise<GraphSession> => GraphSession.open(join(dir, rel), options);
  const [encoder, decoder] = await Promise.all([open(written.encoder), open(written.decoder)]);
  const heads = new Map<string, Promise<GraphSession>>();
  const head = (modality: string): Promise<GraphSession> => {
    const rel = written.heads[modality];
    if (!rel) throw new Error(`${file}: "${modality}" is not an output of this model (domains_out: ${config.domains_out.join(', ')})`);
    let s = heads.get(modality);
    if (!s) {
      heads.set(modality, (s = open(rel)));
      // A failed open is not kept: the next job tries again (and release() has nothing to free).
      s.catch(() => heads.delete(modality));
    }
    return s;
  };
  // Opened on first use: ONNX Runtime holds each session's own copy of the decoder weights.
  const lazy = new Map<string, Promise<GraphSession>>();
  const lazySession = (rel: string): Pick<GraphSession, 'run'> => ({
    async run(feeds) {
      let s = lazy.get(rel);
      if (!s) {
        lazy.set(rel, (s = open(rel)));
        s.catch(() => lazy.delete(rel));
      }
      return (await s).run(feeds);
    },
  });
  const decoderCache = options.decoderCache === false ? undefined : { contextKv: lazySession(written.decoderCache.contextKv), step: lazySession(written.decoderCache.step) };
  const runner = new FmRunner({ encoder, decoder, decoderCache, head }, embeddings, { dim: config.dim, encoderDepth: config.encoder_depth, decoderDepth: config.decoder_depth, numHeads: config.num_heads });
  return {
    file,
    configSource: source,
    config,
    table,
    embeddings,
    runner,
    vocab: OFFICIAL_TEXT_IDS,
    provider: encoder.report,
    pixelInputs: pixels,
    setPicture(name, chw) {
      const p = pixels.get(name);
      if (!p) throw new Error(`${file}: "${name}" is not a pixel input of this model (it has ${[...pixels.keys()].join(', ') || 'none'})`);
      tables.set(name, pixelTables(p, projectPatches(p, chw)));
      runner.clearEncoderCache();
      return pixelCells(p);
    },
    modality(name) {
      const m = table.find((x) => x.name === name);
      if (!m) throw new Error(`${file}: the model has no modality "${name}" (it has ${table.map((x) => x.name).join(', ')})`);
      return m;
    },
    async release() {
      // Sessions that failed to open have nothing to release (and must not fail the release of the rest).
      const opened = (await Promise.allSettled([...heads.values(), ...lazy.values()])).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const all = [encoder, decoder, ...opened];
      await Promise.all(all.map((s) => s.release()));
    },
  };
}
