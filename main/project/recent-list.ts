import { z } from 'zod';
import { projectNameOf } from '../../preload/contract/projects';

/** The recent-projects list: pure operations and its on-disk JSON shape. */
export interface RecentEntry {
  readonly path: string;
  readonly name: string;
  readonly openedAt: number;
}

export const MAX_RECENT = 10;

const RecentFile = z.object({
  version: z.literal(1),
  projects: z.array(z.object({ path: z.string().min(1).max(4096), openedAt: z.number() })),
});

/** Moves `path` to the front (opening or saving a project makes it the most recent). */
export function touchRecent(list: readonly RecentEntry[], path: string, now: number, same: (a: string, b: string) => boolean, max = MAX_RECENT): RecentEntry[] {
  return [{ path, name: projectNameOf(path), openedAt: now }, ...list.filter((e) => !same(e.path, path))].slice(0, max);
}

export function serializeRecent(list: readonly RecentEntry[]): string {
  return `${JSON.stringify({ version: 1, projects: list.map((e) => ({ path: e.path, openedAt: e.openedAt })) }, null, 2)}\n`;
}

/** A damaged list is not worth an error dialog: it reads as empty and is rewritten on next save. */
export function parseRecent(text: string): RecentEntry[] {
  try {
    const parsed = RecentFile.safeParse(JSON.parse(text));
    if (!parsed.success) return [];
    return parsed.data.projects.slice(0, MAX_RECENT).map((p) => ({ path: p.path, name: projectNameOf(p.path), openedAt: p.openedAt }));
  } catch {
    return [];
  }
}
