import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DirectoryDialogs, safeFileName } from '../../../../main/harness/dir-dialogs';
import { projectApi } from '../../../../main/harness/project-api';
import { ProjectService } from '../../../../main/project/project-service';
import { fromWireJson, toWireJson } from '../../../../preload/contract/wire';
import { projectBytes, tempDir } from '../project/fixtures';

let server: Server;
let origin = '';
const projects = tempDir('4m-projects-');
const dialogs = new DirectoryDialogs(projects);

beforeAll(async () => {
  const state = tempDir('4m-state-');
  const service = await ProjectService.create({ stateDir: state, autosaveDir: join(state, 'autosave'), caseInsensitivePaths: false });
  const handler = projectApi(service, dialogs, () => origin);
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const call = (channel: string, args: unknown, headers: Record<string, string> = {}) =>
  fetch(`${origin}/api/projects/${channel}`, { method: 'POST', headers: { origin, 'content-type': 'application/json', ...headers }, body: toWireJson(args) });

describe('harness project API', () => {
  test('says it serves files', async () => {
    expect(await (await fetch(`${origin}/api/projects`)).json()).toEqual({ available: true });
  });

  test('save as (by name in the project folder) → open by name returns the same bytes', async () => {
    const saved = fromWireJson(await (await call('project:save-as', { suggestedName: '../../evil name', bytes: projectBytes(5) })).text());
    expect(saved).toMatchObject({ ok: true, value: { path: join(projects, '_.._evil name.4mproj'), name: '_.._evil name' } });
    dialogs.queueOpen('../../evil name');
    const opened = fromWireJson(await (await call('project:open', {})).text()) as { ok: boolean; value: { bytes: Uint8Array } };
    expect(opened.ok).toBe(true);
    expect(Buffer.from(opened.value.bytes).equals(Buffer.from(projectBytes(5)))).toBe(true);
  });

  test('refuses other origins and non-JSON posts (no cross-site writes)', async () => {
    expect((await call('project:recent', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await call('project:recent', {}, { 'content-type': 'text/plain' })).status).toBe(403);
    expect((await fetch(`${origin}/api/projects/project:recent`, { method: 'POST', body: '{}' })).status).toBe(403);
  });

  test('malformed bodies are answered as invalid requests', async () => {
    const res = await fetch(`${origin}/api/projects/project:recent`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{' });
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });
});

describe('DirectoryDialogs', () => {
  test('names never leave the folder', () => {
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('a/b\\c')).toBe('a_b_c');
    expect(safeFileName('...')).toBe('untitled');
    expect(safeFileName('sketch.4mproj')).toBe('sketch');
  });

  test('open without a queued name picks the newest project; none gives null', async () => {
    expect(await new DirectoryDialogs(tempDir()).chooseOpenPath()).toBeNull();
    expect(await new DirectoryDialogs(join(tempDir(), 'missing')).chooseOpenPath()).toBeNull();
  });
});
