import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../../renderer/src/document/commands';
import { makeGalleryEntry, resultLayersText, useProblem } from '../../../../renderer/src/document/gallery';

describe('makeGalleryEntry', () => {
  it('keeps a JSON request as an independent copy', () => {
    const request = { seed: 1, targets: ['rgb'], guidance: { depth: 0.5 } };
    const e = makeGalleryEntry({ id: 'g', createdAt: 't', request, outputs: {} });
    request.seed = 2;
    expect(e.request).toEqual({ seed: 1, targets: ['rgb'], guidance: { depth: 0.5 } });
    expect(e.accepted).toBe(false);
  });

  it('rejects values that are not JSON, naming where', () => {
    expect(() => makeGalleryEntry({ id: 'g', createdAt: 't', request: { a: { b: Number.NaN } }, outputs: {} })).toThrow(CommandError);
    expect(() => makeGalleryEntry({ id: 'g', createdAt: 't', request: { f: () => 1 }, outputs: {} })).toThrow(/^request\.f: expected a JSON value/);
    expect(() => makeGalleryEntry({ id: 'g', createdAt: 't', request: undefined, outputs: {} })).toThrow(/^request: /);
  });
});

describe('makeGalleryEntry edge cases', () => {
  it('names array indices, cycles and class instances', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => makeGalleryEntry({ id: 'g', createdAt: 't', request: { list: [1, Infinity] }, outputs: {} })).toThrow(/^request\.list\[1\]: /);
    expect(() => makeGalleryEntry({ id: 'g', createdAt: 't', request: cyclic, outputs: {} })).toThrow(/^request\.self: /);
    expect(() => makeGalleryEntry({ id: 'g', createdAt: 't', request: { d: new Date(0) }, outputs: {} })).toThrow(/^request\.d: /);
    const shared = { x: 1 };
    expect(makeGalleryEntry({ id: 'g', createdAt: 't', request: { a: shared, b: shared }, outputs: {} }).request).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });
});

describe('resultLayersText', () => {
  it('names the layers a result holds, and says so when nothing usable came back (never an empty line)', () => {
    const out = { content: { kind: 'text', text: 'a dog' }, tokens: null } as const;
    expect(resultLayersText({ det: out, caption: out }, (id) => id.toUpperCase())).toBe('DET, CAPTION');
    expect(resultLayersText({}, (id) => id)).toBe('nothing usable came back');
  });
});

describe('useProblem', () => {
  it('offers Use on a result with outputs; one with none says why there is nothing to use', () => {
    const out = { content: { kind: 'text', text: 'a dog' }, tokens: null } as const;
    expect(useProblem({ caption: out })).toBeNull();
    expect(useProblem({})).toBe('nothing usable came back, so there is nothing to put on the canvas');
  });
});
