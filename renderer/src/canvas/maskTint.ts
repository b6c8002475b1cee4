// Whether a layer's region mask is drawn tinted or as its outline only. The tint is for marking:
// once the model has drawn into the region (a step preview or a staged result standing in for the
// layer, or an accepted result, i.e. the layer's pixels changed after the mask was last edited),
// a 35 % pink fill over exactly the new pixels hid what the artist asked for. The outline and the
// token grid still say where the region is; editing the mask tints it again.

export class MaskTint {
  /** The mask each layer had when last seen, to tell a mask edit from a pixel change. */
  readonly #seen = new Map<string, Uint8Array | null>();
  /** Layers whose pixels changed under their mask since it was last edited. */
  readonly #redrawn = new Set<string>();

  /**
   * Notes a document change: `masks` are the current masks of the layers it touched, `content` the
   * layers whose pixels (or other content) changed. A mask edit wins over a pixel change in the
   * same step (an undo can bring both back at once: the artist is marking again).
   */
  note(masks: ReadonlyMap<string, Uint8Array | null>, content: ReadonlySet<string>): void {
    for (const [id, mask] of masks) {
      const before = this.#seen.get(id) ?? null;
      this.#seen.set(id, mask);
      if (!sameMask(before, mask)) this.#redrawn.delete(id);
      else if (mask && content.has(id)) this.#redrawn.add(id);
    }
  }

  /** Another document: every mask it holds is as the artist marked it. */
  reset(masks: ReadonlyMap<string, Uint8Array | null>): void {
    this.#seen.clear();
    this.#redrawn.clear();
    for (const [id, mask] of masks) this.#seen.set(id, mask);
  }

  /** Tinted unless a preview or staged result stands in for the layer, or its pixels changed under the mask. */
  tinted(id: string, overridden: boolean): boolean {
    return !overridden && !this.#redrawn.has(id);
  }
}

function sameMask(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((v, i) => v === b[i]);
}
