import { describe, expect, it } from 'vitest';
import { isReferenceModality, REFERENCE_SAMPLING, referenceTokensProblem } from '../../../../preload/contract/reference';
import { GeneratedModality } from '../../../../preload/contract/generation-jobs';
import { describeImageSampling } from '../../../../preload/contract/sampling-defaults';

describe('picture references (4M-21 global embeddings)', () => {
  it('are the two global modalities', () => {
    expect(isReferenceModality('tok_dinov2_global')).toBe(true);
    expect(isReferenceModality('tok_imagebind_global')).toBe(true);
    expect(isReferenceModality('tok_dinov2@224')).toBe(false);
    expect(isReferenceModality('__proto__')).toBe(false);
  });

  it('16 ids in 0…8191, or a sentence saying what is wrong', () => {
    const ok = Array.from({ length: 16 }, (_, i) => i * 500);
    expect(referenceTokensProblem(ok)).toBeNull();
    expect(referenceTokensProblem(Int32Array.from(ok))).toBeNull();
    expect(referenceTokensProblem(ok.slice(1))).toBe('expected 16 token ids, got 15');
    expect(referenceTokensProblem([...ok.slice(1), 8192])).toBe('token 16 is 8192, not an id in 0…8191');
    expect(referenceTokensProblem([1.5, ...ok.slice(1)])).toBe('token 1 is 1.5, not an id in 0…8191');
    expect(referenceTokensProblem([null, ...ok.slice(1)])).toBe('token 1 is null, not an id in 0…8191');
    expect(referenceTokensProblem({ tokens: ok })).toBe('expected a list of 16 token ids');
    expect(referenceTokensProblem('1 2 3')).toBe('expected a list of 16 token ids');
  });

  it('are read with 4M\'s retrieval recipe, and come back over the wire as tokens only', () => {
    expect(describeImageSampling(REFERENCE_SAMPLING)).toBe('ROAR 1 step (linear), T 0.1, top-p 0.8, guidance 1');
    expect(GeneratedModality.safeParse({ kind: 'tokens', tokens: [1, 2] }).success).toBe(true);
    expect(GeneratedModality.safeParse({ kind: 'tokens', tokens: [-1] }).success).toBe(false);
  });
});
