/**
 * Bounds the progress messages one job sends: at most `perSecond` plain progress messages and
 * `perSecond` with a preview. The last step always goes through (the bar reaches the end).
 * A job of thousands of steps times many variations otherwise floods the channel faster than
 * the renderer can read it, and the backlog sits in the host's memory.
 */
export class ProgressThrottle {
  #lastPlain = -Infinity;
  #lastPreview = -Infinity;
  #dropped = 0;

  constructor(
    private readonly perSecond = 20,
    private readonly now: () => number = () => performance.now(),
  ) {}

  allow(done: number, total: number, hasPreview: boolean): boolean {
    const t = this.now();
    const gap = 1000 / this.perSecond;
    if (hasPreview) {
      if (t - this.#lastPreview < gap) return this.#drop();
      this.#lastPreview = t;
      return true;
    }
    if (done < total && t - this.#lastPlain < gap) return this.#drop();
    this.#lastPlain = t;
    return true;
  }

  get dropped(): number {
    return this.#dropped;
  }

  #drop(): false {
    this.#dropped++;
    return false;
  }
}
