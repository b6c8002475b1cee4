import { expect, test } from 'vitest';
import { openErrorText } from '../../../../renderer/src/project/fileErrors';

test('a refused project is named by its file, the reason right after (the footer has one line)', () => {
  expect(openErrorText('/home/ada/4M Studio Projects/broken.4mproj cannot be opened: not a 4M Studio project: the file does not start with the project signature')).toBe(
    'Could not open broken.4mproj: not a 4M Studio project: the file does not start with the project signature',
  );
  expect(openErrorText('C:\\Users\\ada\\scene.4mproj cannot be opened: checksum mismatch. The version from before the last save is in C:\\Users\\ada\\scene.4mproj.bak')).toBe(
    'Could not open scene.4mproj: checksum mismatch. The version from before the last save is in C:\\Users\\ada\\scene.4mproj.bak',
  );
  // Other refusals keep main's words whole.
  expect(openErrorText('/p/gone.4mproj does not exist (moved or deleted?)')).toBe('Could not open the project: /p/gone.4mproj does not exist (moved or deleted?)');
});
