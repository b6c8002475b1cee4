import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { projectPathsIn } from '../../../../main/project/launch-files';
import { OpenRequests } from '../../../../main/project/open-requests';
import { ProjectService } from '../../../../main/project/project-service';
import { fixedDialogs, projectBytes, tempDir } from './fixtures';

describe('projects the OS hands to the app', () => {
  test('the command line: .4mproj paths (any case) resolved against the caller\'s folder; flags and other files ignored', () => {
    expect(projectPathsIn(['--inspect=9229', '.', '/home/a/scene.4mproj', 'rel/Other.4MPROJ', 'photo.png', '--x=y.4mproj'], '/work')).toEqual([
      '/home/a/scene.4mproj',
      '/work/rel/Other.4MPROJ',
    ]);
  });

  test('requests wait for a loaded window, then go straight through; a closed window queues again', () => {
    const got: string[] = [];
    const requests = new OpenRequests();
    requests.add('/a.4mproj');
    requests.target((p) => got.push(p));
    requests.add('/b.4mproj');
    requests.target(undefined);
    requests.add('/c.4mproj');
    expect(got).toEqual(['/a.4mproj', '/b.4mproj']);
    requests.target((p) => got.push(p));
    expect(got).toEqual(['/a.4mproj', '/b.4mproj', '/c.4mproj']);
  });

  test('a granted path can be opened by the renderer, and opening or saving tells the OS recent list', async () => {
    const state = tempDir('4m-state-');
    const recent: string[] = [];
    const service = await ProjectService.create({ stateDir: state, autosaveDir: join(state, 'autosave'), caseInsensitivePaths: false, onRecent: (p) => recent.push(p) });
    const file = join(tempDir('4m-projects-'), 'double-clicked.4mproj');
    writeFileSync(file, projectBytes(3));
    await expect(service.open(file, fixedDialogs(null))).rejects.toMatchObject({ code: 'not-allowed' });
    expect(service.grant(file)).toBe(file);
    const opened = await service.open(file, fixedDialogs(null));
    expect('bytes' in opened && opened.name).toBe('double-clicked');
    expect(recent).toEqual([file]);
    expect(() => service.grant('relative.4mproj')).toThrow(/not an absolute file path/);
  });
});
