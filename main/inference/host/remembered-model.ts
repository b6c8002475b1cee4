import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
      const parsed = Remembered.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? { id: parsed.data.id, displayName: parsed.data.displayName ?? parsed.data.id } : null;
    } catch {
      return null;
    }
  }

  write(choice: RememberedChoice, at = new Date().toISOString()): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      const record: z.infer<typeof Remembered> = { format: '4m-studio.active-model/1', id: choice.id, displayName: choice.displayName.slice(0, 120), chosenAt: at };
      writeFileSync(tmp, `${JSON.stringify(record, null, 1)}\n`);
      renameSync(tmp, this.file);
    } catch {
      // Not remembered; the model is open all the same.
    }
  }
}
