/**
 * Entry of the `4m` command. Built to out/cli/4m.mjs (`npm run build`, plain JavaScript: nothing
 * compiles TypeScript at run time); `npm run 4m` runs the sources through tsx while developing.
 */
import { main } from './index';

process.exitCode = await main(process.argv.slice(2));
