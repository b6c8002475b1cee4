/**
 * Keeps one inference host alive. Runtime-neutral: Electron main spawns a
 * utilityProcess, the harness a child_process, both through `spawn`. When the
 * host dies the supervisor reports why (so the transport can fail the running
 * job with a clear message) and starts a fresh one; the document lives in the
 * renderer and is never touched.
 */
export interface HostProcess {
  readonly pid: number | undefined;
  kill(): void;
  /** Called once when the process is gone, with a human-readable reason. */
  onExit(listener: (reason: string) => void): void;
}

export interface SupervisorOptions<P extends HostProcess> {
  spawn(): P;
  onExit(reason: string, restarting: boolean): void;
  /** Give up after this many crashes within `windowMs` (a host that cannot start). */
  maxCrashes?: number;
  windowMs?: number;
  /** Wait before restart after the n-th crash in the window (default: none, then 0.5 s doubling to 8 s). */
  backoffMs?: (crashesInWindow: number) => number;
}

/** The first crash restarts at once (a killed host should be back fast); a loop slows down. */
export function defaultBackoffMs(crashes: number): number {
  return crashes <= 1 ? 0 : Math.min(8_000, 500 * 2 ** (crashes - 2));
}

export class HostSupervisor<P extends HostProcess> {
  #current: P | undefined;
  #crashes: number[] = [];
  #stopped = false;
  #pending: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: SupervisorOptions<P>) {}

  get current(): P | undefined {
    return this.#current;
  }

  start(): P {
    this.#cancelPending();
    this.#stopped = false;
    const host = this.options.spawn();
    this.#current = host;
    host.onExit((reason) => this.#exited(host, reason));
    return host;
  }

  /** Replaces the running host on purpose (no crash accounting, no exit report). */
  restart(): P {
    const old = this.#current;
    this.#current = undefined;
    old?.kill();
    return this.start();
  }

  stop(): void {
    this.#cancelPending();
    this.#stopped = true;
    const old = this.#current;
    this.#current = undefined;
    old?.kill();
  }

  #exited(host: P, reason: string): void {
    if (host !== this.#current) return; // replaced or stopped deliberately
    this.#current = undefined;
    const now = Date.now();
    const windowMs = this.options.windowMs ?? 60_000;
    this.#crashes = [...this.#crashes.filter((t) => now - t < windowMs), now];
    const restarting = !this.#stopped && this.#crashes.length <= (this.options.maxCrashes ?? 5);
    this.options.onExit(reason, restarting);
    if (!restarting) return;
    const wait = (this.options.backoffMs ?? defaultBackoffMs)(this.#crashes.length);
    if (wait <= 0) this.start();
    else this.#pending = setTimeout(() => {
      this.#pending = undefined;
      if (!this.#stopped) this.start();
    }, wait);
  }

  #cancelPending(): void {
    if (this.#pending) clearTimeout(this.#pending);
    this.#pending = undefined;
  }
}

export function describeExit(code: number | null, signal: string | null): string {
  if (signal) return `the inference host was killed (${signal})`;
  return `the inference host exited with code ${code ?? 'unknown'}`;
}
