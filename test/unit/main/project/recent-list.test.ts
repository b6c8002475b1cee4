import { describe, expect, test } from 'vitest';
import { MAX_RECENT, parseRecent, serializeRecent, touchRecent } from '../../../../main/project/recent-list';

const same = (a: string, b: string): boolean => a === b;

describe('recent projects list', () => {
  test('opening moves a project to the front without duplicates, capped', () => {
    let list = touchRecent([], '/p/a.4mproj', 1, same);
    list = touchRecent(list, '/p/b.4mproj', 2, same);
    list = touchRecent(list, '/p/a.4mproj', 3, same);
    expect(list).toEqual([
      { path: '/p/a.4mproj', name: 'a', openedAt: 3 },
      { path: '/p/b.4mproj', name: 'b', openedAt: 2 },
    ]);
    for (let i = 0; i < 20; i++) list = touchRecent(list, `/p/${i}.4mproj`, 10 + i, same);
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]?.name).toBe('19');
  });

  test('round-trips through its JSON; a damaged file reads as empty', () => {
    const list = touchRecent(touchRecent([], '/p/a.4mproj', 1, same), '/p/b.4mproj', 2, same);
    expect(parseRecent(serializeRecent(list))).toEqual(list);
    expect(parseRecent('{not json')).toEqual([]);
    expect(parseRecent('{"version":2,"projects":[]}')).toEqual([]);
    expect(parseRecent('{"version":1,"projects":[{"path":3}]}')).toEqual([]);
  });
});
