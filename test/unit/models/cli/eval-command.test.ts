/** `4m eval`: argument parsing and one held-out scene end to end on the shipped model. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../../../models/cli/args';
import { UsageError } from '../../../../models/cli/errors';
import { runCli as run } from './run-cli';

const HELDOUT = join(__dirname, '../../../fixtures/model/world-4m-small/heldout');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), '4m-eval-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));


describe('4m eval arguments', () => {
  it('defaults to the built-in model, every scene and <model dir>/EVAL.md', () => {
    expect(parseCommand(['eval', '--scenes', 'h'])).toEqual({ kind: 'eval', model: 'world-4m-small', scenes: 'h', n: undefined, out: undefined, judge: undefined, quiet: false, record: false, sampling: {} });
    expect(parseCommand(['eval', '--scenes', 'h', '--record'])).toMatchObject({ record: true });
    expect(parseCommand(['eval', '--scenes', 'h', '--scheme', 'roar', '--steps', '16', '--temp-schedule', 'constant', '--cfg', '2'])).toMatchObject({
      sampling: { scheme: 'roar', steps: 16, temperatureSchedule: 'constant', cfgScale: 2 },
    });
    expect(parseCommand(['eval', '--model', './m', '--scenes', 'h', '--n', '5', '--out', 'r.md', '--judge', 'j', '--quiet'])).toMatchObject({ model: './m', n: 5, out: 'r.md', judge: 'j', quiet: true });
  });

  it.each([
    [['eval'], /--scenes <dir> is required/],
    [['eval', '--scenes', 'h', '--n', '0'], /--n "0": expected a number in 1…100000/],
    [['eval', '--scenes', 'h', '--temp-schedule', 'cooling'], /--temp-schedule/],
    [['eval', '--scenes', 'h', '--n', '2.5'], /--n "2.5": expected a whole number/],
    [['eval', '--scenes', 'h', '--out', 'a.md', '--out', 'b.md'], /give --out once/],
    [['eval', 'extra', '--scenes', 'h'], /unexpected argument "extra"/],
  ])('one clear UsageError for %j', (args, message) => {
    expect(() => parseCommand(args)).toThrow(UsageError);
    expect(() => parseCommand(args)).toThrow(message);
  });
});

describe('4m eval on the shipped model', () => {
  it('writes the report to --out with its picture grids beside it, and prints the numbers', async () => {
    const out = join(dir, 'reports', 'EVAL.md');
    const r = await run(['eval', '--scenes', HELDOUT, '--n', '1', '--out', out, '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const md = await readFile(out, 'utf8');
    expect(md).toMatch(/^# EVAL — world-4m-small/);
    expect(md).toContain('Held-out scenes: 1 (eval split, seeds 9,000,000–9,000,000');
    expect(md).toContain('| RGB→semseg, 1 step, mIoU |');
    expect(md).toContain('![semseg → RGB](eval/sem2rgb.png)');
    for (const f of ['sem2rgb', 'cap2rgb', 'box2rgb', 'inpaint']) expect((await readFile(join(dir, 'reports', 'eval', `${f}.png`))).length, f).toBeGreaterThan(1000);
    expect(r.out).toMatch(/evaluated 1 scenes in \d+ s → .*EVAL\.md/);
  }, 180_000);

  it('exits 2 naming the problem for a folder without a judge', async () => {
    const r = await run(['eval', '--scenes', HELDOUT, '--n', '1', '--judge', dir, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--judge: .*judge\.json: cannot read the judge/);
  }, 60_000);

  it('exits 2 naming the problem for a folder without a held-out set, or too many scenes', async () => {
    const bad = await run(['eval', '--scenes', dir, '--quiet']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^4m: --scenes: .*scenes\.json: cannot read the held-out scene index/);
    const many = await run(['eval', '--scenes', HELDOUT, '--n', '51', '--quiet']);
    expect(many.code).toBe(2);
    expect(many.err).toMatch(/--n 51: .* holds 50 scenes/);
  }, 60_000);
});
