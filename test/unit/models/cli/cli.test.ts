import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../../../models/cli/args';
import { UsageError } from '../../../../models/cli/errors';
import { runCli as run } from './run-cli';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), '4m-cli-'));
  // A 300×200 JPEG with EXIF orientation 6 (rotated): any size and format is accepted.
  const raw = Buffer.alloc(300 * 200 * 3, 120);
  await sharp(raw, { raw: { width: 300, height: 200, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toFile(join(dir, 'photo.jpg'));
  await writeFile(join(dir, 'broken.png'), 'not a png');
  await writeFile(join(dir, 'note.txt'), 'a file where a folder is expected');
  await writeFile(join(dir, 'boxes.json'), JSON.stringify([{ x0: 0.1, y0: 0.2, x1: 0.5, y1: 0.6, label: 'sphere' }]));
  await writeFile(join(dir, 'bad-boxes.json'), JSON.stringify([{ x0: 2, y0: 0, x1: 1, y1: 1, label: 'cube' }]));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));


describe('argument parsing', () => {
  it('generate --help names --mask on the SR model at 448 and the official image controls', async () => {
    const help = await run(['generate', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('--model <SR folder|id>');
    expect(help.out).toContain('--in rgb=big.png --mask m.png --out rgb=out.png regenerates the white tokens of tok_rgb@448');
    expect(help.out).toContain('--in metadata="brightness=128 aesthetic=high people=2"');
  });

  it('parses generate with repeated --in/--out and sampling overrides', () => {
    const cmd = parseCommand(['generate', '--model', 'world-4m-small', '--in', 'semseg=a.png', '--in', 'caption=a red ball', '--out', 'rgb=o.png', '--steps', '4', '--temp', '0.5', '--cfg', '3', '--top-p', '0.9', '--scheme', 'maskgit', '--seed', '9']);
    expect(cmd).toMatchObject({ kind: 'generate', inputs: [['semseg', 'a.png'], ['caption', 'a red ball']], outputs: [['rgb', 'o.png']], seed: 9, independent: false, sampling: { steps: 4, temperature: 0.5, cfgScale: 3, topP: 0.9, scheme: 'maskgit' } });
    expect(parseCommand(['generate', '--model', 'm', '--out', 'rgb=o.png', '--independent'])).toMatchObject({ independent: true });
    expect(parseCommand(['generate', '--out', 'rgb=o.png'])).toMatchObject({ kind: 'generate', model: 'world-4m-small' });
    expect(parseCommand(['generate', '--out', 'rgb=o.png', '--token-choice', 'expected-code'])).toMatchObject({ sampling: { tokenChoice: 'expected-code' } });
    expect(parseCommand(['generate', '--out', 'rgb=o.png', '--smoothing', '1.5'])).toMatchObject({ sampling: { neighbourAgreement: 1.5 } });
    expect(() => parseCommand(['generate', '--out', 'rgb=o.png', '--smoothing', '11'])).toThrow(/--smoothing/);
    expect(parseCommand(['generate', '--out', 'rgb=o.png', '--decode-steps', '10'])).toMatchObject({ decodeSteps: 10 });
    expect(parseCommand(['generate', '--out', 'rgb=o.png'])).not.toHaveProperty('decodeSteps');
    expect(parseCommand(['generate', '--in', 'rgb=p.png', '--mask', 'm.png', '--out', 'rgb=o.png'])).toMatchObject({ mask: 'm.png' });
    expect(parseCommand(['generate', '--out', 'rgb=o.png'])).not.toHaveProperty('mask');
  });
  it.each([
    [['generate', '--model', 'm', '--in', 'semseg'], /--in "semseg": expected <modality>=<value>/],
    [['generate', '--model', 'm', '--out', 'rgb=o.png', '--steps', '0'], /--steps "0": expected a number in 1…256/],
    [['generate', '--model', 'm', '--out', 'rgb=o.png', '--scheme', 'magic'], /--scheme "magic": expected one of roar, maskgit/],
    [['generate', '--in', 'semseg=a.png'], /at least one --out/],
    [['generate', '--out', 'rgb=o.png', '--token-choice', 'mean'], /--token-choice "mean": expected one of sample, expected-code/],
    [['generate', '--out', 'rgb=o.png', '--decode-steps', '0'], /--decode-steps "0": expected a number in 1…1000/],
    [['predict', 'p.png', '--to', 'depth'], /--out-dir <dir> is required/],
    [['teleport'], /unknown command "teleport"/],
    [['generate', '--out', 'rgb=o.png', '--seed', '-5'], /^--seed: a value starting with "-" must be written --seed=<value> \(e\.g\. --seed=-1\)$/],
    [['generate', '--out', 'rgb=o.png', '--seed=-5'], /--seed "-5": expected a number in 0…9007199254740991/],
    [['generate', '--out', 'rgb=o.png', '--steps', 'NaN'], /--steps "NaN": expected a number in 1…256/],
    [['generate', '--out', 'rgb=o.png', '--temp', 'Infinity'], /--temp "Infinity": expected a number in 0…100/],
    [['generate', '--out', 'rgb=o.png', '--steps', '1e9'], /--steps "1e9": expected a number in 1…256/],
    [['generate', '--out', 'rgb=o.png', '--bogus'], /Unknown option '--bogus'/],
  ])('one clear UsageError for %j', (args, message) => {
    expect(() => parseCommand(args)).toThrow(UsageError);
    expect(() => parseCommand(args)).toThrow(message);
  });
});

describe('4m on the shipped default model', () => {
  it('predict writes every requested output from a rotated JPEG of any size', async () => {
    const outDir = join(dir, 'pred');
    const r = await run(['predict', join(dir, 'photo.jpg'), '--to', 'depth,normals,semseg,boxes', '--out-dir', outDir, '--quiet']);
    expect(r.code).toBe(0);
    for (const f of ['depth.png', 'normals.png', 'semseg.png']) {
      const meta = await sharp(join(outDir, f)).metadata();
      expect([meta.width, meta.height]).toEqual([128, 128]);
    }
    const boxes = JSON.parse(await readFile(join(outDir, 'boxes.json'), 'utf8')) as { boxes: unknown[]; text: string };
    expect(Array.isArray(boxes.boxes)).toBe(true);
  }, 120_000);

  it('predict reads boxes and a palette from a held-out picture: coordinates and colours are words, not dropped as special tokens', async () => {
    const outDir = join(dir, 'pred-seq');
    const picture = join(__dirname, '../../../fixtures/model/world-4m-small/heldout/0003/rgb.png');
    const r = await run(['predict', picture, '--to', 'boxes,palette', '--out-dir', outDir, '--quiet']);
    expect(r.code).toBe(0);
    const boxes = JSON.parse(await readFile(join(outDir, 'boxes.json'), 'utf8')) as { boxes: { label: string; x0: number; x1: number }[]; text: string; dropped: unknown[] };
    expect(boxes.text).toMatch(/^v0=\d+ v1=\d+ v2=\d+ v3=\d+ [a-z]+/);
    expect(boxes.boxes.length).toBeGreaterThan(0);
    for (const b of boxes.boxes) {
      expect(['sphere', 'cube', 'cylinder', 'cone']).toContain(b.label);
      expect(b.x1).toBeGreaterThan(b.x0);
    }
    const palette = JSON.parse(await readFile(join(outDir, 'palette.json'), 'utf8')) as { colors: number[][] };
    expect(palette.colors.length).toBeGreaterThan(0);
    for (const c of palette.colors) expect(c).toHaveLength(3);
  }, 120_000);

  it('generate (with no --model: the registry\'s default) reads boxes JSON and a caption and writes RGB', async () => {
    const out = join(dir, 'gen', 'rgb.webp');
    const r = await run(['generate', '--in', `boxes=${join(dir, 'boxes.json')}`, '--in', 'caption=a red sphere', '--out', `rgb=${out}`, '--steps', '2', '--quiet']);
    expect(r.code).toBe(0);
    expect((await sharp(out).metadata()).format).toBe('webp');
  }, 60_000);

  it('generate --mask regenerates only the white part of a picture given as --in and --out', async () => {
    // A 128 px picture (the model's size: no fitting) with a gradient, and a mask over the middle tokens.
    const picture = Buffer.alloc(128 * 128 * 3);
    for (let i = 0; i < 128 * 128; i++) picture.set([(i % 128) * 2, Math.floor(i / 128) * 2, 90], i * 3);
    await sharp(picture, { raw: { width: 128, height: 128, channels: 3 } }).png().toFile(join(dir, 'masked-in.png'));
    const mask = Buffer.alloc(128 * 128 * 3);
    for (let y = 48; y < 80; y++) mask.fill(255, (y * 128 + 40) * 3, (y * 128 + 88) * 3);
    await sharp(mask, { raw: { width: 128, height: 128, channels: 3 } }).png().toFile(join(dir, 'mask.png'));
    const out = join(dir, 'gen', 'masked-out.png');
    const r = await run(['generate', '--model', 'world-4m-small', '--in', `rgb=${join(dir, 'masked-in.png')}`, '--mask', join(dir, 'mask.png'), '--out', `rgb=${out}`, '--steps', '2', '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const got = await sharp(out).removeAlpha().raw().toBuffer();
    // Away from the region (beyond the half-token fade) the picture is the input's; inside it was regenerated.
    let outsideSame = true;
    let insideChanged = 0;
    for (let y = 0; y < 128; y++) {
      for (let x = 0; x < 128; x++) {
        const i = (y * 128 + x) * 3;
        const same = got[i] === picture[i] && got[i + 1] === picture[i + 1] && got[i + 2] === picture[i + 2];
        const far = x < 32 || x >= 96 || y < 40 || y >= 88;
        if (far && !same) outsideSame = false;
        if (x >= 48 && x < 80 && y >= 56 && y < 72 && !same) insideChanged++;
      }
    }
    expect(outsideSame).toBe(true);
    expect(insideChanged).toBeGreaterThan(256);
    const whole = await run(['generate', '--model', 'world-4m-small', '--in', `rgb=${join(dir, 'masked-in.png')}`, '--out', `rgb=${out}`, '--quiet']);
    expect(whole.code).toBe(2);
    expect(whole.err).toMatch(/--out rgb: is also an --in \(give --mask <png> to regenerate part of it\)/);
    const text = await run(['generate', '--model', 'world-4m-small', '--in', 'caption=a ball', '--out', `caption=${join(dir, 'c.txt')}`, '--quiet']);
    expect(text.code).toBe(2);
    expect(text.err).toMatch(/--out caption: is also an --in \(a text layer is either given or generated; drop one of the two\)/);
    const none = await run(['generate', '--model', 'world-4m-small', '--in', 'caption=a ball', '--mask', join(dir, 'mask.png'), '--out', `rgb=${out}`, '--quiet']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/--mask: no picture --out is also an --in/);
  }, 120_000);

  it('reads the dataset conventions: one-channel class-id semseg and 16-bit millimetre depth', async () => {
    const scenes = join(__dirname, '../../../fixtures/model/world-4m-small/scenes');
    const out = join(dir, 'gen', 'from-scene.png');
    const r = await run(['generate', '--model', 'world-4m-small', '--in', `semseg=${join(scenes, 'scene0_semseg.png')}`, '--in', `depth=${join(scenes, 'scene0_depth.png')}`, '--out', `rgb=${out}`, '--steps', '2', '--quiet']);
    expect(r.code).toBe(0);
    expect((await sharp(out).metadata()).width).toBe(128);
  }, 60_000);

  it.each([
    [['generate', '--model', 'world-4m-small', '--in', 'semseg=BROKEN', '--out', 'rgb=o.png'], /broken\.png: cannot read as an image/],
    [['generate', '--model', 'world-4m-small', '--in', 'semseg=MISSING', '--out', 'rgb=o.png'], /missing\.png: cannot read as an image/],
    [['generate', '--model', 'world-4m-small', '--in', 'boxes=BADBOXES', '--out', 'rgb=o.png'], /bad-boxes\.json: boxes\[0\]\.x0: expected a number in 0…1/],
    [['generate', '--model', 'no-such-model', '--in', 'caption=x', '--out', 'rgb=o.png'], /--model no-such-model: Model "no-such-model" was not found\. Searched .*models\/zoo\/? \(bundled\)\. Installed: world-4m-small/],
    [['generate', '--model', 'world-4m-small', '--in', 'caption=x', '--out', 'rgb=o.bmp'], /unsupported image extension "\.bmp"/],
    [['predict', 'PHOTO', '--to', 'depth,flow', '--out-dir', 'x'], /unknown modality "flow"/],
    // Where results go is checked before the model loads (was: the whole run, then a bare "EEXIST: file already exists, mkdir").
    [['generate', '--in', 'caption=x', '--out', 'rgb=NOTE/o.png'], /--out rgb=.*note\.txt\/o\.png: cannot be written, .*note\.txt is a file, not a folder/],
    [['generate', '--in', 'caption=x', '--out', 'rgb=o.png', '--out', 'caption=DIR'], /--out caption=.*: is a folder; give a file name/],
    [['predict', 'PHOTO', '--to', 'depth', '--out-dir', 'NOTE'], /--out-dir .*note\.txt: is a file, not a folder/],
    [['predict', 'PHOTO', '--to', 'depth', '--out-dir', 'NOTE/deeper'], /--out-dir .*note\.txt\/deeper: cannot be written, .*note\.txt is a file/],
    [['eval', '--scenes', 'DIR', '--out', 'NOTE/EVAL.md'], /--out .*note\.txt\/EVAL\.md: cannot be written/],
    // A --model path that is not a model says so (was: "ENOENT: no such file or directory, open '…/manifest.json'").
    [['generate', '--model', 'DIR', '--in', 'caption=x', '--out', 'rgb=o.png'], /--model .*: .* is not a model folder \(a package with manifest\.json, or an official folder with fm\/\)/],
    [['generate', '--model', 'NOTE', '--in', 'caption=x', '--out', 'rgb=o.png'], /--model .*note\.txt: .* is a file; give a model folder/],
    [['generate', '--model', 'MISSING', '--in', 'caption=x', '--out', 'rgb=o.png'], /--model .*missing\.png: .* does not exist/],
  ])('bad arguments and files give one line and exit 2 (%#)', async (args, message) => {
    const fixed = args.map((a) =>
      a
        .replace('BROKEN', join(dir, 'broken.png'))
        .replace('MISSING', join(dir, 'missing.png'))
        .replace('BADBOXES', join(dir, 'bad-boxes.json'))
        .replace('PHOTO', join(dir, 'photo.jpg'))
        .replace('NOTE', join(dir, 'note.txt'))
        .replace('DIR', dir),
    );
    const r = await run(fixed);
    expect(r.out).not.toMatch(/generated/); // refused before any work
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^4m: /);
    expect(r.err).toMatch(message);
  }, 30_000);
});

describe.skipIf(process.platform === 'win32')('hostile paths fail at once, naming the file and what it is', () => {
  // Each used to hang: sharp or readFile waiting on a FIFO for a writer, /dev/zero never ending, and
  // Node's recursive mkdir spinning under /proc after the whole generation. The short timeout makes a
  // regression fail instead of hanging the suite.
  let fifo: string;
  beforeAll(() => {
    fifo = join(dir, 'pipe.png');
    execFileSync('mkfifo', [fifo, join(dir, 'pipe.json')]);
    mkdirSync(join(dir, 'piped-scenes'));
    execFileSync('mkfifo', [join(dir, 'piped-scenes', 'scenes.json')]);
  });

  it.each([
    [['generate', '--in', 'semseg=FIFO', '--out', 'rgb=OUT/o.png'], /pipe\.png: is a named pipe \(FIFO\), not a regular file\n/],
    [['generate', '--in', 'rgb=/dev/zero', '--out', 'semseg=OUT/o.png'], /\/dev\/zero: is a character device, not a regular file\n/],
    [['generate', '--in', 'rgb=DIR', '--out', 'semseg=OUT/o.png'], /: is a folder, expected a file\n/],
    [['generate', '--in', 'rgb=PHOTO', '--mask', 'FIFO', '--out', 'rgb=OUT/o.png'], /pipe\.png: is a named pipe \(FIFO\)/],
    [['generate', '--in', 'boxes=JSONFIFO', '--out', 'rgb=OUT/o.png'], /pipe\.json: is a named pipe \(FIFO\), not a regular file\n/],
    [['predict', 'FIFO', '--to', 'depth', '--out-dir', 'OUT'], /pipe\.png: is a named pipe \(FIFO\)/],
    [['eval', '--scenes', 'DIR/piped-scenes', '--out', 'OUT/EVAL.md'], /--scenes: .*scenes\.json: cannot read the held-out scene index \(is a named pipe \(FIFO\), not a regular file\)/],
    // Outputs: a pipe or device where a result file goes is refused before any work.
    [['generate', '--in', 'caption=x', '--out', 'rgb=FIFO'], /--out rgb=.*pipe\.png: is a named pipe \(FIFO\); give a regular file name/],
    [['predict', 'PHOTO', '--to', 'depth', '--out-dir', '/dev/null'], /--out-dir \/dev\/null: is a character device, not a folder/],
    // /proc: `access` says writable to root, yet no file can be made there; mkdir -p under it spun forever.
    [['predict', 'PHOTO', '--to', 'depth', '--out-dir', '/proc/4m-out'], /--out-dir \/proc\/4m-out: cannot write in \/proc \((ENOENT|EACCES)/],
    [['generate', '--in', 'caption=x', '--out', 'rgb=/proc/4m-out/o.png'], /--out rgb=\/proc\/4m-out\/o\.png: cannot write in \/proc/],
  ])('%#: %j', async (args, message) => {
    const fixed = args.map((a) =>
      a
        .replace('JSONFIFO', join(dir, 'pipe.json'))
        .replace('FIFO', fifo)
        .replace('PHOTO', join(dir, 'photo.jpg'))
        .replace('OUT', join(dir, 'hostile-out'))
        .replace('DIR', dir),
    );
    const started = performance.now();
    const r = await run(fixed);
    expect(r.err).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.out).not.toMatch(/generated/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(5_000);
  }, 10_000);
});
