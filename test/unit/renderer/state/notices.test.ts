import { expect, test } from 'vitest';
import { skippedUpscaledNotice, withNotice, withoutNotice } from '../../../../renderer/src/state/notices';

test('upscaled results left out of an opened project are named in one warning; none, no notice', () => {
  expect(skippedUpscaledNotice('scene.4mproj', [])).toBeNull();
  expect(skippedUpscaledNotice('scene.4mproj', ['upscaled[0] ("up-1"): pictures[0].png: not a PNG file (no PNG signature)'])).toEqual({
    id: 'project-skipped',
    tone: 'warn',
    text: 'scene.4mproj: one upscaled result could not be read and was left out (the layers, the gallery and the other results are as saved; saving writes the project without it): upscaled[0] ("up-1"): pictures[0].png: not a PNG file (no PNG signature).',
  });
  const many = skippedUpscaledNotice('scene.4mproj', ['a', 'b', 'c', 'd', 'e']);
  expect(many?.text).toMatch(/^scene\.4mproj: 5 upscaled results could not be read and were left out .*without them\): a; b; c; and 2 more\.$/);
  const list = withNotice([], many!);
  expect(withoutNotice(list, 'project-skipped')).toEqual([]);
});
