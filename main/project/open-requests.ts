/**
 * Projects the OS asks the app to open, held until they can be delivered: macOS sends
 * 'open-file' before the app is ready, and a window can only take a path once its page has
 * loaded. Pure bookkeeping; main wires it to Electron (and grants each path when delivering).
 */
export class OpenRequests {
  readonly #pending: string[] = [];
  #deliver: ((path: string) => void) | undefined;

  /** A path from argv, 'open-file' or a second instance. */
  add(path: string): void {
    if (this.#deliver) this.#deliver(path);
    else this.#pending.push(path);
  }

  /** Where paths go from now on (a loaded window), or undefined while there is none. */
  target(deliver: ((path: string) => void) | undefined): void {
    this.#deliver = deliver;
    if (deliver) for (const path of this.#pending.splice(0)) deliver(path);
  }
}
