/**
 * The model-step interface the sampler calls. It is injected (the ONNX engine
 * implements it; tests use fakes), so sampling never imports the engine.
 * Both methods take a batch of independent queries so that an engine can run
 * the conditional and unconditional passes of guidance in one batch.
 */
import type { GenerationState } from './state';

/** Logits for some still-undecoded positions of an image-like target. */
export interface ImageLogitsQuery {
  /** Encoder input: every modality's tokens where inputMask == 0. */
  readonly state: GenerationState;
  /** Modality being decoded. */
  readonly target: string;
  /** Decoder query positions (ascending), all with targetMask == 0. */
  readonly positions: Int32Array;
}

/** Next-token logits for a sequence target, given the decoded prefix. */
export interface SequenceLogitsQuery {
  readonly state: GenerationState;
  readonly target: string;
  /**
   * Decoder input ids, starting with the start token ([S_1]). Decoder positions
   * are target-relative: prefix[j] sits at the j-th target position.
   */
  readonly prefix: Int32Array;
}

export interface ModelStep {
  /** One row-major (positions.length × V) array per query. */
  imageLogits(queries: readonly ImageLogitsQuery[]): Promise<Float32Array[]>;
  /** One length-V array per query: logits for the token after the prefix. */
  sequenceLogits(queries: readonly SequenceLogitsQuery[]): Promise<Float32Array[]>;
}

/** Structural subset of AbortSignal, so this package needs no DOM or Node types. */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

export class GenerationCancelled extends Error {
  override readonly name = 'AbortError';
  constructor(readonly reason?: unknown) {
    super('generation cancelled');
  }
}

export function throwIfCancelled(signal: CancelSignal | undefined): void {
  if (signal?.aborted) throw new GenerationCancelled(signal.reason);
}

type Timers = { setImmediate?: (callback: () => void) => unknown; setTimeout: (callback: () => void, ms: number) => unknown };

/**
 * A step that reveals no token (more steps than tokens) never awaits the model, so a loop of
 * them would never give the host's event loop a turn and a cancel message would wait for the
 * whole job. The returned function yields a macrotask whenever `everyMs` have passed since the
 * last turn; awaiting it each step costs almost nothing when steps do real work.
 */
export function loopYielder(everyMs = 15): () => Promise<void> {
  const timers = globalThis as unknown as Timers;
  let last = Date.now();
  return async () => {
    if (Date.now() - last < everyMs) return;
    await new Promise<void>((resolve) => (timers.setImmediate ? timers.setImmediate(resolve) : timers.setTimeout(resolve, 0)));
    last = Date.now();
  };
}
