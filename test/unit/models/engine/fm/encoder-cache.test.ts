import { describe, expect, it } from 'vitest';
import { EncoderRowCache, encoderKey } from '../../../../../models/engine/fm/encoder-cache';
import type { FmEmbeddings } from '../../../../../models/engine/fm/embeddings';
import { emptyImageTarget, fullImageInput, type GenerationState } from '../../../../../models/sampling';

const emb = { order: ['a', 'b', 'target'] } as unknown as FmEmbeddings;

describe('encoderKey', () => {
  it('is what the encoder sees: visible tokens only, so a hidden target does not change it', () => {
    const a: GenerationState = { a: fullImageInput([1, 2, 3]) };
    const withTarget: GenerationState = { ...a, target: emptyImageTarget(3) };
    expect(Array.from(encoderKey(withTarget, emb))).toEqual(Array.from(encoderKey(a, emb)));
    expect(Array.from(encoderKey(a, emb))).toEqual([0, 0, 1, 0, 1, 2, 0, 2, 3]);
  });

  it('tells apart the same ids in another modality or position', () => {
    const inA = encoderKey({ a: fullImageInput([1, 2]) }, emb);
    const inB = encoderKey({ b: fullImageInput([1, 2]) }, emb);
    const hidden = fullImageInput([1, 2]);
    hidden.inputMask[0] = 1;
    expect(Array.from(inA)).not.toEqual(Array.from(inB));
    expect(Array.from(encoderKey({ a: hidden }, emb))).toEqual([0, 1, 2]);
  });
});

describe('EncoderRowCache', () => {
  it('returns rows by exact key, keeps the most recent ones and forgets on clear', () => {
    const cache = new EncoderRowCache(2);
    const k = (...v: number[]) => Int32Array.from(v);
    cache.set(k(1), Float32Array.of(1));
    cache.set(k(2), Float32Array.of(2));
    expect(cache.get(k(1))?.[0]).toBe(1); // now the most recent
    cache.set(k(3), Float32Array.of(3)); // evicts 2
    expect(cache.get(k(2))).toBeUndefined();
    expect(cache.get(k(1, 0))).toBeUndefined();
    expect(cache.get(k(3))?.[0]).toBe(3);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
