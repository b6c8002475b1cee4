import type { AvailableModel, ModelStatus } from '../../../preload/contract/jobs';
import type { GenerateRunner, UpscaleRunner } from './generate-runner';

/**
 * What the host's message loop serves: the model's status (announced in 'ready'), the generate
 * (and upscale) runners, and model switching. The product's backend is the model slot (model-slot.ts); tests
 * may start the host on a fixture backend instead (fixture.ts).
 */
export interface HostBackend {
  readonly generate: GenerateRunner;
  /** 'upscale' jobs (official models and 4M's SR model); absent where the backend cannot upscale. */
  readonly upscale?: UpscaleRunner;
  status(): { model: ModelStatus; available: AvailableModel[] };
  /** Called whenever status() changes. */
  onChange(listener: () => void): void;
  /** Opens another model; resolves when it is loaded or has failed (the status says which). */
  open(modelId: string): Promise<void>;
}
