#!/usr/bin/env node
/**
 * Every app icon from one drawing (assets/icon.svg), with sharp: the PNG sizes (Linux, and
 * assets/icon.png at 1024), a Windows .ico and a macOS .icns, both holding PNG images.
 * Run `npm run icons` after editing the drawing, and commit what it writes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const assets = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets');
const svg = readFileSync(join(assets, 'icon.svg'));
const png = (size) => sharp(svg, { density: Math.max(72, (72 * size) / 1024 * 4) }).resize(size, size).png({ compressionLevel: 9 }).toBuffer();

/** ICO: a directory of PNG images (Windows Vista and later read PNG entries). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e); // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.data)]);
}

/** ICNS: typed PNG chunks (ic07 128, ic08 256, ic09 512, ic10 1024 = 512@2x, ic11-14 the @2x sizes). */
function icns(chunks) {
  const parts = chunks.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const pngs = Object.fromEntries(await Promise.all(sizes.map(async (s) => [s, await png(s)])));
mkdirSync(join(assets, 'icons'), { recursive: true });
for (const s of sizes) writeFileSync(join(assets, 'icons', `${s}x${s}.png`), pngs[s]);
writeFileSync(join(assets, 'icon.png'), pngs[1024]);
writeFileSync(join(assets, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: pngs[size] }))));
writeFileSync(
  join(assets, 'icon.icns'),
  icns([
    ['ic11', 32], ['ic12', 64], ['ic07', 128], ['ic13', 256], ['ic08', 256], ['ic14', 512], ['ic09', 512], ['ic10', 1024],
  ].map(([type, size]) => ({ type, data: pngs[size] }))),
);
process.stdout.write(`wrote ${sizes.length} PNGs, icon.png, icon.ico and icon.icns in ${assets}\n`);
