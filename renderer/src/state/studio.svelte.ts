import { JobClient, JobFailedError, type HostStatus } from '../services/jobs';
import { connectServices } from '../services/studio';
import type { Raster } from '../../../preload/contract/jobs';

/** UI state for the skeleton: host status and the one running job. */
export class StudioState {
  host = $state<HostStatus>({ state: 'starting' });
  busy = $state(false);
  progress = $state({ step: 0, total: 0 });
  message = $state('');
  error = $state('');
  readonly transport: 'electron' | 'websocket';
  readonly #jobs: JobClient;

  constructor() {
    const services = connectServices();
    this.transport = services.transportName;
    this.#jobs = new JobClient(services.inference, (status) => (this.host = status));
  }

  /** Sends the picture to the host; `onPreview` draws intermediate and final rasters. */
  async runRelief(image: Raster, steps: number, onPreview: (r: Raster) => void): Promise<void> {
    this.busy = true;
    this.error = '';
    this.message = '';
    this.progress = { step: 0, total: steps };
    try {
      const output = await this.#jobs.run(
        { kind: 'placeholder.relief', image, steps, minStepMs: 60 },
        {
          onProgress: (step, total, preview) => {
            this.progress = { step, total };
            if (preview) onPreview(preview);
          },
        },
      );
      onPreview(output);
      this.message = `Relief done (${steps} steps on ${this.host.execution?.provider ?? '?'})`;
    } catch (error) {
      this.error = error instanceof JobFailedError ? error.message : `Unexpected error: ${String(error)}`;
    } finally {
      this.busy = false;
    }
  }
}
