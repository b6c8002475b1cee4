/**
 * The independent judge (never used by the app): a small U-Net trained by the recipe
 * (fourm_recipe/judge) that reads a 128×128 picture into the world's classes and gives a pooled
 * feature vector per picture. Every generation metric reads generated pictures through it, not
 * through the model under test. Its folder holds judge.onnx and judge.json (classes, held-out scores,
 * training curve, and the feature Gaussian of real held-out pictures for the distribution distance).
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { z } from 'zod';
import { expectFloat32, float32, GraphSession } from '../engine/runtime';
import { readTextFile } from '../registry/read-text';
import type { RgbaImage } from '../tokenizers/image';
import { despeckle, type Gaussian } from './metrics';

export const DEFAULT_JUDGE_DIR = fileURLToPath(new URL('./judge/', import.meta.url));

const JudgeInfo = z.object({
  format: z.literal('4m-studio.judge/1'),
  classes: z.array(z.string()).min(2),
  imageSize: z.number().int().positive(),
  featureDim: z.number().int().positive(),
  /** Real held-out pictures (eval seeds, none of the test fixture's) summarized for the Fréchet distance. */
  reference: z.object({ count: z.number().int(), seeds: z.string(), mean: z.array(z.number()), cov: z.array(z.number()) }),
  heldout: z.record(z.string(), z.number()),
  training: z.object({ summary: z.string() }).passthrough(),
});
export type JudgeInfo = z.infer<typeof JudgeInfo>;

export interface JudgeReading {
  /** Class id per pixel (row-major), patches under 16 px merged into their surroundings. */
  readonly classes: Uint8Array;
  readonly features: Float32Array;
}

export class Judge {
  private constructor(
    private readonly session: GraphSession,
    readonly info: JudgeInfo,
    readonly dir: string,
  ) {}

  static async open(dir = DEFAULT_JUDGE_DIR): Promise<Judge> {
    const file = join(dir, 'judge.json');
    let raw: unknown;
    try {
      raw = JSON.parse(await readTextFile(file));
    } catch (error) {
      throw new Error(`${file}: cannot read the judge (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); train and export it with python -m fourm_recipe.judge.export`);
    }
    const info = JudgeInfo.parse(raw);
    // One thread: the judge is small, and the FM's graphs run between its calls.
    const session = await GraphSession.open(join(dir, 'judge.onnx'), { intraOpThreads: 1 });
    return new Judge(session, info, dir);
  }

  /** The reference Gaussian of real pictures' features. */
  get reference(): Gaussian {
    const d = this.info.featureDim;
    return { dim: d, mean: Float64Array.from(this.info.reference.mean), cov: Float64Array.from(this.info.reference.cov) };
  }

  async read(img: RgbaImage): Promise<JudgeReading> {
    const s = this.info.imageSize;
    if (img.width !== s || img.height !== s) throw new RangeError(`the judge reads ${s}×${s} pictures, got ${img.width}×${img.height}`);
    const n = s * s;
    const x = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) x[c * n + i] = img.data[i * 4 + c] as number;
    const out = await this.session.run({ rgb: float32(x, [1, 3, s, s]) });
    const logits = expectFloat32(out.logits, 'judge logits').data;
    const k = this.info.classes.length;
    const classes = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if ((logits[c * n + i] as number) > (logits[best * n + i] as number)) best = c;
      classes[i] = best;
    }
    return { classes: despeckle(classes, s, s), features: Float32Array.from(expectFloat32(out.features, 'judge features').data) };
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
