import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PathPolicy } from '../../../../main/project/path-policy';
import { tempDir } from './fixtures';

describe('PathPolicy', () => {
  const dir = tempDir();
  const picked = join(dir, 'picked.4mproj');

  test('only paths handed out before are allowed', () => {
    const policy = new PathPolicy(false);
    expect(() => policy.check(picked)).toThrow(/not chosen in a file dialog/);
    policy.allow(picked);
    expect(policy.check(picked)).toBe(picked);
    expect(() => policy.check(join(dir, 'other.4mproj'))).toThrow(expect.objectContaining({ code: 'not-allowed' }));
  });

  test('traversal, relative paths, NUL bytes and other extensions are refused', () => {
    const policy = new PathPolicy(false);
    policy.allow(picked);
    // "x/../picked.4mproj" normalises to the allowed file, which is fine: it is the same file.
    expect(policy.check(join(dir, 'x', '..', 'picked.4mproj'))).toBe(picked);
    expect(() => policy.check(join(dir, '..', 'picked.4mproj'))).toThrow(/not chosen/);
    expect(() => policy.check('picked.4mproj')).toThrow(/not an absolute file path/);
    expect(() => policy.check(`${picked}\0.txt`)).toThrow(/not an absolute file path/);
    expect(() => policy.allow(join(dir, '.bashrc'))).toThrow(/not a \.4mproj project file/);
    expect(() => policy.allow(join(dir, 'evil.4mproj', '..', '..', 'etc', 'passwd'))).toThrow(/not a \.4mproj/);
  });

  test('case-insensitive file systems compare without case', () => {
    const policy = new PathPolicy(true);
    policy.allow(picked);
    expect(() => policy.check(picked.toUpperCase().replace('.4MPROJ', '.4mproj'))).not.toThrow();
    expect(() => new PathPolicy(false).check(picked)).toThrow();
  });
});
