/**
 * `BENCH_4M_B=1 npm run bench`: speed on the real size. A random-weight official-format model in
 * the 4M-21_B layout (bench/random-official-fm.ts, written once into a cache folder) run through
 * the TypeScript engine (openOfficialFm + the sampler, the app's default settings), and in the same
 * run, on the same file and settings, the official PyTorch sampler when ML4M_DIR names a checkout of
 * github.com/apple/ml-4m (FOURM_PYTHON: a Python with torch and the official deps, default python3).
 * Token generation only: the FM's cost on a 4M-B shape; decoding to pixels is not timed here.
 *
 * BENCH_4M_B=tiny runs the same on dim 64, 2 + 2 layers (development); BENCH_4M_B_RUNS (default 3)
 * timed runs after one warm-up; BENCH_4M_B_CAPTION_TOKENS (default 32) caps the caption.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openOfficialFm, type OfficialFm } from '../models/engine/fm/official-fm';
import { measureMatmulThroughput } from '../models/engine/runtime';
import { runChain, type StepEvent } from '../models/sampling';
import { describeImageSampling, PICTURE_SAMPLING, PREDICTION_SAMPLING, sequenceTemperature } from '../preload/contract/sampling-defaults';
import { captionToRgb, flowInputs, officialFlow, prepareFlow, rgbToAll, type OfficialFlow, type PreparedFlow } from './official-fm-flows';
import { benchCacheDir, ensureRandomOfficialFm, FOURM_B, FOURM_TINY, type FmSize } from './random-official-fm';

const RECIPE_DIR = fileURLToPath(new URL('../models/recipe/', import.meta.url));
const SEED = 1;

interface FlowTiming {
  medianS: number;
  firstS: number;
  /** Seconds per target in the median run (independent targets), in schedule order. */
  perTargetS: Record<string, number>;
  sequenceTokens: Record<string, number>;
  flops: number;
}

interface PythonResult {
  torch: string;
  threads: number;
  loadS: number;
  peakRssMiB: number;
  flows: Record<string, Omit<FlowTiming, 'flops'>>;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** One pass of a flow on the engine: the chain as generate() runs it (encoder rows shared within the pass). */
async function runOnce(fm: OfficialFm, flow: PreparedFlow): Promise<{ seconds: number; perTarget: Record<string, number>; tokens: Record<string, number> }> {
  const perTarget: Record<string, number> = {};
  const tokens: Record<string, number> = {};
  let last = performance.now();
  const t0 = last;
  const onStep = (e: StepEvent): void => {
    const now = performance.now();
    perTarget[e.target] = (perTarget[e.target] ?? 0) + (now - last) / 1000;
    last = now;
    if (e.scheme === 'autoregressive') tokens[e.target] = e.step;
  };
  fm.runner.clearEncoderCache();
  try {
    await runChain(flow.state, flow.schedule, { model: fm.runner, seed: SEED, vocab: fm.vocab, onStep, independentTargets: flow.independentTargets });
    return { seconds: (performance.now() - t0) / 1000, perTarget, tokens };
  } finally {
    fm.runner.clearEncoderCache();
  }
}

async function timeFlow(fm: OfficialFm, flow: PreparedFlow, runs: number): Promise<FlowTiming> {
  const first = await runOnce(fm, flow);
  const passes: Awaited<ReturnType<typeof runOnce>>[] = [];
  const before = fm.runner.stats.flops;
  for (let r = 0; r < runs; r++) passes.push(await runOnce(fm, flow));
  const flops = (fm.runner.stats.flops - before) / runs;
  const mid = median(passes.map((p) => p.seconds));
  const pick = passes.find((p) => p.seconds === mid) as (typeof passes)[number];
  return { medianS: mid, firstS: first.seconds, perTargetS: pick.perTarget, sequenceTokens: pick.tokens, flops };
}

function runPython(spec: object, specFile: string): { result?: PythonResult; error?: string } {
  writeFileSync(specFile, JSON.stringify(spec, null, 2));
  const python = process.env.FOURM_PYTHON ?? 'python3';
  const p = spawnSync(python, ['-m', 'fourm_recipe.official.fm_bench', '--spec', specFile], { cwd: RECIPE_DIR, env: process.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const line = (p.stdout ?? '').split('\n').find((l) => l.startsWith('FM_BENCH_RESULT '));
  if (p.status !== 0 || !line) {
    const why = p.error ? p.error.message : `exit ${p.status}: ${(p.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`;
    return { error: `${python} -m fourm_recipe.official.fm_bench failed (${why})` };
  }
  return { result: JSON.parse(line.slice('FM_BENCH_RESULT '.length)) as PythonResult };
}

const s = (x: number): string => `${x.toFixed(2)} s`;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function perTargetLine(t: Omit<FlowTiming, 'flops'>): string {
  const images = Object.entries(t.perTargetS).filter(([m]) => !(m in t.sequenceTokens));
  const imageS = images.reduce((a, [, v]) => a + v, 0);
  const seqs = Object.entries(t.sequenceTokens).map(([m, n]) => `${m} ${s(t.perTargetS[m] ?? 0)} (${n} tokens)`);
  return `${images.length} image targets ${s(imageS)} (${s(imageS / Math.max(1, images.length))} each)${seqs.length > 0 ? ` + ${seqs.join(', ')}` : ''}`;
}

/** The section's report lines ('b': 4M-B; 'tiny': dim 64, 2 + 2 layers). */
export async function bench4mB(mode: 'b' | 'tiny'): Promise<string[]> {
  const size: FmSize = mode === 'tiny' ? FOURM_TINY : FOURM_B;
  const runs = Number(process.env.BENCH_4M_B_RUNS ?? 3);
  const captionTokens = Number(process.env.BENCH_4M_B_CAPTION_TOKENS ?? 32);
  const threads = availableParallelism();
  const ckpt = ensureRandomOfficialFm(benchCacheDir(), size);
  // On a shared machine the probe drifts with load: the best of before and after, as the main section.
  const probeBefore = await measureMatmulThroughput(1024, 7, threads);

  const t0 = performance.now();
  const fm = await openOfficialFm(ckpt.dir);
  const loadS = (performance.now() - t0) / 1000;
  const inputs = flowInputs();
  const requests = { 'caption→RGB': captionToRgb(inputs), 'RGB→all': rgbToAll(inputs, fm.table) };
  const sequenceLength = captionTokens + 1; // [S_1] + the cap
  const ts: Record<string, FlowTiming> = {};
  const official: Record<string, OfficialFlow> = {};
  for (const [name, req] of Object.entries(requests)) {
    official[name] = officialFlow(req, fm.table, sequenceLength);
    ts[name] = await timeFlow(fm, prepareFlow(req, fm.table, fm.vocab, sequenceLength), runs);
  }
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const provider = fm.provider.provider;
  const cached = fm.runner.usesDecoderCache;
  await fm.release();
  // The same RGB→all with the caption recomputing the full decoder per token: what the incremental
  // decoder buys, in the same run (opened after the first model is released: peak RSS is above).
  let fullDecoder: FlowTiming | undefined;
  if (cached && process.env.BENCH_4M_B_BASELINE !== '0') {
    const full = await openOfficialFm(ckpt.dir, { decoderCache: false });
    try {
      fullDecoder = await timeFlow(full, prepareFlow(requests['RGB→all'], full.table, full.vocab, sequenceLength), runs);
    } finally {
      await full.release();
    }
  }
  const probeAfter = await measureMatmulThroughput(1024, 7, threads);
  const matmulFlops = Math.max(probeBefore.flopsPerSecond, probeAfter.flopsPerSecond);

  const imageTargets = requests['RGB→all'].targets.length - 1;
  const lines = [
    `4M-B section — random-weight official-format checkpoint, 4M-21_B layout (dim ${size.dim}, ${size.encoderDepth} + ${size.decoderDepth} layers, ${size.heads} heads, the 19 official modalities, 224 px: 14×14 tokens): ${(ckpt.params / 1e6).toFixed(0)} M parameters, ${mib(ckpt.bytes)} float32 (${ckpt.reused ? 'cached' : `written in ${ckpt.writeSeconds.toFixed(1)} s`}: ${ckpt.dir})`,
    `  matmul throughput (ORT MatMul 1024³, best of 7, before and after): ${(matmulFlops / 1e9).toFixed(1)} GFLOP/s`,
    `  token generation only: inputs are fixed random ids (196 RGB tokens, a 10-word caption) and nothing is decoded to pixels`,
    `  settings (the app's defaults, preload/contract/sampling-defaults.ts): caption→RGB ${describeImageSampling(PICTURE_SAMPLING.words)}; RGB→all = ${imageTargets} image targets with ${describeImageSampling(PREDICTION_SAMPLING)}, each from the picture alone, + caption autoregressive T ${sequenceTemperature('caption')}, top-p 0.8, capped at ${captionTokens} tokens (random weights never write [EOS]; BENCH_4M_B_CAPTION_TOKENS); seed ${SEED}; median of ${runs} runs after one warm-up`,
  ];
  const share = (t: FlowTiming): string => `${(t.flops / 1e9).toFixed(0)} GFLOP, ${(t.flops / t.medianS / 1e9).toFixed(1)} GFLOP/s = ${((t.flops / t.medianS / matmulFlops) * 100).toFixed(0)}% of the matmul probe`;
  const c2r = ts['caption→RGB'] as FlowTiming;
  const r2a = ts['RGB→all'] as FlowTiming;
  lines.push(
    `  TypeScript engine (onnxruntime-node, ${provider}, ${threads} threads): load ${s(loadS)}; peak RSS ${mib(peakRss)}`,
    `    caption→RGB tokens: ${s(c2r.medianS)} (first run ${s(c2r.firstS)}; ${share(c2r)})`,
    `    RGB→all tokens:     ${s(r2a.medianS)} (first run ${s(r2a.firstS)}; ${perTargetLine(r2a)}; ${share(r2a)})`,
    `    autoregression: ${cached ? 'incremental decoder (cached attention)' : 'full decoder per token'}`,
  );
  if (fullDecoder) lines.push(`    RGB→all, full decoder per token (BENCH_4M_B_BASELINE=0 skips): ${s(fullDecoder.medianS)} (${perTargetLine(fullDecoder)})`);

  if (!process.env.ML4M_DIR) {
    lines.push('  official PyTorch sampler: skipped (set ML4M_DIR to a checkout of github.com/apple/ml-4m and FOURM_PYTHON to a Python with torch and its deps to run it on the same file)');
    return lines;
  }
  const spec = { checkpoint: ckpt.dir, seed: SEED, runs, threads, flows: official };
  const py = runPython(spec, join(ckpt.dir, 'bench-spec.json'));
  if (!py.result) {
    lines.push(`  official PyTorch sampler: ${py.error ?? 'no result'}`);
    return lines;
  }
  const r = py.result;
  const pc = r.flows['caption→RGB'];
  const pa = r.flows['RGB→all'];
  lines.push(`  official PyTorch sampler (ml-4m GenerationSampler.generate, torch ${r.torch}, ${r.threads} threads, same file and settings): load ${s(r.loadS)}; peak RSS ${r.peakRssMiB.toFixed(0)} MiB`);
  if (pc) lines.push(`    caption→RGB tokens: ${s(pc.medianS)} (first run ${s(pc.firstS)}) — TypeScript engine ${(pc.medianS / c2r.medianS).toFixed(2)}× its speed`);
  if (pa) lines.push(`    RGB→all tokens:     ${s(pa.medianS)} (first run ${s(pa.firstS)}; ${perTargetLine(pa)}) — TypeScript engine ${(pa.medianS / r2a.medianS).toFixed(2)}× its speed`);
  return lines;
}
