/**
 * Measures what this machine's ORT CPU matmul sustains (FLOP/s), the yardstick
 * for the benchmark's "share of matmul throughput during sampling".
 */
import * as ort from 'onnxruntime-node';
import { availableParallelism } from 'node:os';
import { matmulModel } from './onnx-proto';

export interface MatmulThroughput {
  readonly size: number;
  readonly threads: number;
  /** Best of the timed runs, FLOP/s. */
  readonly flopsPerSecond: number;
  readonly medianMs: number;
}

export async function measureMatmulThroughput(size = 1024, runs = 7, threads = availableParallelism()): Promise<MatmulThroughput> {
  const session = await ort.InferenceSession.create(matmulModel(size, size, size), {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
  });
  try {
    const a = new ort.Tensor('float32', Float32Array.from({ length: size * size }, (_, i) => ((i % 97) - 48) / 97), [size, size]);
    const b = new ort.Tensor('float32', Float32Array.from({ length: size * size }, (_, i) => ((i % 89) - 44) / 89), [size, size]);
    await session.run({ A: a, B: b }); // warm-up
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      await session.run({ A: a, B: b });
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    const flops = 2 * size * size * size;
    return { size, threads, flopsPerSecond: flops / ((times[0] as number) / 1000), medianMs: times[Math.floor(times.length / 2)] as number };
  } finally {
    await session.release();
  }
}
