import { extractFile, listPackage } from '@electron/asar';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { bundledModelsDir, DEFAULT_MODEL_ID } from '../../models/registry/folders';
import { findModel } from '../../models/registry/registry';
import { makeFakeElectron, readFuses, type FakePlatform } from './fake-electron';

/**
 * The installers' file set, made by electron-builder itself from electron-builder.yml (its own
 * file matching, asar packing and extra resources), for each platform, on a stand-in for the
 * Electron binary (which cannot be fetched here). Needs `npm run build` first (out/).
 */
const root = resolve(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), '4m-package-'));
const ORT_BIN = 'node_modules/onnxruntime-node/bin/napi-v6';

interface Layout {
  readonly platform: FakePlatform;
  readonly arch: 'x64' | 'arm64';
  /** The resources folder of the unpacked app. */
  resources(out: string): string;
  /** Exactly the ONNX Runtime files the app may carry. */
  readonly ort: string[];
  /** Bytes of the app's own resources (asar, unpacked natives, model), without Electron. */
  readonly budgetMB: number;
}

const LAYOUTS: Layout[] = [
  {
    platform: 'linux', arch: 'x64', resources: (out) => join(out, 'linux-unpacked', 'resources'),
    ort: ['linux/x64/libonnxruntime.so.1', 'linux/x64/onnxruntime_binding.node'], budgetMB: 115,
  },
  {
    platform: 'win', arch: 'x64', resources: (out) => join(out, 'win-unpacked', 'resources'),
    ort: ['win32/x64/DirectML.dll', 'win32/x64/dxcompiler.dll', 'win32/x64/dxil.dll', 'win32/x64/onnxruntime.dll', 'win32/x64/onnxruntime_binding.node'],
    budgetMB: 135,
  },
  {
    platform: 'mac', arch: 'arm64', resources: (out) => join(out, 'mac-arm64', '4M Studio.app', 'Contents', 'Resources'),
    ort: ['darwin/arm64/libonnxruntime.1.dylib', 'darwin/arm64/onnxruntime_binding.node'], budgetMB: 115,
  },
];

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

function bytes(dir: string): number {
  return files(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

const built = new Map<FakePlatform, { resources: string; asar: string[]; log: string }>();

beforeAll(async () => {
  expect(existsSync(join(root, 'out', 'main', 'index.js')), 'run `npm run build` first').toBe(true);
  for (const layout of LAYOUTS) {
    const out = join(work, layout.platform);
    const dist = makeFakeElectron(join(work, `electron-${layout.platform}`), layout.platform);
    const args = [
      join(root, 'node_modules', 'electron-builder', 'cli.js'), '--config', 'electron-builder.yml',
      `--${layout.platform}`, 'dir', `--${layout.arch}`,
      `-c.electronDist=${dist}`, `-c.electronVersion=${JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version}`,
      '-c.npmRebuild=false', `-c.directories.output=${out}`,
      // The stand-in .exe cannot be stamped (rcedit needs Wine here); everything else is the real config.
      ...(layout.platform === 'win' ? ['-c.win.signAndEditExecutable=false'] : []),
    ];
    // Asynchronously: a blocking spawnSync of a minute-long build starved vitest's worker RPC on a loaded machine.
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' }, timeout: 240_000 }, (error, stdout, stderr) => {
        done({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      });
    });
    const log = `${run.stdout}\n${run.stderr}`;
    expect(run.status, `electron-builder --${layout.platform} failed:\n${log}`).toBe(0);
    const resources = layout.resources(out);
    built.set(layout.platform, { resources, asar: listPackage(join(resources, 'app.asar'), { isPack: false }).map((p) => p.split('\\').join('/')), log });
  }
}, 600_000);

describe.each(LAYOUTS)('the $platform/$arch app', (layout) => {
  const app = () => {
    const b = built.get(layout.platform);
    if (!b) throw new Error('not built');
    return b;
  };

  test('bundles the default model outside the asar, where the registry finds and validates it', async () => {
    const { resources, asar } = app();
    const folder = bundledModelsDir({ packaged: true, resourcesPath: resources, appPath: join(resources, 'app.asar') });
    const model = await findModel([{ path: folder, origin: 'bundled' }]);
    expect(model.id).toBe(DEFAULT_MODEL_ID);
    expect(model.dir).toBe(join(resources, 'models', DEFAULT_MODEL_ID));
    expect(asar.some((p) => p.startsWith('/models'))).toBe(false);
    // Only the package's own files: the evaluation report and its picture grids stay in the repository.
    expect(files(model.dir).filter((f) => f !== 'manifest.json' && !(f in model.manifest.files))).toEqual([]);
  });

  test("carries exactly its own platform's ONNX Runtime binaries, one copy each, unpacked from the asar", () => {
    const { resources } = app();
    expect(files(join(resources, 'app.asar.unpacked', ORT_BIN))).toEqual(layout.ort);
  });

  test('holds only what it runs: the built main, host, preload and renderer and the production dependencies', () => {
    const { asar } = app();
    for (const p of ['/out/main/index.js', '/out/main/inference-host.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/node_modules/zod/package.json', '/node_modules/onnxruntime-node/dist/index.js']) {
      expect(asar, p).toContain(p);
    }
    const modules = new Set(asar.filter((p) => /^\/node_modules\/[^/]+$/.test(p) || /^\/node_modules\/@[^/]+\/[^/]+$/.test(p)).map((p) => p.slice('/node_modules/'.length)));
    for (const absent of ['sharp', '@img/sharp-linux-x64', 'tsx', 'esbuild', 'konva', 'svelte', 'ws', 'electron', 'vite', 'playwright-core']) {
      expect(modules.has(absent), absent).toBe(false);
    }
    for (const absent of ['/out/main/harness.js', '/out/cli', '/test', '/models', '/node_modules/onnxruntime-node/script']) {
      expect(asar.some((p) => p === absent || p.startsWith(`${absent}/`)), absent).toBe(false);
    }
    // Every package main and the host import at run time is in the app (bare specifiers of the bundles).
    const bundles = asar.filter((p) => /^\/out\/main\/.*\.js$/.test(p));
    const imports = new Set<string>();
    for (const p of bundles) {
      const text = extractFile(join(app().resources, 'app.asar'), p.slice(1)).toString('utf8');
      for (const m of text.matchAll(/from ["']([^"'./][^"']*)["']/g)) imports.add((m[1] as string).split('/')[0] as string);
    }
    for (const name of imports) {
      if (name.startsWith('node:') || name === 'electron') continue;
      expect(modules.has(name), `out/main imports ${name}`).toBe(true);
    }
  });

  test('its Electron binary has the fuses electron-builder.yml asks for: no RunAsNode, NODE_OPTIONS or --inspect; asar only, integrity checked', () => {
    const { resources } = app();
    const binary = layout.platform === 'mac'
      ? join(resources, '..', 'Frameworks', 'Electron Framework.framework', 'Electron Framework')
      : join(resources, '..', readdirSync(join(resources, '..')).find((n) => /^4m-studio$|^4M Studio(\.exe)?$/.test(n)) ?? 'missing');
    // Wire order: RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyAsar, V8Snapshot, FileProtocolPrivileges.
    expect(readFuses(readFileSync(binary))).toBe('01001100');
  });

  test(`stays within its size budget (${layout.budgetMB} MB of resources, without Electron)`, () => {
    const { resources } = app();
    const mb = bytes(resources) / 1e6;
    process.stdout.write(`${layout.platform}/${layout.arch}: resources ${mb.toFixed(1)} MB (asar ${(statSync(join(resources, 'app.asar')).size / 1e6).toFixed(1)}, natives ${(bytes(join(resources, 'app.asar.unpacked')) / 1e6).toFixed(1)}, model ${(bytes(join(resources, 'models')) / 1e6).toFixed(1)})\n`);
    expect(mb).toBeLessThan(layout.budgetMB);
  });
});

test('the Linux build declares the .4mproj association and the deb installs the AppArmor profile', () => {
  const config = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
  expect(config).toMatch(/fileAssociations:\n {2}- ext: 4mproj/);
  expect(config).toMatch(/target: deb/);
  expect(readFileSync(join(root, 'node_modules/app-builder-lib/templates/linux/after-install.tpl'), 'utf8')).toMatch(/apparmor_parser --replace/);
});
