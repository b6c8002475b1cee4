import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as resedit from 'resedit';

/**
 * Stand-ins for Electron's unpacked distributions (electron-builder's `electronDist`), so
 * electron-builder can lay out the app here without the real binaries, which cannot be fetched
 * on these machines. Only the shape electron-builder touches is made: the executables (a Windows
 * one with the version resource it writes the asar integrity into), helper apps and Info.plists.
 */
export type FakePlatform = 'linux' | 'mac' | 'win';

const plist = (name: string, id: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>CFBundleExecutable</key><string>${name}</string>
<key>CFBundleIdentifier</key><string>${id}</string>
<key>CFBundleName</key><string>${name}</string>
<key>CFBundleDisplayName</key><string>${name}</string>
<key>CFBundleVersion</key><string>1</string>
<key>CFBundleShortVersionString</key><string>1</string>
</dict></plist>
`;

/**
 * Electron's fuse wire as the real binaries carry it (sentinel, wire version 1, length, one
 * ASCII '0'/'1' per fuse, Electron's defaults), so electron-builder can flip the fuses that
 * electron-builder.yml asks for and a test can read them back.
 */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const DEFAULT_FUSES = '10111010';
const fuseWire = (): Buffer => Buffer.concat([Buffer.from(FUSE_SENTINEL), Buffer.from([1, DEFAULT_FUSES.length]), Buffer.from(DEFAULT_FUSES)]);

/** The fuses of a packaged (fake) Electron binary, in wire order ('1' = on). */
export function readFuses(binary: Uint8Array): string {
  const bytes = Buffer.from(binary);
  const at = bytes.indexOf(FUSE_SENTINEL);
  if (at < 0) throw new Error('no fuse wire in this binary');
  const length = bytes[at + FUSE_SENTINEL.length + 1] ?? 0;
  return bytes.subarray(at + FUSE_SENTINEL.length + 2, at + FUSE_SENTINEL.length + 2 + length).toString('latin1');
}

function executable(path: string, body: string | Uint8Array = '#!/bin/sh\n'): void {
  writeFileSync(path, Buffer.concat([typeof body === 'string' ? Buffer.from(body) : Buffer.from(body), fuseWire()]));
  chmodSync(path, 0o755);
}

export function makeFakeElectron(dir: string, platform: FakePlatform): string {
  mkdirSync(dir, { recursive: true });
  if (platform === 'linux') {
    mkdirSync(join(dir, 'resources'), { recursive: true });
    executable(join(dir, 'electron'));
    for (const f of ['chrome-sandbox', 'LICENSE', 'LICENSES.chromium.html']) writeFileSync(join(dir, f), '');
  } else if (platform === 'win') {
    mkdirSync(join(dir, 'resources'), { recursive: true });
    const exe = resedit.NtExecutable.createEmpty(false, false);
    const res = resedit.NtExecutableResource.from(exe);
    const info = resedit.Resource.VersionInfo.createEmpty();
    info.lang = 1033;
    info.setStringValues({ lang: 1033, codepage: 1200 }, { ProductName: 'Electron', FileDescription: 'Electron' });
    info.outputToResourceEntries(res.entries);
    res.outputResource(exe);
    executable(join(dir, 'electron.exe'), new Uint8Array(exe.generate()));
    for (const f of ['LICENSE', 'LICENSES.chromium.html']) writeFileSync(join(dir, f), '');
  } else {
    const contents = join(dir, 'Electron.app', 'Contents');
    mkdirSync(join(contents, 'MacOS'), { recursive: true });
    mkdirSync(join(contents, 'Resources'), { recursive: true });
    executable(join(contents, 'MacOS', 'Electron'));
    writeFileSync(join(contents, 'Info.plist'), plist('Electron', 'com.github.Electron'));
    // On macOS the fuse wire lives in the framework binary.
    const framework = join(contents, 'Frameworks', 'Electron Framework.framework');
    mkdirSync(framework, { recursive: true });
    executable(join(framework, 'Electron Framework'));
    for (const kind of ['', ' (GPU)', ' (Renderer)', ' (Plugin)']) {
      const helper = join(contents, 'Frameworks', `Electron Helper${kind}.app`, 'Contents');
      mkdirSync(join(helper, 'MacOS'), { recursive: true });
      executable(join(helper, 'MacOS', `Electron Helper${kind}`));
      writeFileSync(join(helper, 'Info.plist'), plist(`Electron Helper${kind}`, 'com.github.Electron.helper'));
    }
  }
  return dir;
}
