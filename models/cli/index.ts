/**
 * `4m`: the command-line face of the engine. Errors print as one line naming
 * what is wrong; exit 2 for bad arguments or files, 1 for anything else.
 */
import { parseCommand, USAGE } from './args';
import { UsageError } from './errors';
import { runModelsCommand } from './models-command';
import { runCommand } from './run-command';

export async function main(argv: readonly string[]): Promise<number> {
  try {
    if (argv[0] === 'models') return await runModelsCommand(argv.slice(1), (line) => process.stdout.write(`${line}\n`));
    const cmd = parseCommand(argv);
    if (cmd.kind === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    await runCommand(cmd, (line) => process.stdout.write(`${line}\n`));
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`4m: ${message.split('\n')[0]}\n`);
    return error instanceof UsageError || (error instanceof Error && /^(ModelPackageError|RequestError|GraphInputError|ModelManagerError|OfficialModelError|UpscaleError)$/.test(error.name)) ? 2 : 1;
  }
}
