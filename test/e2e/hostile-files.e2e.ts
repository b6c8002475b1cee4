import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeContainer } from '../../renderer/src/document/project/container';
import { crc32 } from '../../renderer/src/document/project/crc32';
import { FORMAT_VERSION } from '../../renderer/src/document/project/migrate';
import { decodeUtf8 } from '../../renderer/src/document/project/utf8';
import { artifactsDir as artifacts, type StudioSession } from './browser';
import { openEditor, type EditorPage } from './editor-page';

/**
 * Hostile files through the editor's own file inputs in Chromium against the built harness
 * (the shipped model): pictures for a layer that are bombs or lies, and project files that are
 * damaged or crafted. Each gets a clear message naming the file and what is wrong; the document
 * open at the time is kept as it was; the page and the host stay up.
 */

const RGB = 'tok_rgb@128';
let studio: StudioSession;
let page: Page;
let editor: EditorPage;

beforeAll(async () => {
  ({ studio, editor } = await openEditor({ width: 1280, height: 800 }));
  page = studio.page;
}, 120_000);

afterAll(() => studio?.close());

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(artifacts, name) });
const errorText = (): Promise<string | null> => page.getByTestId('editor-error').textContent();

/** A PNG with the given IHDR size around an IDAT of `raw` (filter bytes included or not: a liar's file). */
function png(width: number, height: number, raw: Uint8Array): Buffer {
  const chunk = (type: string, data: Uint8Array): Buffer => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    out.set(data, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

/** The RGB layer's pixels at a few points: what "nothing was lost" is checked against. */
async function rgbSamples(): Promise<number[][]> {
  await editor.selectLayer(RGB);
  return Promise.all([[10, 10], [64, 64], [100, 30]].map(([x, y]) => editor.pixel(x as number, y as number)));
}

test('pictures for a layer: a decompression bomb, a PNG whose IHDR lies, garbage named .png — each refused by name, the layer untouched', async () => {
  // A real picture first, so "untouched" means something.
  const good = png(64, 64, Buffer.concat(Array.from({ length: 64 }, () => Buffer.from([0, ...Array.from({ length: 64 }, (_, x) => [x * 4, 90, 255 - x * 4]).flat()]))));
  const goodPath = join(artifacts, 'hostile-good.png');
  writeFileSync(goodPath, good);
  await editor.selectLayer(RGB);
  await page.getByTestId('import-file').setInputFiles(goodPath);
  await expect.poll(() => page.getByTestId('editor-status').textContent()).toMatch(/Imported hostile-good\.png \(64 × 64/);
  const before = await rgbSamples();

  const cases: [string, Buffer, RegExp][] = [
    // 100 000 × 100 000 px declared (40 GB of pixels) in a file of a few hundred bytes.
    ['hostile-bomb.png', png(100_000, 100_000, new Uint8Array(1000)), /^Could not import hostile-bomb\.png: This file is not an image the app can read/],
    ['hostile-garbage.png', Buffer.from('not a picture at all, just words', 'latin1'), /^Could not import hostile-garbage\.png: This file is not an image the app can read/],
  ];
  for (const [name, bytes, message] of cases) {
    const path = join(artifacts, name);
    writeFileSync(path, bytes);
    await page.getByTestId('import-file').setInputFiles(path);
    await expect.poll(errorText, { timeout: 30_000 }).toMatch(message);
    expect(await rgbSamples()).toEqual(before);
  }
  await shot('hostile-import-bomb.png');

  // IHDR says 4×4, the data holds a megabyte: Chromium decodes the 4×4 it was promised (black) and nothing more.
  const liar = join(artifacts, 'hostile-ihdr-lies.png');
  writeFileSync(liar, png(4, 4, new Uint8Array(1_000_000)));
  await page.getByTestId('import-file').setInputFiles(liar);
  await expect.poll(() => page.getByTestId('editor-status').textContent(), { timeout: 30_000 }).toMatch(/Imported hostile-ihdr-lies\.png \(4 × 4, resized to 128 × 128\)/);
  expect(await page.getByText(/Inference host: ready/).count()).toBe(1);
}, 180_000);

/** Rewrites a saved project's header (keeping a valid checksum), as a crafted file would. */
function withHeader(bytes: Buffer, edit: (h: Record<string, unknown>) => void): Buffer {
  const length = bytes.readUInt32LE(12);
  const header = JSON.parse(decodeUtf8(bytes.subarray(16, 16 + length)) ?? '') as Record<string, unknown>;
  edit(header);
  return Buffer.from(writeContainer(FORMAT_VERSION, JSON.stringify(header), bytes.subarray(16 + length, bytes.length - 4)));
}

test('project files: truncated, from a newer app, a reserved layer id, a chunk past the end — each a message naming the file and the cause; the open document is kept', async () => {
  const saved = readFileSync(await editor.save('hostile-base'));
  const before = await rgbSamples();
  const cases: [string, Buffer, RegExp][] = [
    ['hostile-truncated.4mproj', saved.subarray(0, Math.floor(saved.length / 2)), /^Could not open hostile-truncated\.4mproj: .*(truncated|damaged)/],
    ['hostile-newer.4mproj', (() => {
      const b = Buffer.from(saved);
      b.writeUInt32LE(99, 8);
      b.writeUInt32LE(crc32(b.subarray(0, b.length - 4)), b.length - 4);
      return b;
    })(), /^Could not open hostile-newer\.4mproj: .*format 99, newer than this app reads/],
    ['hostile-reserved-id.4mproj', withHeader(saved, (h) => {
      const manifest = h['manifest'] as { modalities: { id: string }[] };
      const last = manifest.modalities.length - 1;
      manifest.modalities[last]!.id = 'constructor';
      (h['layers'] as { id: string }[])[last]!.id = 'constructor';
    }), /^Could not open hostile-reserved-id\.4mproj: .*"constructor" is a reserved name/],
    ['hostile-past-end.4mproj', withHeader(saved, (h) => {
      const layer = (h['layers'] as { content: { pixels?: { offset: number } } }[]).find((l) => l.content.pixels);
      layer!.content.pixels!.offset = 1e12;
    }), /^Could not open hostile-past-end\.4mproj: .*runs past the \d+-byte data section/],
  ];
  for (const [name, bytes, message] of cases) {
    const path = join(artifacts, name);
    writeFileSync(path, bytes);
    await page.getByTestId('open-file').setInputFiles(path);
    await expect.poll(errorText, { timeout: 30_000 }).toMatch(message);
    expect(await errorText()).not.toMatch(/undefined|Cannot read|\[object/);
    expect(await rgbSamples()).toEqual(before);
  }
  await shot('hostile-open-damaged.png');
}, 180_000);
