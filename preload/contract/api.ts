import type { AppInfo } from './channels';
import type { FromHost, ToHostInput } from './jobs';
import type { ModelsApi } from './models';
import type { ProjectsApi } from './projects';
import type { UnsavedState } from './window';

/**
 * What preload/index.ts exposes on `window.studio`. Functions only: no channel
 * names and no Electron objects leak into the renderer.
 */
export interface StudioApi {
  appInfo(): Promise<AppInfo>;
  inference: {
    /** Sends a message to the inference host (validated by the host). */
    send(message: ToHostInput): void;
    /** Receives raw host messages; the renderer validates them. Returns unsubscribe. */
    subscribe(listener: (message: FromHost | unknown) => void): () => void;
  };
  /** Project files through main (save, open, recent, autosave). Absent in older preloads. */
  projects?: ProjectsApi;
  /** The model manager through main (models.ts). Absent in older preloads. */
  models?: ModelsApi;
  /**
   * Projects the OS asks the app to open (file association, command line, macOS open-file), as
   * absolute paths to pass to `project:open`; ones that arrived before subscribing are delivered
   * at once. Returns unsubscribe. Absent in the harness.
   */
  onOpenProject?(listener: (path: string) => void): () => void;
  /** Tells main whether closing the window would lose unsaved changes or a result waiting for Accept. Absent in the harness. */
  setUnsaved?(state: UnsavedState): void;
}

export const STUDIO_API_KEY = 'studio';
