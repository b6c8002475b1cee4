/**
 * A loaded model package ready to run: verified files, embeddings in float32,
 * graph sessions from a shared cache, the text tokenizer and its special ids.
 */
import { freemem, totalmem } from 'node:os';
import type { ImageModalitySpec, ModalitySpec, ModelManifest } from '../../registry';
import { availableMemory, estimatePackageBytes, memoryRefusal } from '../../registry/memory';
import { loadModelPackage, ModelPackageError, type ModelPackage } from '../../registry/package-loader';
import type { SequenceVocab } from '../../sampling';
import { readSpecialIds, type SpecialIds } from '../../tokenizers/sequence';
import { readTextFile } from '../../registry/read-text';
import { WordPieceTokenizer } from '../../tokenizers/text';
import { loadEmbeddings } from '../fm/embeddings';
import { FmRunner } from '../fm/fm-runner';
import { SessionCache, type GraphSession, type ProviderReport, type RuntimeOptions } from '../runtime';

export interface EngineModel {
  readonly pkg: ModelPackage;
  readonly manifest: ModelManifest;
  readonly runner: FmRunner;
  readonly text: WordPieceTokenizer;
  readonly special: SpecialIds;
  /** The sampler's view of the special ids: sentinels[k] is [S_k], as the text vocabulary lists them. */
  readonly vocab: SequenceVocab;
  readonly sessions: SessionCache;
  /** The provider each FM graph runs on, and why others were skipped. */
  readonly provider: ProviderReport;
  graph(rel: string): Promise<GraphSession>;
  /**
   * Opens every ONNX graph of the package (heads and tokenizers otherwise open on first use) and
   * says which execution provider each got and why the others were skipped, for the host's report.
   */
  openAllGraphs(): Promise<GraphReport[]>;
  modality(name: string): ModalitySpec;
  imageModality(name: string): ImageModalitySpec;
  release(): Promise<void>;
}

export interface GraphReport extends ProviderReport {
  /** The graph's path inside the package. */
  readonly graph: string;
}

export interface LoadModelOptions extends RuntimeOptions {
  readonly verifyHashes?: boolean;
  /** Bytes the model may use (default: what the OS reports available); a bigger estimate is refused before loading. */
  readonly availableMemory?: number;
  /** Ignore the package's incremental decoder (fm.decoderCache): for comparisons and the benchmark's baseline. */
  readonly fullDecoder?: boolean;
}

export async function loadEngineModel(dir: string, options: LoadModelOptions = {}): Promise<EngineModel> {
  const pkg = await loadModelPackage(dir, { verifyHashes: options.verifyHashes ?? true });
  const { manifest } = pkg;
  const refusal = memoryRefusal(
    `model ${manifest.id}`,
    estimatePackageBytes(manifest),
    options.availableMemory ?? availableMemory(process.platform, freemem(), totalmem()),
  );
  if (refusal) throw new ModelPackageError(refusal);
  const sessions = new SessionCache(options);
  const graph = (rel: string): Promise<GraphSession> => sessions.get(manifest.id, pkg.path(rel));
  const cacheFiles = manifest.fm.decoderCache;
  const [embeddings, encoder, decoder, tokenizerJson, decoderCache] = await Promise.all([
    loadEmbeddings(pkg.path(manifest.fm.embeddings), manifest),
    graph(manifest.fm.encoder),
    graph(manifest.fm.decoder),
    readTextFile(pkg.path(manifest.text.tokenizer)).catch((error: unknown) => {
      throw new ModelPackageError(`${pkg.path(manifest.text.tokenizer)}: ${error instanceof Error ? error.message : String(error)}`);
    }),
    // Optional: packages exported before the incremental decoder recompute the full decoder per token.
    cacheFiles && !options.fullDecoder
      ? Promise.all([graph(cacheFiles.contextKv), graph(cacheFiles.step)]).then(([contextKv, step]) => ({ contextKv, step }))
      : undefined,
  ]);
  const head = (modality: string): Promise<GraphSession> => {
    const rel = manifest.fm.heads[modality];
    if (!rel) throw new Error(`model ${manifest.id} has no head for "${modality}"`);
    return graph(rel);
  };
  const text = WordPieceTokenizer.fromJson(JSON.parse(tokenizerJson), pkg.path(manifest.text.tokenizer));
  const special = readSpecialIds(text);
  const modality = (name: string): ModalitySpec => {
    const m = manifest.modalities.find((x) => x.name === name);
    if (!m) throw new Error(`model ${manifest.id} has no modality "${name}" (it has ${manifest.modalities.map((x) => x.name).join(', ')})`);
    return m;
  };
  return {
    pkg,
    manifest,
    runner: new FmRunner({ encoder, decoder, decoderCache, head }, embeddings, manifest.fm),
    text,
    special,
    vocab: { sentinels: special.sentinels, eos: special.eos, pad: special.pad },
    sessions,
    provider: encoder.report,
    graph,
    async openAllGraphs() {
      const graphs = Object.keys(manifest.files).filter((rel) => rel.endsWith('.onnx')).sort();
      return Promise.all(graphs.map(async (rel) => ({ graph: rel, ...(await graph(rel)).report })));
    },
    modality,
    imageModality(name) {
      const m = modality(name);
      if (m.type !== 'img') throw new Error(`"${name}" is a sequence modality, not an image`);
      return m;
    },
    release: () => sessions.releaseAll(),
  };
}

/** The image modality of a domain (e.g. 'rgb' → 'tok_rgb@128'). */
export function modalityForDomain(model: EngineModel, domain: string): ModalitySpec {
  const m = model.manifest.modalities.find((x) => x.domain === domain || x.name === domain);
  if (!m) throw new Error(`model ${model.manifest.id} has no "${domain}" modality (it has ${model.manifest.modalities.map((x) => x.domain).join(', ')})`);
  return m;
}
