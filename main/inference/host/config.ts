import { z } from 'zod';

/**
 * What the supervisor tells a host it starts: where models live (the registry's folders, in
 * lookup order) and which to open. Passed as one JSON argument, validated here, so Electron
 * main and the harness start the same host the same way.
 */
export const HostConfig = z.object({
  modelFolders: z.array(z.object({ path: z.string().min(1), origin: z.enum(['extra', 'user', 'bundled']) })),
  /** The model to open at start; the registry's default when absent. */
  modelId: z.string().min(1).optional(),
  /**
   * Where the artist's model choice is remembered across restarts (`<user data>/active-model.json`).
   * When set, the host opens the remembered model at start (falling back to `modelId` with a notice
   * when it cannot) and remembers each model it is asked to open that opens.
   */
  activeModelFile: z.string().min(1).optional(),
  /**
   * Tests only: an ES module (absolute path) that replaces the model with a fixture runner
   * (test/fixtures/host/). Electron main never sets it; the harness only when a test asks.
   */
  fixture: z.string().min(1).optional(),
});
export type HostConfig = z.infer<typeof HostConfig>;

const FLAG = '--host-config';

export function hostArgs(config: HostConfig): string[] {
  return [FLAG, JSON.stringify(HostConfig.parse(config))];
}

export function readHostConfig(argv: readonly string[]): HostConfig {
  const at = argv.indexOf(FLAG);
  const text = at >= 0 ? argv[at + 1] : undefined;
  if (text === undefined) throw new Error(`${FLAG} <json> is missing; the supervisor must pass the host's configuration`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${FLAG}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = HostConfig.safeParse(json);
  if (!parsed.success) throw new Error(`${FLAG}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
