/**
 * Open sessions, keyed by model id, file and provider order, so every caller
 * of the same graph shares one session (creating one costs tens of ms and
 * megabytes). Concurrent opens of the same key share one promise.
 */
import { GraphSession, type RuntimeOptions } from './graph-session';

export class SessionCache {
  private readonly sessions = new Map<string, Promise<GraphSession>>();

  constructor(private readonly options: RuntimeOptions = {}) {}

  get(modelId: string, file: string): Promise<GraphSession> {
    const key = `${modelId}\u0000${file}\u0000${(this.options.providers ?? ['default']).join(',')}`;
    let session = this.sessions.get(key);
    if (!session) {
      session = GraphSession.open(file, this.options);
      // A failed open is not cached: the next call retries (e.g. after the file is repaired).
      session.catch(() => this.sessions.delete(key));
      this.sessions.set(key, session);
    }
    return session;
  }

  get size(): number {
    return this.sessions.size;
  }

  async releaseAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.release()));
  }
}
