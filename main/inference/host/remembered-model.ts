import { closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/** `<user data folder>/active-model.json`, beside accepted-licenses.json and the models folder. */
export const ACTIVE_MODEL_FILE = 'active-model.json';

const Remembered = z.object({
  format: z.literal('4m-studio.active-model/1'),
  id: z.string().min(1).max(256),
  displayName: z.string().max(120).optional(),
  chosenAt: z.string().max(64),
});

export interface RememberedChoice {
  readonly id: string;
  readonly displayName: string;
}

/**
 * The model the artist chose last ("Use" in the Models dialog, or a project's own model), kept
 * across restarts in the user data folder so the inference host reopens it at start. A missing,
 * unreadable or malformed file means no choice (the default model opens); a failed write is
 * ignored, since remembering must never break using a model.
 */
export class RememberedModel {
  constructor(readonly file: string) {}

  static inDataDir(dataDir: string): RememberedModel {
    return new RememberedModel(join(dataDir, ACTIVE_MODEL_FILE));
  }

  read(): RememberedChoice | null {
    try {
      const parsed = Remembered.safeParse(JSON.parse(readSmallFile(this.file)));
      return parsed.success ? { id: parsed.data.id, displayName: parsed.data.displayName ?? parsed.data.id } : null;
    } catch {
      return null;
    }
  }

  write(choice: RememberedChoice, at = new Date().toISOString()): void {
    try {
      // The data folder only, not its parents: Node's recursive mkdir spins forever (synchronously,
      // so the whole host) where a folder cannot be made under one that exists, as under /proc.
      try {
        mkdirSync(dirname(this.file));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const tmp = `${this.file}.${process.pid}.tmp`;
      const record: z.infer<typeof Remembered> = { format: '4m-studio.active-model/1', id: choice.id, displayName: choice.displayName.slice(0, 120), chosenAt: at };
      writeFileSync(tmp, `${JSON.stringify(record, null, 1)}\n`);
      renameSync(tmp, this.file);
    } catch {
      // Not remembered; the model is open all the same.
    }
  }
}

/**
 * The file's text if it is a regular file of at most 64 KiB; throws otherwise. Opened without
 * blocking and checked on the handle: readFileSync on a FIFO would block the host's start forever.
 */
function readSmallFile(file: string): string {
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > 64 * 1024) throw new Error(`${file}: not a small regular file`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
