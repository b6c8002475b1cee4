/**
 * Where the user's own models live: `<user data folder>/models`, per platform,
 * or under $FOURM_STUDIO_DATA_DIR when set (tests, portable installs). Pure:
 * the environment, platform and home folder are arguments.
 */
import { posix, win32 } from 'node:path';

export const DATA_DIR_ENV = 'FOURM_STUDIO_DATA_DIR';
const APP_FOLDER = '4M Studio';

export interface PlatformInfo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  readonly home: string;
}

/** The app's data folder: large files, so the local (not roaming) one on Windows and XDG data on Linux. */
export function userDataDir(p: PlatformInfo): string {
  const override = p.env[DATA_DIR_ENV];
  if (override) return override;
  if (p.platform === 'win32') return win32.join(p.env.LOCALAPPDATA || win32.join(p.home, 'AppData', 'Local'), APP_FOLDER);
  if (p.platform === 'darwin') return posix.join(p.home, 'Library', 'Application Support', APP_FOLDER);
  const xdg = p.env.XDG_DATA_HOME;
  return posix.join(xdg && xdg.startsWith('/') ? xdg : posix.join(p.home, '.local', 'share'), '4m-studio');
}

/** Installed (downloaded or imported) models: one folder per model id. */
export function userModelsDir(p: PlatformInfo): string {
  return (p.platform === 'win32' ? win32 : posix).join(userDataDir(p), 'models');
}
