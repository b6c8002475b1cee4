import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { dispatchProjectCall } from '../../../../main/project/dispatch';
import { ProjectService } from '../../../../main/project/project-service';
import { ProjectChannels } from '../../../../preload/contract/projects';
import { fixedDialogs, projectBytes, tempDir } from './fixtures';

describe('dispatchProjectCall (both transports)', async () => {
  const state = tempDir('4m-state-');
  const projects = tempDir('4m-projects-');
  const service = await ProjectService.create({ stateDir: state, autosaveDir: join(state, 'autosave'), caseInsensitivePaths: false });
  const path = join(projects, 'd.4mproj');
  const dialogs = fixedDialogs(path, path);

  test('validates arguments with the contract before anything runs', async () => {
    expect(await dispatchProjectCall(service, dialogs, 'project:save-as', { suggestedName: 'd', bytes: 'not bytes' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringMatching(/^project:save-as: .*bytes/s) },
    });
    expect(await dispatchProjectCall(service, dialogs, 'project:delete-everything', {})).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  test('answers match the contract result schemas, errors included', async () => {
    const calls: [keyof typeof ProjectChannels, unknown][] = [
      ['project:save-as', { suggestedName: 'd', bytes: projectBytes(1) }],
      ['project:save', { path, bytes: projectBytes(2) }],
      ['project:open', {}],
      ['project:open', { path }],
      ['project:recent', {}],
      ['autosave:write', { bytes: projectBytes(3), projectPath: path }],
      ['autosave:read', {}],
      ['autosave:clear', {}],
      ['project:save', { path: join(projects, 'never-picked.4mproj'), bytes: projectBytes() }],
    ];
    const answers = [];
    for (const [channel, args] of calls) {
      const answer = await dispatchProjectCall(service, dialogs, channel, args);
      expect(ProjectChannels[channel].result.safeParse(answer).success, channel).toBe(true);
      answers.push(answer);
    }
    expect(answers.slice(0, 8).every((a) => a.ok)).toBe(true);
    expect(answers[8]).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
  });
});
