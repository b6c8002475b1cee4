import { vi } from 'vitest';
import { main } from '../../../../models/cli/index';

/** Runs the CLI's main() in-process and captures what it writes (exit code, stderr, stdout). */
export async function runCli(args: string[]): Promise<{ code: number; err: string; out: string }> {
  let err = '';
  let out = '';
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  try {
    return { code: await main(args), err, out };
  } finally {
    e.mockRestore();
    o.mockRestore();
  }
}
